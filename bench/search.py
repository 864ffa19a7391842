"""Benchmark the catalogue search: index build, index size and query latency.

    python -m bench.search [--practices 10000] [--runs 40] [--database-url URL]

Generates N published practices the first time (slug prefix ``bench-sok-``; deterministic,
seed 2026; a different N replaces them): a title from templates with a place name, a summary
and a body of 6–14 realistic Norwegian sentences (about 1 200 characters), 1–2 themes, 1–3
target groups, 1–2 municipalities, an evidence level and an adoption count. Then it rebuilds
the search index (timed), reports its size (PostgreSQL: ``pg_relation_size`` of the table
and each index; SQLite: the FTS5 tables' pages from ``dbstat``) and times ``search()`` as
the catalogue calls it (count, first page of 20, facet counts for all seven facets,
snippets) for each query type: p50 and p95 over ``--runs`` queries, words rotating.
The index size includes the facet table (``practices_searchfacet`` and its indexes) and, on
PostgreSQL, the vocabulary (``practices_searchword``). Before timing, the tables are
vacuumed and analysed as autovacuum would (PostgreSQL) or analysed (SQLite).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta

from bench.db import configure
from bench.generate import Progress

PREFIX = "bench-sok-"
TITLES = [
    "Besøksvenn for eldre i {sted}",
    "Frivilligsentralen i {sted} koordinerer frivillige",
    "Hverdagsrehabilitering i {sted}",
    "Pårørendeskole for demens i {sted}",
    "Digital hjemmeoppfølging i {sted}",
    "Helsestasjon for ungdom i {sted}",
    "Møteplass mot ensomhet i {sted}",
    "Fallforebygging for seniorer i {sted}",
    "Lavterskeltilbud innen rus og psykisk helse i {sted}",
    "Bedre samhandling om helsetjenestene i {sted}",
    "Turvenn og aktivitetsvenn i {sted}",
    "Trygghetsalarm og velferdsteknologi i {sted}",
    "Familieteam for barnefamilier i {sted}",
    "Middag til hjemmeboende i {sted}",
]
SENTENCES = [
    "Vi rekrutterte frivillige gjennom lokalavisen, sosiale medier og frivilligsentralen.",
    "Tiltaket ble til i samarbeid mellom kommunens hjemmetjeneste og to lokale lag.",
    "Mange eldre som bor alene sa at de savnet noen å snakke med i hverdagen.",
    "De frivillige fikk opplæring, taushetserklæring og en fast kontaktperson i kommunen.",
    "Vi møtes hver onsdag, og terskelen for å bli med er lav.",
    "Kommunen stilte med lokaler og dekket utgifter til kaffe og transport.",
    "Etter ett år har over førti personer deltatt jevnlig.",
    "Deltakerne forteller at de kjenner seg mindre ensomme og mer trygge.",
    "Det viktigste vi har lært er å følge opp de frivillige tett i starten.",
    "Vi har delt erfaringene med nabokommunene, og to av dem har startet opp.",
    "Fastlegen, hjemmesykepleien og sykehuset har faste dialogmøter om pasientene.",
    "Personer med demens og deres pårørende får avlastning og støtte.",
    "Ungdom som står i fare for å falle ut av skolen får tett oppfølging.",
    "Ergoterapeut og fysioterapeut trener brukeren i daglige gjøremål hjemme.",
    "Velferdsteknologi gir tryggere hverdager og færre unødvendige besøk.",
    "Helsesykepleier og psykolog gir råd om psykisk helse uten timeavtale.",
    "Kirkens Bymisjon og Røde Kors driver tilbudet sammen med kommunen.",
    "Tilbudet ble evaluert av en høgskole, med gode resultater for livskvalitet.",
]
QUERIES = {
    "one word": ["demens", "frivillige", "ensomhet", "rehabilitering", "pårørende", "velferdsteknologi"],
    "two words": ["frivillige eldre", "demens pårørende", "psykisk helse", "ungdom skolen", "fastlege sykehus"],
    "two words + two facets": ["frivillige eldre", "demens pårørende", "psykisk helse", "ungdom skolen"],
    "typo": ["frivilig", "ensomhett", "demenss", "rehabiliterng"],
    "compound part": ["venn", "tjenestene", "teknologi", "alarm"],
}


def generate(n: int, progress: Progress, seed: int = 2026) -> None:
    from django.db import transaction
    from django.utils import timezone

    from samspill.places.models import Municipality
    from samspill.practices.models import Practice
    from samspill.taxonomy.models import TargetGroup, Theme

    if Practice.objects.filter(slug__startswith=PREFIX).count() == n:
        progress.say(f"{n} benchmark practices already there")
        return
    Practice.objects.filter(slug__startswith=PREFIX).delete()
    rng = random.Random(seed)
    themes = list(Theme.objects.values_list("pk", flat=True))
    groups = list(TargetGroup.objects.values_list("pk", flat=True))
    places = list(Municipality.objects.values_list("pk", "name"))
    evidence = ["described"] * 6 + ["measured"] * 3 + ["evaluated"]
    now = timezone.now()
    batch = 2000
    for start in range(0, n, batch):
        practices = []
        for i in range(start, min(n, start + batch)):
            place = rng.choice(places)[1]
            sentences = rng.sample(SENTENCES, rng.randint(6, 14))
            practices.append(
                Practice(
                    slug=f"{PREFIX}{i}",
                    title=rng.choice(TITLES).format(sted=place),
                    summary=" ".join(sentences[:2]),
                    what=" ".join(sentences[2:5]),
                    how=" ".join(sentences[5:]),
                    status="published",
                    published_at=now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60)),
                    evidence_level=rng.choice(evidence),
                    adoption_count=int(rng.expovariate(0.5)),
                )
            )
        with transaction.atomic():
            created = Practice.objects.bulk_create(practices)
            theme_rows, group_rows, place_rows = [], [], []
            for p in created:
                theme_rows += [
                    Practice.themes.through(practice_id=p.pk, theme_id=t) for t in rng.sample(themes, rng.randint(1, 2))
                ]
                group_rows += [
                    Practice.target_groups.through(practice_id=p.pk, targetgroup_id=g)
                    for g in rng.sample(groups, rng.randint(1, 3))
                ]
                place_rows += [
                    Practice.municipalities.through(practice_id=p.pk, municipality_id=m[0])
                    for m in rng.sample(places, rng.randint(1, 2))
                ]
            Practice.themes.through.objects.bulk_create(theme_rows)
            Practice.target_groups.through.objects.bulk_create(group_rows)
            Practice.municipalities.through.objects.bulk_create(place_rows)
        progress.say(f"generated {min(n, start + batch)} practices")


def index_size() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # rebuild_index() deletes and reinserts; measure the table as a fresh build leaves it.
            cursor.execute("VACUUM FULL ANALYZE practices_searchdoc")
            cursor.execute("VACUUM FULL ANALYZE practices_searchrow")
            cursor.execute("VACUUM FULL ANALYZE practices_searchbits")
            cursor.execute("VACUUM FULL ANALYZE practices_searchfacet")
            # The steady state autovacuum keeps: statistics and visibility map current.
            cursor.execute(
                "VACUUM ANALYZE practices_searchrow, practices_searchbits, practices_searchlexeme,"
                " practices_searchfacet, practices_searchword, practices_practice"
            )
            cursor.execute(
                "SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relname LIKE 'practices_searchdoc%%'"
                " OR relname LIKE 'practices_searchword%%' OR relname LIKE 'practice%%searchfacet%%'"
                " OR relname LIKE 'practices_searchrow%%' OR relname LIKE 'practices_searchlexeme%%'"
                " OR relname LIKE 'practices_searchbits%%'"
            )
        else:
            cursor.execute("ANALYZE")
            cursor.execute(
                "SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'practices_search%%'"
                " OR name LIKE 'practice_searchfacet%%' OR name LIKE 'sqlite_autoindex_practices_searchfacet%%'"
                " GROUP BY name"
            )
        return {name: int(size) for name, size in cursor.fetchall()}


def time_queries(runs: int) -> dict[str, tuple[float, float]]:
    from django.db.models import Count

    from samspill.places.models import County
    from samspill.practices.models import Practice
    from samspill.practices.search import Filters, search
    from samspill.taxonomy.models import Theme

    # Two facets a user would pick: the most common theme and a large county.
    theme = Theme.objects.annotate(n=Count("practices")).order_by("-n")[0]
    county = County.objects.order_by("number")[0]
    assert Practice.objects.published().exists()
    results = {}
    for kind, words in QUERIES.items():
        filters = Filters(themes=(theme.slug,), counties=(county.number,)) if "facets" in kind else Filters()
        search(query=words[0], filters=filters)  # warm up
        timings = []
        for i in range(runs):
            started = time.perf_counter()
            search(query=words[i % len(words)], filters=filters)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        results[kind] = (statistics.median(timings), timings[max(0, round(0.95 * len(timings)) - 1)])
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--practices", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    label = configure(args.database_url)
    progress = Progress()
    from django.core.management import call_command
    from django.db import connection

    from samspill.practices.search import rebuild_index
    from samspill.taxonomy.models import Theme

    call_command("migrate", interactive=False, verbosity=0)
    if not Theme.objects.exists():
        call_command("load_reference_data", verbosity=0)
    generate(args.practices, progress)
    started = time.perf_counter()
    count = rebuild_index()
    build = time.perf_counter() - started
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO practices_search(practices_search) VALUES ('optimize')")
            cursor.execute("INSERT INTO practices_search_tri(practices_search_tri) VALUES ('optimize')")
    sizes = index_size()
    print(f"\nSearch benchmark on {label} ({connection.vendor}), {count} published practices indexed")
    print(f"index build: {build:.1f} s")
    print("index size: " + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in sorted(sizes.items())))
    print(f"total: {sum(sizes.values()) / 1e6:.1f} MB")
    print(f"\n| query type | p50 ms | p95 ms |  ({args.runs} runs each)\n|---|---:|---:|")
    for kind, (p50, p95) in time_queries(args.runs).items():
        print(f"| {kind} | {p50:.0f} | {p95:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
