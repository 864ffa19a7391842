"""One small search interface over the catalogue, with a backend per database.

    page = search(query="besøksvenn eldre", filters=Filters(themes=["..."]), sort="relevance", page=1)

``page.results`` are the practices of the requested page in order, ``page.facets`` the counts
per facet value under the current query and the other facets, ``page.snippets`` highlighted
HTML excerpts per practice id (escaped text with <mark>). ``index_practice`` keeps the index
current and is called by the services after every change to a practice.
"""

from __future__ import annotations

from samspill.practices.search.base import Facet, Filters, SearchPage
from samspill.practices.search.engine import index_practice, rebuild_index, refresh, remove_from_index, search

__all__ = [
    "Facet",
    "Filters",
    "SearchPage",
    "index_practice",
    "rebuild_index",
    "refresh",
    "remove_from_index",
    "search",
]
