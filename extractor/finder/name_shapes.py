"""The shape of a name in running text, for the speaker resolver (speakers.py).

Decides from the words alone, with no speaker state: where a run of capitalised words is
(`_NAME_RUN`); which capitalised words only open a sentence or name a day, so are no part of a
name; whether a run names a place ('North Korea', 'Orange County') rather than a person; what
kind of thing an organisation's name is ('Bank of England' -> 'bank'); whether a source lists
several names ('Blinken, Borrell'); and how to word a choice between candidates. The pronoun and
the organisation resolution (pronouns.py, organisations.py) both read names this way, so the
rules are kept here once.
"""

from __future__ import annotations

import re

from extractor.finder.lexicon import GOVERNMENT_WORDS, ORG_WORDS, PARTY_LABELS, PLACE_FIRST, PLACE_LAST, PLACES

# A run of capitalised words: a name, maybe with its title ('Mr. Brandt', "CNN's Fareed Zakaria").
_NAME_RUN = re.compile(r"(?<![\w.'’\-])(?:(?:[A-Z][\w'’\-]*|[A-Z]\.|Mr\.|Mrs\.|Ms\.|Dr\.)[ \t]+){0,5}[A-Z][\w'’\-]*")
# Capitalised words that open a sentence or name a day: no part of a name.
_NOT_NAME_WORDS = frozenset(
    """the a an but and or when while as if after before in on at both neither either not no last
    next this that these those it he she they we i you his her their its our my for with from yet
    so still meanwhile however also then now today yesterday tomorrow by of to some many all most
    other every each what why how who where there here even only just instead asked though
    although through because since until unless whether
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december""".split()
)
# Words before a capitalised run that make it a place or a thing: 'flew to New York', 'on Wall Street'.
_PLACE_BEFORE = frozenset("in at to from into across near outside inside around toward towards on onto via".split())
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")

# unions made once: made at each call, they cost a resolution several microseconds each
_GENERIC = ORG_WORDS | GOVERNMENT_WORDS
_NO_ONE = PARTY_LABELS | _NOT_NAME_WORDS  # names of no one: 'Democratic', a source naming no one


def _is_name_list(pieces: list[str]) -> bool:
    """'Blinken, Borrell': every piece a short name; not 'Nadia Okonkwo, Vasquez's campaign manager'."""
    if any(_generic(p) for p in pieces):
        return False  # 'The University and College Union': 'The University' names no one
    return len(pieces) > 1 and all(
        len(p.split()) <= 3 and all(w[:1].isupper() and not w.endswith(("'s", "’s")) for w in p.split())
        for p in pieces
    )


def _generic(piece: str) -> bool:
    words = piece.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    return len(words) == 1 and words[0].lower() in _GENERIC


def _either(names: list[str]) -> str:
    """'A or B', 'A, B or C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _name_head(name: str) -> str:
    """The word a name is a kind of: 'Russian Foreign Ministry' -> 'ministry', 'Bank of England'
    -> 'bank', 'University and College Union' -> 'union'."""
    words = name.lower().split()
    if "of" in words[1:]:
        return words[words.index("of", 1) - 1]
    return words[-1]


def _is_place(words: list[str]) -> bool:
    """'North Korea', 'Fort Pierce', 'Puerto Rico', 'Orange County': a place, not a person."""
    low = [w.lower() for w in words]
    return " ".join(low) in PLACES or (len(low) > 1 and (low[0] in PLACE_FIRST or low[-1] in PLACE_LAST))
