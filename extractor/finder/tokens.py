"""Word tokens of a sentence and the noun-phrase walks that find a speaker next to a cue.

No tagger: a speaker phrase is recognised by its shape (capitalised names, titles, determiners,
speaker nouns) and by where it stops (punctuation, conjunctions, verbs of the verb group).
"""

from __future__ import annotations

import re

from extractor.finder.lexicon import (
    ABBREVIATIONS,
    PRONOUNS,
    SPEAKER_NOUNS,
    TITLES,
    VERB_GROUP,
)

# A word keeps its inner apostrophes and hyphens, and the apostrophe of a plural possessive
# ("Sanders' campaign manager") unless a second apostrophe makes it a closing '' quote.
_TOKEN = re.compile(r"\w+(?:[’'\-.&]\w+)*(?:(?<=s)['’](?!['’\w]))?|''|[^\w\s]")
QUOTE_CHARS = frozenset(['"', "“", "”", "„", "«", "»", "'", "‘", "’", "`", "''", "``"])


class Tok:
    """One word or punctuation mark. Its lower-case form and shape are worked out once: the
    phrase walks ask for them many times per token, and this is the finder's hottest path."""

    __slots__ = ("text", "start", "end", "low", "cap", "word")

    def __init__(self, text: str, start: int, end: int):
        self.text = text
        self.start = start
        self.end = end
        self.low = text.lower()
        self.cap = text[:1].isupper()
        self.word = text[:1].isalnum()

    def __repr__(self) -> str:
        return f"Tok({self.text!r}, {self.start}, {self.end})"


