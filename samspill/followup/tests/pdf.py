"""Reading the certificate: its text (``pdf_text``, shared from core) and its dates."""

from __future__ import annotations

from datetime import date

from samspill.core.tests.pdf import pdf_text

__all__ = ["norwegian_date", "pdf_text"]

MONTHS = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)


def norwegian_date(day: date) -> str:
    """A date as written on the certificate: 22. november 2026."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"
