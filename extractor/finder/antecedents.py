"""Clues for 'he' and 'she': a person's gender from a title, and who a sentence is about.

A pronoun usually means the person the last attribution was about; but when the sentence just
before names someone else as its subject ('Vasquez, 46, ... took the stage. She spoke ...'), or
the last speaker is known to be of the other gender, the pronoun means someone else.
"""

from __future__ import annotations

import re

from extractor.finder.lexicon import ABBREVIATIONS

_FEMALE = frozenset(
    """mrs ms miss madam councilwoman congresswoman spokeswoman chairwoman assemblywoman
    businesswoman alderwoman queen lady dame""".split()
)
_MALE = frozenset("mr councilman congressman spokesman chairman assemblyman businessman alderman king sir lord".split())
_WORD = re.compile(r"[A-Za-z]+")

PRONOUN_GENDER = {"he": "m", "she": "f"}


def gender_of_title(text: str | None) -> str | None:
    """'Councilwoman Denise Alvarez' -> 'f'; 'Mr. Trump' -> 'm'; no title -> None."""
    if not text:
        return None
    for w in _WORD.findall(text):
        low = w.lower()
        if low in _FEMALE:
            return "f"
        if low in _MALE:
            return "m"
    return None


# A sentence ends at . ! ? (and a closing quote) before whitespace, or at a line break.
_BOUNDARY = re.compile(r"[.!?][\"”’']?\s+(?=[\"“‘'A-Z])|\n")
_LOOKBACK = 600  # characters: the pronoun's sentence and the one before it


def sentence_starts(text: str, pos: int, back: int) -> list[int]:
    """Where the sentence of `pos` starts, then the `back` sentences before it, latest first.
    A period after an abbreviation or an initial ('Mrs. Lena Ortiz', 'John F. Kerry') ends none."""
    base = max(0, pos - _LOOKBACK * (back + 1))
    # Dense text ('"Yes," he said. ' over and over) has a hundred sentence ends in the lookback
    # and a pronoun in every sentence: the ones wanted are looked for in its tail first.
    tail = pos - _TAIL * (back + 1)
    if tail > base:
        # a scan from inside a boundary could find another one: begin after a character no
        # boundary holds past its first ('.', a quote mark, a space), so that the scan from
        # `base` is in step with this one from there on
        while tail > base and (text[tail - 1] in _INSIDE_BOUNDARY or text[tail - 1].isspace()):
            tail -= 1
        ends = _sentence_ends(text, base, tail, pos)
        if len(ends) > back:
            return ends[::-1][: back + 1]
    return ([base] + _sentence_ends(text, base, base, pos))[::-1][: back + 1]


_TAIL = 32  # characters a sentence takes in dense text, at most
_INSIDE_BOUNDARY = frozenset(".!?\"”’'")  # what can come before a position inside a boundary (or space)


def _sentence_ends(text: str, base: int, start: int, pos: int) -> list[int]:
    """The ends of the sentence boundaries in text[start:pos], abbreviations looked at from `base` on."""
    ends = []
    for m in _BOUNDARY.finditer(text, start, pos):
        if text[m.start()] == ".":
            word = _LAST_WORD.search(text, max(base, m.start() - 12), m.start())
            if word is not None and (len(word.group()) == 1 or word.group().lower() in ABBREVIATIONS):
                continue
        ends.append(m.end())
    return ends


_LAST_WORD = re.compile(r"[A-Za-z]+$")
