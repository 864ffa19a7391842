"""Reporting periods: a month, a quarter or a year, named by the date it starts.

People write periods as ``2026-03`` (March), ``2026-K1`` or ``2026-Q1`` (first quarter)
and ``2026`` (the year); ``parse`` accepts each form for its period type only.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
QUARTER = re.compile(r"^(\d{4})\s*-?\s*[KkQq]([1-4])$")
YEAR = re.compile(r"^(\d{4})$")


def start_of(period_type: str, day: date) -> date:
    """The first day of the period ``day`` lies in."""
    if period_type == "year":
        return date(day.year, 1, 1)
    if period_type == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, day.month, 1)


def next_start(period_type: str, start: date) -> date:
    months = {"year": 12, "quarter": 3}.get(period_type, 1)
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def previous_start(period_type: str, start: date) -> date:
    months = {"year": 12, "quarter": 3}.get(period_type, 1)
    index = start.year * 12 + start.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def end_of(period_type: str, start: date) -> date:
    """The last day of the period that starts on ``start``."""
    return next_start(period_type, start) - timedelta(days=1)


def last_ended(period_type: str, today: date) -> date:
    """The start of the latest period that has ended before ``today``."""
    return previous_start(period_type, start_of(period_type, today))


def count_between(period_type: str, first: date, last: date) -> int:
    """How many periods from ``first`` to ``last`` (both period starts), inclusive; 0 if last < first."""
    months = {"year": 12, "quarter": 3}.get(period_type, 1)
    span = (last.year * 12 + last.month) - (first.year * 12 + first.month)
    return span // months + 1 if span >= 0 else 0


def label(period_type: str, start: date) -> str:
    if period_type == "year":
        return f"{start.year}"
    if period_type == "quarter":
        return f"{start.year}-K{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def parse(period_type: str, text: str) -> date | None:
    """The start of the period written as ``text``, or None if it is not a period of this type."""
    text = (text or "").strip()
    if period_type == "year":
        match = YEAR.match(text)
        return date(int(match[1]), 1, 1) if match else None
    if period_type == "quarter":
        match = QUARTER.match(text)
        return date(int(match[1]), 3 * (int(match[2]) - 1) + 1, 1) if match else None
    match = MONTH.match(text)
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    return date(int(match[1]), int(match[2]), 1)


def example(period_type: str) -> str:
    return {"year": "2026", "quarter": "2026-K1"}.get(period_type, "2026-03")
