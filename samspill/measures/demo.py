"""Four demo measures with indicators of all three kinds and 6–12 periods of measurements.

A visiting-friend service for older people living alone, a homework café for children in
low-income families (adopted from the demo practice "Leksehjelp med middag"), a walking
group (behind target) and a volunteer-recruitment drive among immigrants. They belong to the
demo partnership when it exists; loading again (also after the partnership appears) links
them and changes nothing else.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from samspill.accounts.models import User
from samspill.measures import periods
from samspill.measures.models import Indicator, Measure, Measurement, MeasurePartner, PlanItem, Resource
from samspill.organisations.models import Organisation
from samspill.places.models import Municipality
from samspill.practices.models import Practice
from samspill.practices.services import count_adoption
from samspill.taxonomy.models import FocusArea, TargetGroup, Theme

ADOPTED_PRACTICE = "Leksehjelp med middag"
PARTNERSHIP_SLUGS = ("frivillighet-og-folkehelse-i-vestland", "partnerskap-for-frivillighet-i-vestland")

D = Decimal


def _months_back(today: date, count: int) -> list[date]:
    start = periods.last_ended("month", today)
    out = [start]
    while len(out) < count:
        out.append(periods.previous_start("month", out[-1]))
    return list(reversed(out))


def _quarters_back(today: date, count: int) -> list[date]:
    start = periods.last_ended("quarter", today)
    out = [start]
    while len(out) < count:
        out.append(periods.previous_start("quarter", out[-1]))
    return list(reversed(out))


# Each measure: owner slug, partners [(slug, role)], municipalities, texts, taxonomy, indicators.
# Each indicator: kind, name, unit, direction, period, ratio labels, baseline, target, source,
# responsible ("owner" or a partner slug), values (list; ratios as (numerator, denominator)).
MEASURES: list[dict[str, Any]] = [
    {
        "title": "Besøksvenn for eldre som bor alene",
        "owner": "besoksvenner-bergen",
        "partners": [("bergen-kommune", "Hjemmetjenesten henviser eldre og følger opp sammen med oss")],
        "municipalities": ["4601"],
        "description": "Frivillige besøksvenner kommer hjem til eldre som bor alene, en time i uka, "
        "for en prat, en tur eller en kopp kaffe. Hjemmetjenesten foreslår hvem som kan ha glede av det.",
        "themes": ["rekruttering-og-oppfolging"],
        "focus_areas": ["grupper-som-faller-utenfor"],
        "target_groups": ["eldre"],
        "resources": "Koordinator i 40 % stilling, kurs for nye besøksvenner, reisekostnader.",
        "budget": [
            ("budget", "Koordinator og kurs", D("380000"), None),
            ("contribution", "Lokaler og kaffe", D("25000"), "bergen-kommune"),
        ],
        "plan": [
            ("milestone", "20 besøksvenner på kurs", -300, -290),
            ("activity", "Samling for besøksvennene hvert kvartal", 30, None),
        ],
        "indicators": [
            (
                "how_much",
                "Besøk gjennomført",
                "count",
                "higher",
                "month",
                "",
                "",
                D("60"),
                D("200"),
                "Besøksloggen",
                "owner",
                [72, 85, 96, 110, 118, 131, 140, 152, 166, 171, 183, 194],
            ),
            (
                "how_well",
                "Andel nye besøksvenner fulgt opp innen en måned",
                "percent",
                "higher",
                "month",
                "Nye besøksvenner fulgt opp innen en måned",
                "Nye besøksvenner",
                D("50"),
                D("90"),
                "Koordinatorens oversikt",
                "owner",
                [(3, 5), (4, 6), (5, 6), (6, 7), (5, 6), (7, 8), (6, 7), (8, 9), (7, 8), (9, 10), (8, 9), (9, 10)],
            ),
            (
                "better_off",
                "Andel eldre som føler seg mindre ensomme",
                "percent",
                "higher",
                "quarter",
                "Svarte «mindre ensom» i spørreundersøkelsen",
                "Svarte på undersøkelsen",
                D("30"),
                D("60"),
                "Spørreundersøkelse hvert kvartal",
                "bergen-kommune",
                [(12, 34), (17, 38), (21, 40), (25, 41)],
            ),
        ],
    },
    {
        "title": "Leksehjelp-kafé for barn i familier med lav inntekt",
        "owner": "frivilligsentralen-i-voss",
        "partners": [("voss-kommune", "Skolene informerer familiene og låner ut rom")],
        "municipalities": ["4621"],
        "description": "To kvelder i uka får barn leksehjelp av frivillige og et varmt måltid. "
        "Tilbudet er gratis og uten påmelding, for barn i familier med lav inntekt.",
        "themes": ["samspill-og-samarbeid"],
        "focus_areas": ["barn-og-unge", "motvirke-fattigdom"],
        "target_groups": ["utsatte-barn-og-unge"],
        "resources": "Mat fra lokale butikker, rom på skolen, frivillige lærerstudenter.",
        "budget": [("budget", "Mat og materiell", D("60000"), None)],
        "plan": [
            ("milestone", "Avtale med skolene om rom", -200, -190),
            ("activity", "Rekruttere lærerstudenter før høstsemesteret", 60, None),
        ],
        "adopted": True,
        "indicators": [
            (
                "how_much",
                "Kafékvelder holdt",
                "count",
                "higher",
                "month",
                "",
                "",
                D("0"),
                D("8"),
                "Frammøtelisten",
                "owner",
                [6, 7, 8, 8, 7, 8, 8, 8],
            ),
            (
                "how_well",
                "Andel kvelder med minst to voksne frivillige",
                "percent",
                "higher",
                "month",
                "Kvelder med minst to frivillige",
                "Kvelder holdt",
                D("60"),
                D("90"),
                "Frammøtelisten",
                "owner",
                [(4, 6), (5, 7), (7, 8), (7, 8), (6, 7), (8, 8), (7, 8), (8, 8)],
            ),
            (
                "better_off",
                "Andel barn som leverer lekser oftere",
                "percent",
                "higher",
                "quarter",
                "Barn som leverer oftere (kontaktlærers vurdering)",
                "Barn som har vært med",
                D("0"),
                D("50"),
                "Kontaktlærerne",
                "voss-kommune",
                [(4, 18), (8, 21), (11, 22)],
            ),
        ],
    },
    {
        "title": "Turgruppe for alle",
        "owner": "stord-turlag",
        "partners": [],
        "municipalities": ["4614"],
        "description": "Lavterskelturer to ganger i uka for folk som trenger et fellesskap å gå sammen med. "
        "Turledere er frivillige fra turlaget.",
        "themes": ["rekruttering-og-oppfolging"],
        "focus_areas": ["fysisk-aktivitet"],
        "target_groups": ["rus-og-psykisk-helse"],
        "resources": "Frivillige turledere, førstehjelpskurs.",
        "budget": [("budget", "Førstehjelpskurs for turledere", D("15000"), None)],
        "plan": [("milestone", "Seks turledere på plass", -180, -150)],
        "indicators": [
            (
                "how_much",
                "Turer gått",
                "count",
                "higher",
                "month",
                "",
                "",
                D("4"),
                D("9"),
                "Turloggen",
                "owner",
                [8, 7, 6, 6, 5, 5, 4, 5],
            ),
            (
                "how_well",
                "Gjennomsnittlig antall deltakere per tur",
                "score",
                "higher",
                "month",
                "",
                "",
                D("5"),
                D("10"),
                "Turloggen",
                "owner",
                [6, 6, 5, 5, 4, 4, 4, 3],
            ),
            (
                "better_off",
                "Andel deltakere som er mer i aktivitet",
                "percent",
                "higher",
                "quarter",
                "Svarte «mer aktiv enn før»",
                "Svarte på undersøkelsen",
                D("20"),
                D("60"),
                "Spørsmål til deltakerne hvert kvartal",
                "owner",
                [(4, 14), (4, 15), (3, 14)],
            ),
        ],
    },
    {
        "title": "Rekruttering av frivillige blant innvandrere",
        "owner": "vestland-mangfoldsforum",
        "partners": [
            ("bergen-kommune", "Introduksjonsprogrammet informerer deltakerne"),
            ("frivilligsentralen-i-voss", "Tar imot nye frivillige på Voss"),
        ],
        "municipalities": ["4601", "4621"],
        "description": "Informasjonsmøter på flere språk om hva frivillighet er, og følge inn i et første oppdrag "
        "hos en organisasjon som passer.",
        "themes": ["rekruttering-og-oppfolging"],
        "focus_areas": ["integrering-og-inkludering"],
        "target_groups": ["innvandrergrupper"],
        "resources": "Tolker, mentorer, tid fra introduksjonsprogrammet.",
        "budget": [
            ("budget", "Tolker og møtelokaler", D("120000"), None),
            ("contribution", "Tid fra introduksjonsprogrammet", D("80000"), "bergen-kommune"),
        ],
        "plan": [
            ("activity", "Informasjonsmøte på arabisk, tigrinja og ukrainsk", -90, -85),
            ("milestone", "50 nye frivillige i oppdrag", 120, None),
        ],
        "indicators": [
            (
                "how_much",
                "Informasjonsmøter holdt",
                "count",
                "higher",
                "month",
                "",
                "",
                D("0"),
                D("4"),
                "Møteoversikten",
                "owner",
                [2, 3, 3, 4, 4, 3, 4, 4, 5, 4],
            ),
            (
                "how_well",
                "Andel interesserte som fikk svar innen en uke",
                "percent",
                "higher",
                "month",
                "Fikk svar innen en uke",
                "Meldte interesse",
                D("40"),
                D("85"),
                "Påmeldingsskjemaet",
                "owner",
                [(5, 9), (8, 12), (10, 13), (12, 14), (11, 13), (13, 15), (12, 14), (14, 16), (15, 17), (14, 16)],
            ),
            (
                "better_off",
                "Andel nye frivillige som fortsatt er aktive etter tre måneder",
                "percent",
                "higher",
                "quarter",
                "Aktive etter tre måneder",
                "Startet i et oppdrag",
                D("40"),
                D("70"),
                "Organisasjonenes oversikter",
                "owner",
                [(5, 11), (9, 15), (12, 18), (14, 19)],
            ),
        ],
    },
]


def _terms(model: Any, slugs: list[str]) -> list[Any]:
    return list(model.objects.filter(slug__in=slugs))


def _partnership() -> Any:
    if not any(f.name == "partnership" for f in Measure._meta.get_fields()):
        return None
    from django.apps import apps

    model = apps.get_model("partnerships", "Partnership")
    return model.objects.filter(slug__in=PARTNERSHIP_SLUGS).first() or model.objects.order_by("pk").first()


def load() -> None:
    today = timezone.localdate()
    creator = User.objects.filter(email="koordinator@demo.samspill.no").first()
    partnership = _partnership()
    for spec in MEASURES:
        owner = Organisation.objects.filter(slug=spec["owner"]).first()
        if owner is None:
            continue
        measure = Measure.objects.filter(title=spec["title"], owner=owner).first()
        if measure is None:
            measure = _create(spec, owner, creator, today)
        if partnership is not None and getattr(measure, "partnership_id", None) is None:
            measure.partnership = partnership
            measure.save(update_fields=["partnership"])


def _create(spec: dict[str, Any], owner: Organisation, creator: Any, today: date) -> Measure:
    from datetime import timedelta

    adopted = Practice.objects.filter(title=ADOPTED_PRACTICE).first() if spec.get("adopted") else None
    months = max(len(ind[-1]) for ind in spec["indicators"] if ind[4] == "month")
    start = _months_back(today, months)[0]
    measure = Measure.objects.create(
        title=spec["title"],
        description=spec["description"],
        owner=owner,
        status=Measure.Status.ACTIVE,
        start_date=start,
        status_changed_on=start,
        resources_text=spec["resources"],
        is_public=True,
        adopted_practice=adopted,
        created_by=creator,
    )
    measure.municipalities.set(Municipality.objects.filter(number__in=spec["municipalities"]))
    measure.themes.set(_terms(Theme, spec["themes"]))
    measure.focus_areas.set(_terms(FocusArea, spec["focus_areas"]))
    measure.target_groups.set(_terms(TargetGroup, spec["target_groups"]))
    if adopted is not None:
        count_adoption(adopted)
    organisations = {"owner": owner}
    for slug, role in spec["partners"]:
        partner = Organisation.objects.filter(slug=slug).first()
        if partner is not None:
            MeasurePartner.objects.create(measure=measure, organisation=partner, role=role)
            organisations[slug] = partner
    for kind, title, due, done in spec["plan"]:
        PlanItem.objects.create(
            measure=measure,
            kind=kind,
            title=title,
            due_date=today + timedelta(days=due),
            done_date=today + timedelta(days=done) if done is not None else None,
        )
    for kind, description, amount, org_slug in spec["budget"]:
        Resource.objects.create(
            measure=measure, kind=kind, description=description, amount=amount, organisation=organisations.get(org_slug)
        )
    for (
        kind,
        name,
        unit,
        direction,
        period_type,
        num_label,
        den_label,
        base,
        target,
        source,
        responsible,
        values,
    ) in spec["indicators"]:
        starts = (_months_back if period_type == "month" else _quarters_back)(today, len(values))
        indicator = Indicator.objects.create(
            measure=measure,
            kind=kind,
            name=name,
            unit=unit,
            direction=direction,
            period_type=period_type,
            is_ratio=bool(num_label),
            numerator_label=num_label,
            denominator_label=den_label,
            baseline_value=base,
            baseline_date=starts[0] - timedelta(days=1),
            target_value=target,
            target_date=periods.end_of(period_type, starts[-1]) + timedelta(days=180),
            data_source=source,
            responsible=organisations.get(responsible, owner),
        )
        for period_start, raw in zip(starts, values, strict=True):
            numerator: Decimal | None = None
            denominator: Decimal | None = None
            if isinstance(raw, tuple):
                numerator, denominator = D(raw[0]), D(raw[1])
                value = indicator.value_from(numerator, denominator).quantize(D("0.0001"))
            else:
                value = D(raw)
            Measurement.objects.create(
                indicator=indicator,
                period_start=period_start,
                value=value,
                numerator=numerator,
                denominator=denominator,
                entered_by=creator,
                entered_via="import",
            )
    return measure
