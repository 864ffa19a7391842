"""Norwegian-aware text helpers that behave the same on SQLite and PostgreSQL.

SQLite's LIKE folds only ASCII case and its default collation sorts Å before Æ and Ø.
We therefore store a folded copy of names for searching and a sort key for ordering.
"""

from __future__ import annotations

import unicodedata

# Æ, Ø, Å come after Z in Norwegian; map them to the three characters after "z" in ASCII.
_SORT_MAP = str.maketrans({"æ": "{", "ø": "|", "å": "}", "ä": "{", "ö": "|", "ü": "y"})


def fold(text: str) -> str:
    """Lower-case and normalise ``text`` for case-insensitive matching (æøå stay distinct)."""
    return unicodedata.normalize("NFC", text).casefold().strip()


def sort_key(text: str) -> str:
    """A key whose byte order is Norwegian alphabetical order (… x y z æ ø å)."""
    folded = fold(text)
    # Strip accents other than the Norwegian letters, so "é" sorts with "e".
    out = []
    for char in folded:
        if char in "æøåäöü":
            out.append(char)
            continue
        decomposed = unicodedata.normalize("NFD", char)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out).translate(_SORT_MAP)


_SLUG_MAP = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def norwegian_slugify(text: str) -> str:
    """A URL slug that keeps Norwegian words readable: "Besøksvenn" → "besoksvenn"."""
    from django.utils.text import slugify

    return slugify(text.translate(_SLUG_MAP))
