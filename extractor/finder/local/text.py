"""Passes over the text for a lexicon language: quotations, then sentences, then word tokens.

Quotations come first because a sentence does not end inside one ('„Wir sind bereit. Sofort.“,
sagte sie.' is one sentence), and a cue is read against the quotations next to it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from extractor.finder.local.lexicon import Lexicon

# An elided article or pronoun is a token of its own ('l'', 'qu''), so 'l'Intérieur' reads as
# 'l'' + 'Intérieur'; hyphens join ('porte-parole', 'a-t-il', 'Baden-Württemberg').
_TOKEN = re.compile(r"(?:[Qq]u|[DdLlNnJjMmSsTtCc])['’](?=\w)|\w+(?:-\w+)*|[^\w\s]")
_END = re.compile(r"[.!?…]+[“”»«\"‘’›‹]*(?=\s)")



@dataclass(frozen=True)
class Tok:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower().replace("’", "'")

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()

    @property
    def word(self) -> bool:
        return self.text[:1].isalnum()


def tokenize(text: str, start: int, end: int) -> list[Tok]:
    return [Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


def quotations(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """Outermost quotations, marks included, each closed within its paragraph; nested marks
    of another kind (‚…‘ inside „…“) stay inside. An opener never closed is no quotation."""
    return quoted_spans(text, lex.quotes)


def quoted_spans(text: str, pairs: tuple[tuple[str, str], ...]) -> list[tuple[int, int]]:
    """quotations() with the (opener, closer) pairs given: the first listed wins."""
    openers: dict[str, str] = {}
    for o, c in pairs:
        openers.setdefault(o, c)
    found = []
    i = 0
    while i < len(text):
        close = openers.get(text[i])
        if close is None:
            i += 1
            continue
        stop = text.find("\n", i)
        stop = len(text) if stop < 0 else stop
        j = text.find(close, i + 1, stop)
        if j < 0 or j == i + 1:
            i += 1
            continue
        found.append((i, j + 1))
        i = j + 1
    return found


@dataclass
class Layout:
    text: str
    quotes: list[tuple[int, int]]
    sentences: list[tuple[int, int]]

    def quote_at(self, pos: int) -> tuple[int, int] | None:
        """The quotation that opens at `pos`."""
        i = bisect_right(self.quotes, (pos, len(self.text) + 1)) - 1
        return self.quotes[i] if i >= 0 and self.quotes[i][0] == pos else None

    def inside_quote(self, pos: int) -> bool:
        i = bisect_right(self.quotes, (pos, len(self.text) + 1)) - 1
        return i >= 0 and self.quotes[i][0] < pos < self.quotes[i][1]


def layout(text: str, lex: Lexicon) -> Layout:
    quotes = quotations(text, lex)
    lay = Layout(text, quotes, [])
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        for m in _END.finditer(text, para.start(), para.end()):
            pos = m.end()
            if lay.inside_quote(pos) or _abbreviation(text, m.start(), lex):
                continue
            nxt = text[pos:pos + 8].lstrip()
            if nxt and not (nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in "„«»“\"‚‹›"):
                continue  # '„Wir sind bereit!“ sagte sie.': the sentence goes on
            if text[start:pos].strip():
                lay.sentences.append(_trim(text, start, pos))
            start = pos
        if text[start:para.end()].strip():
            lay.sentences.append(_trim(text, start, para.end()))
    return lay


def _abbreviation(text: str, dot: int, lex: Lexicon) -> bool:
    if text[dot] != ".":
        return False
    m = re.search(r"(\w+)$", text[max(0, dot - 12):dot])
    return m is not None and (m.group(1).lower() in lex.abbreviations or (len(m.group(1)) == 1 and m.group(1).isupper()))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def content_end(text: str, start: int, end: int) -> int:
    """A sentence's end without its final period (a quotation keeps its closing mark)."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".;:"):
        end -= 1
    return end


