"""Scheduled jobs: reminders, escalations and clean-ups that run on the clock.

An app with work on the clock has ``<app>/scheduled.py`` with

    def jobs() -> list[Job]

Each job is a function ``run(now: datetime) -> int`` (how many things it did) that is
**idempotent**: it records what it has done (a reminder's ``sent_at``, say), so running it
twice, or after a missed hour, does the right thing once. ``manage.py run_scheduled``
runs every job; production runs it every 15 minutes from cron or a systemd timer
(docs/operations.md), and ``make run`` runs it beside the development server. Tests call
the job functions with a ``now`` of their choosing (time travel without mocks).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType

from django.apps import apps


@dataclass(frozen=True)
class Job:
    name: str  # "<app>.<what>", e.g. "partnerships.expiring_agreements"
    run: Callable[[datetime], int]
    description: str = ""


def _modules() -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        if not config.name.startswith("samspill."):
            continue
        try:
            yield importlib.import_module(f"{config.name}.scheduled")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.scheduled":
                raise


def all_jobs() -> list[Job]:
    return [job for module in _modules() for job in module.jobs()]
