"""The seed-000 call, open now, with a dozen submissions; and the original 2015 call, archived."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django.utils import timezone

from samspill.accounts.models import User
from samspill.calls.models import Call, Submission
from samspill.calls.services import next_reference
from samspill.organisations.models import Organisation
from samspill.places.models import Municipality
from samspill.taxonomy.models import FocusArea, TargetGroup, Theme
from samspill.taxonomy.seeds import THEMES

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")

TITLE = "Har dere gode eksempler på lokale tiltak for å styrke det frivillige arbeidet på helse- og omsorgsfeltet?"

# Verbatim from seed 000, up to the list of areas (which are the call's themes).
INTRODUCTION = """Frivillighet Norge, KS og Helse- og omsorgsdepartementet har igangsatt et arbeid med å utvikle en nasjonal strategi for frivillig arbeid på helse- og omsorgsfeltet. Vi ønsker å legge til rette for et levende sivilsamfunn som skaper tilhørighet, solidaritet og fellesskap.

For å møte morgendagens utfordringer og den sterke veksten i tallet på eldre, må vi mobilisere samfunnets samlede helse- og omsorgsressurser. Strategien skal bidra til å redusere ensomhet og styrke den enkeltes sosiale nettverk. Strategien skal favne bredt og blant annet inkludere mennesker med rus- og psykisk helseutfordringer, personer med kroniske lidelser, eldre, innvandrergrupper og utsatte barn og unge.

Frivillighetsstrategien vil inneholde partenes tiltak for å rekruttere frivillige og for å styrke samarbeidet mellom frivillig og offentlig sektor. Et viktig mål med strategien er å redusere ensomhet og styrke den enkeltes sosiale nettverk.

Strategien skal bygge på plattform for samspill og samarbeid mellom frivillig og kommunal sektor 2013 – 2015. Plattformen har som mål å støtte og tilrettelegge for den omfattende og viktige aktiviteten i frivillig sektor. Et formål i plattformen er å danne grunnlag for lokalt samarbeid mellom offentlig og frivillig sektor. Plattformen finner du på Frivillighet Norges nettsider.

