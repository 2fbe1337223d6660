"""Find in composed text, report in the original: decomposed accents (NFD: 'e' + U+0301, as
macOS file names and some feeds have them) split words for the finder's patterns, so a text
gave no claims where its composed form gave two. The finder reads the text with each letter
and its combining marks composed (NFC), and every span is mapped back to the original, whose
offsets the result keeps (`document.text[start:end] == span.text`)."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import replace
from functools import cache

from extractor.schema import Span


@cache
def _clusters() -> re.Pattern:
    """A character followed by combining marks (or Hangul vowel and final jamo, which
    compose with the syllable before them): the pieces composing can change."""
    marks = "".join(
        re.escape(chr(c)) for c in range(0x300, 0x110000) if unicodedata.combining(chr(c)) or 0x1160 <= c <= 0x11FF
    )
    return re.compile(f"[^{marks}][{marks}]+", re.S)


class Composed:
    """`text` composed, and the map from offsets in it back to offsets in the original."""

    def __init__(self, original: str):
        self.original = original
        pieces: list[str] = []
        # (where a changed piece starts in the composed text, its length there, and in the original)
        self._new_starts: list[int] = []
        self._changes: list[tuple[int, int, int, int]] = []
        done = shift = 0
        for m in _clusters().finditer(original):
            piece = unicodedata.normalize("NFC", m.group())
            if piece == m.group():
                continue
            start, end = m.span()
            pieces += [original[done:start], piece]
            self._new_starts.append(start + shift)
            self._changes.append((start + shift, len(piece), start, end - start))
            shift += len(piece) - (end - start)
            done = end
        pieces.append(original[done:])
        self.text = "".join(pieces)

    @property
    def changed(self) -> bool:
        return bool(self._changes)

    def to_original(self, pos: int, is_end: bool) -> int:
        i = bisect_right(self._new_starts, pos) - 1
        if i < 0:
            return pos
        new_start, new_len, old_start, old_len = self._changes[i]
        if pos < new_start + new_len and pos > new_start:  # inside a composed piece: take all of it
            return old_start + old_len if is_end else old_start
        if pos == new_start:
            return old_start
        return pos - (new_start + new_len) + (old_start + old_len)

    def span(self, span: Span | None) -> Span | None:
        if span is None:
            return None
        return Span.at(self.original, self.to_original(span.start, False), self.to_original(span.end, True))


def find_composed(text: str, find):
    """`find(text)` on the composed text, with every span mapped back to `text`."""
    if unicodedata.is_normalized("NFC", text):
        return find(text)
    composed = Composed(text)
    if not composed.changed:
        return find(text)
    finding = find(composed.text)
    attributions = tuple(
        replace(
            a,
            content=composed.span(a.content),
            parts=tuple(composed.span(p) for p in a.parts),
            cue=composed.span(a.cue),
            source=composed.span(a.source),
            sentence=composed.span(a.sentence),
        )
        for a in finding.attributions
    )
    speakers = tuple(replace(s, mentions=tuple(composed.span(m) for m in s.mentions)) for s in finding.speakers)
    return replace(finding, attributions=attributions, speakers=speakers)
