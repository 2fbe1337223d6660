"""An attribution as the finder first sees it: character offsets, before speakers are resolved."""

from __future__ import annotations

from dataclasses import dataclass

from extractor.finder.lexicon import VERB_GROUP
from extractor.finder.tokens import Tok

OPEN_QUOTES = frozenset("\"“„«'‘`")


@dataclass
class Raw:
    """An attribution before speakers are resolved; offsets into the article text."""

    parts: list[tuple[int, int]]
    cue: tuple[int, int]
    source: tuple[int, int] | None
    kind: str
    sentence: tuple[int, int]
    verb: str = ""


def content_end(text: str, start: int, end: int) -> int:
    """End of a sentence's content: the final period goes unless a quotation closes after it."""
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and text[end - 1] in ".;:":
        end -= 1
    return end


def verb_group_start(toks: list[Tok], k: int) -> int:
    """Start of the verb group before token k: auxiliaries, negation, adverbs ('has also said')."""
    i = k
    while i > 0 and (
        toks[i - 1].low in VERB_GROUP
        or (toks[i - 1].low.endswith("ly") and not toks[i - 1].cap and len(toks[i - 1].text) > 4)
    ):
        i -= 1
    return i
