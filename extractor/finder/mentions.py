"""What a speaker mention says about its speaker: name, role, affiliation, kind.

'Kremlin spokesman Dmitry Peskov' -> name 'Dmitry Peskov', role 'spokesman', affiliation 'Kremlin'
'CNN's Fareed Zakaria'           -> name 'Fareed Zakaria', affiliation 'CNN'
'Mike DuHaime, a Republican strategist,' -> name 'Mike DuHaime', role 'strategist', affiliation 'Republican'
'the Kremlin's spokesman'        -> a description: role 'spokesman', affiliation 'Kremlin', no name
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from extractor.finder.lexicon import (
    ANONYMOUS_HEADS,
    ARTIFACTS,
    GOVERNMENT_WORDS,
    GROUP_HEADS,
    MEDIA_WORDS,
    ORG_WORDS,
    PRONOUNS,
    SPEAKER_NOUNS,
    TITLE_OBJECTS,
    TITLES,
)
from extractor.finder.lexicon import DETERMINERS as _DETERMINERS
from extractor.finder.lexicon import POSSESSIVE as _POSSESSIVE
from extractor.finder.lexicon import WORD as _WORD
from extractor.finder.roles import TITLE_TAILS, apposition_role, descriptor_role, occupation_before_name, title_role

_QUALIFIERS = frozenset("close familiar knowledgeable briefed with of for at in on who from involved".split())
_NOT_NAME = frozenset(
    """the a an and of for at in on to but so yet when while after before during if as because
    according regarding despite with by from both neither either""".split()
)


@dataclass(frozen=True)
class Mention:
    text: str
    name: str | None  # a proper name ('Dmitry Peskov', 'Moscow', 'The US State Department')
    role: str | None
    affiliation: str | None
    kind: str  # person | organization | government | media | anonymous | group | pronoun
    head: str  # lowercase head word, for matching descriptions to named speakers
    alias: str | None = None  # the same name in another script: 'Мария Захарова (Maria Zakharova)'


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


_PHRASES = tuple(p for p in GOVERNMENT_WORDS | MEDIA_WORDS if " " in p)
_INSTITUTION_WORDS = GOVERNMENT_WORDS | MEDIA_WORDS | ORG_WORDS


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
    if head in ARTIFACTS:  # 'the study', 'a report': made by an organisation, not a person
        return "media" if low & MEDIA_WORDS else "organization"
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


# 'Мария Захарова (Maria Zakharova)': a name and its transliteration, word for word.
_ALIASED = re.compile(r"\s*(?P<a>[^()]+?)\s*\((?P<b>[^()]+)\)\s*")
_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’\-]+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _name_words(part: str) -> list[str] | None:
    words = part.split()
    if words and all(_NAME_WORD.fullmatch(w) and w[0].isupper() for w in words):
        return words
    return None


def _split_alias(part: str) -> tuple[str, str | None]:
    """The name to use (the Latin form) and its alias, when the part is 'Name (Name)'."""
    m = _ALIASED.fullmatch(part)
    if m is None:
        return part, None
    a, b = _name_words(m.group("a")), _name_words(m.group("b"))
    if a is None or b is None or len(a) != len(b):
        return part, None
    first, second = m.group("a"), m.group("b")
    if _LATIN.match(second) and not _LATIN.match(first):
        return second, first
    return first, second


def _is_plain_name(part: str) -> bool:
    return _name_words(_split_alias(part.strip())[0]) is not None


# A US politician's party and state after the name: 'Sen. Claire McCaskill (D-Mo.)', '(R-Utah)'.
_PARTY_TAG = re.compile(r"\s*\((?:R|D|I)-[A-Z][A-Za-z.]*\)")


@functools.lru_cache(maxsize=4096)  # a pure function of the text; a speaker is mentioned many times
def parse_mention(text: str) -> Mention:
    """Read one source span. Appositions after a comma add the role when the name has none."""
    if "(" in text:
        text = _PARTY_TAG.sub("", text)  # no part of the name: 'Mike Pence (R-IN)' is Mike Pence
    head_part, _, appos = text.partition(",")
    appos_first = appos.split(",", 1)[0]
    # "the Russian Foreign Ministry's spokeswoman, Мария Захарова (Maria Zakharova),": the
    # description comes first and the name is its apposition
    if _is_plain_name(appos_first) and not _is_plain_name(head_part):
        inner = _parse_name_part(appos_first, "", text)
        if inner.name is not None and inner.kind == "person":
            role, affiliation = title_role(_WORD.findall(head_part))
            return replace(inner, role=inner.role or role, affiliation=inner.affiliation or affiliation)
    return _parse_name_part(head_part, appos, text)


def _parse_name_part(head_part: str, appos: str, text: str) -> Mention:
    if "(" in head_part:
        head_part, alias = _split_alias(head_part)
        m = _parse(head_part, appos, text)
        return replace(m, alias=alias) if alias and m.name else m
    return _parse(head_part, appos, text)


def _parse(head_part: str, appos: str, text: str) -> Mention:
    words = _WORD.findall(head_part)
    # the head comes before a qualifier: 'a source close to him', 'people familiar with the talks'
    cut = next(
        (
            i
            for i, w in enumerate(words)
            if i > 0
            and w.lower() in _QUALIFIERS
            # 'Center for Civic Data', 'Bank of England' are one name
            and not (w in {"for", "of"} and _is_cap(words[i - 1]) and i + 1 < len(words) and _is_cap(words[i + 1]))
        ),
        None,
    )
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
            words[-1].lower() in _INSTITUTION_WORDS
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
    while start > 0 and words[start - 1].lower().rstrip(".") not in TITLES:
        if words[start - 1] in {"for", "of"} and start > 1 and start < end:
            # 'Center for Civic Data', 'Bank of England': one name, unless a title precedes
            if not _is_cap(words[start - 2]) or words[start - 2].lower().rstrip(".") in TITLES:
                break
            if words[start - 1] == "of" and words[start - 1 + 1].lower() in TITLE_OBJECTS:
                break
            start -= 1
            continue
        if not _is_cap(words[start - 1]):
            break
        if start > 1 and words[start - 1].lower() in TITLE_OBJECTS and words[start - 2] == "of":
            break  # 'Secretary of State John Kerry': State belongs to the title
        if _POSSESSIVE.search(words[start - 1]) and start != end:
            break  # "CNN's Fareed Zakaria": CNN is the affiliation, not part of the name
        start -= 1
    while start < end and words[start].lower() in _NOT_NAME:
        start += 1
    while 0 < start < end - 1 and words[start].lower() in TITLE_TAILS:
        start += 1  # 'Chief Executive Officer Priya Raman': the title's words are no part of the name
    if end == len(words) and occupation_before_name(words[start:end]) and kind_of_name(words[start + 1 : end]) == "person":
        start += 1  # 'Publican Gwen Ashby': what she does, capitalised by the sentence, is no part of her name
    descriptor = words[:start]
    role, affiliation = descriptor_role(descriptor)
    if descriptor and _is_cap(descriptor[-1]) and _POSSESSIVE.search(descriptor[-1]):
        affiliation = affiliation or _POSSESSIVE.sub("", descriptor[-1])  # "CNN's Fareed Zakaria"
    if appos and not role:
        role, aff2 = apposition_role(appos)
        affiliation = affiliation or aff2
    if start < end and end == len(words):
        name_words = [
            _POSSESSIVE.sub("", w) if i == end - 1 else w for i, w in enumerate(words[start:end], start)
        ]
        name = " ".join(name_words)
        kind = kind_of_name(words[start:end])
        if kind != "person":
            # organisations keep their determiner and descriptors: 'The US State Department'
            # but not what owns them: "the university's Center for Civic Data"
            owner = max((i for i in range(start) if _POSSESSIVE.search(words[i])), default=-1)
            kept = words[owner + 1 : end] if owner >= 0 else words[:end]
            first_cap = next((i for i, w in enumerate(kept) if _is_cap(w)), 0)
            if first_cap and kept[first_cap - 1].lower() == "the":
                first_cap -= 1
            kept = kept[first_cap:]  # 'its owner Ardent Energy': the lowercase description is no part of it
            name = " ".join(
                w
                for i, w in enumerate(kept)
                if w.lower() not in _NOT_NAME - {"the"}
                or i == 0
                or w in {"of", "for"}
                # 'University and College Union' is one name
                or (w == "and" and 0 < i < len(kept) - 1 and _is_cap(kept[i - 1]) and _is_cap(kept[i + 1]))
            )
            name = _POSSESSIVE.sub("", name)
        return Mention(text, name, role, affiliation, kind, name_words[-1].lower())
    head = words[-1].lower()
    role, affiliation = title_role(words)
    return Mention(text, None, role, affiliation, kind_of_description(head, words), head)
