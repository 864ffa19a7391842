"""Each app says what it stores about a person: ``<app>/personal_data.py`` with

    def export(user) -> dict | list   # for "Last ned mine data"
    def forget(user) -> None          # for "Slett kontoen min", inside its transaction

so that accounts (an early app) can export and delete data held by later apps without
importing them.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from django.apps import apps


def _modules() -> Iterator[tuple[str, ModuleType]]:
    for config in apps.get_app_configs():
        # accounts calls this module; core is where this module lives.
        if not config.name.startswith("samspill.") or config.label in ("accounts", "core"):
            continue
        try:
            yield config.label, importlib.import_module(f"{config.name}.personal_data")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.personal_data":
                raise


def export_from_apps(user: Any) -> dict[str, Any]:
    return {label: module.export(user) for label, module in _modules()}


def forget_in_apps(user: Any) -> None:
    for _, module in _modules():
        module.forget(user)
