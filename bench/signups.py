"""Sign-up burst: many volunteers sign up for the same shifts at once, against a real server.

    python -m bench.signups [--clients 50] [--shifts 80] [--capacity 10] [--workers 4]
                            [--database-url postgres://postgres@127.0.0.1:5432/samspill_volunteering_bench]

Starts gunicorn (``--workers`` sync workers, production settings, PostgreSQL, Redis for
sessions; see bench.load.common) on a port of its own, and prepares its own database the
first time (migrate, reference data). Each run adds ``--shifts`` new shifts with
``--capacity`` places and ``--clients`` volunteers, each logged in with a session of their own
(made by ``django.contrib.auth.login``, the code path of a real login minus the password
check). Then ``--clients`` threads, one per volunteer, each on its own keep-alive
connection, sign up for every shift in the same order, so that all of them hit the same
shift at the same moment: ``POST /api/v1/shifts/{id}/signups`` with the session cookie and
the CSRF token, as the web site's own JavaScript would.

Reported: sign-ups per second over the burst, p50/p95/p99 of the response times, the
status codes, and the check that matters: for every shift exactly ``capacity`` confirmed,
the rest wait-listed with positions 1..n, nobody twice, ``confirmed_count == capacity``.
Exit status 1 when any check fails. Results go to var/load/signups-<time>.json as well.

80 shifts (4 000 sign-ups, about 18 s) by default: a burst of 20 shifts (1 000 sign-ups,
about 5 s) measures mostly the workers' first requests and the clients' start, and its
throughput varies by a third from run to run on two cores; ``--shifts 20`` still runs it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.load.common import (
    WORK_DIR,
    Gunicorn,
    Target,
    cpu_seconds,
    manage,
    port_is_free,
    postgres_backends,
    run_script,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/samspill_volunteering_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
DEFAULT_PORT = 8437
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
ORGANISATION_SLUG = "bench-frivilligsentral"


# --- Inside Django: prepare the shifts and the sessions (run as a subprocess) -------------------


def setup_inside_django(clients: int, shifts: int, capacity: int) -> dict[str, Any]:
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import login
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from samspill.accounts.models import User
    from samspill.organisations.models import Organisation
    from samspill.taxonomy.models import OrganisationKind
    from samspill.volunteering.models import Opportunity, Shift

    organisation = Organisation.objects.filter(slug=ORGANISATION_SLUG).first()
    if organisation is None:
        organisation = Organisation(
            slug=ORGANISATION_SLUG,
            name="Benchmark frivilligsentral",
            kind=OrganisationKind.objects.get(slug=OrganisationKind.VOLUNTEER_CENTRE),
        )
        organisation.refresh_search_fields()
        organisation.save()
    opportunity, _ = Opportunity.objects.get_or_create(
        organisation=organisation,
        title="Benchmark: vakter med venteliste",
        defaults={"description": "Vakter for målingen av påmeldinger.", "status": Opportunity.Status.PUBLISHED},
    )
    start = timezone.now().replace(microsecond=0) + timedelta(days=7)
    shift_ids = [
        Shift.objects.create(
            opportunity=opportunity,
            starts_at=start + timedelta(minutes=i),
            ends_at=start + timedelta(minutes=i, hours=2),
            capacity=capacity,
        ).pk
        for i in range(shifts)
    ]
    engine = import_module(settings.SESSION_ENGINE)
    sessions = []
    for n in range(clients):
        user, created = User.objects.get_or_create(
            email=f"frivillig{n:03d}@bench.samspill.example", defaults={"name": f"Frivillig {n:03d}"}
        )
        if created:
            user.set_unusable_password()
            user.save()
        request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_USER_AGENT="bench.signups")
        request.session = engine.SessionStore()
        request.user = AnonymousUser()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session.save()
        sessions.append(request.session.session_key)
    return {
        "shifts": shift_ids,
        "sessions": sessions,
        "csrf_token": get_random_string(32),
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }


def check_inside_django(shift_ids: list[int]) -> dict[str, Any]:
    import django

    django.setup()
    from django.db.models import Count

    from samspill.volunteering.models import Shift, SignUp

    problems = []
    totals = {"confirmed": 0, "waitlisted": 0, "other": 0}
    for shift in Shift.objects.filter(pk__in=shift_ids).order_by("pk"):
        rows = list(SignUp.objects.filter(shift=shift).values_list("user_id", "status", "waitlist_position"))
        confirmed = [r for r in rows if r[1] == "confirmed"]
        waitlisted = sorted(r[2] or 0 for r in rows if r[1] == "waitlisted")
        totals["confirmed"] += len(confirmed)
        totals["waitlisted"] += len(waitlisted)
        totals["other"] += len(rows) - len(confirmed) - len(waitlisted)
        if len(confirmed) != shift.capacity or shift.confirmed_count != shift.capacity:
            problems.append(f"shift {shift.pk}: {len(confirmed)} confirmed, count {shift.confirmed_count}")
        if waitlisted != list(range(1, len(waitlisted) + 1)):
            problems.append(f"shift {shift.pk}: wait-list positions {waitlisted[:5]}…")
    twice = (
        SignUp.objects.filter(shift_id__in=shift_ids)
        .values("shift_id", "user_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    if twice:
        problems.append(f"{twice} people signed up twice for a shift")
    return {"totals": totals, "problems": problems}


# --- Outside Django: the server and the burst ---------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def prepare_database(target: Target) -> None:
    import psycopg

    parts = urlsplit(target.database_url)
    name = parts.path.lstrip("/")
    admin = target.database_url.replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    manage(target, "migrate", "--no-input", "-v", "0")
    url = target.database_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url) as conn:
        kinds = conn.execute("SELECT count(*) FROM taxonomy_organisationkind").fetchone()
    if not kinds or not kinds[0]:
        manage(target, "load_reference_data", "-v", "0")
    static = Path(__file__).resolve().parent.parent / "staticfiles" / "staticfiles.json"
    if not static.exists():
        manage(target, "collectstatic", "--no-input", "-v", "0")


def burst(target: Target, plan: dict[str, Any], clients: int) -> dict[str, Any]:
    """Every client signs up for every shift, all clients on the same shift at the same time."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    statuses: list[dict[int, int]] = [{} for _ in range(clients)]
    errors: list[str] = []
    ready = threading.Barrier(clients + 1)
    origin = f"https://127.0.0.1:{target.port}"

    def client(index: int) -> None:
        cookie = f"{plan['session_cookie']}={plan['sessions'][index]}; {plan['csrf_cookie']}={plan['csrf_token']}"
        headers = {
            "Cookie": cookie,
            "X-CSRFToken": plan["csrf_token"],
            "Content-Type": "application/json",
            "Origin": origin,
            "Referer": origin + "/frivillig/",
            "X-Forwarded-Proto": "https",
            "Host": f"127.0.0.1:{target.port}",
        }
        conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=60)
        ready.wait()
        for shift in plan["shifts"]:
            started = time.perf_counter()
            try:
                conn.request("POST", f"/api/v1/shifts/{shift}/signups", body=b"{}", headers=headers)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=60)
                continue
            latencies[index].append(time.perf_counter() - started)
            statuses[index][response.status] = statuses[index].get(response.status, 0) + 1
            if response.status != 201 and len(errors) < 20:
                errors.append(f"{response.status}: {body[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    all_latencies = sorted(x for per in latencies for x in per)
    codes: dict[int, int] = {}
    for per in statuses:
        for code, n in per.items():
            codes[code] = codes.get(code, 0) + n
    created = codes.get(201, 0)

    def pct(p: float) -> float | None:
        if not all_latencies:
            return None
        return round(1000 * all_latencies[min(len(all_latencies) - 1, int(p * len(all_latencies)))], 1)

    return {
        "requests": len(all_latencies),
        "seconds": round(elapsed, 2),
        "signups_per_second": round(created / elapsed, 1) if elapsed else 0.0,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": round(1000 * statistics.fmean(all_latencies), 1) if all_latencies else None,
        "status_codes": {str(k): v for k, v in sorted(codes.items())},
        "errors": errors[:20],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--shifts", type=int, default=80)
    parser.add_argument("--capacity", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--setup", nargs=3, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--check", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.setup:
        print(json.dumps(setup_inside_django(*args.setup)))
        return 0
    if args.check:
        print(json.dumps(check_inside_django([int(x) for x in args.check.split(",")])))
        return 0

    if urlsplit(args.database_url).hostname not in LOOPBACK:
        raise SystemExit("The sign-up burst is for a database on loopback only.")
    if not 1 <= args.clients <= 200 or not 1 <= args.shifts <= 200 or args.capacity < 1:
        raise SystemExit("--clients and --shifts must be 1–200, --capacity at least 1.")
    if not port_is_free(args.port):
        raise SystemExit(f"Port {args.port} is busy; choose another with --port.")
    target = Target(database_url=args.database_url, redis_url=args.redis_url, port=args.port, workers=args.workers)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    print(f"Preparing {urlsplit(args.database_url).path.lstrip('/')} …", flush=True)
    prepare_database(target)
    plan = run_script(target, "bench.signups", "--setup", str(args.clients), str(args.shifts), str(args.capacity))
    server = Gunicorn(target, WORK_DIR / "signups-gunicorn.log")
    server.start()
    try:
        ready_after = server.wait_ready(timeout=90)
        print(f"gunicorn ready after {ready_after:.1f} s with {args.workers} workers; burst …", flush=True)
        app_before = cpu_seconds(server.worker_pids())
        db_before = cpu_seconds(postgres_backends(target))
        load_before = os.getloadavg()[0]
        result = burst(target, plan, args.clients)
        app_after = cpu_seconds(server.worker_pids())
        db_after = cpu_seconds(postgres_backends(target))
        requests = max(result["requests"], 1)
        app_ms = 1000 * sum(v - app_before.get(pid, 0.0) for pid, v in app_after.items()) / requests
        db_ms = 1000 * sum(v - db_before.get(pid, 0.0) for pid, v in db_after.items()) / requests
        result["app_cpu_ms_per_signup"] = round(app_ms, 1)
        result["db_cpu_ms_per_signup"] = round(db_ms, 1)
        # What two idle cores could do at this CPU cost (client and machine noise not counted).
        result["capacity_2_cores_per_second"] = round(2000 / (app_ms + db_ms), 0) if app_ms + db_ms else None
        result["load_average_before"] = round(load_before, 2)
    finally:
        server.stop()
    checked = run_script(target, "bench.signups", "--check", ",".join(str(s) for s in plan["shifts"]))
    expected_confirmed = args.shifts * min(args.capacity, args.clients)
    ok = (
        not checked["problems"]
        and checked["totals"]["confirmed"] == expected_confirmed
        and checked["totals"]["confirmed"] + checked["totals"]["waitlisted"] == args.shifts * args.clients
    )
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "cpu": cpu_model(), "load_average_1m": round(os.getloadavg()[0], 2)},
        "settings": {
            "clients": args.clients,
            "shifts": args.shifts,
            "capacity": args.capacity,
            "workers": args.workers,
        },
        "burst": result,
        "check": {**checked, "expected_confirmed": expected_confirmed, "ok": ok},
    }
    out = WORK_DIR / f"signups-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(report, indent=2))
    b = result
    print(
        f"{b['requests']} sign-ups in {b['seconds']} s: {b['signups_per_second']} sign-ups/s, "
        f"p50 {b['p50_ms']} ms, p95 {b['p95_ms']} ms, p99 {b['p99_ms']} ms; status codes {b['status_codes']}"
    )
    print(
        f"CPU per sign-up: gunicorn {b['app_cpu_ms_per_signup']} ms, PostgreSQL {b['db_cpu_ms_per_signup']} ms "
        f"(two idle cores: about {b['capacity_2_cores_per_second']} sign-ups/s); "
        f"load average before the burst {b['load_average_before']}"
    )
    print(
        f"confirmed {checked['totals']['confirmed']} (expected {expected_confirmed}), "
        f"wait-listed {checked['totals']['waitlisted']}, problems: {checked['problems'] or 'none'}"
    )
    if b["errors"]:
        print("first errors:", *b["errors"][:5], sep="\n  ")
    print(f"→ {out}")
    return 0 if ok and not b["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
