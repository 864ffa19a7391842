"""Benchmark a large call for input: the exports (XLSX, CSV, PDF booklet) and the review desk.

    python -m bench.calls [--submissions 10000] [--runs 3] [--pdf-runs 1] [--database-url URL]

Adds one call with N sent submissions to the benchmark database the first time (slug
``bench-innspillsrunde``; deterministic, seed 2026): one or two themes each, a municipality
weighted by population, an organisation for seven in ten, 1–3 target groups and focus
areas, realistic text lengths, and 20 % accepted (so 10 000 give a booklet of about 2 000).
The rest of the benchmark data (organisations, people) is generated first if missing.

Each export is built the way production builds it: through the background task
(``build_export``), progress updates and file save included. Wall time is the median of
``--runs`` runs. Peak memory of CSV and XLSX is measured in one more run under
``tracemalloc`` (Python allocations; it slows that run down, so it is not timed); the PDF
is too slow for that by default (``--trace-pdf``), so its figure is how much the process's
maximum resident set grew during the timed runs (WeasyPrint's C libraries included). The desk list is timed with
``bench.run``'s in-process client as the call's editor.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from datetime import datetime, timedelta
from typing import Any

from bench.db import configure
from bench.generate import BATCH, EMAIL_DOMAIN, SCALES, Progress, batched

CALL_SLUG = "bench-innspillsrunde"
EDITOR_EMAIL = f"redaktor@{EMAIL_DOMAIN}"
ACCEPTED_SHARE = 0.2

TITLES = [
    "Besøksvenner i {sted}",
    "Turgruppe for seniorer i {sted}",
    "Leksehjelp på biblioteket i {sted}",
    "Språkkafé for nye innbyggere i {sted}",
    "Digital hjelp for eldre i {sted}",
    "Middagsfellesskap på frivilligsentralen i {sted}",
    "Følgetjeneste til lege og sykehus i {sted}",
    "Aktivitetsvenn for personer med demens i {sted}",
    "Ungdom hjelper eldre med handling i {sted}",
    "Frivillig koordinator i helse- og omsorgstjenesten i {sted}",
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
]
STATUSES = ["received"] * 3 + ["under_review"] * 3 + ["needs_info"] + ["declined"]


def _text(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def ensure_call(count: int, progress: Progress, seed: int = 2026) -> tuple[Any, Any]:
    """The bench call and its editor, with ``count`` sent submissions (created once)."""
    from django.db import transaction
    from django.utils import timezone

    from samspill.accounts.models import User
    from samspill.calls.models import Call, Submission
    from samspill.organisations.models import Membership, Organisation
    from samspill.places.models import Municipality
    from samspill.taxonomy.models import FocusArea, TargetGroup, Theme

    call = Call.objects.filter(slug=CALL_SLUG).first()
    if call is not None:
        existing = call.submissions.count()
        if existing != count:
            print(
                f"Warning: {CALL_SLUG} has {existing} submissions, not {count}; "
                "reset the benchmark database to change the number.",
                file=sys.stderr,
            )
        return call, User.objects.get(email=EDITOR_EMAIL)

    rng = random.Random(seed)
    owner = Organisation.objects.filter(kind__slug="frivillig-organisasjon").order_by("pk").first()
    if owner is None:
        raise SystemExit("The benchmark database has no voluntary organisations; run python -m bench.generate first.")
    now = timezone.now()
    with transaction.atomic():
        call = Call.objects.create(
            slug=CALL_SLUG,
            title="Gode eksempler på lokale tiltak som styrker frivillig innsats i helse og omsorg (benchmark)",
            introduction="Send oss gode eksempler på lokale tiltak.",
            opens_at=now - timedelta(days=60),
            closes_at=now - timedelta(days=1),
            is_published=True,
        )
        call.themes.set(Theme.objects.all())
        call.organisations.set([owner])
        editor = User.objects.create(email=EDITOR_EMAIL, name="Benchmark Redaktør", password="!bench")  # noqa: S106
        Membership.objects.create(user=editor, organisation=owner, role="coordinator")

    themes = list(Theme.objects.values_list("pk", flat=True))
    targets = list(TargetGroup.objects.values_list("pk", flat=True))
    areas = list(FocusArea.objects.values_list("pk", flat=True))
    municipalities = list(Municipality.objects.order_by("number"))
    weights = [max(m.population or 0, 200) for m in municipalities]
    organisations = list(
        Organisation.objects.filter(kind__slug__in=["frivillig-organisasjon", "frivilligsentral"])
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )
    start = datetime(2026, 3, 15, 8, tzinfo=timezone.get_current_timezone())
    rows = []
    for i in range(count):
        municipality = rng.choices(municipalities, weights=weights)[0]
        status = "accepted" if rng.random() < ACCEPTED_SHARE else rng.choice(STATUSES)
        submitted = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 50))
        rows.append(
            Submission(
                call=call,
                reference=f"BENCH-{i + 1:05d}",
                status=status,
                title=rng.choice(TITLES).format(sted=municipality.name),
                summary=_text(rng, 2),
                what=_text(rng, rng.randint(3, 8)),
                why=_text(rng, rng.randint(2, 5)),
                for_whom=_text(rng, rng.randint(1, 3)),
                how=_text(rng, rng.randint(3, 8)),
                resources=_text(rng, rng.randint(1, 3)),
                results=_text(rng, rng.randint(2, 5)),
                lessons=_text(rng, rng.randint(2, 5)),
                municipality=municipality,
                organisation_id=rng.choice(organisations) if rng.random() < 0.7 else None,
                contact_name=f"Kontakt {i}",
                contact_email=f"kontakt{i}@{EMAIL_DOMAIN}",
                contact_phone=f"{rng.randrange(40_000_000, 99_999_999)}",
                consent_to_publish=rng.random() < 0.8,
                tags=rng.sample(["ensomhet", "eldre", "ungdom", "inkludering", "rekruttering"], k=rng.randint(0, 2)),
                submitted_at=submitted,
                receipt_sent_at=submitted,
            )
        )
    links: dict[str, list[Any]] = {"themes": [], "target_groups": [], "focus_areas": []}
    for chunk in batched(rows, BATCH):
        with transaction.atomic():
            created = Submission.objects.bulk_create(chunk, batch_size=BATCH)
            for submission in created:
                for field, choices, most in (
                    ("themes", themes, 2),
                    ("target_groups", targets, 3),
                    ("focus_areas", areas, 3),
                ):
                    relation = Submission._meta.get_field(field)
                    model = getattr(Submission, field).through
                    source, target = relation.m2m_column_name(), relation.m2m_reverse_name()  # type: ignore[union-attr]
                    for pk in rng.sample(choices, k=rng.randint(1, min(most, len(choices)))):
                        links[field].append(model(**{source: submission.pk, target: pk}))
            for field, objects in links.items():
                getattr(Submission, field).through.objects.bulk_create(objects, batch_size=BATCH)
                objects.clear()
    progress.say(f"{count} submissions in {CALL_SLUG}")
    return call, editor


def _max_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def time_export(call: Any, editor: Any, fmt: str, runs: int, *, trace: bool) -> dict[str, Any]:
    """Build one format ``runs`` times through the task (timed), then once more under tracemalloc."""
    from samspill.calls.export_tasks import build_export
    from samspill.calls.models import Export

    def once() -> tuple[float, int]:
        export = Export.objects.create(call=call, requested_by=editor, format=fmt)
        start = time.perf_counter()
        build_export.call(export.pk)
        elapsed = time.perf_counter() - start
        export.refresh_from_db()
        if export.status != Export.Status.DONE:
            raise SystemExit(f"{fmt} export failed: {export.error}")
        size = export.file.size
        export.file.delete(save=False)
        export.delete()
        return elapsed, size

    samples, size = [], 0
    rss_before = _max_rss_mib()
    for _ in range(runs):
        elapsed, size = once()
        samples.append(elapsed)
    rss_growth = _max_rss_mib() - rss_before
    peak = None
    if trace:
        tracemalloc.start()
        once()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {
        "format": fmt,
        "runs": runs,
        "p50": statistics.median(samples),
        "peak": peak,
        "rss_growth": rss_growth,
        "size": size,
    }


def time_desk(call: Any, editor: Any, requests: int) -> list[Any]:
    from django.test import Client

    from bench.run import Page, measure

    client = Client(raise_request_exception=False)
    client.force_login(editor)
    base = f"/innspill/{call.slug}/behandling/"
    theme = call.themes.order_by("position").first()
    pages = [
        Page("desk, first page", base, logged_in=True),
        Page("desk, page 50", f"{base}?page=50", logged_in=True),
        Page("desk, theme + status + county", f"{base}?tema={theme.slug}&status=accepted&fylke=46", logged_in=True),
    ]
    return [measure(page, client, requests) for page in pages]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.calls", description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per spreadsheet export (default 3)")
    parser.add_argument("--pdf-runs", type=int, default=1, help="timed runs of the PDF booklet (default 1)")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per desk page (default 20)")
    parser.add_argument("--formats", default="csv,xlsx,pdf")
    parser.add_argument(
        "--trace-pdf", action="store_true", help="also trace the PDF's Python memory (slow: several times the run)"
    )
    parser.add_argument("--database-url", help="default: sqlite file var/bench.sqlite3")
    args = parser.parse_args(argv)

    progress = Progress()
    label = configure(args.database_url)

    from django.core.management import call_command

    from bench.generate import analyse, generate, has_generated_data
    from bench.run import machine, table

    call_command("migrate", interactive=False, verbosity=0)
    if not has_generated_data():
        progress.say("the benchmark database is empty; generating scale small")
        call_command("load_reference_data", verbosity=0)
        generate(SCALES["small"], 2026, progress)
    call, editor = ensure_call(args.submissions, progress)
    analyse()
    accepted = call.submissions.filter(status="accepted").count()

    results = []
    for fmt in args.formats.split(","):
        runs = args.pdf_runs if fmt == "pdf" else args.runs
        result = time_export(call, editor, fmt, runs, trace=fmt != "pdf" or args.trace_pdf)
        results.append(result)
        progress.say(f"{fmt}: p50 {result['p50']:.2f} s, max RSS grew {result['rss_growth']:.0f} MiB")
    desk = time_desk(call, editor, args.requests)
    for r in desk:
        progress.say(f"{r.page.url}: {r.status} p50={r.p50 and round(r.p50, 1)} ms")

    print()
    print(f"Database: {label}; call {CALL_SLUG}: {call.submissions.count()} sent submissions, {accepted} accepted")
    for line in machine():
        print(line)
    print()
    print("| export | rows | runs | p50 s | peak Python memory MiB (tracemalloc) | max RSS growth MiB | file KB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        rows = accepted if r["format"] == "pdf" else call.submissions.count()
        peak = "–" if r["peak"] is None else f"{r['peak'] / 2**20:.1f}"
        print(
            f"| {r['format'].upper()} | {rows} | {r['runs']} | {r['p50']:.2f} | {peak} | "
            f"{r['rss_growth']:.0f} | {r['size'] / 1024:.0f} |"
        )
    print()
    print(f"Review desk, {args.requests} timed requests per page as the call's editor:")
    print()
    print("\n".join(table([_floor(args.requests), *desk])))
    return 0


def _floor(requests: int) -> Any:
    from django.test import Client

    from bench.run import Page, measure

    return measure(Page("floor (trivial view)", "/bench/floor/"), Client(raise_request_exception=False), requests)


if __name__ == "__main__":
    sys.exit(main())
