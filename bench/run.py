"""Time key pages in-process through the full middleware stack and print a Markdown table.

    python -m bench.run [--scale small|national] [--requests N] [--database-url URL]

Each page gets a few warm-up requests, then N timed requests with ``django.test.Client``
(no network, no server: the numbers are Django's own cost, middleware included). One more
request counts the database queries. Every page is compared with ``/bench/floor/``, a view
that returns "ok" through the same middleware, so the ratio shows what the page adds.

Pages that do not exist yet answer 404 and are listed as such. If the benchmark database
is empty, it is filled first (``--scale``, default small); see ``bench.generate``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any

from bench.db import configure
from bench.generate import EMAIL_DOMAIN, SCALES, Progress

WARMUP = 5
SLOW_P95_MS = 300


@dataclass
class Page:
    label: str
    url: str
    logged_in: bool = False


@dataclass
class Result:
    page: Page
    status: int
    note: str = ""
    p50: float | None = None
    p95: float | None = None
    cpu50: float | None = None
    queries: int | None = None
    size: int | None = None


def pages(fixtures: dict[str, Any]) -> list[Page]:
    slug, org_id = fixtures["slug"], fixtures["org_id"]
    return [
        Page("floor (trivial view)", "/bench/floor/"),
        Page("home", "/"),
        Page("directory", "/organisasjoner/"),
        Page("directory, search", "/organisasjoner/?q=frivillig"),
        Page("directory, county", "/organisasjoner/?county=46"),
        Page("organisation page", f"/organisasjoner/{slug}/"),
        Page("counties and municipalities", "/kommuner-og-fylker/"),
        Page("county page", "/fylker/46/"),
        Page("municipality page", "/kommuner/4601/"),
        Page("API organisations", "/api/v1/organisations"),
        Page("API organisations, search + county", "/api/v1/organisations?q=lag&county=46"),
        Page("API organisation", f"/api/v1/organisations/{org_id}"),
        Page("API municipalities in county", "/api/v1/municipalities?county=46"),
        Page("my page (logged in)", "/min-side/", logged_in=True),
    ]


def pick_fixtures() -> dict[str, Any]:
    """A typical organisation (in Bergen, with members) and a person with memberships."""
    from django.db.models import Count

    from samspill.accounts.models import User
    from samspill.organisations.models import Membership, Organisation

    organisation = (
        Organisation.objects.filter(home_municipality__number="4601", governs_municipality=None)
        .annotate(n=Count("memberships"))
        .filter(n__gt=0)
        .order_by("pk")
        .first()
    ) or Organisation.objects.order_by("pk").first()
    if organisation is None:
        raise SystemExit("The benchmark database has no organisations; run python -m bench.generate first.")
    membership = Membership.objects.filter(user__email__endswith=f"@{EMAIL_DOMAIN}").order_by("user_id").first()
    user = membership.user if membership else User.objects.order_by("pk").first()
    return {"slug": organisation.slug, "org_id": organisation.pk, "user": user}


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(page: Page, client: Any, requests: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(page.url)
    if response.status_code >= 500 or response.status_code == 404:
        note = "not built yet" if response.status_code == 404 else "server error"
        exc_info = getattr(response, "exc_info", None)
        if exc_info:
            note = f"{exc_info[0].__name__}: {str(exc_info[1]).splitlines()[0][:80] if str(exc_info[1]) else ''}"
        return Result(page, response.status_code, note=note)
    for _ in range(WARMUP - 1):
        client.get(page.url)
    samples, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(page.url)
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    # Counted on a separate request: recording queries costs time of its own.
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.url)
    return Result(
        page,
        response.status_code,
        p50=statistics.median(samples),
        p95=percentile(samples, 0.95),
        cpu50=statistics.median(cpu),
        queries=len(captured.captured_queries),
        size=len(response.content),
    )


def show_queries(url: str, fixtures: dict[str, Any]) -> None:
    """Print each query of one (warm) request with its time, slowest last."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False)
    if url.startswith("/min-side/"):
        client.force_login(fixtures["user"])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    print(f"{url}: {response.status_code}, {len(captured.captured_queries)} queries")
    for query in sorted(captured.captured_queries, key=lambda q: float(q["time"])):
        print(f"\n-- {float(query['time']) * 1000:.1f} ms\n{query['sql']}")


