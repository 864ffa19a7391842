"""`make load`: a step ramp of users against gunicorn on PostgreSQL, until it breaks.

    python -m bench.load.run [--steps 10,25,50,100,200] [--step-seconds 35] [--workers 4]

Prepares the load database (``samspill_load``: migrate, reference and demo data, fixtures;
see bench.load.setup), starts gunicorn and one task worker, then runs the locust users of
bench/load/locustfile.py in this process, step by step. Each step starts its users, lets
them settle for ``--settle`` seconds, then measures for ``--step-seconds``: requests per
second, p50/p95/p99 and the error rate, overall and per kind of request. The ramp stops after
the step where p95 passes ``--max-p95`` ms or errors pass ``--max-errors`` %.

Bounded: loopback only, at most ``--max-requests`` requests in all, and the whole run is
at most the sum of the steps (about 4 minutes with the defaults, plus 30–60 s to prepare).
Results go to var/load/load-<time>.json as well.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from datetime import UTC, datetime
from typing import Any

import gevent
import locust  # patches the standard library for gevent on import
from locust.env import Environment

from bench.load import locustfile
from bench.load.common import (
    DEFAULT_DATABASE_URL,
    WORK_DIR,
    Gunicorn,
    Target,
    TaskWorker,
    cpu_seconds,
    load_average,
    port_is_free,
    postgres_backends,
    prepare,
)

REQUEST_KINDS_SHOWN = 8


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def snapshot(env: Environment, seconds: float) -> dict[str, Any]:
    total = env.stats.total
    by_kind = []
    for (name, method), entry in sorted(env.stats.entries.items(), key=lambda item: -item[1].num_requests):
        if not entry.num_requests:
            continue
        by_kind.append(
            {
                "name": f"{method} {name}",
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "p50": entry.get_response_time_percentile(0.5),
                "p95": entry.get_response_time_percentile(0.95),
            }
        )
    errors = dict(sorted(((str(e.error)[:120], e.occurrences) for e in env.stats.errors.values()), key=lambda x: -x[1]))
    requests = total.num_requests
    return {
        "requests": requests,
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "p50": total.get_response_time_percentile(0.5) if requests else None,
        "p95": total.get_response_time_percentile(0.95) if requests else None,
        "p99": total.get_response_time_percentile(0.99) if requests else None,
        "errors": total.num_failures,
        "error_rate": round(100 * total.num_failures / requests, 2) if requests else 0.0,
        "by_kind": by_kind,
        "error_messages": errors,
    }


def cpu_per_request(
    requests: int, app_before: dict[int, float], server: Gunicorn, db_before: dict[int, float], target: Target
) -> dict[str, float | None]:
    """CPU milliseconds per request in gunicorn's workers and in PostgreSQL's backends.

    Unlike response times, these hardly depend on what else the machine is doing: they say
    how many requests a core can serve. Workers or backends that came or went during the
    step count from when they were first seen.
    """
    if not requests:
        return {"app_cpu_ms": None, "db_cpu_ms": None}
    app_after = cpu_seconds(server.worker_pids())
    db_after = cpu_seconds(postgres_backends(target))
    app = sum(used - app_before.get(pid, 0.0) for pid, used in app_after.items())
    db = sum(used - db_before.get(pid, 0.0) for pid, used in db_after.items())
    return {"app_cpu_ms": round(1000 * app / requests, 1), "db_cpu_ms": round(1000 * db / requests, 1)}


def user_classes() -> tuple[list[type[locust.User]], bool]:
    signups = locustfile.enable_signups()
    classes = [cls for cls in locustfile.USER_CLASSES if cls.weight > 0]
    return classes, signups


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def print_step(users: int, result: dict[str, Any]) -> None:
    print(
        f"| {users:>5} | {result['rps']:>7.1f} | {ms(result['p50']):>6} | {ms(result['p95']):>6} | "
        f"{ms(result['p99']):>6} | {result['error_rate']:>6.2f} | {result['requests']:>8} | "
        f"{ms(result['app_cpu_ms']):>6} | {ms(result['db_cpu_ms']):>5} | {result['load_average'][1]:>5.1f} |",
        flush=True,
    )


def ramp(args: argparse.Namespace) -> dict[str, Any]:
    target = Target(
        database_url=args.database_url,
        port=args.port,
        workers=args.workers,
        worker_class=args.worker_class,
        threads=args.threads,
    )
    if not port_is_free(target.port):
        raise SystemExit(f"Port {target.port} is taken; choose another with --port.")
    print(f"Preparing {target.database_url.rsplit('/', 1)[-1]} (migrate, data, {args.users_pool} sessions) …")
    fixtures = prepare(target, users=args.users_pool, fresh=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    server = Gunicorn(target, WORK_DIR / f"gunicorn-{stamp}.log")
    worker = TaskWorker(target, WORK_DIR / f"worker-{stamp}.log")
    classes, signups = user_classes()
    results: dict[str, Any] = {
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{cpu_model()}, {len(os.sched_getaffinity(0))} cores",
        "server": f"gunicorn {target.workers} × {target.worker_class}"
        + (f" ({target.threads} threads)" if target.threads > 1 else ""),
        "users": [cls.__name__ for cls in classes],
        "signups": signups,
        "steps": [],
        "call_closes_at": fixtures["call"]["closes_at"],
    }
    server.start()
    worker.start()
    try:
        server.wait_ready()
        env = Environment(user_classes=classes, host=target.host, events=locust.events)
        runner = env.create_local_runner()
        print(
            f"\n{results['server']}, PostgreSQL, Redis; users: {', '.join(results['users'])}"
            + ("" if signups else " (sign-ups off: no volunteering API yet)")
        )
        print(f"Each step: {args.settle} s to settle, then {args.step_seconds} s measured.\n")
        print(
            "| users | req/s   | p50 ms | p95 ms | p99 ms | err %  | requests "
            "| app CPU ms/req | db CPU ms/req | load avg |"
        )
        print("|------:|--------:|-------:|-------:|-------:|-------:|---------:|-------:|------:|-----:|")
        sent = 0
        for users in args.steps:
            runner.start(users, spawn_rate=max(users / 3, 5))
            gevent.sleep(args.settle)
            sent += env.stats.total.num_requests
            env.stats.reset_all()
            app_before = cpu_seconds(server.worker_pids())
            db_before = cpu_seconds(postgres_backends(target))
            load_before = load_average()
            started = time.monotonic()
            while time.monotonic() - started < args.step_seconds:
                gevent.sleep(1)
                if sent + env.stats.total.num_requests >= args.max_requests:
                    break
            result = snapshot(env, time.monotonic() - started)
            result.update(cpu_per_request(result["requests"], app_before, server, db_before, target))
            result["load_average"] = [round(load_before, 1), round(load_average(), 1)]
            sent += result["requests"]
            result["users"] = users
            results["steps"].append(result)
            print_step(users, result)
            reason = None
            if result["p95"] is not None and result["p95"] > args.max_p95:
                reason = f"p95 {result['p95']:.0f} ms > {args.max_p95} ms"
            elif result["error_rate"] > args.max_errors:
                reason = f"errors {result['error_rate']} % > {args.max_errors} %"
            elif sent >= args.max_requests:
                reason = f"request budget of {args.max_requests} used"
            if reason and args.keep_going and sent < args.max_requests:
                result["over_the_limit"] = reason
                reason = None
            if reason:
                results["stopped"] = f"after {users} users: {reason}"
                break
        else:
            over = [s["users"] for s in results["steps"] if s.get("over_the_limit")]
            if over:
                results["stopped"] = f"after the last step (--keep-going; over the limits from {over[0]} users)"
            else:
                results["stopped"] = "never: every step held"
        runner.quit()
        last = results["steps"][-1]
        print(f"\nStopped {results['stopped']}.")
        print(f"\nPer kind of request at the last step ({last['users']} users):\n")
        print("| request | requests | failures | p50 ms | p95 ms |")
        print("|---|---:|---:|---:|---:|")
        for kind in last["by_kind"][:REQUEST_KINDS_SHOWN]:
            figures = f"{kind['requests']} | {kind['failures']} | {ms(kind['p50'])} | {ms(kind['p95'])}"
            print(f"| {kind['name']} | {figures} |")
        if last["error_messages"]:
            print("\nErrors at the last step:")
            for message, count in last["error_messages"].items():
                print(f"  {count} × {message}")
        ok = [s for s in results["steps"] if (s["p95"] or 0) <= args.max_p95 and s["error_rate"] <= args.max_errors]
        if ok:
            best = ok[-1]
            print(
                f"\nHeld: {best['users']} users at {best['rps']} req/s "
                f"(p95 {ms(best['p95'])} ms, errors {best['error_rate']} %)."
            )
        results["submissions_seen"] = len(locustfile.JOURNAL["submissions"])
        measured = [s for s in results["steps"] if s["app_cpu_ms"] and s["db_cpu_ms"] is not None]
        if measured:
            per_request = statistics.median(s["app_cpu_ms"] + s["db_cpu_ms"] for s in measured)
            cores = len(os.sched_getaffinity(0))
            results["cpu_ms_per_request"] = per_request
            results["capacity_if_alone"] = round(cores * 1000 / per_request, 1)
            print(
                f"CPU per request (gunicorn worker + PostgreSQL backend, median of the steps): {per_request:.1f} ms, "
                f"so {cores} cores of our own would serve about {results['capacity_if_alone']} req/s."
            )
    finally:
        worker.stop()
        server.stop()
    out = WORK_DIR / f"load-{stamp}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"\nFull figures: {out.relative_to(WORK_DIR.parent.parent)}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description="Step ramp of users against gunicorn on PostgreSQL.")
    parser.add_argument("--steps", type=lambda s: [int(x) for x in s.split(",")], default=[10, 25, 50, 100, 200])
    parser.add_argument("--step-seconds", type=int, default=35)
    parser.add_argument("--settle", type=int, default=8)
    parser.add_argument("--max-p95", type=float, default=500.0)
    parser.add_argument("--max-errors", type=float, default=1.0, help="per cent")
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument(
        "--keep-going", action="store_true", help="run every step, past the limits (for the shape of the curve)"
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8431)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="a database named samspill_load*")
    parser.add_argument("--users-pool", type=int, default=200, help="volunteers with a session")
    ramp(parser.parse_args())


if __name__ == "__main__":
    main()
