"""Norwegian text normalisation shared by both backends and by the snippet highlighter.

The rule for letters (docs/decisions/0005-norwegian-search.md): text is NFC-normalised and
case-folded ("Ål" = "ål"); accents other than the Norwegian letters are dropped ("kafé" =
"kafe", "ä"/"ö" become "æ"/"ø"); æ, ø and å stay distinct letters ("ø" is not "o"). A
word typed without them ("oppfolging") can still be found by the trigram (typo) matching.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

WORD_RE = re.compile(r"[^\W_]+")
# Norwegian function words that carry no meaning in a search (a subset of the Snowball list,
# the same list PostgreSQL's ``norwegian`` configuration drops).
STOPWORDS = frozenset(
    """og i jeg det at en et den til er som på de med han av ikke der så var meg seg men ett har om
    vi min mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor eller hva
    skal selv sjøl her alle vil bli ble blitt kunne inn når være kom noen noe ville dere deres
    kun ja etter ned skulle denne for deg si sine sitt mot å meget hvorfor dette disse uten hvordan
    ingen din ditt blir samme hvilken hvilke sånn inni mellom vår hver hvem vors hvis både bare
    enn fordi før mange også slik vært båe begge siden dykk dykkar dei deira deires deim di då eg
    ein eit eitt elles honom hjå ho hoe henne hennar hennes hoss hossen ikkje ingi inkje korleis
    korso kva kvar kvarhelst kven kvi kvifor me medan mi mine mykje no nokon noka nokor noko nokre
    si sia sidan so somt somme um upp vere vore verte vort varte vart""".split()  # noqa: SIM905
)
# pg_trgm.word_similarity_threshold's default; the SQLite backend uses the same.
TYPO_SIMILARITY = 0.6
_STEMMER = snowballstemmer.stemmer("norwegian")
_KEEP = set("æøå")
# The characters fold() may change: not ASCII and not æ, ø, å (few in Norwegian text).
_FOREIGN = re.compile(r"[^\x00-\x7fæøå]")


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    if char in _KEEP or char.isascii():
        return char
    return "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Case-folded text with foreign accents removed; æ, ø, å kept."""
    text = unicodedata.normalize("NFC", text).casefold()
    if text.isascii():
        return text
    text = text.replace("ä", "æ").replace("ö", "ø")
    return _FOREIGN.sub(lambda m: _fold_char(m.group()), text)


def words(text: str) -> list[str]:
    """The folded words of ``text`` in order (stop words included)."""
    return WORD_RE.findall(fold(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def stemmed(text: str) -> str:
    """Folded, stemmed words of ``text`` separated by spaces (what SQLite's FTS5 indexes)."""
    return " ".join(stem(w) for w in words(text))


def query_terms(query: str) -> list[str]:
    """The folded words of a query that carry meaning: stop words and duplicates removed."""
    seen: list[str] = []
    for word in words(query[:200]):
        if word not in STOPWORDS and word not in seen:
            seen.append(word)
    return seen[:8]


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: padded with two spaces in front and one behind."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity() of two words (shared trigrams / all trigrams)."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def word_similarity(term: str, word: str) -> float:
    """Share of the term's trigrams found in ``word`` (close to pg_trgm's word_similarity)."""
    tt = trigrams(term)
    return len(tt & trigrams(word)) / len(tt) if tt else 0.0


def typo_candidates(term: str, words: Iterable[str], limit: int = 5) -> list[str]:
    """Of ``words`` (read from an index's vocabulary, same first two letters as ``term``),
    those that look like a misspelt ``term``: at most two letters longer or shorter and
    sharing TYPO_SIMILARITY of its trigrams; the ``limit`` most similar."""
    candidates = [(word_similarity(term, w), w) for w in words if w != term and abs(len(w) - len(term)) <= 2]
    return [w for s, w in sorted(candidates, reverse=True)[:limit] if s >= TYPO_SIMILARITY]


@lru_cache(maxsize=65536)
def word_matches(term: str, term_stem: str, word: str) -> bool:
    """Whether a folded document word matches a query term (used for <mark> highlighting)."""
    if stem(word).startswith(term_stem) or (len(term) >= 4 and term in word):
        return True
    return len(term) >= 4 and abs(len(word) - len(term)) <= 2 and word_similarity(term, word) >= TYPO_SIMILARITY
