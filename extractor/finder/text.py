"""Paragraphs, quotations and sentences of an article, as character offsets into its text.

Quotations are found first, because a quotation is one unit for the finder: a sentence does not
end inside it, and one that stays open at the end of a paragraph continues in the next paragraph
when that one opens with a quote mark (the newspaper convention for long quotes).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from extractor.finder.lexicon import ABBREVIATIONS
from extractor.finder.tokens import Tok, tokenize

_PARAGRAPH = re.compile(r"[^\n]+")
# Double quote marks: straight, curly, low, guillemets, and the two-apostrophe form some papers use.
_QUOTE_MARK = re.compile(r"''|``|[\"“”„«»]")
_OPENERS = {"“", "„", "«", "``"}
_CLOSERS = {"”", "»"}
# The next sentence opens with a capital of any script ('... unease. Сергій Ткаченко said').
_BOUNDARY = re.compile(
    r"[.!?…]+[\"”’'»)\]]*\s+(?=(?:''|``|[\"“‘'«(\[])?[A-Z0-9\u00c0-\u00de\u0391-\u03a9\u0400-\u042f])"
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_INVERTED_TAG = re.compile(
    r"(?:(?:[A-Z][\w'’.\-]*|the|a|an|[a-z]+)\s+){0,4}?(?:said|says|asked|asks|added|wrote|tweeted|replied|responded|"
    r"continued|explained|insisted|exclaimed|shouted|joked|quipped)\b"
)
# A dateline opening the body: 'ISTANBUL - ', 'WASHINGTON (AP) — ', 'LOS ANGELES, Sept. 28 (UPI) — '.
# It is not part of the first sentence, or its place name glues onto the subject after it.
_DATELINE = re.compile(
    r"[A-Z][A-Z.'’\-]{2,}(?:[ \t]+[A-Z][A-Z.'’\-]+){0,2}(?:,[ \t]*[A-Z][\w .]{0,20})?"
    r"(?:[ \t]*\([^)\n]{1,30}\))?[ \t]+(?:--|[-—–])[ \t]+"
)
_STARTERS = frozenset("The He She It They But And In A This That We I His Her Their On At".split())
# The longest stretch the finder reads as one sentence. A cue's content can run to its
# sentence's end, so a text with no sentence breaks ("according to " a million times) made
# every cue in it cost the whole text: quadratic time. The longest of PolNeAR's 31,098
# sentences (dev and train) has 1,516 characters; longer ones are cut at a space.
MAX_SENTENCE = 2_000


@dataclass(frozen=True)
class Quote:
    start: int  # the opening mark
    end: int  # just after the closing mark (or the end of the last paragraph it runs into)
    closed: bool


@dataclass(frozen=True)
class Layout:
    paragraphs: list[tuple[int, int]]
    quotes: list[Quote]
    sentences: list[tuple[int, int]]

    def tokens(self, text: str, start: int, end: int) -> list[Tok]:
        """The tokens of a sentence, made once: the rules and the learned tagger both read them
        (read-only)."""
        cache = self.__dict__.setdefault("_token_cache", {})  # frozen dataclass: no attribute set
        found = cache.get((start, end))
        if found is None:
            found = cache[(start, end)] = tokenize(text, start, end)
        return found

    def quote_at(self, pos: int) -> Quote | None:
        """The quotation holding position `pos`, if any (binary search: quotes are sorted)."""
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and self.quotes[i].start <= pos < self.quotes[i].end:
            return self.quotes[i]
        return None

    @property
    def _starts(self) -> list[int]:
        cached = self.__dict__.get("_starts_cache")
        if cached is None:
            cached = [q.start for q in self.quotes]
            object.__setattr__(self, "_starts_cache", cached)
        return cached


def _can_open(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return (before.isspace() or before in "([{—–-:/") and not after.isspace()


def _can_close(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-…'’")


def _quotes_in_paragraph(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Outermost quotations in one paragraph as (start, end, closed)."""
    found: list[tuple[int, int, bool]] = []
    stack: list[tuple[str, int]] = []  # (mark, position) of open quotes, innermost last
    for m in _QUOTE_MARK.finditer(text, start, end):
        mark, s, e = m.group(), m.start(), m.end()
        if mark in _OPENERS:
            opens = True
        elif mark in _CLOSERS:
            opens = False
        else:  # straight marks: decided by their surroundings, then by what is open
            can_open, can_close = _can_open(text, s, e), _can_close(text, s, e)
            if can_open and not can_close:
                opens = True
            elif can_close and not can_open:
                opens = False
            else:
                opens = not (stack and stack[-1][0] == mark)
        if opens:
            stack.append((mark, s))
        elif stack:
            _, qs = stack.pop()
            if not stack:
                found.append((qs, e, True))
        # a closing mark with nothing open is an apostrophe or a typo: ignored
    if stack:
        found.append((stack[0][1], end, False))
    return found


