"""Case endings, for a language that inflects titles and names (Russian): 'эксперта' is the
title 'эксперт', and 'по словам Ирины Соколовой' names 'Ирина Соколова'.

Every rule is the lexicon's data (`case_endings`, `genitive_names`, `name_gender`,
`verb_gender`); with none of them, as in German or French, nothing here changes a word.
A name no rule fits is left as the article wrote it: no guessed spelling.
"""

from __future__ import annotations

import re

_RESTORED = ("", "ь", "й", "а", "я", "о")  # what a stem ends in without its case ending


def base_form(low: str, words: frozenset[str], endings: tuple[str, ...]) -> str | None:
    """The word of `words` that `low` is a case form of ('председателя' -> 'председатель')."""
    if low in words:
        return low
    for ending in endings:
        if low.endswith(ending) and len(low) > len(ending) + 2:
            stem = low[: -len(ending)]
            for tail in _RESTORED:
                if stem + tail in words:
                    return stem + tail
    return None


def name_gender(name: str, table: dict[str, list[str]]) -> str | None:
    """'f' or 'm' from the surname's ending ('Соколова', 'Белов'), when the lexicon has a table."""
    if not table or not name:
        return None
    last = name.split()[-1].lower()
    for gender in ("f", "m"):  # feminine first: '-ова' would also end in a masculine '-ов' + 'а'
        if any(last.endswith(e) for e in table.get(gender, ())):
            return gender
    return None


def verb_gender(low: str, table: dict[str, list[str]]) -> str | None:
    """'сказала' -> 'f', 'сказал' -> 'm': the past tense agrees with its subject."""
    for gender in ("f", "m"):
        if any(low.endswith(e) for e in table.get(gender, ())):
            return gender
    return None


def nominative(name: str, rules: dict) -> str:
    """A name read after a cue that takes the genitive ('по словам Дмитрия Пескова'), in the
    nominative ('Дмитрий Песков'): the surname's ending tells the gender and the rules for
    that gender restore each word. Unchanged when the surname fits no rule."""
    if not rules:
        return name
    words = name.split()
    surname = words[-1]
    for gender in ("f", "m"):
        restored = _apply(surname, rules.get(f"surname_{gender}", ()), {})
        if restored is not None:
            firsts = [_apply(w, rules.get(f"first_{gender}", ()), rules.get("exceptions", {})) or w for w in words[:-1]]
            return " ".join([*firsts, restored])
    return name


def _apply(word: str, rules, exceptions: dict[str, str]) -> str | None:
    low = word.lower()
    if low in exceptions:
        return _cased(exceptions[low], word)
    for pattern, replacement in rules:
        if re.search(pattern, low):
            return _cased(re.sub(pattern, replacement, low), word)
    return None


def _cased(low: str, like: str) -> str:
    return low[:1].upper() + low[1:] if like[:1].isupper() else low
