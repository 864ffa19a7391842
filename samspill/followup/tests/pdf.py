"""Read a PDF the way a person (or a screen reader) would: the text of its pages, extracted by pypdf."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

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


def pdf_text(content: bytes) -> str:
    """The text of every page of the PDF ``content``, whitespace (line breaks included) collapsed to single spaces."""
    assert content.startswith(b"%PDF"), content[:40]
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def norwegian_date(day: date) -> str:
    """A date as written on the certificate: 22. november 2026."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"
