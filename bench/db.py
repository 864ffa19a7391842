"""Point Django at the benchmark database before it starts.

By default the benchmarks use their own SQLite file, ``var/bench.sqlite3``, so the
developer's ``var/samspill.sqlite3`` is never touched. ``--database-url`` selects any
other database (for example PostgreSQL); a PostgreSQL database is created when missing.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = BASE_DIR / "var" / "bench.sqlite3"


def configure(database_url: str | None) -> str:
    """Set the environment for ``bench.settings`` and start Django. Returns a label for the database."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
        if database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
            ensure_postgres_database(database_url)
        label = _redact(database_url)
    else:
        # An inherited DATABASE_URL would win over SQLITE_PATH in config.settings.
        os.environ.pop("DATABASE_URL", None)
        DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        os.environ["SQLITE_PATH"] = str(DEFAULT_SQLITE_PATH)
        label = f"sqlite:///{DEFAULT_SQLITE_PATH.relative_to(BASE_DIR)}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    # Measure what production runs: no DEBUG (no query log, no debug templates).
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "ERROR")

    # WhiteNoise warns when collectstatic has not run; the benchmark serves no static files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    import django

    django.setup()
    return label


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def _maintenance_url(url: str) -> tuple[str, str]:
    """(URL of the server's ``postgres`` database, name of the database in ``url``)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(scheme="postgresql", path="/postgres")), name


def ensure_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    maintenance, name = _maintenance_url(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created PostgreSQL database {name}.")


def drop_database(database_url: str | None) -> None:
    """Remove the benchmark database entirely (before Django starts). Only bench databases qualify."""
    if not database_url:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DEFAULT_SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return
    if database_url.startswith("sqlite"):
        path = Path(urlsplit(database_url).path)
        if "bench" not in path.name:
            raise SystemExit(f"Refusing to delete {path}: --reset only deletes databases with 'bench' in the name.")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    maintenance, name = _maintenance_url(database_url)
    if "bench" not in name:
        raise SystemExit(f"Refusing to drop {name}: --reset only drops databases with 'bench' in the name.")
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    print(f"Dropped PostgreSQL database {name}.")
