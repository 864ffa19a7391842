"""Run every scheduled job once (they are idempotent). Cron: `*/15 * * * * manage.py run_scheduled`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from samspill.core.jobs import all_jobs


class Command(BaseCommand):
    help = "Run the scheduled jobs of every app (reminders, escalations, clean-ups). Safe to run as often as you like."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--job", action="append", help="Run only this job (repeatable); see --list.")
        parser.add_argument("--list", action="store_true", help="List the jobs and exit.")
        parser.add_argument("--now", help="Pretend it is this time (ISO 8601 with offset), for drills.")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = all_jobs()
        if options["list"]:
            for job in jobs:
                self.stdout.write(f"{job.name}\t{job.description}")
            return
        now = timezone.now()
        if options["now"]:
            parsed = parse_datetime(options["now"])
            if parsed is None or timezone.is_naive(parsed):
                raise CommandError("--now needs an ISO 8601 time with an offset, e.g. 2026-12-01T08:00:00+01:00")
            now = parsed
        wanted = set(options["job"] or [])
        unknown = wanted - {job.name for job in jobs}
        if unknown:
            raise CommandError(f"Unknown job(s): {', '.join(sorted(unknown))}")
        for job in jobs:
            if wanted and job.name not in wanted:
                continue
            done = job.run(now)
            self.stdout.write(f"{job.name}: {done}")
