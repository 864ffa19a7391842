"""The seed-004 partnership in Vestland: the county, three municipalities and five voluntary organisations.

Guidelines v1 adopted and v2 proposed; a signed agreement per member with contributions (one
expiring within 60 days), a joint agreement for the period after waiting for signatures (Frivilligsentralen
i Voss, whose admin is leder@demo.samspill.no, has not signed), two meetings with action items,
one of them overdue. Loading again changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from samspill.accounts.models import User
from samspill.organisations.models import Membership, Organisation, Role
from samspill.partnerships import services
from samspill.partnerships.models import (
    ActionItem,
    Agreement,
    Contribution,
    GuidelinesComment,
    Meeting,
    Partnership,
    PartnershipMember,
    Signature,
    Topic,
)
from samspill.partnerships.seeds import create_topics
from samspill.places.models import County, Municipality
from samspill.taxonomy.models import FocusArea, TargetGroup

OSLO = ZoneInfo("Europe/Oslo")
SLUG = "frivillighet-og-folkehelse-i-vestland"
LEAD = "vestland-fylkeskommune"
# (organisation slug, role, what it contributes: [(kind, description, amount, unit)])
MEMBERS: list[tuple[str, str, list[tuple[str, str, Decimal | None, str]]]] = [
    (
        "bergen-kommune",
        "municipality",
        [
            ("money", "Driftstilskudd til frivillige møteplasser", Decimal("350000"), "NOK"),
            ("premises", "Lokaler på bydelshusene to kvelder i uka", None, ""),
            ("staff_hours", "Frivillighetskoordinator i 20 % stilling", Decimal("340"), "timer"),
        ],
    ),
    (
        "voss-kommune",
        "municipality",
        [
            ("money", "Tilskudd til Frivilligsentralen i Voss", Decimal("120000"), "NOK"),
            ("coordination", "Kontaktperson i helse- og omsorgstjenesten", None, ""),
        ],
    ),
    (
        "stord-kommune",
        "municipality",
        [
            ("money", "Tilskudd til lavterskel fysisk aktivitet", Decimal("80000"), "NOK"),
            ("premises", "Gymsal i Leirvik skule på søndager", None, ""),
        ],
    ),
    (
        "frivilligsentralen-i-voss",
        "voluntary",
        [
            ("volunteer_hours", "Besøksvenner og turgrupper for eldre", Decimal("1200"), "timer"),
            ("coordination", "Koordinerer frivillige i Voss", None, ""),
        ],
    ),
    (
        "besoksvenner-bergen",
        "voluntary",
        [("volunteer_hours", "Besøk hos eldre og ensomme, en time i uka", Decimal("2000"), "timer")],
    ),
    (
        "stord-turlag",
        "voluntary",
        [("volunteer_hours", "Lavterskelturer hver onsdag", Decimal("400"), "timer")],
    ),
    (
        "bergen-idrettslag-for-alle",
        "voluntary",
        [("volunteer_hours", "Gratis trening for barn og unge", Decimal("900"), "timer")],
    ),
    (
        "vestland-mangfoldsforum",
        "voluntary",
        [
            ("volunteer_hours", "Språkkafé og mentorordning", Decimal("600"), "timer"),
            ("competence", "Kurs i inkludering for frivillige i de andre organisasjonene", None, ""),
        ],
    ),
]

COUNTY_CONTRIBUTIONS = [
    ("money", "Partnerskapsmidler til tiltak i kommunene", Decimal("500000"), "NOK"),
    ("coordination", "Sekretariat for partnerskapet", Decimal("400"), "timer"),
    ("competence", "Kunnskapsgrunnlag og folkehelseoversikt", None, ""),
]

SECTIONS = {
    "hvorfor": (
        "Frivillige organisasjoner spiller en viktig rolle for bedre folkehelse, for integrering og inkludering, "
        "og for å skape gode nærmiljøer. Fylkeskommunen, kommunene og de frivillige når flere når de planlegger "
        "sammen, særlig grupper som i dag faller utenfor det frivillige organisasjonslivet."
    ),
    "hvem-deltar": (
        "Vestland fylkeskommune leder partnerskapet. Bergen, Voss og Stord kommune er med, sammen med fem "
        "frivillige organisasjoner. Andre kommuner og lag kan be om å bli med."
    ),
    "hvordan-samarbeide": (
        "Vi møtes fire ganger i året i et partnerskapsforum. Mellom møtene arbeider vi i to arbeidsgrupper: "
        "én for barn og unge og én for eldre og ensomhet."
    ),
    "hvordan-medvirke": (
        "Alle medlemmer kan melde saker til forumet og kommentere forslag til retningslinjer her i Samspill. "
        "Brukere og frivillige inviteres til dialogmøter én gang i året."
    ),
    "kommunens-rolle": (
        "Kommunene har en frivillighetskoordinator, gir tilgang til lokaler og kobler frivillig innsats til de "
        "kommunale tjenestene uten at de frivillige erstatter lovpålagte tjenester."
    ),
    "fylkeskommunens-rolle": (
        "Fylkeskommunen har sekretariatet, fordeler partnerskapsmidler, samler kunnskap om folkehelse i "
        "fylket og sprer gode eksempler mellom kommunene."
    ),
    "organisering": (
        "Partnerskapsforumet er øverste organ. Et arbeidsutvalg med fylkeskommunen, én kommune og to "
        "frivillige organisasjoner forbereder sakene."
    ),
    "mulige-tiltak": (
        "Besøksvenner for eldre, lavterskel turgrupper, leksehjelp, språkkafé og gratis trening for barn "
        "og unge. Tiltakene og målingene ligger under «Tiltak og målgrupper»."
    ),
}

WAY_FORWARD = {
    "avklare-egen-deltakelse": ("clarified", "Alle åtte medlemmer har signert partnerskapsavtale."),
    "plattform-for-samarbeid": ("clarified", "Plattformen er retningslinjene for samarbeid og medvirkning."),
    "frivillig-arbeid-og-kommunale-tjenester": (
        "in_progress",
        "Arbeidsutvalget skriver et notat om hva frivillige gjør og ikke gjør i helse- og omsorgstjenestene.",
    ),
    "retningslinjer": ("in_progress", "Versjon 1 er vedtatt; versjon 2 er på høring blant medlemmene."),
    "partnerskapsavtale": (
        "clarified",
        "Avtaler med hvert medlem for to år; en felles avtale for perioden etter er til signering.",
    ),
    "mulige-tiltak-videre": ("in_progress", ""),
    "mulige-malgrupper": ("in_progress", "Eldre som bor alene, barn og unge, innvandrere."),
    "hvordan-gjennomfore-tiltak": ("open", ""),
    "hvordan-male-at-tiltakene-virker": (
        "open",
        "Vi vil bruke indikatorer i tre typer: hvor mye, hvor godt, og om noen har det bedre.",
    ),
}

GUIDELINES_V1 = """Partnerskapet bygger på likeverd mellom partene.
Frivillige organisasjoner bestemmer selv over egen aktivitet.
Kommunene og fylkeskommunen bruker ikke frivillige til å erstatte lovpålagte tjenester.
Partnerskapsforumet møtes fire ganger i året.
Saker meldes til sekretariatet senest to uker før møtet.
Referat sendes alle medlemmer innen en uke."""

GUIDELINES_V2 = """Partnerskapet bygger på likeverd mellom partene.
Frivillige organisasjoner bestemmer selv over egen aktivitet.
Kommunene og fylkeskommunen bruker ikke frivillige til å erstatte lovpålagte tjenester.
Partnerskapsforumet møtes fire ganger i året, minst ett av møtene ute i en av medlemskommunene.
Saker meldes til sekretariatet senest to uker før møtet.
Referat og vedtak legges i Samspill innen en uke.
Brukere og frivillige inviteres til dialogmøte én gang i året."""

# Signers for organisations that have no admin among the demo people.
SIGNER_NAMES = [
    "Sigrid Solheim",
    "Ola Nordheim",
    "Ingrid Haugland",
    "Per Vik",
    "Kari Lunde",
    "Anders Myklebust",
    "Marit Brekke",
    "Jon Tveit",
    "Solveig Rønneberg",
    "Einar Skeie",
]


def _signer(organisation: Organisation) -> User:
    membership = Membership.objects.filter(organisation=organisation, role=Role.ADMIN).select_related("user").first()
    if membership:
        return membership.user
    email = f"signatar.{organisation.slug}@demo.samspill.no"
    user = User.objects.filter(email=email).first()
    if user is None:
        taken = User.objects.filter(email__startswith="signatar.").count()
        user = User(email=email, name=SIGNER_NAMES[taken % len(SIGNER_NAMES)])
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": Role.ADMIN})
    return user


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=OSLO)


@transaction.atomic
def load() -> None:
    create_topics(Topic)
    lead = Organisation.objects.filter(slug=LEAD).first()
    if lead is None or Partnership.objects.filter(slug=SLUG).exists():
        return
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=[m[0] for m in MEMBERS])}
    adviser = User.objects.filter(email="radgiver@demo.samspill.no").first()
    today = timezone.localdate()
    year = today.year
    partnership = services.create_partnership(
        lead=lead,
        user=adviser,
        slug=SLUG,
        name="Partnerskap for frivillighet og folkehelse i Vestland",
        purpose=(
            "Fylkeskommunen, kommunene og frivillige lag og organisasjoner i Vestland samarbeider om bedre "
            "folkehelse, økt deltakelse og et levende sivilsamfunn, særlig for grupper som faller utenfor."
        ),
        status=Partnership.Status.ACTIVE,
        starts_on=date(year - 1, 9, 1),
        is_public=True,
        counties=[County.objects.get(number="46")],
        municipalities=list(Municipality.objects.filter(number__in=["4601", "4621", "4614"])),
        focus_areas=list(FocusArea.objects.all()),
        target_groups=list(TargetGroup.objects.filter(slug__in=["eldre", "innvandrergrupper", "utsatte-barn-og-unge"])),
    )
    PartnershipMember.objects.filter(partnership=partnership, organisation=lead).update(joined_on=date(year - 1, 9, 1))
    topics = {t.key: t for t in Topic.objects.all()}
    texts: dict[int, tuple[str, str | None]] = {topics[k].pk: (v, None) for k, v in SECTIONS.items() if k in topics}
    texts.update({topics[k].pk: (text, progress) for k, (progress, text) in WAY_FORWARD.items() if k in topics})
    services.save_sections(partnership, texts)

    members = {}
    for slug, role, _ in MEMBERS:
        organisation = organisations.get(slug)
        if organisation is None:
            continue
        contact = Membership.objects.filter(organisation=organisation).order_by("role").first()
        members[slug] = PartnershipMember.objects.create(
            partnership=partnership,
            organisation=organisation,
            role=role,
            status=PartnershipMember.Status.ACTIVE,
            joined_on=date(year - 1, 9, 1),
            contact_person=contact.user if contact else None,
        )

    v1 = services.propose_guidelines(partnership, text=GUIDELINES_V1, change_note="Første versjon.", by=adviser)
    services.adopt_guidelines(v1, adopted_on=date(year - 1, 11, 15))
    v2 = services.propose_guidelines(
        partnership,
        text=GUIDELINES_V2,
        change_note="Møter ute i kommunene, referat i Samspill og årlig dialogmøte med brukere og frivillige.",
        by=adviser,
    )
    voss = organisations.get("frivilligsentralen-i-voss")
    leader = User.objects.filter(email="leder@demo.samspill.no").first()
    if voss and leader:
        GuidelinesComment.objects.create(
            version=v2,
            organisation=voss,
            author=leader,
            text="Bra at vi møtes ute i kommunene. Kan dialogmøtet legges til Frivillighetens dag i desember?",
        )

    lead_signer = _signer(lead)
    for slug, _role, contributions in MEMBERS:
        member = members.get(slug)
        if member is None:
            continue
        # Stord Turlag's agreement ends within 60 days, so the page shows the alert.
        # Two-year agreements, so that only this one is in the alert whatever the date.
        ends = today + timedelta(days=45) if slug == "stord-turlag" else date(year + 1, 12, 31)
        starts = date(year, 1, 1) if ends > date(year, 1, 1) else ends - timedelta(days=300)
        agreement = Agreement.objects.create(
            partnership=partnership,
            member=member,
            title=f"Partnerskapsavtale: {member.organisation.name}",
            text=(
                f"Avtalen gjelder samarbeid mellom Vestland fylkeskommune og {member.organisation.name} i "
                "partnerskapet. Partene bidrar med det som står under bidrag, og rapporterer til "
                "partnerskapsforumet én gang i året."
            ),
            starts_on=starts,
            ends_on=ends,
            created_by=adviser,
        )
        for kind, description, amount, unit in contributions:
            for contribution_year in range(starts.year, ends.year + 1):
                Contribution.objects.create(
                    agreement=agreement,
                    organisation=member.organisation,
                    year=contribution_year,
                    kind=kind,
                    description=description,
                    amount=amount,
                    unit=unit,
                )
        if slug == "bergen-kommune":
            for kind, description, amount, unit in COUNTY_CONTRIBUTIONS:
                for contribution_year in range(starts.year, ends.year + 1):
                    Contribution.objects.create(
                        agreement=agreement,
                        organisation=lead,
                        year=contribution_year,
                        kind=kind,
                        description=description,
                        amount=amount,
                        unit=unit,
                    )
        agreement.parties.set([lead, member.organisation])
        signed_at = _at(starts - timedelta(days=20))
        Signature.objects.create(
            agreement=agreement,
            organisation=lead,
            signed_by=lead_signer,
            signer_role="fylkesdirektør",
            signed_at=signed_at,
        )
        Signature.objects.create(
            agreement=agreement,
            organisation=member.organisation,
            signed_by=_signer(member.organisation),
            signer_role="rådmann" if member.role == "municipality" else "styreleder",
            signed_at=signed_at + timedelta(days=3),
        )
        agreement.status, agreement.proposed_at, agreement.signed_at = (
            "signed",
            signed_at,
            signed_at + timedelta(days=3),
        )
        agreement.save()

    joint = Agreement.objects.create(
        partnership=partnership,
        title=f"Felles partnerskapsavtale {year + 2}",
        text=(
            "En felles avtale for alle medlemmene for året etter de nåværende avtalene: partene viderefører bidragene sine, og "
            "fylkeskommunen øker partnerskapsmidlene til tiltak for barn og unge."
        ),
        starts_on=date(year + 2, 1, 1),
        ends_on=date(year + 2, 12, 31),
        created_by=adviser,
    )
    Contribution.objects.create(
        agreement=joint,
        organisation=lead,
        year=year + 2,
        kind="money",
        description="Partnerskapsmidler, barn og unge",
        amount=Decimal("650000"),
        unit="NOK",
    )
    if voss:
        Contribution.objects.create(
            agreement=joint,
            organisation=voss,
            year=year + 2,
            kind="volunteer_hours",
            description="Besøksvenner og turgrupper",
            amount=Decimal("1300"),
            unit="timer",
        )
    services.propose_agreement(joint)
    for party in joint.parties.all():
        if party.slug == "frivilligsentralen-i-voss":
            continue  # leder@demo.samspill.no signs this one in the demo
        Signature.objects.create(
            agreement=joint,
            organisation=party,
            signed_by=_signer(party),
            signer_role="fylkesdirektør" if party == lead else "styreleder",
            signed_at=timezone.now() - timedelta(days=2),
        )

    first = Meeting.objects.create(
        partnership=partnership,
        held_on=today - timedelta(days=75),
        place="Fylkeshuset i Bergen",
        agenda="1. Velkommen og presentasjon\n2. Retningslinjer for samarbeid og medvirkning\n3. Partnerskapsavtaler",
        minutes="Alle åtte medlemmer var til stede. Forslaget til retningslinjer ble gjennomgått.",
        decisions="Retningslinjene, versjon 1, gjelder fra i dag.\nHvert medlem inngår en partnerskapsavtale med fylkeskommunen.",
        created_by=adviser,
    )
    second = Meeting.objects.create(
        partnership=partnership,
        held_on=today - timedelta(days=14),
        place="Voss kulturhus",
        agenda="1. Status for tiltakene\n2. Forslag til retningslinjer, versjon 2\n3. Felles avtale for neste periode",
        minutes="Arbeidsgruppene la fram status. Forslaget til versjon 2 sendes på høring blant medlemmene.",
        decisions="Versjon 2 av retningslinjene sendes på høring.\nFelles avtale for neste periode sendes til signering.",
        created_by=adviser,
    )
    bergen = organisations.get("bergen-kommune")
    coordinator = User.objects.filter(email="koordinator@demo.samspill.no").first()
    ActionItem.objects.create(
        partnership=partnership,
        meeting=first,
        what="Skrive notat om frivillig arbeid og kommunale tjenester",
        owner_organisation=bergen,
        owner_person=coordinator,
        due_on=today - timedelta(days=10),
    )  # overdue
    ActionItem.objects.create(
        partnership=partnership,
        meeting=first,
        what="Sende ut signerte avtaler til alle medlemmer",
        owner_organisation=lead,
        due_on=today - timedelta(days=40),
        status=ActionItem.Status.DONE,
    )
    ActionItem.objects.create(
        partnership=partnership,
        meeting=second,
        what="Samle kommentarer til retningslinjene, versjon 2",
        owner_organisation=lead,
        owner_person=adviser,
        due_on=today + timedelta(days=21),
    )
    ActionItem.objects.create(
        partnership=partnership,
        meeting=second,
        what="Forberede dialogmøte med brukere og frivillige",
        owner_organisation=voss,
        owner_person=leader,
        due_on=today + timedelta(days=45),
        status=ActionItem.Status.IN_PROGRESS,
    )
