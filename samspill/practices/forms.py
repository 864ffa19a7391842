"""The catalogue's search form: GET parameters in, a query, ``Filters``, sort and page out.

Bad input (an old link, a hand-edited URL) never gives an error page: an invalid value is
dropped, so the rest of the search still works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from samspill.practices.search import Filters
from samspill.practices.search.base import FACETS

# Facet name → Filters attribute.
FILTER_ATTRS = {
    "theme": "themes",
    "focus_area": "focus_areas",
    "target_group": "target_groups",
    "county": "counties",
    "municipality": "municipalities",
    "organisation_kind": "organisation_kinds",
    "evidence": "evidence",
}
FACET_LABELS = {
    "theme": _("Innsatsområde"),
    "focus_area": _("Fokusområde"),
    "target_group": _("Målgruppe"),
    "county": _("Fylke"),
    "municipality": _("Kommune"),
    "organisation_kind": _("Organisasjonstype"),
    "evidence": _("Kunnskapsgrunnlag"),
}
# The empty value is the default order: relevance when there is a query, newest without one.
# "Relevans" means nothing without a query, so it is offered only with one.
SORT_WITH_QUERY = [("", _("Relevans")), ("newest", _("Nyeste")), ("adopted", _("Mest tatt i bruk"))]
SORT_WITHOUT_QUERY = [("", _("Nyeste")), ("adopted", _("Mest tatt i bruk"))]
MAX_VALUES = 50  # per facet
_VALUE = re.compile(r"^[\w-]{1,80}$")


@dataclass(frozen=True)
class CatalogueQuery:
    query: str
    filters: Filters
    sort: str
    page: int


class CatalogueForm(forms.Form):
    q = forms.CharField(
        label=_("Søk i gode eksempler"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "class": "ds-input", "autocomplete": "off"}),
    )
    sort = forms.ChoiceField(
        label=_("Sorter etter"),
        choices=SORT_WITH_QUERY,
        required=False,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, data: QueryDict, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        has_query = bool((data.get("q") or "").strip())
        sort_field = cast(forms.ChoiceField, self.fields["sort"])
        sort_field.choices = SORT_WITH_QUERY if has_query else SORT_WITHOUT_QUERY
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        query = (cleaned.get("q") or "").strip()
        sort = cleaned.get("sort") or ("relevance" if query else "newest")
        self.parsed = CatalogueQuery(query=query, filters=self._filters(data), sort=sort, page=cleaned.get("page") or 1)

    @staticmethod
    def _filters(data: QueryDict) -> Filters:
        values = {}
        for name, param in FACETS.items():
            chosen = []
            for value in data.getlist(param)[:MAX_VALUES]:
                value = value.strip()
                if _VALUE.match(value) and value not in chosen:
                    chosen.append(value)
            values[FILTER_ATTRS[name]] = tuple(chosen)
        return Filters(**values)
