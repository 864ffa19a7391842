from __future__ import annotations

from django import template
from django.core.paginator import Paginator

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with ``changes`` applied (a value of None removes a key)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def page_window(paginator: Paginator, current: int) -> list[int | None]:
    """Page numbers to show around ``current``; None marks a gap."""
    return [
        n if isinstance(n, int) else None for n in paginator.get_elided_page_range(current, on_each_side=2, on_ends=1)
    ]
