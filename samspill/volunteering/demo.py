"""Opportunities for every demo organisation, with shifts in the coming weeks.

Some shifts are full with a wait list, some opportunities need a police certificate (with
the basis in politiregisterforskriften § 34-1), and the demo volunteer
(frivillig@demo.samspill.no) has confirmed and wait-listed sign-ups and one interest waiting
for an answer. Shifts are placed relative to today; loading again adds nothing that exists.
"""

from __future__ import annotations

import contextlib
import zoneinfo
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from samspill.accounts.models import User
from samspill.organisations.models import Organisation
from samspill.places.models import PostalCode
from samspill.taxonomy.models import FocusArea, TargetGroup
from samspill.volunteering import services
from samspill.volunteering.models import Opportunity, Shift, ShiftSeries, SignUp

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
VOLUNTEER = "frivillig@demo.samspill.no"

# People a coordinator added by hand (walk-ins), used to fill the full shifts.
WALK_INS = [
    ("Astrid Berge", "astrid.berge@example.no"),
    ("Jonas Haugland", "jonas.haugland@example.no"),
    ("Sara Ahmed", "sara.ahmed@example.no"),
    ("Ole Kristiansen", "ole.kristiansen@example.no"),
    ("Ingrid Solheim", "ingrid.solheim@example.no"),
    ("Mohammed Ali", "mohammed.ali@example.no"),
]

