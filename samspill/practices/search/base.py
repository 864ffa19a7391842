from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SORTS = ("relevance", "newest", "adopted")
# Facet name → (URL parameter, label).
FACETS = {
    "theme": "tema",
    "focus_area": "fokus",
    "target_group": "malgruppe",
    "county": "fylke",
    "municipality": "kommune",
    "organisation_kind": "organisasjonstype",
    "evidence": "kunnskap",
}


@dataclass(frozen=True)
class Filters:
    themes: tuple[str, ...] = ()  # Theme slugs
    focus_areas: tuple[str, ...] = ()  # FocusArea slugs
    target_groups: tuple[str, ...] = ()  # TargetGroup slugs
    counties: tuple[str, ...] = ()  # county numbers
    municipalities: tuple[str, ...] = ()  # municipality numbers
    organisation_kinds: tuple[str, ...] = ()  # OrganisationKind slugs
    evidence: tuple[str, ...] = ()  # Practice.Evidence values

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__)


@dataclass
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchPage:
    results: list[Any]
    total: int
    page: int
    pages: int
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    snippets: dict[int, str] = field(default_factory=dict)
