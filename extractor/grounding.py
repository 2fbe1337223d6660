"""Find the model's quotes in the article: a pure function of two strings, no model involved.

`ground()` tries, in order, an exact match, a match after normalization (quote marks, dashes,
whitespace, case and accents ignored), then a fuzzy match (rapidfuzz) above a threshold. The
span it returns always carries the article's own text at its offsets; the model's wording goes
in `quoted_as` whenever it differs. When nothing is good enough it returns None: never a guess.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from extractor.schema import Span

_QUOTES = set("\"'`´‘’‚‛“”„‟«»‹›「」『』")
_DASHES = {"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-"}
MIN_FUZZY_CHARS = 12


@dataclass(frozen=True)
class Normalized:
    """A normalized copy of a text, with each normalized character's index in the original."""

    text: str
    origin: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end - 1] + 1


def normalize(text: str, start: int = 0, end: int | None = None) -> Normalized:
    out: list[str] = []
    origin: list[int] = []
    end = len(text) if end is None else end
    pending_space = False
    for i in range(start, end):
        ch = text[i]
        if ch in _QUOTES:
            continue
        if ch.isspace():
            pending_space = bool(out)
            continue
        ch = _DASHES.get(ch, ch)
        folded = unicodedata.normalize("NFKD", ch.casefold())
        kept = [c for c in folded if not unicodedata.combining(c)]
        if not kept:
            continue
        if pending_space:
            out.append(" ")
            origin.append(i - 1)
            pending_space = False
        for c in kept:
            out.append(c)
            origin.append(i)
    return Normalized("".join(out), origin)


def ground(
    quote: str,
    text: str,
    start: int = 0,
    end: int | None = None,
    near: int | None = None,
    fuzzy_threshold: float = 90.0,
) -> Span | None:
    """The span of `text[start:end]` that holds `quote`, or None when it is not there.

    `near` prefers, among several occurrences, the one closest to that offset.
    """
    end = len(text) if end is None else end
    stripped = quote.strip()
    if not stripped:
        return None
    found = _exact(stripped, text, start, end, near)
    if found is not None:
        return Span.at(text, found, found + len(stripped))
    window = normalize(text, start, end)
    wanted = normalize(stripped).text
    if not wanted:
        return None
    found = _closest(window.text, wanted, near, window.origin)
    if found is not None:
        s, e = window.span(found, found + len(wanted))
        return _span(text, s, e, "normalized", quote)
    if len(wanted) < MIN_FUZZY_CHARS or len(wanted) > len(window.text):
        return None
    return _fuzzy(wanted, window, text, quote, fuzzy_threshold)


def _exact(quote: str, text: str, start: int, end: int, near: int | None) -> int | None:
    hits = _occurrences(text, quote, start, end)
    if not hits:
        return None
    return min(hits, key=lambda i: abs(i - near)) if near is not None else hits[0]


def _closest(haystack: str, needle: str, near: int | None, origin: list[int]) -> int | None:
    hits = _occurrences(haystack, needle, 0, len(haystack))
    if not hits:
        return None
    return min(hits, key=lambda i: abs(origin[i] - near)) if near is not None else hits[0]


def _occurrences(haystack: str, needle: str, start: int, end: int, limit: int = 64) -> list[int]:
    hits: list[int] = []
    i = haystack.find(needle, start, end)
    while i != -1 and len(hits) < limit:
        hits.append(i)
        i = haystack.find(needle, i + 1, end)
    return hits


def _fuzzy(wanted: str, window: Normalized, text: str, quote: str, threshold: float) -> Span | None:
    from rapidfuzz import fuzz

    match = fuzz.partial_ratio_alignment(wanted, window.text, score_cutoff=threshold)
    if match is None or match.dest_end <= match.dest_start:
        return None
    s, e = window.span(match.dest_start, match.dest_end)
    return _span(text, s, e, "fuzzy", quote)


def _span(text: str, start: int, end: int, alignment: str, quote: str) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    own = text[start:end]
    return Span.at(text, start, end, alignment=alignment, quoted_as=None if own == quote else quote)