# slug → list of (title, form, description, focus areas, target groups, police basis, confidentiality,
#               minimum age, languages, plan) where plan is "series", "shifts", "full" or "ongoing".
PLANS: dict[str, list[tuple]] = {
    "frivilligsentralen-i-voss": [
        (
            "Leksehjelp for barn på biblioteket",
            "regular",
            "Hjelp barn i 1.–7. klasse med lekser hver onsdag. Vi har kaffe, kjeks og en fast koordinator til stede.",
            ["barn-og-unge"],
            ["utsatte-barn-og-unge"],
            "minors",
            True,
            18,
            ["nb"],
            "series",
        ),
        (
            "Digital hjelp for eldre",
            "drop_in",
            "Eldre kommer innom med telefon og nettbrett. Du hjelper med nettbank, helsenorge.no og videosamtaler.",
            ["grupper-som-faller-utenfor"],
            ["eldre"],
            "",
            False,
            16,
            [],
            "full",
        ),
        (
            "Besøksvenn på Voss",
            "regular",
            "Bli besøksvenn for en eldre som bor alene. Dere avtaler selv når dere møtes, gjerne en time i uka.",
            ["grupper-som-faller-utenfor"],
            ["eldre"],
            "",
            True,
            18,
            ["nb", "nn"],
            "ongoing",
        ),
    ],
    "besoksvenner-bergen": [
        (
            "Besøksvenn på sykehjem",
            "regular",
            "Besøk beboere på Fyllingsdalen sykehjem en time i uka: prat, kortspill, en tur i hagen.",
            ["grupper-som-faller-utenfor"],
            ["eldre"],
            "",
            True,
            18,
            ["nb"],
            "series",
        ),
        (
            "Julemiddag for eldre",
            "event",
            "Vi dekker på til 80 gjester i Bergen sentrum. Trenger folk til servering, oppvask og vertskap.",
            ["grupper-som-faller-utenfor"],
            ["eldre"],
            "",
            False,
            16,
            [],
            "full",
        ),
    ],
    "stord-turlag": [
        (
            "Turvenn på lavterskelturer",
            "regular",
            "Gå sammen med deltakere som trenger et fellesskap på tur, i samarbeid med kommunens psykiske helsetjeneste.",
            ["fysisk-aktivitet"],
            ["rus-og-psykisk-helse"],
            "",
            True,
            18,
            [],
            "series",
        ),
        (
            "Dugnad på turstiene – for bedrifter",
            "group",
            "Ta med kollegaene og rydd stier på Stord en ettermiddag. Vi stiller med verktøy og mat.",
            ["fysisk-aktivitet"],
            [],
            "",
            False,
            None,
            [],
            "shifts",
        ),
    ],
    "bergen-idrettslag-for-alle": [
        (
            "Trener for barn som faller utenfor",
            "regular",
            "Vær med og led gratis trening for barn 8–12 år. Du trenger ikke trenerkurs – vi lærer deg opp.",
            ["barn-og-unge", "fysisk-aktivitet"],
            ["utsatte-barn-og-unge"],
            "minors",
            True,
            18,
            ["nb"],
            "full",
        ),
    ],
    "vestland-mangfoldsforum": [
        (
            "Språkkafé med helseinformasjon",
            "drop_in",
            "Samtaler på norsk over en kopp kaffe. Helsesykepleier er med annenhver gang.",
            ["integrering-og-inkludering"],
            ["innvandrergrupper"],
            "",
            False,
            16,
            ["nb", "ar", "uk", "so"],
            "series",
        ),
        (
            "Digital mentor for nyankomne",
            "remote",
            "Følg opp en nyankommen med en videosamtale i uka de første tre månedene.",
            ["integrering-og-inkludering"],
            ["innvandrergrupper"],
            "",
            True,
            18,
            ["nb", "en"],
            "ongoing",
        ),
    ],
    "gatefellesskapet-bergen": [
        (
            "Suppekjøkken fredag kveld",
            "drop_in",
            "Lag og server varm mat til gjestene våre. Erfarne frivillige er alltid på vakt sammen med deg.",
            ["motvirke-fattigdom", "sunn-mat"],
            ["rus-og-psykisk-helse"],
            "",
            True,
            18,
            [],
            "series",
        ),
        (
            "Støttekontakt for person med utviklingshemming",
            "regular",
            "Bli med en voksen med utviklingshemming på kino, tur eller kafé et par ganger i måneden.",
            ["grupper-som-faller-utenfor"],
            [],
            "intellectual_disability",
            True,
            18,
            ["nb"],
            "ongoing",
        ),
    ],
    "bergen-kommune": [
        (
            "Aktivitetsvenn for personer med demens",
            "regular",
            "Bergen kommune kobler deg med en person med demens for turer og aktiviteter dere liker begge.",
            ["grupper-som-faller-utenfor"],
            ["eldre", "kroniske-lidelser"],
            "",
            True,
            18,
            ["nb"],
            "ongoing",
        ),
        (
            "Frivillighetens dag i Bergen",
            "event",
            "Stå på stand på Torgallmenningen og fortell om frivillighet i Bergen.",
            [],
            [],
            "",
            False,
            None,
            [],
            "shifts",
        ),
    ],
    "voss-kommune": [
        (
            "Matombringing til hjemmeboende",
            "regular",
            "Kjør middag ut til hjemmeboende eldre på Voss. Du trenger førerkort og egen bil.",
            ["sunn-mat"],
            ["eldre"],
            "",
            True,
            20,
            [],
            "series",
        ),
    ],
    "stord-kommune": [
        (
            "Vert på Frivilligbørsen på Stord",
            "event",
            "Ta imot besøkende og vis dem til rett stand på årets frivilligbørs.",
            [],
            [],
            "",
            False,
            None,
            [],
            "shifts",
        ),
    ],
    "vestland-fylkeskommune": [
        (
            "Ungdomspanel for folkehelse",
            "remote",
            "Gi råd til fylkeskommunen om folkehelsetiltak for unge, på digitale møter fire ganger i året.",
            ["barn-og-unge"],
            ["utsatte-barn-og-unge"],
            "",
            False,
            15,
            [],
            "shifts",
        ),
    ],
    "helse-og-omsorgsdepartementet": [
        (
            "Innspillsmøte om frivillighetsstrategien",
            "remote",
            "Digitalt innspillsmøte der frivillige forteller hva som gjør det lett og vanskelig å bidra.",
            [],
            [],
            "",
            False,
            None,
            [],
            "shifts",
        ),
    ],
    "ks": [
        (
            "Erfaringsdeling: frivillighetskoordinatorer",
            "remote",
            "Del erfaringer med andre frivillige og koordinatorer i et digitalt nettverksmøte.",
            [],
            [],
            "",
            False,
            None,
            [],
            "shifts",
        ),
    ],
    "frivillighet-norge": [
        (
            "Frivillig på Frivillighetens år-konferansen",
            "event",
            "Vær vert, rigg og ta imot deltakere på konferansen.",
            [],
            [],
            "",
            False,
            18,
            ["nb", "en"],
            "full",
        ),
    ],
}


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute)).replace(tzinfo=OSLO)


