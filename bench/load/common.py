"""What `make load` and `make drill` share: the environment, gunicorn, the task worker.

No Django here: the load generator (locust, with gevent) runs in this process, and the
application runs in its own processes with the environment ``server_env()`` gives, the one a
production machine would have (``SAMSPILL_ENV=production``, PostgreSQL, Redis for cache and
sessions, no DEBUG). Only two things differ from production, both because there is no TLS on
loopback: ``SECURE_SSL_REDIRECT=false``, and the client sends ``X-Forwarded-Proto: https`` as
the TLS-terminating proxy would (gunicorn trusts it from 127.0.0.1), so Django sees every
request as secure: secure cookies, CSRF origin checks and HSTS work as in production.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent.parent
WORK_DIR = BASE_DIR / "var" / "load"
FIXTURES = WORK_DIR / "fixtures.json"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/samspill_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/11"
DEFAULT_PORT = 8431
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@dataclass
class Target:
    """Where the application under load runs, and how."""

    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str = DEFAULT_REDIS_URL
    port: int = DEFAULT_PORT
    workers: int = 4
    worker_class: str = "sync"
    threads: int = 1
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def host(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def check(self) -> None:
        name = urlsplit(self.database_url).path.lstrip("/")
        if not name.startswith("samspill_load"):
            raise SystemExit(f"Refusing to use the database {name!r}: the load runs use samspill_load*.")
        if urlsplit(self.database_url).hostname not in LOOPBACK:
            raise SystemExit("The load runs are for a database on loopback only.")


def _secret_key() -> str:
    path = WORK_DIR / "secret_key"
    if not path.exists():
        WORK_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def server_env(target: Target) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SQLITE_"))}
    env.update(
        {
            "SAMSPILL_ENV": "production",
            "DEBUG": "false",
            "SECRET_KEY": _secret_key(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"https://127.0.0.1:{target.port}",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": target.database_url,
            "REDIS_URL": target.redis_url,
            "SAMSPILL_VAR_DIR": str(WORK_DIR / "app"),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "EMAIL_HOST": "",  # the console backend: the task worker's output is the mailbox
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(target.extra_env)
    return env


def manage(target: Target, *args: str, quiet: bool = True) -> None:
    """Run a management command against the load database; raise if it fails."""
    out = subprocess.DEVNULL if quiet else None
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [PYTHON, "manage.py", *args], cwd=BASE_DIR, env=server_env(target), check=True, stdout=out
    )


def run_script(target: Target, module: str, *args: str) -> dict[str, Any]:
    """Run ``python -m module`` (a Django script of bench.load) and return the JSON it prints last."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [PYTHON, "-m", module, *args],
        cwd=BASE_DIR,
        env={**server_env(target), "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def health(target: Target, timeout: float = 2.0) -> tuple[int, dict[str, Any] | None]:
    """(status, body) of /helse/; status 0 when nothing answers."""
    request = urllib.request.Request(  # noqa: S310 - http on loopback
        f"{target.host}/helse/", headers={"X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, json.loads(exc.read())
        except ValueError:
            return exc.code, None
    except (OSError, ValueError):
        return 0, None


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """CPU time (user + system) each live process has used so far."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return used


def postgres_backends(target: Target) -> list[int]:
    """Process ids of the PostgreSQL backends connected to the load database."""
    import psycopg

    name = urlsplit(target.database_url).path.lstrip("/")
    url = target.database_url.replace("postgres://", "postgresql://", 1)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
            ).fetchall()
    except psycopg.Error:
        return []
    return [row[0] for row in rows]


def load_average() -> float:
    return os.getloadavg()[0]


class Gunicorn:
    """One gunicorn master with its workers, started as a production machine would start it."""

    def __init__(self, target: Target, log_path: Path) -> None:
        self.target = target
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.stop_leftovers()
        t = self.target
        args = [
            GUNICORN,
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{t.port}",
            "--workers",
            str(t.workers),
            "--worker-class",
            t.worker_class,
            "--threads",
            str(t.threads),
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--forwarded-allow-ips",
            "127.0.0.1",
            "--backlog",
            "512",
            # Import Django and the URL configuration once, in the master: a worker started
            # under load answers at once (see gunicorn_conf.py).
            "--preload",
            "--config",
            "python:bench.load.gunicorn_conf",
            # Several gunicorns run on this machine; each would claim ~/.gunicorn/gunicorn.ctl.
            "--no-control-socket",
            # A new master can bind while the workers of one that was killed still hold the port.
            "--reuse-port",
        ]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
            args, cwd=BASE_DIR, env=server_env(t), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def stop_leftovers(self) -> None:
        """After the master died: tell the workers it left behind to finish, as systemd does
        (KillMode=control-group sends SIGTERM to the rest of the group).

        Orphaned workers go on answering on the socket until they notice the master is gone,
        up to ``timeout / 2`` seconds later; with ``--reuse-port`` the new master binds meanwhile.
        """
        if self.process is None or self.process.poll() is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)  # start_new_session: the master leads its group

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def worker_pids(self) -> list[int]:
        if not self.alive():
            return []
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def wait_ready(self, timeout: float = 60) -> float:
        """Seconds until /helse/ answers 200; raises if it does not within ``timeout``."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if health(self.target)[0] == 200:
                return time.monotonic() - started
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None


class TaskWorker:
    """``manage.py db_worker``; its console e-mail backend writes every message to ``log_path``."""

    def __init__(self, target: Target, log_path: Path) -> None:
        self.target = target
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own manage.py
            [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "0.5"],
            cwd=BASE_DIR,
            env=server_env(self.target),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            assert self.process is not None
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.alive():
            assert self.process is not None
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def _has_reference_data(target: Target) -> bool:
    """The load database has its municipalities and postal codes (load_reference_data takes 30 s)."""
    import psycopg

    url = target.database_url.replace("postgres://", "postgresql://", 1)
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM places_municipality), (SELECT count(*) FROM places_postalcode)"
            ).fetchone()
    except psycopg.Error:
        return False
    return bool(row and row[0] >= 357 and row[1] > 5000)


def _static_is_stale() -> bool:
    """collectstatic (production's manifest storage needs it) only when static/ changed since."""
    manifest = BASE_DIR / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [BASE_DIR / "static", *BASE_DIR.glob("samspill/*/static")]
    return any(path.stat().st_mtime > built for root in sources for path in root.rglob("*") if path.is_file())


def prepare(target: Target, *, users: int, fresh: bool) -> dict[str, Any]:
    """Migrate and fill the load database, collect static files, make the run's fixtures."""
    target.check()
    from bench.db import ensure_postgres_database

    WORK_DIR.mkdir(parents=True, exist_ok=True)
    ensure_postgres_database(target.database_url)
    manage(target, "migrate", "--no-input", "-v", "0")
    if not _has_reference_data(target):
        manage(target, "load_reference_data")
    manage(target, "load_demo_data")  # idempotent; new apps add theirs
    if _static_is_stale():
        manage(target, "collectstatic", "--no-input", "-v", "0")
    fixtures = run_script(target, "bench.load.setup", "--users", str(users), *(["--fresh"] if fresh else []))
    FIXTURES.write_text(json.dumps(fixtures, indent=2))
    return fixtures
