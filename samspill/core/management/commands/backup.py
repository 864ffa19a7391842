"""Back up the database and the uploaded files into one archive: `manage.py backup /srv/backups/`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samspill.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one archive (tar.gz) with the database (SQLite online backup or pg_dump -Fc), every uploaded file "
        "and a manifest of row counts and checksums. Safe while the app runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target",
            help=(
                "A directory (existing, or ending in /; the archive gets a timestamped name in it) "
                "or the archive's file name."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup(options["target"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up {result.tables} tables ({result.rows} rows) and {result.files} files to {result.path}"
        )
        # The last line is the archive's path alone, for scripts.
        self.stdout.write(str(result.path))