def _opportunity(organisation: Organisation, plan: tuple, contact: User | None) -> Opportunity:
    title, form, description, focus, groups, basis, confidentiality, age, languages, _kind = plan
    home = organisation.home_municipality or (
        organisation.governs_municipality if organisation.governs_municipality_id else None
    )
    postal = PostalCode.objects.filter(municipality=home).order_by("code").first() if home else None
    opportunity, _ = Opportunity.objects.update_or_create(
        organisation=organisation,
        title=title,
        defaults={
            "form": form,
            "description": description,
            "municipality": None if form == "remote" else home,
            "postal_code": None if form == "remote" else postal,
            "address": "" if form == "remote" else f"{organisation.name}, {home.name if home else ''}".strip(", "),
            "requires_police_certificate": bool(basis),
            "police_certificate_basis": basis,
            "requires_confidentiality": confidentiality,
            "minimum_age": age,
            "languages": languages,
            "status": Opportunity.Status.PUBLISHED,
            "contact_person": contact,
        },
    )
    opportunity.focus_areas.set(FocusArea.objects.filter(slug__in=focus))
    opportunity.target_groups.set(TargetGroup.objects.filter(slug__in=groups))
    return opportunity


def _series(opportunity: Opportunity, weekday: int, capacity: int) -> None:
    today = timezone.localdate()
    series = ShiftSeries.objects.filter(opportunity=opportunity, weekday=weekday).first() or ShiftSeries(
        opportunity=opportunity, weekday=weekday, starts_at_time=time(17, 0), ends_at_time=time(19, 0)
    )
    series.valid_from = min(series.valid_from, today) if series.pk else today
    series.valid_until = today + timedelta(days=42)
    series.place = series.place or opportunity.address
    series.capacity = capacity
    # One exception, to show how holidays are left out.
    exception = today + timedelta(days=(weekday - today.weekday()) % 7 + 21)
    series.exception_dates = [exception.isoformat()]
    series.save()
    services.generate_shifts(series)


def _shift(opportunity: Opportunity, starts_at: datetime, hours: int, capacity: int) -> Shift:
    shift = Shift.objects.filter(opportunity=opportunity, starts_at=starts_at).first()
    if shift is None:
        shift = Shift.objects.create(
            opportunity=opportunity,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            place=opportunity.address,
            capacity=capacity,
        )
    return shift


def _fill(shift: Shift, people: int, added_by: User | None) -> None:
    """Fill ``shift`` to capacity and put ``people - capacity`` walk-ins on its wait list."""
    for name, email in WALK_INS[:people]:
        if not SignUp.objects.active().filter(shift=shift, email__iexact=email).exists():
            services.sign_up(shift=shift, name=name, email=email, added_by=added_by)


def _join(user: User, *, shift: Shift | None = None, opportunity: Opportunity | None = None) -> None:
    with contextlib.suppress(services.SignUpError):  # already signed up on an earlier load
        services.sign_up(shift=shift, opportunity=opportunity, user=user)


def load() -> None:
    volunteer = User.objects.filter(email=VOLUNTEER).first()
    for slug, plans in PLANS.items():
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            continue
        contact = User.objects.filter(memberships__organisation=organisation).order_by("pk").first()
        for index, plan in enumerate(plans):
            with transaction.atomic():
                opportunity = _opportunity(organisation, plan, contact)
                kind = plan[-1]
                if kind == "series":
                    _series(opportunity, weekday=(index + 2) % 5, capacity=4)
                elif kind == "shifts":
                    for week in (1, 3):
                        _shift(opportunity, _at(7 * week + index, 10), 3, capacity=8)
                elif kind == "full":
                    full = _shift(opportunity, _at(5 + index, 18), 3, capacity=3)
                    _fill(full, people=5, added_by=contact)
                    _shift(opportunity, _at(12 + index, 18), 3, capacity=6)
    if volunteer is None:
        return
    _demo_volunteer(volunteer)


def _demo_volunteer(volunteer: User) -> None:
    """Confirmed on two shifts, third in line on a full one, and interest waiting for an answer."""
    voss = Opportunity.objects.filter(organisation__slug="frivilligsentralen-i-voss")
    homework = voss.filter(title__startswith="Leksehjelp").first()
    digital = voss.filter(title__startswith="Digital hjelp").first()
    visiting = voss.filter(title__startswith="Besøksvenn").first()
    cafe = Opportunity.objects.filter(title__startswith="Språkkafé").first()
    if homework is not None:
        first = homework.shifts.upcoming().first()
        if first is not None:
            _join(volunteer, shift=first)
    if cafe is not None:
        second = cafe.shifts.upcoming().first()
        if second is not None:
            _join(volunteer, shift=second)
    if digital is not None:
        full = digital.shifts.upcoming().order_by("capacity", "starts_at").first()
        if full is not None:
            _join(volunteer, shift=full)
    if visiting is not None:
        _join(volunteer, opportunity=visiting)
