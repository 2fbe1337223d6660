"""What a speaker mention says about its speaker: name, role, affiliation, kind.

'Kremlin spokesman Dmitry Peskov' -> name 'Dmitry Peskov', role 'spokesman', affiliation 'Kremlin'
'CNN's Fareed Zakaria'           -> name 'Fareed Zakaria', affiliation 'CNN'
'Mike DuHaime, a Republican strategist,' -> name 'Mike DuHaime', role 'strategist', affiliation 'Republican'
'the Kremlin's spokesman'        -> a description: role 'spokesman', affiliation 'Kremlin', no name
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.finder.lexicon import (
    ANONYMOUS_HEADS,
    GOVERNMENT_WORDS,
    GROUP_HEADS,
    MEDIA_WORDS,
    ORG_WORDS,
    PRONOUNS,
    SPEAKER_NOUNS,
    TITLE_OBJECTS,
    TITLES,
)

_WORD = re.compile(r"[^\W_][\w'’.\-&]*")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_DETERMINERS = frozenset("the a an his her their its our this that these those some one".split())
_HONORIFICS = frozenset("mr mrs ms miss dr messrs".split())  # part of a name's address, not a role
_QUALIFIERS = frozenset("close familiar knowledgeable briefed with of for at in on who from involved".split())
_NOT_NAME = frozenset(
    """the a an and of for at in on to but so yet when while after before during if as because
    according regarding despite with by from""".split()
)


@dataclass(frozen=True)
class Mention:
    text: str
    name: str | None  # a proper name ('Dmitry Peskov', 'Moscow', 'The US State Department')
    role: str | None
    affiliation: str | None
    kind: str  # person | organization | government | media | anonymous | group | pronoun
    head: str  # lowercase head word, for matching descriptions to named speakers


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


_PHRASES = tuple(p for p in GOVERNMENT_WORDS | MEDIA_WORDS if " " in p)


def _lower_words(words: list[str]) -> set[str]:
    low = {w.lower().rstrip(".") for w in words}
    joined = " ".join(w.lower() for w in words)
    low.update(p for p in _PHRASES if p in joined)
    return low


def kind_of_name(words: list[str]) -> str:
    low = _lower_words([_POSSESSIVE.sub("", w) for w in words])
    if low & GOVERNMENT_WORDS:
        return "government"
    if low & MEDIA_WORDS:
        return "media"
    if low & ORG_WORDS:
        return "organization"
    if len(words) == 1 and words[0].isupper() and len(words[0]) > 1:
        return "organization"  # an acronym
    return "person"


def kind_of_description(head: str, words: list[str]) -> str:
    low = _lower_words(words)
    if head in ANONYMOUS_HEADS or head.rstrip("s") in ANONYMOUS_HEADS:
        return "anonymous"
    if low & GOVERNMENT_WORDS:
        return "government"
    if low & MEDIA_WORDS:
        return "media"
    if head in GROUP_HEADS:
        return "group"
    if low & ORG_WORDS:
        return "organization"
    return "person" if head in SPEAKER_NOUNS or head in TITLES else "group"


def parse_mention(text: str) -> Mention:
    """Read one source span. Appositions after a comma add the role when the name has none."""
    head_part, _, appos = text.partition(",")
    words = _WORD.findall(head_part)
    # the head comes before a qualifier: 'a source close to him', 'people familiar with the talks'
    cut = next((i for i, w in enumerate(words) if i > 0 and w.lower() in _QUALIFIERS), None)
    if (
        cut is not None
        and not any(_is_cap(w) for w in words[cut:])
        or (cut is not None and words[cut].lower() != "of")
    ):
        words = words[:cut]
    # a capitalised common noun opening a sentence is not a name: 'Officials said', 'The campaign said'
    if words and all(
        w.lower() in _DETERMINERS or w.lower() in SPEAKER_NOUNS or w.lower().rstrip("s") in SPEAKER_NOUNS
        for w in words
    ):
        if not (
            words[-1].lower() in GOVERNMENT_WORDS | MEDIA_WORDS | ORG_WORDS
            and _is_cap(words[-1])
            and len(words) == 1
        ):
            words = [w.lower() if i == 0 else w for i, w in enumerate(words)]
    if not words:
        return Mention(text, None, None, None, "group", "")
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        return Mention(text, None, None, None, "pronoun", words[0].lower())
    # the last run of capitalised words that are not titles is the name
    end = len(words)
    while end > 0 and not _is_cap(words[end - 1]):
        end -= 1
    start = end
    while start > 0 and _is_cap(words[start - 1]) and words[start - 1].lower().rstrip(".") not in TITLES:
        if start > 1 and words[start - 1].lower() in TITLE_OBJECTS and words[start - 2] == "of":
            break  # 'Secretary of State John Kerry': State belongs to the title
        if _POSSESSIVE.search(words[start - 1]) and start != end:
            break  # "CNN's Fareed Zakaria": CNN is the affiliation, not part of the name
        start -= 1
    while start < end and words[start].lower() in _NOT_NAME:
        start += 1
    descriptor = words[:start]
    role, affiliation = role_of(descriptor)
    if descriptor and _is_cap(descriptor[-1]) and _POSSESSIVE.search(descriptor[-1]):
        affiliation = affiliation or _POSSESSIVE.sub("", descriptor[-1])  # "CNN's Fareed Zakaria"
    if appos and not role:
        role, aff2 = role_of(_WORD.findall(appos))
        affiliation = affiliation or aff2
    if start < end and end == len(words):
        name_words = [
            _POSSESSIVE.sub("", w) if i == end - 1 else w for i, w in enumerate(words[start:end], start)
        ]
        name = " ".join(name_words)
        kind = kind_of_name(words[start:end])
        if kind != "person":
            # organisations keep their determiner and descriptors: 'The US State Department'
            name = " ".join(w for w in words[:end] if w.lower() not in _NOT_NAME - {"the"} or w == words[0])
            name = _POSSESSIVE.sub("", name)
        return Mention(text, name, role, affiliation, kind, name_words[-1].lower())
    head = words[-1].lower()
    role, affiliation = role_of(words)
    return Mention(text, None, role, affiliation, kind_of_description(head, words), head)


def role_of(words: list[str]) -> tuple[str | None, str | None]:
    """Role: the lowercase title or speaker noun words; affiliation: capitalised words before them."""
    words = [w for w in words if w.lower() not in _DETERMINERS and w.lower().rstrip(".") not in _HONORIFICS]
    # capitalised words are roles only as titles ('President'); 'Kremlin' is an affiliation
    role_idx = [
        i
        for i, w in enumerate(words)
        if w.lower().rstrip(".") in TITLES
        or (not _is_cap(w) and (w.lower() in SPEAKER_NOUNS or w.lower().rstrip("s") in SPEAKER_NOUNS))
    ]
    if not role_idx:
        return None, None
    first = role_idx[0]
    a = first
    while a > 0 and _is_cap(words[a - 1]):
        a -= 1  # only the capitalised words right before the role: 'Kremlin spokesman'
    affiliation = " ".join(_POSSESSIVE.sub("", w) for w in words[a:first]) or None
    last = role_idx[-1] + 1
    while last < len(words) and words[last - 1] == "of":
        last += 1  # 'Secretary of State'
    role_words = words[first:last]
    role = " ".join(role_words).rstrip(".") or None
    return role, affiliation
