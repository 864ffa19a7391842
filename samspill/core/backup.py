"""Backups of the database and the uploaded files, and restoring them.

One backup is one tar archive (gzip) holding

- ``manifest.json``: when and from what it was made, and for every table and every
  uploaded file its row count or size and a SHA-256 checksum;
- ``database.sqlite3`` (SQLite, made with the online backup API, so the app keeps running)
  or ``database.pgdump`` (PostgreSQL, ``pg_dump -Fc``);
- ``media/…``: every file under the upload directory (MEDIA_ROOT, the default storage).

The table checksums are taken from the same snapshot as the database copy: on SQLite from
the copied file, on PostgreSQL inside a repeatable-read transaction whose snapshot
``pg_dump --snapshot`` also uses. So the manifest states exactly what the archive holds,
even while people keep writing.

Tables are found by introspection, not from a list: a table added by a new app is
covered without a change here.

Restoring refuses to overwrite a database with tables in it or an upload directory with
files in it unless forced, and checks every table and file against the manifest
afterwards. ``manage.py backup`` and ``manage.py restore`` are the commands; see
docs/operations.md.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.utils import timezone

FORMAT = "samspill-backup-v1"
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
_CHUNK = 1 << 20


class BackupError(Exception):
    """The backup or restore could not be done; the message says why, for the operator."""


# --- Canonical checksums -------------------------------------------------------


def _canonical(value: Any) -> Any:
    """A JSON-friendly form of a database value that is the same wherever it is read."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value.normalize()) if value.is_finite() else str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return f"timedelta:{value.total_seconds()!r}"
    if isinstance(value, bytes | bytearray | memoryview):
        return "bytes:" + bytes(value).hex()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    return str(value)


