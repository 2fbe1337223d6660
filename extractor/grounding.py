"""Find the model's quotes in the article: a pure function of two strings, no model involved.

`ground()` tries, in order, an exact match, a match after normalization (quote marks, dashes,
whitespace, case and accents ignored), then a fuzzy match (rapidfuzz) above a threshold. The
span it returns always carries the article's own text at its offsets; the model's wording goes
in `quoted_as` whenever it differs. When nothing is good enough it returns None: never a guess.

Cost grows with quotes plus text, not quotes times text: a `TextIndex` normalizes its text
once, and every quote grounded in it, or in any window of it, is searched in that one copy.
A fuzzy match is looked for only around places where a piece of the quote occurs exactly, so
a quote that is nowhere in the text costs a few substring searches, not an alignment against
the whole text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from array import array
from bisect import bisect_left
from dataclasses import dataclass

from extractor.schema import Span

_QUOTES = set("\"'`´‘’‚‛“”„‟«»‹›「」『』")
_DASHES = {"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-"}
MIN_FUZZY_CHARS = 12
# runs of characters that are neither whitespace nor quote marks: the units of normalization
_GAP = re.compile("([\\s" + re.escape("".join(sorted(_QUOTES))) + "]+)")
_NO_QUOTES = {ord(q): None for q in _QUOTES}
_FOLDED: dict[str, str] = {}  # character -> its normalized form ("" when it is dropped)
ANCHOR_CHARS = 10  # the length of the pieces of a quote that locate a fuzzy match
MAX_ANCHORS = 8
MAX_REGIONS = 16
MAX_REMEMBERED = 4096  # grounded quotes a TextIndex remembers


@dataclass(frozen=True)
class Normalized:
    """A normalized copy of a text, with each normalized character's index in the original."""

    text: str
    origin: array

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end - 1] + 1


def _fold(ch: str) -> str:
    folded = _FOLDED.get(ch)
    if folded is None:
        ch2 = _DASHES.get(ch, ch)
        decomposed = unicodedata.normalize("NFKD", ch2.casefold())
        folded = _FOLDED[ch] = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folded


def normalize(text: str, start: int = 0, end: int | None = None) -> Normalized:
    """Quote marks dropped, each run of whitespace one space (none at the ends), dashes one
    hyphen, case folded and accents removed. ASCII words are copied whole, in C."""
    end = len(text) if end is None else end
    out: list[str] = []
    origin = array("q")
    parts = _GAP.split(text[start:end])  # word, gap, word, gap, ..., word (in C)
    position = start
    pending = False  # whitespace seen since the last character kept
    for run, gap in zip(parts[0::2], [*parts[1::2], ""]):
        if run:
            if run.isascii():
                if pending:
                    out.append(" ")
                    origin.append(position - 1)
                    pending = False
                out.append(run.lower())
                origin.extend(range(position, position + len(run)))
            else:
                for i, ch in enumerate(run, position):
                    folded = ch.lower() if ch.isascii() else _fold(ch)
                    if not folded:
                        continue
                    if pending:
                        out.append(" ")
                        origin.append(i - 1)
                        pending = False
                    out.append(folded)
                    origin.extend([i] * len(folded))
            position += len(run)
        if gap:
            if out and gap.translate(_NO_QUOTES):  # a gap with whitespace in it, not only quote marks
                pending = True
            position += len(gap)
    return Normalized("".join(out), origin)