def tokenize(text: str, start: int, end: int) -> list[Tok]:
    return [Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


# Words that end a subject phrase when walking left from a verb, or right from an inverted verb.
_STOP = frozenset(
    """that which when while because if as after before since although though but so than to is
    was are were be been being has have had will would can could should may might must not
    by on from into about over under during through without against between among what how why
    where whether this these those it its there then also says said say""".split()
)
_DETERMINERS = frozenset(
    """the a an his her their its our my your this that these those some many most several other
    all both few each every any no one two three four five six seven eight nine ten dozens
    hundreds thousands""".split()
)
# Leading words that are not part of a subject ('But Trump said', 'On Sunday, Peskov said').
_LEADING = frozenset(
    """but and so yet still now meanwhile however then also later instead indeed earlier today
    yesterday tonight on in at last this after during before when while if as because since though
    although monday tuesday wednesday thursday friday saturday sunday week month year night morning
    afternoon evening recently finally separately similarly""".split()
)
_BRIDGES = frozenset("close familiar knowledgeable briefed involved acquainted".split())
_SUBORDINATORS = frozenset(
    """in on at after before when while as if although though despite since during with without by
    for from amid asked speaking according""".split()
)
_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
_CONNECT = frozenset({"of", "for", "at", "and", "&", "'s", "’s", "-", ".", "in"})


def _is_np_token(tok: Tok) -> bool:
    if not tok.word:
        return tok.text in {"-", ".", "&", "’", "'"}
    return tok.low not in _STOP and tok.low not in VERB_GROUP


_OPEN_HEAD_BLOCK = frozenset(
    """time times way day days year years week weeks thing things point fact lot number part percent
    majority rest end side case issue question reason""".split()
)
# Comma-enclosed asides that sit between a subject and its verb ('Liveris, of course, said').
_ASIDES = frozenset(
    "of course|however|meanwhile|too|though|also|in turn|for his part|for her part|for their part|"
    "for example|for instance|in fact|in response|at the time|instead|in a statement|in an interview".split(
        "|"
    )
)


def _head_ok(toks: list[Tok], strict: bool) -> bool:
    """A subject ends in a name, a pronoun or a speaker noun; with a verb of saying (not strict),
    also in any noun after a determiner ('The actress said')."""
    last = toks[-1]
    if last.low in {"a", "an", "the", "his", "her", "their", "its", "our", "my", "your"}:
        return False  # 'a remark', 'the report': an article is no subject ('all', 'some' may be)
    if last.low in PRONOUNS:
        return len(toks) == 1
    if last.cap:
        return True
    low = last.low[:-3] + "y" if last.low.endswith("ies") else last.low.rstrip("s")
    if last.low in SPEAKER_NOUNS or low in SPEAKER_NOUNS or last.low in TITLES:
        return True
    if strict or not last.word or last.low in _OPEN_HEAD_BLOCK or last.low.endswith("ly"):
        return False
    first = toks[0]
    if len(toks) <= 2 and last.low.endswith("s") and not last.low.endswith(("ss", "us", "is")):
        return True  # bare plurals: 'participants said', 'local officials say'
    return first.low in _DETERMINERS or first.text.endswith(("'s", "’s", "s'", "s’")) or first.cap


def left_subject(toks: list[Tok], k: int, floor: int = 0, strict: bool = False) -> tuple[int, int] | None:
    """Token range [i, j) of the subject ending right before token k (the verb group's start)."""
    j = _skip_time(toks, k, floor)  # 'Clinton on Tuesday said'
    if j - 1 >= floor and toks[j - 1].low in PRONOUNS:
        return (j - 1, j)
    if j - 1 >= floor and toks[j - 1].text == ")":  # 'Sen. Bernie Sanders (I-Vt.) said'
        o = j - 1
        while o > floor and j - o < 12 and toks[o].text != "(":
            o -= 1
        if toks[o].text != "(":
            return None
        inner = left_subject(toks, o, floor, strict)
        return (inner[0], j) if inner else None
    if j - 1 >= floor and toks[j - 1].text == ",":
        return _apposition(toks, j - 1, floor, strict)
    i = j
    while i - 1 >= floor and j - i < 10:
        if _is_np_token(toks[i - 1]):
            i -= 1
        elif (
            i - 2 >= floor
            and toks[i - 2].low in _BRIDGES
            and toks[i - 1].low in {"to", "with", "on", "about"}
        ):
            i -= 2  # 'a source close to him', 'people familiar with the talks'
        else:
            break
    # the possessive and the abbreviation dot belong to the word before them
    while i < j and (
        toks[i].low in _LEADING or toks[i].text in {".", "-", "'", "’"} or toks[i].low in _CONNECT
    ):
        i += 1
    if i >= j or not _head_ok(toks[i:j], strict):
        return None
    # 'Blinken, Borrell Vow ...': a list of names from the start of the clause is one compound source
    c = i
    while (
        c - 2 >= floor
        and toks[c - 1].text == ","
        and toks[c - 2].cap
        and toks[c - 2].word
        and toks[c - 2].low not in _LEADING
    ):
        b = c - 2
        while b - 1 >= floor and toks[b - 1].cap and toks[b - 1].word:
            b -= 1
        if (
            b != floor
            or c - 1 - b > 3
            or toks[b].low in _LEADING
            or toks[b].low in _SUBORDINATORS
            or toks[b].low in _MONTHS
        ):
            break
        c = b
    return (c, j)


_TIME_HEADS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday week month year night morning
    afternoon evening weekend today yesterday tonight earlier later recently""".split()
)
_TIME_LEADS = frozenset("on last this earlier late early next".split())


def _skip_time(toks: list[Tok], k: int, floor: int) -> int:
    """Index just after the subject when a time phrase stands between it and the verb."""
    j = k
    if j - 1 > floor and toks[j - 1].low in _TIME_HEADS:
        j -= 1
        if j - 1 > floor and toks[j - 1].low in _TIME_LEADS:
            j -= 1
        if j - 1 >= floor and toks[j - 1].text == ",":
            return k  # 'On Tuesday, ... said' is not a subject followed by a time
    return j


def _apposition(toks: list[Tok], comma: int, floor: int, strict: bool) -> tuple[int, int] | None:
    """'Mike DuHaime, a Republican strategist, said': the name, its apposition and both commas."""
    c = comma - 1
    while c >= floor and comma - c < 25 and toks[c].text not in {",", ";", ":", "("} and toks[c].text not in QUOTE_CHARS:
        if toks[c].text == ")":  # 'Мария Захарова (Maria Zakharova)': the parenthesis is part of the name
            o = c
            while o > floor and c - o < 8 and toks[o].text != "(":
                o -= 1
            if toks[o].text != "(":
                return None
            c = o
        c -= 1
    if c < floor or toks[c].text != "," or comma - c < 2:
        return None
    aside = " ".join(t.low for t in toks[c + 1 : comma])
    if aside in _ASIDES:  # skip the aside: the subject is before it, without the commas
        return left_subject(toks, c, floor, strict)
    inner_is_name = all(t.cap or t.text in {".", "-", "(", ")"} for t in toks[c + 1 : comma])
    # 'A senior official, who spoke on condition of anonymity, said': a relative clause describes
    relative = toks[c + 1].low in {"who", "whose"}
    name = left_subject(toks, c, floor, not (inner_is_name or relative))  # 'the assailant, John McGraw, told'
    if name is None and c - 1 > floor and toks[c - 1].text != ",":
        # 'Grace Liu, 29, a software tester, said': an apposition after an apposition
        name = _apposition(toks, c, floor, strict)
        if name is not None:
            return (name[0], comma + 1)
    if name is None or not (toks[name[1] - 1].cap or inner_is_name or relative):
        return None
    return (name[0], comma + 1)  # the closing comma is part of the source (guidelines)


def right_subject(toks: list[Tok], k: int, limit: int) -> tuple[int, int] | None:
    """Subject after an inverted verb ('said Caddell', 'said the Kremlin spokesman, ...')."""
    j = k
    if j < limit and toks[j].low in PRONOUNS - {"who", "which", "it"}:
        return (j, j + 1)
    while j < limit and j - k < 10 and (_is_np_token(toks[j]) and toks[j].low not in {"in", "at", "on"}):
        j += 1
    while j > k and toks[j - 1].low in _CONNECT:
        j -= 1
    if j == k or not _head_ok(toks[k:j], toks[k].low not in _DETERMINERS):
        return None
    if toks[k].low in ABBREVIATIONS and not toks[k].cap:
        return None
    return (k, j)


def sentence_subject(toks: list[Tok], limit: int) -> tuple[int, int] | None:
    """The subject at the start of a sentence (after an opening adverbial clause), for a participle
    later in it: 'Kaine decried that math, saying ...' -> Kaine."""
    i = 0
    while i < limit and toks[i].low in _LEADING - {
        "in",
        "on",
        "at",
        "after",
        "before",
        "when",
        "while",
        "if",
        "as",
        "since",
        "though",
        "although",
        "during",
        "because",
    }:
        i += 1
    if i < limit and toks[i].low in _SUBORDINATORS:
        while i < limit and toks[i].text != ",":
            i += 1
        i += 1
    if i >= limit:
        return None
    if toks[i].low in PRONOUNS - {"it", "who", "which", "you", "i"}:
        return (i, i + 1)
    j = i
    while (
        j < limit
        and j - i < 8
        and _is_np_token(toks[j])
        and (toks[j].cap or toks[j].low in _DETERMINERS or not toks[j].word or toks[j].low in _CONNECT)
    ):
        j += 1
    while (
        j < limit
        and j - i < 8
        and toks[j].word
        and not toks[j].cap
        and toks[j].low not in _STOP
        and toks[j].low not in VERB_GROUP
        and (toks[j].low in SPEAKER_NOUNS or toks[j].low.rstrip("s") in SPEAKER_NOUNS)
    ):
        j += 1
    while j > i and toks[j - 1].low in _CONNECT:
        j -= 1
    if j == i or not _head_ok(toks[i:j], True):
        return None
    return (i, j)
