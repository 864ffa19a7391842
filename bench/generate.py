"""Fill the benchmark database with realistic, deterministic data.

    python -m bench.generate --scale small|national [--database-url URL] [--reset] [--seed N]

Runs the migrations and ``load_reference_data`` (all real counties, municipalities and
postal codes), then adds organisations spread over all municipalities and people with
memberships:

- ``small``: about 500 organisations and 5 000 people;
- ``national``: 50 000 organisations and 500 000 people, each with one or two memberships.

Every municipality and county also gets its own organisation. Rows are written with
``bulk_create`` in batches; passwords are stored as unusable hashes without hashing per
person. The same seed gives the same data. Without ``--database-url`` the data goes to
``var/bench.sqlite3``; the developer's database is never touched.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from bench.db import configure, drop_database


@dataclass(frozen=True)
class Scale:
    organisations: int
    people: int


SCALES = {
    "small": Scale(organisations=500, people=5_000),
    "national": Scale(organisations=50_000, people=500_000),
}
BATCH = 5_000
EMAIL_DOMAIN = "bench.samspill.test"

# Name patterns: (pattern, ICNPO code, organisation kind slug). {sted} is a postal place or
# the municipality's name, {kommune} the municipality's name.
ORGANISATION_PATTERNS: list[tuple[str, str, str]] = [
    ("{sted} Røde Kors", "4200", "frivillig-organisasjon"),
    ("{sted} Sanitetsforening", "3400", "frivillig-organisasjon"),
    ("{sted} idrettslag", "1200", "frivillig-organisasjon"),
    ("{sted} pensjonistforening", "1300", "frivillig-organisasjon"),
    ("{sted} historielag", "1100", "frivillig-organisasjon"),
    ("{sted} sang- og musikklag", "1100", "frivillig-organisasjon"),
    ("{sted} turlag", "1300", "frivillig-organisasjon"),
    ("{sted} helselag", "3400", "frivillig-organisasjon"),
    ("{sted} demensforening", "3400", "frivillig-organisasjon"),
    ("Mental Helse {sted}", "3300", "frivillig-organisasjon"),
    ("LHL {sted}", "7100", "frivillig-organisasjon"),
    ("Besøksvenner i {sted}", "4100", "frivillig-organisasjon"),
    ("{sted} frivillige besøkstjeneste", "4100", "frivillig-organisasjon"),
    ("{sted} frivillige hjelpekorps", "4200", "frivillig-organisasjon"),
    ("{sted} Kirkens bymisjon", "10100", "frivillig-organisasjon"),
    ("{sted} vel", "6100", "frivillig-organisasjon"),
    ("{sted} 4H", "13100", "frivillig-organisasjon"),
    ("{sted} speidergruppe", "13100", "frivillig-organisasjon"),
    ("Leksehjelpen {sted}", "2300", "frivillig-organisasjon"),
    ("Inkluderingsnettverket {sted}", "14100", "frivillig-organisasjon"),
    ("{sted} seniornett", "2300", "frivillig-organisasjon"),
    ("{sted} dyrevernforening", "5200", "frivillig-organisasjon"),
    ("{sted} bygdekvinnelag", "6100", "frivillig-organisasjon"),
    ("Frivilligsentralen i {kommune}", "8200", "frivilligsentral"),
    ("{sted} frivilligsentral", "8200", "frivilligsentral"),
    ("{sted} omsorgsstiftelse", "8100", "annet"),
]
DESCRIPTIONS = [
    "Vi samler frivillige som vil gjøre en forskjell i nærmiljøet.",
    "Besøksvenner, turgrupper og møteplasser for eldre og andre som kjenner seg ensomme.",
    "Aktiviteter for barn og unge hver uke, drevet av frivillige.",
    "Vi tilbyr leksehjelp, språkkafé og digital hjelp for alle som trenger det.",
    "Beredskap, førstehjelp og sosialt arbeid i kommunen.",
    "",
]
FIRST_NAMES = [
    "Anne",
    "Inger",
    "Kari",
    "Marit",
    "Ingrid",
    "Liv",
    "Eva",
    "Berit",
    "Astrid",
    "Bjørg",
    "Hilde",
    "Anna",
    "Solveig",
    "Marianne",
    "Randi",
    "Ida",
    "Nina",
    "Maria",
    "Elisabeth",
    "Kristin",
    "Jan",
    "Per",
    "Bjørn",
    "Ole",
    "Lars",
    "Kjell",
    "Knut",
    "Arne",
    "Svein",
    "Thomas",
    "Hans",
    "Geir",
    "Tor",
    "Morten",
    "Terje",
    "Odd",
    "Erik",
    "Martin",
    "Andreas",
    "John",
    "Ahmed",
    "Fatima",
    "Olena",
    "Piotr",
    "Agnieszka",
    "Mohammed",
    "Aisha",
    "Tomas",
    "Sunniva",
    "Håkon",
    "Øystein",
    "Åse",
    "Ørjan",
]
LAST_NAMES = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Jakobsen",
    "Moen",
    "Gundersen",
    "Iversen",
    "Strand",
    "Solberg",
    "Svendsen",
    "Eide",
    "Knutsen",
    "Martinsen",
    "Paulsen",
    "Bakken",
    "Kristoffersen",
    "Mathisen",
    "Lie",
    "Amundsen",
    "Nguyen",
    "Rasmussen",
    "Ali",
    "Lunde",
    "Solheim",
    "Berge",
    "Moe",
    "Nygård",
    "Bakke",
    "Kowalski",
    "Ahmadi",
    "Øvrebø",
    "Ås",
    "Ødegård",
]

T = TypeVar("T")


class Progress:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def say(self, message: str) -> None:
        print(f"[{time.perf_counter() - self.start:7.1f} s] {message}", flush=True)


def batched(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def org_number(rng: random.Random) -> str:
    """A random organisation number with a valid MOD11 check digit."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        digits = [rng.choice("89")] + [rng.choice(string.digits) for _ in range(7)]
        remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            return "".join(digits) + str(check)


