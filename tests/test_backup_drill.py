"""Backup and restore drill: back up, restore into a fresh database and upload directory, compare.

Runs on whichever database the suite runs on (SQLite, or PostgreSQL when DATABASE_URL
points there). The data must be committed for pg_dump to see it, so these tests are
transactional; Django empties the database after each, and the reference data is loaded
again before and after.
"""

from __future__ import annotations

import json
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from samspill.calls.models import Attachment
from samspill.calls.tests.factories import CallFactory, SubmissionFactory
from samspill.core import backup as backups
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory
from samspill.places.models import Municipality

# Transactional, so that pg_dump sees the data. Naming every app makes Django empty the
# database with TRUNCATE … CASCADE afterwards, which also reaches tables without a model
# (the catalogue's search index on PostgreSQL).
pytestmark = pytest.mark.django_db(transaction=True, available_apps=[c.name for c in apps.get_app_configs()])


@pytest.fixture(scope="module")
def test_database_snapshot(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Path]:
    """The test database as it was before this module (reference data, data migrations), put back after.

    Django empties the database after each transactional test; the tests that follow on
    this worker expect what the other tests' rollbacks keep. The backup tool itself
    takes the snapshot and puts it back, a drill in its own right.
    """
    media = tmp_path_factory.mktemp("snapshot-media")
    with django_db_blocker.unblock():
        archive = backups.backup(tmp_path_factory.mktemp("snapshot") / "before.tar.gz", media=media).path
    yield archive
    with django_db_blocker.unblock():
        _put_back(archive, media)


def _put_back(archive: Path, media: Path) -> None:
    connection.close()
    result = backups.restore(archive, settings_dict=backups.default_settings_dict(), media=media, force=True)
    assert result.ok, result.problems


@pytest.fixture
def committed(test_database_snapshot, tmp_path) -> None:
    """Reference data in the database, committed (an earlier test here may have emptied it)."""
    if not Municipality.objects.exists():
        _put_back(test_database_snapshot, tmp_path / "snapshot-media")


@pytest.fixture
def drill_data(committed, tmp_path) -> Path:
    """Demo-like data of two organisations, with a call, submissions, an upload and a session."""
    media = tmp_path / "media"
    bergen = Municipality.objects.get(number="4601")
    oslo = Municipality.objects.get(number="0301")
    first = OrganisationFactory(home_municipality=bergen)
    second = OrganisationFactory(home_municipality=oslo)
    admin = MembershipFactory(organisation=first, role="admin").user
    MembershipFactory(organisation=first, role="member")
    MembershipFactory(organisation=second, role="coordinator")
    call = CallFactory(organisations=[first])
    submission = SubmissionFactory(call=call, submitter=admin, title="Møteplass for alle – æøå 🎉")
    SubmissionFactory(call=call)
    Attachment.objects.create(
        submission=submission,
        file=ContentFile(b"%PDF-1.4 drill\n" + uuid.uuid4().bytes, name="plan.pdf"),
        original_name="plan.pdf",
        content_type="application/pdf",
        size=31,
    )
    Client().force_login(admin)  # a row in the session table, and the person's device
    assert any(media.rglob("*")), "the attachment should be stored under the test's media directory"
    return media


def _scratch_name(tmp_path: Path) -> str:
    if connection.vendor == "sqlite":
        return str(tmp_path / "restored.sqlite3")
    return f"{connection.settings_dict['NAME']}_drill_{uuid.uuid4().hex[:8]}"


@pytest.fixture
def scratch_database(tmp_path) -> Iterator[str]:
    name = _scratch_name(tmp_path)
    yield name
    backups.drop_database(backups.default_settings_dict(), name)


def test_backup_restores_into_a_fresh_database_with_every_table_and_file_equal(
    drill_data, tmp_path, scratch_database, capsys
):
    call_command("backup", str(tmp_path / "backups"))
    archive = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert archive.is_file()
    assert archive.stat().st_mode & 0o077 == 0, "backups hold personal data: owner-only permissions"

    manifest = backups.read_manifest(archive)
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"]["calls_attachment"]["rows"] == 1
    assert all(len(t["sha256"]) == 64 for t in manifest["tables"].values())
    (name,) = manifest["files"]
    assert name.startswith("attachments/")

    # An upload directory with files in it is not overwritten without --force.
    with pytest.raises(CommandError, match="holds files"):
        call_command("restore", str(archive), into=scratch_database, media_root=str(drill_data))

    restored_media = tmp_path / "restored-media"
    call_command("restore", str(archive), into=scratch_database, media_root=str(restored_media))
    out = capsys.readouterr().out
    assert "Verified: every table and file matches the manifest." in out

    # Compare independently of the manifest: the live database against the restored one.
    source = backups.table_checksums(connection)
    with backups.open_database({**backups.default_settings_dict(), "NAME": scratch_database}) as restored:
        copy = backups.table_checksums(restored)
    assert copy == source
    # Tables are found by introspection, so every model's table is covered, also of apps added later.
    assert set(connection.introspection.django_table_names(only_existing=True)) <= set(source)
    assert set(connection.introspection.table_names()) == set(source)
    assert source[Attachment._meta.db_table]["rows"] == 1
    assert source["calls_submission"]["rows"] == 2
    assert source["django_session"]["rows"] >= 1

    files = backups.file_checksums(drill_data)
    assert files and backups.file_checksums(restored_media) == files

    # A manifest that does not match what was restored is reported, and the command fails.
    backups.drop_database(backups.default_settings_dict(), scratch_database)
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "manifest.json":
                manifest["tables"]["calls_submission"]["rows"] += 1
                manifest["files"][name]["sha256"] = "0" * 64
                data = json.dumps(manifest).encode()
                member.size = len(data)
            dst.addfile(member, ContentFile(data))
    with pytest.raises(CommandError, match="does not match"):
        call_command("restore", str(tampered), into=scratch_database, media_root=str(tmp_path / "m"))
    problems = capsys.readouterr().err
    assert "table calls_submission: 2 rows, expected 3" in problems
    assert f"file {name}: content differs" in problems


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(drill_data, tmp_path, capsys):
    archive = backups.backup(tmp_path / "b.tar.gz").path

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), media_root=str(tmp_path / "empty-media"))

    Attachment.objects.all().delete()
    (drill_data / "stray.txt").write_text("not in the backup")
    call_command("restore", str(archive), force=True)

    assert Attachment.objects.count() == 1
    out = capsys.readouterr().out
    assert "Verified" in out
    assert "1 files in" in out  # the stray file is reported, not deleted


@pytest.mark.django_db  # reads no data; no need to be transactional
def test_restore_refuses_what_is_not_a_backup(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        tar.addfile(tarfile.TarInfo("hello.txt"))

    with pytest.raises(CommandError, match="is it a Samspill backup"):
        call_command("restore", str(bogus), into=_scratch_name(tmp_path), media_root=str(tmp_path / "m"))
    assert not (tmp_path / "restored.sqlite3").exists()
