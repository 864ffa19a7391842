"""Sections of "Min side" contributed by later apps.

An app that shows a person something on their own page has ``<app>/my_page.py`` with

    def sections(request) -> list[MyPageSection]

Each section is a template (rendering one ``<section>`` with its own heading) and its
context. accounts (an early app) renders them in INSTALLED_APPS order without importing
the apps, in the same way as ``samspill.core.personal_data``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.apps import apps
from django.http import HttpRequest


@dataclass(frozen=True)
class MyPageSection:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def _modules() -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        if not config.name.startswith("samspill.") or config.label in ("accounts", "core"):
            continue
        try:
            yield importlib.import_module(f"{config.name}.my_page")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.my_page":
                raise


def sections_for(request: HttpRequest) -> list[MyPageSection]:
    return [section for module in _modules() for section in module.sections(request)]
