"""Demo organisations and people: the national bodies behind the seed-000 call, Vestland county
with three of its municipalities, six voluntary organisations and one person per role.

Coordinators and admins in public bodies need two-step login to use their rights, so their
demo accounts get a fixed TOTP secret (printed by ``print_demo_logins``).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings

from samspill.accounts.models import User
from samspill.core.text import norwegian_slugify
from samspill.organisations.models import Membership, Organisation, Role
from samspill.places.models import County, Municipality
from samspill.taxonomy.models import OrganisationCategory, OrganisationKind


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    description: str
    organisation_slug: str | None = None
    role: str | None = None
    totp: bool = False
    superuser: bool = False

    @property
    def totp_secret(self) -> str:
        if not self.totp:
            return ""
        # Stable per person, so the secret in the authenticator app survives a re-run.
        return base64.b32encode(self.email.encode().ljust(20, b"-")[:20]).decode()


DEMO_PEOPLE = [
    DemoPerson("admin@demo.samspill.no", "Ada Driftsen", "nettstedsadministrator (Django admin)", superuser=True),
    DemoPerson(
        "redaktor@demo.samspill.no",
        "Nora Nasjonal",
        "nasjonal redaktør i Helse- og omsorgsdepartementet",
        "helse-og-omsorgsdepartementet",
        Role.COORDINATOR,
        totp=True,
    ),
    DemoPerson(
        "radgiver@demo.samspill.no",
        "Frida Fylke",
        "folkehelserådgiver i Vestland fylkeskommune",
        "vestland-fylkeskommune",
        Role.COORDINATOR,
        totp=True,
    ),
    DemoPerson(
        "koordinator@demo.samspill.no",
        "Kari Kommune",
        "frivillighetskoordinator i Bergen kommune",
        "bergen-kommune",
        Role.COORDINATOR,
        totp=True,
    ),
    DemoPerson(
        "leder@demo.samspill.no",
        "Leif Lagleder",
        "administrator i Frivilligsentralen i Voss",
        "frivilligsentralen-i-voss",
        Role.ADMIN,
    ),
    DemoPerson(
        "medlem@demo.samspill.no", "Mona Medlem", "medlem i Besøksvenner Bergen", "besoksvenner-bergen", Role.MEMBER
    ),
    DemoPerson("frivillig@demo.samspill.no", "Fredrik Frivillig", "frivillig uten rolle i en organisasjon"),
]

NATIONAL_BODIES = [
    # (name, slug, organisation number or "", description) — the three bodies behind the seed-000 call.
    (
        "Helse- og omsorgsdepartementet",
        "helse-og-omsorgsdepartementet",
        "983887406",
        "Departementet har ansvar for helse- og omsorgspolitikken og står bak arbeidet med en nasjonal "
        "strategi for frivillig arbeid på helse- og omsorgsfeltet.",
    ),
    ("KS", "ks", "971032146", "Kommunesektorens organisasjon, medarbeider i arbeidet med frivillighetsstrategien."),
    (
        "Frivillighet Norge",
        "frivillighet-norge",
        "",
        "Samarbeidsforum for frivillige organisasjoner, medarbeider i arbeidet med frivillighetsstrategien.",
    ),
]

VESTLAND_MUNICIPALITIES = ["4601", "4621", "4614"]  # Bergen, Voss, Stord

VOLUNTARY = [
    # (name, slug, kind, ICNPO code, home municipality, served, description)
    (
        "Frivilligsentralen i Voss",
        "frivilligsentralen-i-voss",
        OrganisationKind.VOLUNTEER_CENTRE,
        "8200",
        "4621",
        [],
        "Møteplass for frivillige på Voss: besøksvenner, turgrupper, leksehjelp og digital hjelp for eldre.",
    ),
    (
        "Besøksvenner Bergen",
        "besoksvenner-bergen",
        OrganisationKind.VOLUNTARY,
        "4100",
        "4601",
        ["4631", "4627"],
        "Frivillige som besøker eldre og ensomme hjemme og på sykehjem, en time i uka.",
    ),
    (
        "Stord Turlag",
        "stord-turlag",
        OrganisationKind.VOLUNTARY,
        "1300",
        "4614",
        [],
        "Turgrupper for alle, også lavterskelturer for folk som trenger et fellesskap å gå sammen med.",
    ),
    (
        "Bergen Idrettslag for alle",
        "bergen-idrettslag-for-alle",
        OrganisationKind.VOLUNTARY,
        "1200",
        "4601",
        [],
        "Gratis trening for barn og unge som faller utenfor organisert idrett.",
    ),
    (
        "Vestland Mangfoldsforum",
        "vestland-mangfoldsforum",
        OrganisationKind.VOLUNTARY,
        "14100",
        "4601",
        ["4621", "4614"],
        "Språkkafé, mentorordning og nettverk for innvandrere i Vestland.",
    ),
    (
        "Gatefellesskapet Bergen",
        "gatefellesskapet-bergen",
        OrganisationKind.OTHER,
        "4200",
        "4601",
        [],
        "Lavterskel møteplass og krisehjelp for mennesker med rus- og psykiske helseutfordringer.",
    ),
]


def _organisation(*, slug: str, **fields) -> Organisation:
    served = fields.pop("served", [])
    organisation = Organisation.objects.filter(slug=slug).first() or Organisation(slug=slug)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.refresh_search_fields()
    organisation.save()
    if served:
        organisation.municipalities_served.set(Municipality.objects.filter(number__in=served))
    return organisation


def _person(person: DemoPerson) -> User:
    user = User.objects.filter(email=person.email).first()
    if user is None:
        user = User(email=person.email, name=person.name, is_staff=person.superuser, is_superuser=person.superuser)
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=person.email, defaults={"verified": True, "primary": True})
    if person.totp:
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP

        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, person.totp_secret)
    if person.organisation_slug:
        organisation = Organisation.objects.get(slug=person.organisation_slug)
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": person.role or Role.MEMBER}
        )
    return user


def load() -> None:
    kinds = {k.slug: k for k in OrganisationKind.objects.all()}
    categories = {c.code: c for c in OrganisationCategory.objects.all()}
    for name, slug, number, description in NATIONAL_BODIES:
        _organisation(
            slug=slug,
            name=name,
            kind=kinds[OrganisationKind.NATIONAL],
            org_number=number or None,
            description=description,
        )
    vestland = County.objects.get(number="46")
    _organisation(
        slug="vestland-fylkeskommune",
        name="Vestland fylkeskommune",
        kind=kinds[OrganisationKind.COUNTY],
        governs_county=vestland,
        website="https://www.vestlandfylke.no",
        description="Fylkeskommunen leder det regionale partnerskapet for frivillighet og folkehelse.",
    )
    for number in VESTLAND_MUNICIPALITIES:
        municipality = Municipality.objects.get(number=number)
        _organisation(
            slug=f"{norwegian_slugify(municipality.name)}-kommune",
            name=f"{municipality.name} kommune",
            kind=kinds[OrganisationKind.MUNICIPALITY],
            governs_municipality=municipality,
            home_municipality=municipality,
            website=municipality.website_url,
            description=f"{municipality.name} kommune samarbeider med frivilligheten om helse og omsorg.",
        )
    for name, slug, kind, category, home, served, description in VOLUNTARY:
        _organisation(
            slug=slug,
            name=name,
            kind=kinds[kind],
            category=categories[category],
            home_municipality=Municipality.objects.get(number=home),
            served=served,
            description=description,
            email=f"post@{slug}.example.no",
        )
    for person in DEMO_PEOPLE:
        _person(person)