def _row_line(row: tuple[Any, ...]) -> bytes:
    return json.dumps([_canonical(v) for v in row], sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def table_checksums(connection: BaseDatabaseWrapper) -> dict[str, dict[str, Any]]:
    """Row count and SHA-256 of the canonical content of every table in the database.

    Rows are read in primary-key order where there is a primary key (streamed), otherwise
    sorted here; each row becomes one canonical JSON line, and the table's checksum is
    taken over those lines with the column names first.
    """
    result: dict[str, dict[str, Any]] = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        for table in tables:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            primary_key = connection.introspection.get_primary_key_columns(cursor, table) or []
            digest = hashlib.sha256(json.dumps(columns).encode() + b"\n")
            select = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}"  # noqa: S608 - names from introspection
            rows = 0
            if primary_key:
                cursor.execute(f"{select} ORDER BY {', '.join(quote(c) for c in primary_key)}")
                while batch := cursor.fetchmany(2000):
                    for row in batch:
                        digest.update(_row_line(row) + b"\n")
                    rows += len(batch)
            else:
                cursor.execute(select)
                lines = sorted(_row_line(row) for row in cursor.fetchall())
                for line in lines:
                    digest.update(line + b"\n")
                rows = len(lines)
            result[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return result


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_checksums(root: Path) -> dict[str, dict[str, Any]]:
    """Size and SHA-256 of every file under ``root``, by path relative to it (POSIX form)."""
    result: dict[str, dict[str, Any]] = {}
    if not root.is_dir():
        return result
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            result[path.relative_to(root).as_posix()] = {"size": path.stat().st_size, "sha256": _file_sha256(path)}
    return result


def media_root() -> Path:
    """Where uploads live: the default storage's directory (var/media unless configured)."""
    location = getattr(default_storage, "location", None) or settings.MEDIA_ROOT
    if not location:
        raise BackupError("The default storage has no local directory; only file-system storage can be backed up.")
    return Path(location)


# --- Connections ---------------------------------------------------------------


def _engine(settings_dict: dict[str, Any]) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Unsupported database engine: {engine}")


@contextmanager
def open_database(settings_dict: dict[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    """A connection of its own to the database ``settings_dict`` describes, closed afterwards.

    Django's backends look their own connection up by alias (``connections[alias]``), so
    it is registered under a one-off alias while open, but not among the configured
    databases: it is not one of the project's databases, only a handle for this job.
    """
    alias = f"samspill_backup_{uuid.uuid4().hex}"
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(dict(settings_dict), alias)
    connections[alias] = wrapper
    try:
        wrapper.ensure_connection()
        yield wrapper
    finally:
        wrapper.close()
        del connections[alias]


def default_settings_dict() -> dict[str, Any]:
    return dict(connections[DEFAULT_DB_ALIAS].settings_dict)


def _pg_env(settings_dict: dict[str, Any], name: str | None = None) -> dict[str, str]:
    """libpq's environment for pg_dump/pg_restore: the password never appears on a command line."""
    env = dict(os.environ)
    values = {
        "PGDATABASE": name or settings_dict.get("NAME") or "",
        "PGUSER": settings_dict.get("USER") or "",
        "PGPASSWORD": settings_dict.get("PASSWORD") or "",
        "PGHOST": settings_dict.get("HOST") or "",
        "PGPORT": str(settings_dict.get("PORT") or ""),
    }
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("service", "PGSERVICE")):
        if options.get(option):
            values[variable] = str(options[option])
    env.update({key: value for key, value in values.items() if value})
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} was not found; install the PostgreSQL client programs.")
    result = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


# --- Backup --------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]

    @property
    def tables(self) -> int:
        return len(self.manifest["tables"])

    @property
    def rows(self) -> int:
        return sum(t["rows"] for t in self.manifest["tables"].values())

    @property
    def files(self) -> int:
        return len(self.manifest["files"])


def _archive_path(target: Path | str, now: datetime.datetime) -> Path:
    """A directory (existing, or named with a trailing slash) gets a timestamped file in it."""
    path = Path(target)
    if path.is_dir() or str(target).endswith(("/", os.sep)):
        path.mkdir(parents=True, exist_ok=True)
        return path / f"samspill-backup-{now.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}.tar.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _dump_sqlite(settings_dict: dict[str, Any], work: Path) -> tuple[Path, dict[str, dict[str, Any]]]:
    copy = work / SQLITE_MEMBER
    with open_database(settings_dict) as source:
        destination = sqlite3.connect(copy)
        try:
            # The online backup API copies a consistent snapshot while others keep writing (WAL).
            source.connection.backup(destination)
        finally:
            destination.close()
    # Checksums from the copy itself, so they describe exactly what is archived.
    with open_database({**settings_dict, "NAME": str(copy), "OPTIONS": {}}) as copied:
        return copy, table_checksums(copied)


def _dump_postgres(settings_dict: dict[str, Any], work: Path) -> tuple[Path, dict[str, dict[str, Any]]]:
    dump = work / POSTGRES_MEMBER
    with open_database(settings_dict) as conn, conn.cursor() as cursor:
        # One snapshot for both the dump and the checksums.
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            _run(
                ["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "-f", str(dump)],
                _pg_env(settings_dict),
            )
            checksums = table_checksums(conn)
        finally:
            cursor.execute("ROLLBACK")
    return dump, checksums


def backup(
    target: Path | str, *, settings_dict: dict[str, Any] | None = None, media: Path | None = None
) -> BackupResult:
    """Write one archive of the database and the uploads to ``target`` (a directory or a file name)."""
    settings_dict = settings_dict or default_settings_dict()
    media = media or media_root()
    engine = _engine(settings_dict)
    now = timezone.now()
    path = _archive_path(target, now)
    with tempfile.TemporaryDirectory(prefix="samspill-backup-") as tmp:
        work = Path(tmp)
        dump, tables = (_dump_sqlite if engine == "sqlite" else _dump_postgres)(settings_dict, work)
        files = file_checksums(media)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": engine,
            "database": dump.name,
            "tables": tables,
            "files": files,
        }
        partial = path.with_name(path.name + ".partial")
        # Backups hold personal data: readable by the owner only.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
            tar.addfile(info, _bytes_io(data))
            tar.add(dump, arcname=dump.name)
            for name in files:
                tar.add(media / name, arcname=MEDIA_PREFIX + name)
        partial.replace(path)
    return BackupResult(path=path, manifest=manifest)


def _bytes_io(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


# --- Restore -------------------------------------------------------------------


@dataclass
class Verification:
    tables_checked: int = 0
    files_checked: int = 0
    problems: list[str] = field(default_factory=list)
    extra_tables: list[str] = field(default_factory=list)
    extra_files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, "r:*") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(member.read())
    except (KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"{archive} has no readable {MANIFEST}; is it a Samspill backup?") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format: {manifest.get('format')!r}")
    return manifest


def _safe_media_name(name: str) -> str | None:
    """The relative path of an uploaded file in the archive, or None for anything odd."""
    if not name.startswith(MEDIA_PREFIX):
        return None
    relative = PurePosixPath(name[len(MEDIA_PREFIX) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        return None
    return relative.as_posix()


def database_has_tables(settings_dict: dict[str, Any]) -> bool:
    with open_database(settings_dict) as conn, conn.cursor() as cursor:
        return bool(conn.introspection.table_names(cursor))


def create_database(settings_dict: dict[str, Any], name: str) -> dict[str, Any]:
    """A fresh, empty database named ``name`` beside the configured one; its settings."""
    engine = _engine(settings_dict)
    target = {**settings_dict, "NAME": name}
    if engine == "sqlite":
        if Path(name).exists():
            raise BackupError(f"{name} exists already.")
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        target["OPTIONS"] = {k: v for k, v in (settings_dict.get("OPTIONS") or {}).items() if k != "uri"}
        target.pop("TEST", None)
        return target
    with open_database(settings_dict) as conn, conn._nodb_cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(f"CREATE DATABASE {conn.ops.quote_name(name)}")
    return target


def drop_database(settings_dict: dict[str, Any], name: str) -> None:
    if _engine(settings_dict) == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
        return
    with open_database(settings_dict) as conn, conn._nodb_cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(f"DROP DATABASE IF EXISTS {conn.ops.quote_name(name)} WITH (FORCE)")


def restore(
    archive: Path,
    *,
    settings_dict: dict[str, Any] | None = None,
    media: Path | None = None,
    force: bool = False,
) -> Verification:
    """Put the archive's database and files in place, then check them against its manifest."""
    settings_dict = settings_dict or default_settings_dict()
    media = media or media_root()
    manifest = read_manifest(archive)
    engine = _engine(settings_dict)
    if manifest["engine"] != engine:
        raise BackupError(f"The backup is of a {manifest['engine']} database; this one is {engine}.")
    if not force:
        if database_has_tables(settings_dict):
            raise BackupError(
                "The database is not empty. Restore into a fresh database, or use --force to overwrite it."
            )
        if media.is_dir() and any(p.is_file() for p in media.rglob("*")):
            raise BackupError(f"{media} holds files. Restore into an empty directory, or use --force to overwrite.")

    with tempfile.TemporaryDirectory(prefix="samspill-restore-") as tmp, tarfile.open(archive, "r:*") as tar:
        work = Path(tmp)
        database_member = tar.extractfile(manifest["database"])
        if database_member is None:
            raise BackupError(f"The archive lacks {manifest['database']}.")
        dump = work / manifest["database"]
        with dump.open("wb") as out:
            shutil.copyfileobj(database_member, out)
        if engine == "sqlite":
            _restore_sqlite(settings_dict, dump)
        else:
            _restore_postgres(settings_dict, dump)

        media.mkdir(parents=True, exist_ok=True)
        for member in tar.getmembers():
            name = _safe_media_name(member.name)
            if name is None or not member.isfile():
                continue
            target = media / name
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            assert source is not None  # noqa: S101 - a regular file member always has content
            with target.open("wb") as out:
                shutil.copyfileobj(source, out)
    return verify(manifest, settings_dict=settings_dict, media=media)


def _restore_sqlite(settings_dict: dict[str, Any], dump: Path) -> None:
    source = sqlite3.connect(dump)
    try:
        with open_database(settings_dict) as target:
            # The backup API replaces the target's pages as a whole, under SQLite's locks.
            source.backup(target.connection)
    finally:
        source.close()


def _restore_postgres(settings_dict: dict[str, Any], dump: Path) -> None:
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "-d",
            settings_dict["NAME"],
            str(dump),
        ],
        _pg_env(settings_dict),
    )


def verify(manifest: dict[str, Any], *, settings_dict: dict[str, Any], media: Path) -> Verification:
    """Compare the database and the upload directory with what the manifest says was backed up."""
    result = Verification()
    with open_database(settings_dict) as conn:
        found = table_checksums(conn)
    for table, expected in sorted(manifest["tables"].items()):
        result.tables_checked += 1
        got = found.get(table)
        if got is None:
            result.problems.append(f"table {table}: missing")
        elif got["rows"] != expected["rows"]:
            result.problems.append(f"table {table}: {got['rows']} rows, expected {expected['rows']}")
        elif got["sha256"] != expected["sha256"]:
            result.problems.append(f"table {table}: content differs ({expected['rows']} rows)")
    # Tables the backup does not know (e.g. from a newer release) are left alone and reported.
    result.extra_tables = sorted(set(found) - set(manifest["tables"]))
    files = file_checksums(media)
    for name, expected in sorted(manifest["files"].items()):
        result.files_checked += 1
        got = files.get(name)
        if got is None:
            result.problems.append(f"file {name}: missing")
        elif got["sha256"] != expected["sha256"]:
            result.problems.append(f"file {name}: content differs")
    result.extra_files = sorted(set(files) - set(manifest["files"]))
    return result