Vi inviterer dere til å komme med gode eksempler på lokale tiltak og strategier for å styrke det frivillige arbeidet på helse- og omsorgsfeltet."""

ORIGINAL_ENDING = (
    "\n\nVi ser frem til å motta dine innspill! Send dem til frivillighetsstrategi@hod.dep.no innen 8. mai 2015."
)

# (title, theme slugs, municipality, target group slugs, focus area slugs, status, submitter e-mail, consent, summary)
SUBMISSIONS = [
    (
        "Besøksvenner på sykehjem",
        ["rekruttering-og-oppfolging"],
        "4601",
        ["eldre"],
        ["grupper-som-faller-utenfor"],
        "received",
        "medlem@demo.samspill.no",
        True,
        "Frivillige besøker beboere på sykehjem en time i uka, med fast oppfølging fra en koordinator.",
    ),
    (
        "Digital hjelp for eldre på biblioteket",
        ["samspill-og-samarbeid"],
        "4621",
        ["eldre"],
        [],
        "under_review",
        "leder@demo.samspill.no",
        True,
        "Ungdom og pensjonister hjelper eldre med nettbank, helsenorge.no og videosamtaler hver tirsdag.",
    ),
    (
        "Turvenn-ordning for folk med psykiske helseutfordringer",
        ["rekruttering-og-oppfolging"],
        "4614",
        ["rus-og-psykisk-helse"],
        ["fysisk-aktivitet"],
        "accepted",
        "frivillig@demo.samspill.no",
        True,
        "Faste turgrupper der frivillige og deltakere går sammen, i samarbeid med kommunens psykiske helsetjeneste.",
    ),
    (
        "Språkkafé med helseinformasjon",
        ["samspill-og-samarbeid"],
        "4601",
        ["innvandrergrupper"],
        ["integrering-og-inkludering"],
        "accepted",
        "leder@demo.samspill.no",
        True,
        "Helsesykepleiere og frivillige møter nyankomne på språkkafé og snakker om helsetjenester på enkel norsk.",
    ),
    (
        "Frivilligkoordinator i hjemmetjenesten",
        ["organisering-og-koordinering"],
        "4621",
        ["eldre", "kroniske-lidelser"],
        [],
        "needs_info",
        "koordinator@demo.samspill.no",
        False,
        "En fast koordinator kobler hjemmeboende eldre med frivillige for handling, følge og besøk.",
    ),
    (
        "Leksehjelp og middag for familier med lav inntekt",
        ["rekruttering-og-oppfolging"],
        "4601",
        ["utsatte-barn-og-unge"],
        ["barn-og-unge", "motvirke-fattigdom", "sunn-mat"],
        "received",
        "medlem@demo.samspill.no",
        True,
        "Frivillige gir leksehjelp og lager middag sammen med familiene to kvelder i uka.",
    ),
    (
        "Felles frivillighetsportal for kommunen",
        ["organisering-og-koordinering"],
        "4614",
        [],
        [],
        "declined",
        "frivillig@demo.samspill.no",
        False,
        "Én oversikt over frivillige oppdrag i kommunen, drevet av frivilligsentralen.",
    ),
    (
        "Aktivitetsmidler uten søknadsskjema",
        ["rammebetingelser"],
        "4621",
        ["utsatte-barn-og-unge"],
        ["barn-og-unge"],
        "under_review",
        "leder@demo.samspill.no",
        True,
        "Små beløp til lag og foreninger etter en enkel samtale, uten tungt søknadsskjema.",
    ),
    (
        "Likepersoner for folk med KOLS",
        ["rekruttering-og-oppfolging"],
        "4601",
        ["kroniske-lidelser"],
        ["fysisk-aktivitet"],
        "received",
        "medlem@demo.samspill.no",
        True,
        "Personer som selv lever med KOLS, blir kurset som likepersoner og leder treningsgrupper.",
    ),
    (
        "Samarbeidsavtale mellom kommunen og frivilligsentralen",
        ["samspill-og-samarbeid"],
        "4614",
        [],
        [],
        "accepted",
        "koordinator@demo.samspill.no",
        True,
        "En skriftlig avtale om roller, midler og møtepunkter mellom kommunen og frivilligsentralen.",
    ),
    (
        "Innovasjonsverksted for frivillige og ansatte",
        ["rammebetingelser"],
        "4601",
        [],
        [],
        "draft",
        "frivillig@demo.samspill.no",
        None,
        "Et verksted der frivillige og ansatte utvikler nye tiltak sammen.",
    ),
    (
        "Følgetjeneste til legetimer",
        ["organisering-og-koordinering"],
        "4621",
        ["eldre"],
        [],
        "received",
        "leder@demo.samspill.no",
        True,
        "Frivillige følger eldre til lege og sykehus når de ikke har andre som kan bli med.",
    ),
]


def _at_2359(day) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, tzinfo=OSLO)


def load() -> None:
    behind = Organisation.objects.filter(slug__in=["frivillighet-norge", "ks", "helse-og-omsorgsdepartementet"])
    themes = Theme.objects.filter(slug__in=[slug for slug, _, _ in THEMES])
    today = timezone.localdate()
    call, created = Call.objects.get_or_create(
        slug="frivillighetsstrategi-helse-og-omsorg",
        defaults={
            "title": TITLE,
            "introduction": INTRODUCTION,
            "opens_at": datetime(*(today - timedelta(days=14)).timetuple()[:3], 9, 0, tzinfo=OSLO),
            "closes_at": _at_2359(today + timedelta(days=42)),
            "is_published": True,
            # Open to anyone with a confirmed e-mail address, so the demo shows the way in
            # without an account next to the logged-in one.
            "audience": Call.Audience.ANYONE,
        },
    )
    if created:
        call.themes.set(themes)
        call.organisations.set(behind)
    original, created = Call.objects.get_or_create(
        slug="frivillighetsstrategi-2015",
        defaults={
            "title": TITLE + " (2015)",
            "introduction": INTRODUCTION + ORIGINAL_ENDING,
            "opens_at": datetime(2015, 3, 1, 0, 0, tzinfo=OSLO),
            "closes_at": datetime(2015, 5, 8, 23, 59, tzinfo=OSLO),
            "is_published": True,
            "archived_at": datetime(2015, 12, 31, 12, 0, tzinfo=OSLO),
        },
    )
    if created:
        original.themes.set(themes)
        original.organisations.set(behind)
    if call.submissions.exists():
        return
    now = timezone.now()
    for i, (title, theme_slugs, number, groups, areas, status, email, consent, summary) in enumerate(SUBMISSIONS):
        person = User.objects.get(email=email)
        submission = Submission.objects.create(
            call=call,
            title=title,
            summary=summary,
            what=summary,
            why="For å redusere ensomhet og styrke den enkeltes sosiale nettverk.",
            for_whom="Innbyggere i kommunen som trenger et fellesskap.",
            how="Gjennomført i samarbeid mellom kommunen og lokale frivillige organisasjoner.",
            results="Flere deltakere, flere frivillige og gode tilbakemeldinger.",
            lessons="Fast kontaktperson og tydelige avtaler gjør at frivillige blir værende.",
            municipality=Municipality.objects.get(number=number),
            organisation=Organisation.objects.filter(memberships__user=person).first(),
            contact_name=person.name,
            contact_email=person.email,
            consent_to_publish=consent,
            status=status,
            submitter=person,
            reference=None if status == "draft" else next_reference(year=timezone.localtime(now).year),
            submitted_at=None if status == "draft" else now - timedelta(days=12 - i),
            receipt_sent_at=None if status == "draft" else now - timedelta(days=12 - i),
        )
        submission.themes.set(Theme.objects.filter(slug__in=theme_slugs))
        submission.target_groups.set(TargetGroup.objects.filter(slug__in=groups))
        submission.focus_areas.set(FocusArea.objects.filter(slug__in=areas))