class TextIndex:
    """A text to ground many quotes in, normalized once (on the first quote that needs it)."""

    def __init__(self, text: str):
        self.text = text
        self._normalized: Normalized | None = None
        self._found: dict[tuple, Span | None] = {}  # a quote validated is grounded again later

    @property
    def normalized(self) -> Normalized:
        if self._normalized is None:
            self._normalized = normalize(self.text)
        return self._normalized

    def ground(
        self,
        quote: str,
        start: int = 0,
        end: int | None = None,
        near: int | None = None,
        fuzzy_threshold: float = 90.0,
    ) -> Span | None:
        """The span of `text[start:end]` that holds `quote`, or None when it is not there.

        `near` prefers, among several occurrences, the one closest to that offset."""
        end = len(self.text) if end is None else end
        key = (quote, start, end, near, fuzzy_threshold)
        if key not in self._found:
            if len(self._found) >= MAX_REMEMBERED:
                self._found.clear()
            self._found[key] = self._ground(quote, start, end, near, fuzzy_threshold)
        return self._found[key]

    def _ground(self, quote: str, start: int, end: int, near: int | None, fuzzy_threshold: float) -> Span | None:
        text = self.text
        stripped = quote.strip()
        if not stripped:
            return None
        found = _exact(stripped, text, start, end, near)
        if found is not None:
            return Span.at(text, found, found + len(stripped))
        wanted = normalize(stripped).text
        if not wanted:
            return None
        norm = self.normalized
        lo, hi = bisect_left(norm.origin, start), bisect_left(norm.origin, end)
        hits = _occurrences(norm.text, wanted, lo, hi)
        if hits:
            found = min(hits, key=lambda i: abs(norm.origin[i] - near)) if near is not None else hits[0]
            s, e = norm.span(found, found + len(wanted))
            return _span(text, s, e, "normalized", quote)
        if len(wanted) < MIN_FUZZY_CHARS or len(wanted) > hi - lo:
            return None
        return _fuzzy(wanted, norm, lo, hi, text, quote, fuzzy_threshold, near)


@functools.lru_cache(maxsize=8)
def index_of(text: str) -> TextIndex:
    """The TextIndex of `text`, kept for the next quotes grounded in the same text."""
    return TextIndex(text)


def ground(
    quote: str,
    text: str,
    start: int = 0,
    end: int | None = None,
    near: int | None = None,
    fuzzy_threshold: float = 90.0,
    index: TextIndex | None = None,
) -> Span | None:
    """The span of `text[start:end]` that holds `quote`, or None when it is not there.

    `near` prefers, among several occurrences, the one closest to that offset. Pass the text's
    `index` when grounding many quotes in one text; without it one is kept for recent texts."""
    if index is None or index.text is not text:
        index = index_of(text)
    return index.ground(quote, start, end, near, fuzzy_threshold)


def _exact(quote: str, text: str, start: int, end: int, near: int | None) -> int | None:
    hits = _occurrences(text, quote, start, end)
    if not hits:
        return None
    return min(hits, key=lambda i: abs(i - near)) if near is not None else hits[0]


def _occurrences(haystack: str, needle: str, start: int, end: int, limit: int = 64) -> list[int]:
    hits: list[int] = []
    i = haystack.find(needle, start, end)
    while i != -1 and len(hits) < limit:
        hits.append(i)
        i = haystack.find(needle, i + 1, end)
    return hits


def _fuzzy(wanted: str, norm: Normalized, lo: int, hi: int, text: str, quote: str, threshold: float,
           near: int | None) -> Span | None:
    """An alignment above `threshold` of `wanted` in norm.text[lo:hi], looked for only where
    one of its pieces occurs exactly (a quote with a few copying errors still has most of its
    pieces intact; a quote that is not there has none): the best around the first piece that
    places it."""
    from rapidfuzz import fuzz

    n = len(wanted)
    count = min(MAX_ANCHORS, max(2, n // ANCHOR_CHARS))
    piece = min(ANCHOR_CHARS, n)
    offsets = sorted({round(k * (n - piece) / (count - 1)) for k in range(count)})
    slack = n // 4 + 4
    tried: list[tuple[int, int]] = []
    for offset in offsets:
        best = None
        for hit in _occurrences(norm.text, wanted[offset : offset + piece], lo, hi, limit=4):
            a = max(lo, hit - offset - slack)
            b = min(hi, a + n + 2 * slack)
            if any(x <= a and b <= y for x, y in tried) or len(tried) >= MAX_REGIONS:
                continue
            tried.append((a, b))
            match = fuzz.partial_ratio_alignment(wanted, norm.text[a:b], score_cutoff=threshold)
            if match is None or match.dest_end <= match.dest_start:
                continue
            s, e = norm.span(a + match.dest_start, a + match.dest_end)
            distance = abs(s - near) if near is not None else 0
            if best is None or (match.score, -distance) > (best[0], -best[1]):
                best = (match.score, distance, s, e)
        if best is not None:  # the first piece that places the quote well enough decides
            return _span(text, best[2], best[3], "fuzzy", quote)
    return None


def _span(text: str, start: int, end: int, alignment: str, quote: str) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    own = text[start:end]
    return Span.at(text, start, end, alignment=alignment, quoted_as=None if own == quote else quote)
