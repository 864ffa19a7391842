from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    """A response time in days and hours, or hours and minutes when under a day."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        parts = [ngettext("%(n)d dag", "%(n)d dager", days) % {"n": days}]
        if hours:
            parts.append(ngettext("%(n)d time", "%(n)d timer", hours) % {"n": hours})
    else:
        parts = [ngettext("%(n)d time", "%(n)d timer", hours) % {"n": hours}] if hours else []
        parts.append(ngettext("%(n)d minutt", "%(n)d minutter", minutes) % {"n": minutes})
    return " ".join(parts)


@register.filter
def hours(value: Any) -> str:
    """Hours as people write them: 2, 3,5, 1,25 (no trailing zeros)."""
    if value in (None, ""):
        return "0"
    number = Decimal(str(value)).quantize(Decimal("0.01"))
    text = f"{number:f}".rstrip("0").rstrip(".")
    return formats.number_format(Decimal(text)) if "." in text else text
