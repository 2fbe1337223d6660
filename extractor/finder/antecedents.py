"""Clues for 'he' and 'she': a person's gender from a title, and who a sentence is about.

A pronoun usually means the person the last attribution was about; but when the sentence just
before names someone else as its subject ('Vasquez, 46, ... took the stage. She spoke ...'), or
the last speaker is known to be of the other gender, the pronoun means someone else.
"""

from __future__ import annotations

import re

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
_LEAD = re.compile(r"(?:The[ \t]+)?(?P<name>(?:[A-Z][\w'’\-]+[ \t]+){0,2}[A-Z][\w'’\-]+)")
_LOOKBACK = 600  # characters: the pronoun's sentence and the one before it
# Dense text has dozens of sentence ends in the lookback, and a pronoun in every sentence: the
# last two are looked for in the lookback's last characters first.
_TAIL = 64
_INSIDE_BOUNDARY = frozenset(".!?\"”’'")  # what can come before a position inside a boundary (or space)


def _last_starts(text: str, base: int, pos: int) -> list[int]:
    """The last two of `base` and the ends of the boundaries in text[base:pos] (as one scan
    from `base` finds them)."""
    tail = pos - _TAIL
    if tail > base:
        # a scan from inside a boundary could find another one: begin after a character no
        # boundary holds past its first ('.', a quote mark, a space), so the scan from `base`
        # is in step with this one from there on
        while tail > base and (text[tail - 1] in _INSIDE_BOUNDARY or text[tail - 1].isspace()):
            tail -= 1
        ends = [m.end() for m in _BOUNDARY.finditer(text, tail, pos)]
        if len(ends) >= 2:
            return ends[-2:]
    return ([base] + [m.end() for m in _BOUNDARY.finditer(text, base, pos)])[-2:]


def sentence_leads(text: str, pos: int) -> list[tuple[int, list[str]]]:
    """The capitalised words opening the sentence of `pos` and the sentence before it, latest
    first, as (where they start, words); the words end before `pos`."""
    out = []
    for s in reversed(_last_starts(text, max(0, pos - _LOOKBACK), pos)):
        m = _LEAD.match(text, s, pos)
        if m is not None and m.end() <= pos:
            out.append((m.start("name"), [w.removesuffix("'s").removesuffix("’s") for w in m.group("name").split()]))
    return out
