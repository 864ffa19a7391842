"""Shared helpers for files people open in spreadsheets (CSV, XLSX)."""

from __future__ import annotations

from typing import TypeVar

# A spreadsheet reads a cell that starts with one of these as a formula (or, for tab and
# carriage return, skips ahead to one), so text typed by a stranger could run as a formula
# on an editor's machine ("CSV injection"). OWASP's advice: prefix a single quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

V = TypeVar("V")


def neutralise(value: V) -> V | str:
    """The value, with a leading ``'`` if it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
