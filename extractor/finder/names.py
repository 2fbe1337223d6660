"""What the whole article says about a name: its fullest form, and the role given to it anywhere.

'Peskov' -> 'Dmitry Peskov' when the article has 'Kremlin spokesman Dmitry Peskov' somewhere, even
after the mention; and the role 'spokesman' comes with it, said or not.
"""

from __future__ import annotations

import re

from extractor.finder.lexicon import ABBREVIATIONS, TITLES
from extractor.finder.mentions import kind_of_name
from extractor.finder.roles import TITLE_TAILS, apposition_role, descriptor_role, is_occupation, is_role_word, occupation_before_name

_OPENERS = frozenset("the a an but and when while as if after before in on at both neither either".split())

_CAP_RUN = re.compile(
    r"(?:(?:[A-Z][\w'’\-]*|[A-Z]\.|Mr\.|Mrs\.|Ms\.|Dr\.|Sen\.|Rep\.|Gov\.)[ \t]+){1,5}[A-Z][\w'’\-]*"
)
_SENTENCE_END = frozenset(".!?:;\"”'’»)]")


_SMALL_WORDS = frozenset("a an the of to in on at for and or but by with from as vs".split())


def in_headline(text: str, pos: int, seen: dict[int, bool]) -> bool:
    """A line without a sentence's final punctuation is a headline or a subheading, and so is a
    short line in title case whatever its end ('Black Lawmakers Rip Donald Trump.'); in title
    case its words run together ('Vasquez Takes Narrow Lead Over Brandt') and are no full name."""
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    if end not in seen:
        line = text[text.rfind("\n", 0, pos) + 1 : end].rstrip()
        seen[end] = bool(line) and (line[-1] not in _SENTENCE_END or title_case(line))
    return seen[end]


def title_case(line: str) -> bool:
    """Whether a line is written in title case: four to twenty words, every one capitalised
    but short function words ('Mayor Ana Ruiz spoke on Monday.' is a sentence)."""
    words = [w for w in line.split() if w.lower() not in _SMALL_WORDS and w[:1].isalpha()]
    return 4 <= len(words) <= 20 and all(w[:1].isupper() for w in words)


def name_index(text: str) -> dict[str, dict[tuple[str, ...], None]]:
    """Every distinct run of capitalised words, filed under each of its words after the first:
    one pass over the article instead of one search per surname. Distinct, so that a name
    repeated a thousand times in a long text is looked at once."""
    index: dict[str, dict[tuple[str, ...], None]] = {}
    headline_lines: dict[int, bool] = {}
    for m in _CAP_RUN.finditer(text):
        if in_headline(text, m.start(), headline_lines):
            continue
        words = m.group().split()
        for i in range(1, len(words)):
            index.setdefault(words[i], {})[tuple(words[: i + 1])] = None
    return index


def full_name(index: dict[str, dict[tuple[str, ...], None]], surname: str) -> str | None:
    """The longest 'First Last' in the article that ends in `surname`, titles stripped."""
    best = None
    for run in index.get(surname, ()):
        words = list(run)
        # drop what precedes the name proper: titles, possessors ('CNN's'), sentence openers
        cut = [
            i
            for i, w in enumerate(words[:-1])
            if w.lower().rstrip(".") in TITLES or w.endswith(("'s", "’s")) or (i and w.lower() in TITLE_TAILS)
        ]
        if cut:
            words = words[cut[-1] + 1 :]
        while len(words) > 1 and words[0].lower() in _OPENERS:
            words.pop(0)
        if occupation_before_name(words):
            words.pop(0)  # 'Publican Gwen Ashby' is 'Gwen Ashby'
        if len(words) > 1 and kind_of_name(words) == "person":
            cand = " ".join(words)
            if best is None or len(cand) > len(best):
                best = cand
    return best


_BEFORE_NAME = re.compile(r"(?:[\w'’.\-]+[ \t]+){1,4}$")
_AFTER_NAME = re.compile(r",[ \t]+(?:\d{1,3},[ \t]+)?(?P<appos>[^,.;\n]{3,120})")


def _title_before(words: list[str]) -> list[str]:
    """The title right before a name: the trailing run of capitalised and role words, so that
    'a narrow lead over Mayor' gives 'Mayor' and 'the bank has little choice.' gives nothing."""
    i = len(words)
    while i > 0:
        w = words[i - 1]
        if w.endswith((",", ";", ":")) or (w.endswith(".") and w.lower().rstrip(".") not in ABBREVIATIONS):
            break
        if not (w[:1].isupper() or is_role_word(w)):
            break
        i -= 1
    return words[i:]


def role_in_text(text: str, name: str) -> tuple[str | None, str | None]:
    """Role and affiliation from a title before the full name or an apposition after it,
    anywhere in the article ('Kremlin spokesman Dmitry Peskov spoke ...')."""
    pos = text.find(name)
    for _ in range(5):
        if pos < 0:
            break
        m = _BEFORE_NAME.search(text, max(0, pos - 50), pos)
        if m is not None:
            words = _title_before(m.group().split())
            if words and (is_role_word(words[-1]) or is_occupation(words[-1])):
                role, affiliation = descriptor_role(words)
                if role:
                    return role, affiliation
        after = _AFTER_NAME.match(text, pos + len(name))
        if after is not None:  # 'Marcus Lee-Holt, a restaurant owner running as an independent, had'
            role, affiliation = apposition_role(after.group("appos"))
            if role:
                return role, affiliation
        pos = text.find(name, pos + 1)
    return None, None
