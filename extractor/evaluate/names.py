"""When two names are the same person, for speaker-name F1.

Names are compared after `merge.name_key` (case, accents, punctuation, possessive 's and titles
such as Mr., Sen., President removed). Two names match when their keys are equal, or when one is
a single word equal to the other's last word ("Peskov" and "Dmitry Peskov", "TRUMP" and "Donald
Trump"); "Joe Biden" and "Jill Biden" do not. Matching is one-to-one: full-key matches first,
then surname matches, each in order.
"""

from __future__ import annotations

from collections.abc import Sequence

from extractor.evaluate.cases import SpeakerName
from extractor.merge import name_key


def same_person(a: str, b: str) -> bool:
    return _strength(name_key(a), name_key(b)) > 0


def _strength(a: str, b: str) -> int:
    """2: the same key; 1: a surname alone against a full name; 0: different people."""
    if not a or not b:
        return 0
    if a == b:
        return 2
    wa, wb = a.split(), b.split()
    if (len(wa) == 1 and wa[0] == wb[-1]) or (len(wb) == 1 and wb[0] == wa[-1]):
        return 1
    return 0


def name_strength(predicted: str, gold: SpeakerName) -> int:
    key = name_key(predicted)
    return max(_strength(key, name_key(spelling)) for spelling in gold.spellings)


def match_names(predicted: Sequence[str], gold: Sequence[SpeakerName]) -> list[tuple[int, int]]:
    """(predicted index, gold index) pairs, one-to-one, full-name matches before surname ones."""
    pairs, used_p, used_g = [], set(), set()
    for wanted in (2, 1):
        for i, name in enumerate(predicted):
            for j, person in enumerate(gold):
                if i in used_p or j in used_g:
                    continue
                if name_strength(name, person) >= wanted:
                    pairs.append((i, j))
                    used_p.add(i)
                    used_g.add(j)
    return pairs
