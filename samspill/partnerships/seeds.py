"""Section headings of a partnership, copied verbatim from seed 004 (see ../../data/SOURCES.md).

Migration 0002 creates them once; after that they belong to the admins, who may edit them
in the Django admin ("Overskrifter for partnerskap"). (key, heading, feature, help text)
"""

# "Partnerskap for?"
QUESTIONS = [
    ("hvorfor", "Hvorfor?", "", "Hvorfor partnerskapet finnes og hva det skal oppnå."),
    ("hvem-deltar", "Hvem deltar?", "members", "Hvem som er med, og hvem som bør bli med."),
    ("hvordan-samarbeide", "Hvordan samarbeide?", "meetings", "Møteplasser, arbeidsformer og ansvar."),
    ("hvordan-medvirke", "Hvordan medvirke?", "guidelines", "Hvordan medlemmer og innbyggere kan medvirke."),
    ("kommunens-rolle", "Kommunens rolle?", "", "Hva kommunene bidrar med og har ansvar for."),
    ("fylkeskommunens-rolle", "Fylkeskommunens rolle?", "", "Hva fylkeskommunen bidrar med og har ansvar for."),
    ("organisering", "Organisering?", "", "Styringsgruppe, arbeidsgrupper og hvem som leder."),
    ("mulige-tiltak", "Mulige tiltak?", "measures", "Hvilke tiltak partnerskapet vil prøve ut."),
]

# "Veien videre"
WAY_FORWARD = [
    ("avklare-egen-deltakelse", "Avklare egen deltakelse", "members"),
    (
        "plattform-for-samarbeid",
        "plattform for samarbeid mellom kommuner/fylkeskommunen og frivillige lag og organisasjoner",
        "",
    ),
    ("frivillig-arbeid-og-kommunale-tjenester", "forholdet mellom frivillig arbeid og kommunale tjenester", ""),
    ("retningslinjer", "Retningslinjer for samarbeid og medvirkning", "guidelines"),
    ("partnerskapsavtale", "hva partene skal bidra med, partnerskapsavtale", "agreements"),
    ("mulige-tiltak-videre", "mulige tiltak", "measures"),
    ("mulige-malgrupper", "mulige målgrupper", "measures"),
    ("hvordan-gjennomfore-tiltak", "hvordan gjennomføre tiltak", "measures"),
    ("hvordan-male-at-tiltakene-virker", "hvordan måle at tiltakene virker", "measures"),
]


def create_topics(topic_model) -> int:
    """Create the missing headings; never overwrite one an admin has edited. Returns the number created."""
    created = 0
    for position, (key, heading, feature, help_text) in enumerate(QUESTIONS, start=1):
        _, new = topic_model.objects.get_or_create(
            key=key,
            defaults={
                "kind": "question",
                "heading": heading,
                "feature": feature,
                "help_text": help_text,
                "position": position,
            },
        )
        created += new
    for position, (key, heading, feature) in enumerate(WAY_FORWARD, start=1):
        _, new = topic_model.objects.get_or_create(
            key=key, defaults={"kind": "way_forward", "heading": heading, "feature": feature, "position": position}
        )
        created += new
    return created