def machine() -> list[str]:
    import django
    from django.db import connection

    cpu = "unknown"
    memory = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), cpu)
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kib = int(next(line.split()[1] for line in handle if line.startswith("MemTotal")))
            memory = f"{kib / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    return [
        f"CPU: {cpu}, {os.cpu_count()} cores; memory {memory}",
        f"Python {platform.python_version()}, Django {django.get_version()}, {database}",
    ]


def data_counts() -> dict[str, int]:
    from samspill.accounts.models import User
    from samspill.organisations.models import Membership, Organisation

    return {
        "organisations": Organisation.objects.count(),
        "people": User.objects.count(),
        "memberships": Membership.objects.count(),
    }


def table(results: list[Result]) -> list[str]:
    floor = results[0].p50 or 1.0
    lines = [
        "| page | URL | status | p50 ms | p95 ms | × floor | CPU p50 ms | queries | KB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        status = f"{r.status} ({r.note})" if r.note else str(r.status)
        if r.p50 is None or r.p95 is None:
            lines.append(f"| {r.page.label} | `{r.page.url}` | {status} | – | – | – | – | – | – |")
            continue
        size = f"{(r.size or 0) / 1024:.1f}"
        lines.append(
            f"| {r.page.label} | `{r.page.url}` | {status} | {r.p50:.1f} | {r.p95:.1f} | "
            f"{r.p50 / floor:.1f} | {r.cpu50 or 0:.1f} | {r.queries} | {size} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), help="data to generate if the database is empty")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page (default 50)")
    parser.add_argument("--database-url", help="default: sqlite file var/bench.sqlite3")
    parser.add_argument("--show-queries", metavar="URL", help="print the queries of one request to URL and stop")
    args = parser.parse_args(argv)
    if args.requests < 1:
        parser.error("--requests must be at least 1")

    progress = Progress()
    label = configure(args.database_url)

    from django.core.management import call_command
    from django.test import Client

    from bench.generate import analyse, generate, has_generated_data

    call_command("migrate", interactive=False, verbosity=0)
    if not has_generated_data():
        scale = args.scale or "small"
        progress.say(f"the benchmark database is empty; generating scale {scale}")
        call_command("load_reference_data", verbosity=0)
        generate(SCALES[scale], 2026, progress)
        analyse()
    counts = data_counts()
    if args.scale and counts["people"] < SCALES[args.scale].people:
        print(
            f"Warning: the database holds {counts['people']} people, fewer than scale {args.scale}; "
            f"run python -m bench.generate --scale {args.scale} --reset",
            file=sys.stderr,
        )

    fixtures = pick_fixtures()
    if args.show_queries:
        show_queries(args.show_queries, fixtures)
        return 0
    anonymous = Client(raise_request_exception=False)
    member = Client(raise_request_exception=False)
    member.force_login(fixtures["user"])
    results = []
    for page in pages(fixtures):
        result = measure(page, member if page.logged_in else anonymous, args.requests)
        results.append(result)
        progress.say(f"{page.url}: {result.status} p50={result.p50 and round(result.p50, 1)} ms")

    print()
    print(f"Database: {label}; " + ", ".join(f"{v:,} {k}".replace(",", " ") for k, v in counts.items()))
    for line in machine():
        print(line)
    print(f"{args.requests} timed requests per page after {WARMUP} warm-up requests.")
    print("Load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print()
    print("\n".join(table(results)))
    slow = [r.page.url for r in results if r.p95 is not None and r.p95 > SLOW_P95_MS]
    if slow:
        print(f"\nSlow (p95 > {SLOW_P95_MS} ms): " + ", ".join(slow))
    return 0


if __name__ == "__main__":
    sys.exit(main())
