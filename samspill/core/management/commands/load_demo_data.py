"""Load demo content: each app's ``demo.load()`` in INSTALLED_APPS order. Safe to run again."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from samspill.places.models import Municipality


class Command(BaseCommand):
    help = "Load demo organisations, people and content (idempotent). Needs load_reference_data first."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not Municipality.objects.exists():
            raise CommandError("Run `manage.py load_reference_data` first.")
        for config in apps.get_app_configs():
            if not config.name.startswith("samspill."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.load()
            self.stdout.write(f"demo data: {config.label}")
