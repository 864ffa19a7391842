"""Benchmark a municipality's measures: 500 measures × 5 indicators × 24 periods.

    python -m bench.measures [--measures 500] [--requests 20] [--database-url URL]

Adds N public, active measures owned by Bergen kommune's organisation to the benchmark
database the first time (title prefix ``Benchmark-tiltak``; deterministic): each in Bergen,
with 5 indicators (the three kinds, monthly, baseline and target) and 24 monthly
measurements. Then it times, with ``bench.run``'s in-process client (full middleware, no
network), what a municipality dashboard shows: the municipality page (its measures section
lists measures with each indicator's status), the measure list filtered by the municipality,
and one measure page with its five charts. Each page's database queries are counted once
more, so a count that grows with the data shows up.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from typing import Any

from bench.db import configure

TITLE = "Benchmark-tiltak"
KINDS = ["how_much", "how_much", "how_well", "better_off", "better_off"]


def _month(start: date, n: int) -> date:
    months = start.year * 12 + start.month - 1 + n
    return date(months // 12, months % 12 + 1, 1)


def ensure_measures(count: int) -> tuple[Any, Any]:
    from django.db import transaction

    from samspill.measures.models import Indicator, Measure, Measurement
    from samspill.organisations.models import Organisation
    from samspill.places.models import Municipality

    bergen = Municipality.objects.get(number="4601")
    owner = Organisation.objects.filter(governs_municipality=bergen).first()
    if owner is None:
        sys.exit("Bergen kommune's organisation is missing: run `manage.py load_demo_data` on the bench database.")
    existing = Measure.objects.filter(title__startswith=TITLE)
    if existing.count() == count:
        return bergen, existing.order_by("pk").first()
    rng = random.Random(2026)
    from django.utils import timezone

    start = _month(timezone.localdate().replace(day=1), -24)
    with transaction.atomic():
        existing.delete()
        measures = Measure.objects.bulk_create(
            Measure(title=f"{TITLE} {n}", owner=owner, status="active", is_public=True) for n in range(count)
        )
        Measure.municipalities.through.objects.bulk_create(
            Measure.municipalities.through(measure_id=m.pk, municipality_id=bergen.pk) for m in measures
        )
        indicators = Indicator.objects.bulk_create(
            Indicator(
                measure=m,
                kind=kind,
                name=f"Indikator {i}",
                unit="count",
                period_type="month",
                baseline_value=Decimal(10),
                baseline_date=start,
                target_value=Decimal(40),
                target_date=_month(start, 24),
                responsible=owner,
            )
            for m in measures
            for i, kind in enumerate(KINDS)
        )
        for chunk in range(0, len(indicators), 200):
            Measurement.objects.bulk_create(
                Measurement(indicator=ind, period_start=_month(start, p), value=Decimal(10 + p + rng.randint(-3, 3)))
                for ind in indicators[chunk : chunk + 200]
                for p in range(24)
            )
    return bergen, measures[0]


def time_page(client: Any, url: str, requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    samples.sort()
    return {
        "url": url,
        "p50": statistics.median(samples),
        "p95": samples[max(0, round(len(samples) * 0.95) - 1)],
        "queries": len(queries),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--measures", type=int, default=500)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    label = configure(args.database_url)

    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    started = time.perf_counter()
    bergen, measure = ensure_measures(args.measures)
    took = time.perf_counter() - started
    print(f"{args.measures} measures × 5 indicators × 24 months ready in {took:.1f} s ({label})")

    client = Client()
    rows = [
        ("municipality page (measures section)", time_page(client, f"/kommuner/{bergen.number}/", args.requests)),
        ("measure list, this municipality", time_page(client, f"/tiltak/?municipality={bergen.number}", args.requests)),
        ("one measure, five charts", time_page(client, f"/tiltak/{measure.pk}/", args.requests)),
    ]
    print(f"\n| page | p50 ms | p95 ms | queries |  ({args.requests} requests each)\n|---|---:|---:|---:|")
    for name, row in rows:
        print(f"| {name} | {row['p50']:.0f} | {row['p95']:.0f} | {row['queries']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
