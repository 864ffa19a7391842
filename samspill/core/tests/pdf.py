"""Read a PDF the way a person (or a screen reader) would: the text of its pages, extracted by pypdf."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_reader(content: bytes) -> PdfReader:
    assert content.startswith(b"%PDF"), content[:40]
    return PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    """The text of every page of the PDF ``content``, whitespace (line breaks included) collapsed to single spaces."""
    return " ".join(" ".join(page.extract_text() for page in pdf_reader(content).pages).split())


def pdf_outline(content: bytes) -> list[str]:
    """The titles of the PDF's bookmarks (its outline), depth first."""
    reader = pdf_reader(content)

    def titles(items: list) -> list[str]:
        out: list[str] = []
        for item in items:
            out += titles(item) if isinstance(item, list) else [item.title]
        return out

    return titles(reader.outline)
