"""Restore an archive made by `manage.py backup`, then check it: `manage.py restore ARCHIVE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from samspill.core.backup import (
    BackupError,
    create_database,
    default_settings_dict,
    drop_database,
    media_root,
    read_manifest,
    restore,
)


class Command(BaseCommand):
    help = (
        "Restore the database and the uploaded files from a backup archive and verify every table and file against "
        "its manifest. Refuses to overwrite a database with tables or an upload directory with files unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The .tar.gz written by manage.py backup.")
        parser.add_argument(
            "--force", action="store_true", help="Overwrite the database and upload directory even if not empty."
        )
        parser.add_argument(
            "--into",
            metavar="NAME",
            help=(
                "Restore into a new database instead of the configured one: a database name on the same PostgreSQL "
                "server (created here), or a new SQLite file. For restore drills; the app keeps running."
            ),
        )
        parser.add_argument(
            "--media-root", metavar="DIR", help="Restore the uploaded files here instead of the configured directory."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist.")
        settings_dict = default_settings_dict()
        media = Path(options["media_root"]) if options["media_root"] else media_root()
        created = None
        try:
            read_manifest(archive)  # refuse what is not a backup before creating anything
            if options["into"]:
                settings_dict = created = create_database(settings_dict, options["into"])
            else:
                # pg_restore --clean drops tables; our own idle connection must not hold them.
                connections.close_all()
            result = restore(archive, settings_dict=settings_dict, media=media, force=options["force"])
        except BackupError as exc:
            if created is not None:
                drop_database(default_settings_dict(), created["NAME"])
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {archive} into {settings_dict['NAME']} and {media}: "
            f"checked {result.tables_checked} tables and {result.files_checked} files."
        )
        for name in result.extra_tables:
            self.stdout.write(f"note: table {name} is not in the backup and was left as it was")
        if result.extra_files:
            self.stdout.write(f"note: {len(result.extra_files)} files in {media} are not in the backup (left in place)")
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"The restored data does not match the backup's manifest ({len(result.problems)} problems)."
            )
        self.stdout.write("Verified: every table and file matches the manifest.")
