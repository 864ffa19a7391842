"""`make drill`: faults during load, then proof that nothing the clients were told is lost.

    python -m bench.load.drill [--users 30] [--no-postgres-restart]

Prepares the load database like `make load`, starts gunicorn (4 workers) and one task
worker under a small supervisor (it restarts a process that died, one second later, as
systemd's ``Restart=always`` would), puts a steady load on them (catalogue visitors and
organisations submitting through the API, with an Idempotency-Key and retries), and then:

1. ``kill -9`` one gunicorn worker (the master starts a new one);
2. ``kill -9`` the task worker, let receipts queue up, start it, and ``kill -9`` it again
   while it works through the queue, so a task is interrupted half-way;
3. ``kill -9`` the gunicorn master (its workers finish what they hold and exit; the
   supervisor starts a new master);
4. restart PostgreSQL (``pg_ctlcluster <version> main restart``; skipped with
   ``--no-postgres-restart``). This disturbs everything else using the server for a few
   seconds, so the drill does it once.

Then the load stops, the task worker gets time to empty the queue, and bench.load.check holds
what the clients saw against the database and the mailbox. PASS needs all of:

- every submission answered 2xx is in the database with the reference it was given;
- nothing is stored twice (one row per idempotency key, at most one receipt per submission);
- every sent submission got exactly one receipt e-mail;
- /helse/ answers 200 again after each fault, without anyone doing anything;
- every sign-up answered 2xx is in the database, once (when sign-ups are on).

Figures and the verdict are printed and written to var/load/drill-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import gevent
import locust  # patches the standard library for gevent on import
from locust.env import Environment

from bench.load import locustfile
from bench.load.common import (
    BASE_DIR,
    DEFAULT_DATABASE_URL,
    PYTHON,
    WORK_DIR,
    Gunicorn,
    Target,
    TaskWorker,
    health,
    port_is_free,
    prepare,
    run_script,
    server_env,
)
from bench.load.run import snapshot


class Supervisor:
    """Restarts gunicorn and the task worker when they die, as a process supervisor would."""

    def __init__(self, server: Gunicorn, worker: TaskWorker, log: Any) -> None:
        self.server = server
        self.worker = worker
        self.log = log
        self.worker_paused = False
        self.restarts: list[dict[str, Any]] = []

    def watch(self) -> None:
        while True:
            gevent.sleep(0.5)
            if not self.server.alive():
                code = self.server.process.returncode if self.server.process else None
                gevent.sleep(1)
                self.server.start()
                self.restarts.append({"process": "gunicorn", "exit": code})
                self.log(f"supervisor: gunicorn had exited ({code}); started a new master, pid {self.server.pid}")
            if not self.worker_paused and not self.worker.alive():
                code = self.worker.process.returncode if self.worker.process else None
                gevent.sleep(1)
                self.worker.start()
                self.restarts.append({"process": "db_worker", "exit": code})
                self.log(f"supervisor: db_worker had exited ({code}); started it again")


class HealthWatch:
    """Asks /helse/ twice a second and keeps the answers, to time each outage.

    An answer counts as healthy when it is a 200 within 5 s, as a load balancer would judge.
    """

    def __init__(self, target: Target) -> None:
        self.target = target
        self.samples: list[tuple[float, int]] = []

    def wait_healthy(self, timeout: float = 120.0) -> None:
        waited = time.monotonic()
        while time.monotonic() - waited < timeout:
            if self.samples and self.samples[-1][1] == 200:
                return
            gevent.sleep(0.5)

    def watch(self) -> None:
        while True:
            status, _body = health(self.target, timeout=5.0)  # a load balancer's usual timeout
            self.samples.append((time.monotonic(), status))
            gevent.sleep(0.5)

    def outage_after(self, moment: float, until: float) -> dict[str, Any]:
        """For an outage that began between ``moment`` and ``until`` (the next fault): how long
        /helse/ did not answer 200, and when, counted from ``moment``, it did again."""
        after = [(t, s) for t, s in self.samples if t >= moment]
        down = [t for t, s in after if s != 200 and t < until]
        if not down:
            return {"unhealthy_seconds": 0.0, "back_after_seconds": 0.0}
        back = next((t for t, s in after if s == 200 and t > down[0]), None)
        return {
            "unhealthy_seconds": round((back or after[-1][0]) - down[0], 1),
            "back_after_seconds": round(back - moment, 1) if back else None,
        }


def wait_for_a_running_task(mailbox: Path, offset: int, timeout: float = 30.0) -> bool:
    """Wait until the task worker has started a task (``state=RUNNING`` in its output after
    ``offset``) and not yet finished it; True then, False after ``timeout``."""
    waited = time.monotonic()
    while time.monotonic() - waited < timeout:
        try:
            with mailbox.open("rb") as log:
                log.seek(offset)
                lines = log.read().decode(errors="replace").splitlines()
        except OSError:
            lines = []
        states = [line for line in lines if line.startswith("Task id=") and " state=" in line]
        if states and states[-1].endswith("state=RUNNING"):
            return True
        gevent.sleep(0.002)
    return False


def mails(mailbox: Path) -> int:
    """How many e-mails the task worker has written to its mailbox so far."""
    try:
        return mailbox.read_bytes().count(b"\nSubject: ")
    except OSError:
        return 0


def postgres_version() -> str:
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: float(v) if v.replace(".", "").isdigit() else 0)
    return versions[-1]


def drill(args: argparse.Namespace) -> bool:
    target = Target(database_url=args.database_url, port=args.port, workers=args.workers)
    if not port_is_free(target.port):
        raise SystemExit(f"Port {target.port} is taken; choose another with --port.")
    print(f"Preparing {target.database_url.rsplit('/', 1)[-1]} …", flush=True)
    prepare(target, users=args.users, fresh=True)
    signups = locustfile.enable_signups()
    classes = [cls for cls in locustfile.USER_CLASSES if cls.weight > 0]
    # More submitters than in `make load`: the drill is about what gets written.
    locustfile.DeadlineSubmitter.weight = 4
    locustfile.CatalogueVisitor.weight = 3
    locustfile.reset_journal()

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    mailbox = WORK_DIR / f"drill-worker-{stamp}.log"
    server = Gunicorn(target, WORK_DIR / f"drill-gunicorn-{stamp}.log")
    worker = TaskWorker(target, mailbox)
    started = time.monotonic()
    events: list[dict[str, Any]] = []

    def log(message: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {message}", flush=True)

    def event(name: str, **details: Any) -> float:
        moment = time.monotonic()
        events.append({"at": round(moment - started, 1), "fault": name, "moment": moment, **details})
        log(name + (f" {details}" if details else ""))
        return moment

    greenlets: list[gevent.Greenlet] = []
    try:
        server.start()
        worker.start()
        server.wait_ready()
        supervisor = Supervisor(server, worker, log)
        watch = HealthWatch(target)
        greenlets += [gevent.spawn(supervisor.watch), gevent.spawn(watch.watch)]
        env = Environment(user_classes=classes, host=target.host, events=locust.events)
        runner = env.create_local_runner()
        runner.start(args.users, spawn_rate=10)
        names = ", ".join(c.__name__ for c in classes)
        log(f"load: {args.users} users ({names}); sign-ups {'on' if signups else 'off'}")
        pg_restarts = 0
        try:
            gevent.sleep(args.pace)
            victim = server.worker_pids()[0]
            os.kill(victim, signal.SIGKILL)
            event("kill -9 gunicorn worker", pid=victim)

            gevent.sleep(args.pace)
            supervisor.worker_paused = True
            worker.kill()
            event("kill -9 db_worker (receipts queue up)")
            gevent.sleep(args.pace)
            before = mails(mailbox)
            offset = mailbox.stat().st_size
            worker.start()
            caught = wait_for_a_running_task(mailbox, offset)
            worker.kill()
            event(
                "kill -9 db_worker in the middle of a task" if caught else "kill -9 db_worker (no task seen running)",
                receipts_mailed_since_start=mails(mailbox) - before,
            )
            supervisor.worker_paused = False  # the supervisor starts it again

            gevent.sleep(args.pace)
            master = server.pid
            assert master is not None
            os.kill(master, signal.SIGKILL)
            event("kill -9 gunicorn master", pid=master)

            gevent.sleep(args.pace)
            watch.wait_healthy()
            if args.postgres_restart:
                version = postgres_version()
                moment = event("restart PostgreSQL", version=version)
                done = subprocess.run(  # noqa: S603
                    ["pg_ctlcluster", version, "main", "restart"],  # noqa: S607 - Debian's wrapper, on PATH
                    capture_output=True,
                    text=True,
                )
                pg_restarts += 1
                events[-1]["took_seconds"] = round(time.monotonic() - moment, 1)
                events[-1]["exit"] = done.returncode
                if done.returncode:
                    log(f"pg_ctlcluster failed: {done.stderr.strip()}")
            # Give the clients time to finish their retries once the app answers again.
            gevent.sleep(2)
            watch.wait_healthy()
            gevent.sleep(args.pace * 1.5)
        finally:
            runner.quit()
        load = snapshot(env, time.monotonic() - started)
        log(f"load stopped: {load['requests']} requests, {load['errors']} failed ({load['error_rate']} %)")

        # The scheduled job that cron runs every 15 minutes puts tasks whose worker died back
        # in the queue once they have been RUNNING for 30 minutes; pretend that time has come.
        later = (datetime.now(UTC) + timedelta(minutes=31)).isoformat()
        requeue = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [PYTHON, "manage.py", "run_scheduled", "--job", "core.requeue_interrupted_tasks", "--now", later],
            cwd=BASE_DIR,
            env={**server_env(target), "DJANGO_SETTINGS_MODULE": "config.settings"},
            capture_output=True,
            text=True,
        )
        event("run_scheduled core.requeue_interrupted_tasks", output=requeue.stdout.strip(), exit=requeue.returncode)

        # Let the worker empty the queue, then stop everything.
        drained_at = None
        deadline = time.monotonic() + args.drain_seconds
        while time.monotonic() < deadline:
            status, body = health(target)
            if status == 200 and body and body.get("tasks", {}).get("ready") == 0:
                drained_at = time.monotonic()
                break
            gevent.sleep(1)
        gevent.sleep(2)
        final_status, final_body = health(target)
        gevent.killall(greenlets)
        worker.stop()
        server.stop()

    except BaseException:
        gevent.killall(greenlets)
        worker.stop()
        server.stop()
        raise
    journal_path = WORK_DIR / f"drill-journal-{stamp}.json"
    journal_path.write_text(json.dumps({**locustfile.JOURNAL, "title_prefix": "Lasttest"}))
    found = run_script(target, "bench.load.check", str(journal_path), str(mailbox))

    moments = [item.pop("moment") for item in events] + [float("inf")]
    for item, moment, until in zip(events, moments, moments[1:], strict=False):
        item.update(watch.outage_after(moment, until))
    s, r = found["submissions"], found["submissions"]["receipts"]
    checks = {
        "every acknowledged submission is stored with its reference": not s["missing"] and not s["wrong_reference"],
        "no submission stored twice": not s["duplicated"],
        "every sent submission got exactly one receipt": not r["not_mailed"] and not r["mailed_more_than_once"],
        "no receipt task left running": not found["tasks"]["left_running"],
        "/helse/ answered 200 again after every fault": all(e["back_after_seconds"] is not None for e in events)
        and final_status == 200,
    }
    if signups:
        g = found["signups"]
        checks["every acknowledged sign-up is stored, once"] = not g["missing"] and not g["duplicated"]
    passed = all(checks.values())
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "users": args.users,
        "server": f"gunicorn {target.workers} × {target.worker_class}",
        "postgres_restarts": pg_restarts,
        "events": events,
        "restarts_by_supervisor": supervisor.restarts,
        "load": {k: load[k] for k in ("requests", "errors", "error_rate", "p50", "p95", "p99", "error_messages")},
        "queue_empty_after_load_seconds": round(drained_at - started, 1) if drained_at else None,
        "final_health": final_body,
        "found": found,
        "checks": checks,
        "passed": passed,
    }
    out = WORK_DIR / f"drill-{stamp}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print_summary(report)
    print(f"\nFull figures: {out.relative_to(Path(WORK_DIR).parent.parent)}")
    return passed


def print_summary(report: dict[str, Any]) -> None:
    s, r = report["found"]["submissions"], report["found"]["submissions"]["receipts"]
    print("\nFaults (seconds since the load started; /helse/ not 200 for … s, back after … s):")
    for e in report["events"]:
        print(
            f"  {e['at']:6.1f}  {e['fault']}: unhealthy {e['unhealthy_seconds']} s, "
            f"back after {e['back_after_seconds']} s"
        )
    for restart in report["restarts_by_supervisor"]:
        print(f"  supervisor restarted {restart['process']} (it had exited with {restart['exit']})")
    load = report["load"]
    print(
        f"\nLoad: {load['requests']} requests, {load['errors']} failed ({load['error_rate']} %), "
        f"p50 {load['p50']} ms, p95 {load['p95']} ms"
    )
    for message, count in list(load["error_messages"].items())[:6]:
        print(f"  {count} × {message}")
    print(
        f"\nSubmissions: {s['acknowledged']} acknowledged ({s['acknowledged_after_retry']} after a retry, "
        f"{s['replayed_200']} as a 200 replay), {s['found']} found, {len(s['missing'])} missing, "
        f"{len(s['duplicated'])} stored twice; {s['client_gave_up']} given up by the client "
        f"({s['client_gave_up_but_stored']} of them stored all the same), {s['cut_off_by_the_end_of_the_load']} "
        f"cut off when the load stopped ({s['cut_off_but_stored']} stored); {s['rows_in_run']} rows in all."
    )
    tasks = report["found"]["tasks"]
    print(
        f"Receipts: {r['submissions']} sent submissions, {r['mailed_once']} mailed once, "
        f"{len(r['not_mailed'])} not mailed, {len(r['mailed_more_than_once'])} mailed twice or more; "
        f"tasks {tasks['receipt_tasks']}, left running: {len(tasks['left_running'])}."
    )
    g = report["found"]["signups"]
    if g.get("acknowledged"):
        print(f"Sign-ups: {g['acknowledged']} acknowledged, {g['found']} found, {len(g['duplicated'])} duplicated.")
    print()
    for name, ok in report["checks"].items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    print(f"\nDRILL {'PASSED' if report['passed'] else 'FAILED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Faults during load, then checks against the database.")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--pace", type=float, default=10.0, help="seconds between faults")
    parser.add_argument("--drain-seconds", type=float, default=90.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8432)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="a database named samspill_load*")
    parser.add_argument(
        "--no-postgres-restart",
        dest="postgres_restart",
        action="store_false",
        help="skip the PostgreSQL restart (it disturbs everyone using the server)",
    )
    raise SystemExit(0 if drill(parser.parse_args()) else 1)


if __name__ == "__main__":
    main()