def _sentences(text: str, start: int, end: int, quotes: list[Quote]) -> list[tuple[int, int]]:
    out, begin = [], start
    qi = 0
    for m in _BOUNDARY.finditer(text, start, end):
        cut = m.end()
        while qi < len(quotes) and quotes[qi].end <= m.start():
            qi += 1
        if qi < len(quotes) and quotes[qi].start < m.start() and m.end() - 1 < quotes[qi].end - 1:
            continue  # inside a quotation: the quotation is one unit
        if text[m.start()] in "?!" and m.group().rstrip()[-1] in "\"”'»" and _INVERTED_TAG.match(text, cut):
            continue  # '"Is that all?" Trump said.' is one sentence
        if text[m.start()] == ".":
            w = _WORD_BEFORE.search(text, max(start, m.start() - 20), m.start() + 1)
            if w:
                word = w.group(1)
                nxt = text[cut : cut + 12].split(" ", 1)[0].strip("\"“‘'(")
                if word.lower().replace(".", "") in ABBREVIATIONS or len(word) == 1:
                    continue
                if "." in word and nxt not in _STARTERS:  # U.S. and a name after it
                    continue
        stop = m.end() - (len(m.group()) - len(m.group().rstrip()))
        out.append((begin, stop))
        begin = cut
    if begin < end:
        out.append((begin, end))
    return out


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) cut into pieces of at most MAX_SENTENCE characters, at the last space
    before the limit when there is one in its second half."""
    out = []
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        space = max(text.rfind(" ", start + MAX_SENTENCE // 2, limit), text.rfind("\t", start + MAX_SENTENCE // 2, limit))
        cut = space if space > start else limit
        out.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        out.append((start, end))
    return out


def layout(text: str) -> Layout:
    paragraphs = []
    for m in _PARAGRAPH.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        dateline = _DATELINE.match(text, s, e)
        if dateline:
            s = dateline.end()
        if s < e:
            paragraphs.append((s, e))

    quotes: list[Quote] = []
    carry: int | None = None  # index of a quotation still open at the end of the previous paragraph
    for ps, pe in paragraphs:
        raw = _quotes_in_paragraph(text, ps, pe)
        if carry is not None and raw and raw[0][0] == ps:
            _, e, closed = raw.pop(0)
            quotes[carry] = Quote(quotes[carry].start, e, closed)
            if closed:
                carry = None
        else:
            carry = None
        quotes.extend(Quote(s, e, c) for s, e, c in raw)
        if raw and not raw[-1][2]:
            carry = len(quotes) - 1

    sentences: list[tuple[int, int]] = []
    qi = 0
    for ps, pe in paragraphs:
        while qi < len(quotes) and quotes[qi].end <= ps:
            qi += 1
        local, j = [], qi
        while j < len(quotes) and quotes[j].start < pe:
            q = quotes[j]
            local.append(Quote(max(q.start, ps), min(q.end, pe), q.closed))
            j += 1
        for s, e in _sentences(text, ps, pe, local):
            sentences.extend(_bounded(text, s, e))
    return Layout(paragraphs=paragraphs, quotes=quotes, sentences=sentences)