def ascii_local_part(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", " ": "."})
    return text.lower().translate(table)


def has_generated_data() -> bool:
    from samspill.accounts.models import User

    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists()


def generate(scale: Scale, seed: int, progress: Progress) -> dict[str, int]:
    from django.db import transaction
    from django.utils.text import slugify

    from samspill.accounts.models import User
    from samspill.organisations.models import Membership, Organisation, Role
    from samspill.places.models import County, Municipality, PostalCode
    from samspill.taxonomy.models import OrganisationCategory, OrganisationKind

    rng = random.Random(seed)
    kinds = {k.slug: k for k in OrganisationKind.objects.all()}
    categories = {c.code: c for c in OrganisationCategory.objects.all()}
    municipalities = list(Municipality.objects.select_related("county").order_by("number"))
    counties = list(County.objects.order_by("number"))
    places_by_municipality: dict[int, list[str]] = {}
    for code in PostalCode.objects.exclude(municipality=None).order_by("code"):
        name = code.place_name.title()
        places = places_by_municipality.setdefault(code.municipality_id, [])  # type: ignore[arg-type]
        if name not in places:
            places.append(name)
    by_county: dict[int, list[Any]] = {}
    for m in municipalities:
        by_county.setdefault(m.county_id, []).append(m)

    slugs: set[str] = set(Organisation.objects.values_list("slug", flat=True))
    org_numbers: set[str] = {n for n in Organisation.objects.values_list("org_number", flat=True) if n}

    def unique_slug(name: str) -> str:
        base = slugify(name)[:200] or "organisasjon"
        slug, n = base, 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        return slug

    def unique_org_number() -> str:
        while True:
            number = org_number(rng)
            if number not in org_numbers:
                org_numbers.add(number)
                return number

    def new_org(name: str, kind: str, **fields: Any) -> Organisation:
        org = Organisation(
            name=name, slug=unique_slug(name), kind=kinds[kind], org_number=unique_org_number(), **fields
        )
        org.refresh_search_fields()
        return org

    # The places' own organisations (the municipality and the county council).
    own = []
    for county in counties:
        if not Organisation.objects.filter(governs_county=county).exists():
            own.append(new_org(f"{county.name} fylkeskommune", "fylkeskommune", governs_county=county))
    for m in municipalities:
        if not Organisation.objects.filter(governs_municipality=m).exists():
            own.append(
                new_org(f"{m.name} kommune", "kommune", governs_municipality=m, home_municipality=m, website=m.website)
            )
    with transaction.atomic():
        Organisation.objects.bulk_create(own, batch_size=BATCH)
    progress.say(f"{len(own)} organisations of municipalities and counties")

    # Voluntary organisations: every municipality gets at least one, the rest follow population.
    weights = [max(m.population or 0, 200) for m in municipalities]
    homes = list(municipalities) + rng.choices(municipalities, weights=weights, k=max(scale.organisations - 357, 0))
    homes = homes[: scale.organisations]
    rng.shuffle(homes)
    organisations: list[Organisation] = []
    for i, home in enumerate(homes):
        pattern, category_code, kind = rng.choice(ORGANISATION_PATTERNS)
        sted = rng.choice(places_by_municipality.get(home.pk) or [home.name])
        name = pattern.format(sted=sted, kommune=home.name)
        org = new_org(
            name,
            kind,
            home_municipality=home,
            category=categories[category_code] if rng.random() < 0.9 else None,
            description=rng.choice(DESCRIPTIONS),
            email=f"post{i}@{EMAIL_DOMAIN}" if rng.random() < 0.7 else "",
            phone=f"{rng.randrange(40_000_000, 99_999_999)}" if rng.random() < 0.5 else "",
        )
        if rng.random() > 0.6:
            org.org_number = None
        organisations.append(org)
    for chunk in batched(organisations, BATCH):
        with transaction.atomic():
            Organisation.objects.bulk_create(chunk, batch_size=BATCH)
    progress.say(f"{len(organisations)} voluntary organisations")

    # One in five also serves one to five neighbouring municipalities in its county.
    served_model = Organisation.municipalities_served.through
    served = []
    for org in organisations:
        if rng.random() < 0.2 and org.home_municipality is not None:
            neighbours = by_county[org.home_municipality.county_id]
            for m in rng.sample(neighbours, k=min(len(neighbours), rng.randint(1, 5))):
                if m.pk != org.home_municipality_id:
                    served.append(served_model(organisation_id=org.pk, municipality_id=m.pk))
    for links in batched(served, BATCH):
        with transaction.atomic():
            served_model.objects.bulk_create(links, batch_size=BATCH)
    progress.say(f"{len(served)} served-municipality links")

    # People. An unusable password is "!" followed by random characters, as Django writes it.
    alphabet = string.ascii_letters + string.digits
    done = 0
    org_ids = [o.pk for o in own + organisations]
    roles = [Role.MEMBER] * 17 + [Role.COORDINATOR] * 2 + [Role.ADMIN]
    memberships_total = 0
    while done < scale.people:
        count = min(BATCH, scale.people - done)
        users = []
        for n in range(done, done + count):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            users.append(
                User(
                    email=f"{ascii_local_part(first)}.{ascii_local_part(last)}.{n}@{EMAIL_DOMAIN}",
                    name=f"{first} {last}",
                    password="!" + "".join(rng.choices(alphabet, k=40)),
                )
            )
        memberships = []
        with transaction.atomic():
            created = User.objects.bulk_create(users, batch_size=BATCH)
            for user in created:
                for organisation_id in rng.sample(org_ids, k=1 if rng.random() < 0.6 else 2):
                    memberships.append(
                        Membership(user_id=user.pk, organisation_id=organisation_id, role=rng.choice(roles))
                    )
            Membership.objects.bulk_create(memberships, batch_size=BATCH)
        memberships_total += len(memberships)
        done += count
        if done % 50_000 == 0 or done == scale.people:
            progress.say(f"{done} people, {memberships_total} memberships")
    return {
        "organisations": len(own) + len(organisations),
        "served": len(served),
        "people": done,
        "memberships": memberships_total,
    }


def analyse() -> None:
    """Refresh the planner's statistics after a bulk load, as an operator would."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--database-url", help="default: sqlite file var/bench.sqlite3")
    parser.add_argument("--reset", action="store_true", help="delete the benchmark database first")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    return run(args.scale, args.database_url, reset=args.reset, seed=args.seed)


def run(scale_name: str, database_url: str | None, *, reset: bool, seed: int = 2026) -> int:
    progress = Progress()
    if reset:
        drop_database(database_url)
    label = configure(database_url)
    progress.say(f"database {label}, scale {scale_name}")

    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference_data", verbosity=0)
    progress.say("migrated and loaded reference data")
    if has_generated_data():
        print("The benchmark database already has generated data; use --reset to start again.", file=sys.stderr)
        return 1
    counts = generate(SCALES[scale_name], seed, progress)
    analyse()
    progress.say("done: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
