"""Page sections contributed by later apps, so earlier apps never import them.

An app that adds something to another app's page has ``<app>/sections.py`` with one or
both of

    def my_page(request) -> list[Section]              # on "Min side" (accounts)
    def for_object(request, obj) -> list[Section]      # on the page of ``obj``

``for_object`` is called for every object page that asks (a practice, a municipality, a
county, a partnership …); an app returns ``[]`` for objects it has nothing to say about.
Each section is a template rendering one ``<section>`` with its own heading, and its
context. Every section must scope what it shows to ``request.user`` itself.

The pages render them in INSTALLED_APPS order, in the same way as
``samspill.core.personal_data`` collects each app's data.
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
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def _modules(exclude: str) -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        if not config.name.startswith("samspill.") or config.label in (exclude, "core"):
            continue
        try:
            yield importlib.import_module(f"{config.name}.sections")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.sections":
                raise


def my_page_sections(request: HttpRequest) -> list[Section]:
    return [s for module in _modules("accounts") if hasattr(module, "my_page") for s in module.my_page(request)]


def object_sections(request: HttpRequest, obj: Any) -> list[Section]:
    """Sections other apps add to ``obj``'s page (never from ``obj``'s own app)."""
    own = obj._meta.app_label
    return [s for module in _modules(own) if hasattr(module, "for_object") for s in module.for_object(request, obj)]
