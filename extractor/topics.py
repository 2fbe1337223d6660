"""Stance targets: the short noun phrases a statement is about, in one canonical form.

No tagger: a phrase is a run of words that are neither function words nor verbs of the
common lists, cut at punctuation; its head (last word) must look like a noun. The form is
made comparable across holders and articles: determiners go, "NATO's expansion" and
"expansion of NATO" both become "NATO expansion", and the plural and singular of a head
share a key ("sanction", "sanctions"). A phrase made only of a name ("Russia", "Soviet")
is a topic only when the statement has nothing more specific: a statement about NATO's
expansion is about the expansion, not about NATO.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z][\w\-]*(?:['’]s\b)?|\d[\d,.%]*|[^\w\s]")

_FUNCTION = frozenset(
    """a an the this that these those his her their its our my your some any each every no all both
    either neither other another such what which who whom whose whatever i you he she it we they me him
    us them myself itself themselves and or but nor so yet if then than as because while although
    though whether when where why how not only also very just even still again already too more most
    less least much many few several there here of in on at to for with from by about into onto over
    under between among through during before after against without within upon across along around
    toward towards despite via per like unlike including is are was were be been being am has have had
    do does did will would shall should can could may might must ever never always often now today
    yesterday tomorrow tonight meanwhile however indeed perhaps maybe rather quite well back up down
    out off away one two three four five six seven eight nine ten first second last next same own
    'll 're 've 'd n't s cannot enough forward thing things way lot time times kind sort part""".split()
)
# Verbs common in news statements, in the forms a run of nouns would otherwise swallow.
_VERBS = frozenset(
    """say says said tell tells told ask asks asked think thinks thought believe believes believed know
    knows knew known want wants wanted needed make makes made take takes took taken give gives gave
    given get gets got go goes went gone come comes came see sees saw seen become becomes became
    keep keeps kept let lets put puts seem seems seemed leave leaves left called try tries tried
    showed shown used find finds found feel feels felt continue continues continued stop stops
    stopped invade invades invaded expand expands expanded supported oppose opposes opposed reject
    rejects rejected accept accepts accepted threaten threatens threatened warn warns warned urge
    urges urged pose poses posed led bring brings brought cause causes caused consider considers
    considered stresses stressed agree agrees agreed deny denies denied claimed argue argues argued
    add adds added noted remain remains remained helps helped allow allows allowed include includes
    included mean means meant holds held planned voted wins won lose loses lost pays paid raise
    raises raised fell rose tolerate tolerated persist persists persisted awaits await awaited vow
    vows vowed""".split()
)
_NOUN_ENDINGS = ("tion", "sion", "ment", "ness", "ity", "ance", "ence", "ism", "ship", "ure", "acy", "ade", "age", "ery", "ist", "ics")
MAX_WORDS = 5


@dataclass(frozen=True)
class Phrase:
    text: str
    """the canonical form, e.g. 'NATO expansion'"""
    key: str
    """what two phrases share when they are the same topic"""
    start: int
    end: int
    """where it was found (offsets into the text given)"""
    named_only: bool
    """made only of capitalised names"""


def topic_key(text: str) -> str:
    words = [w.lower().replace("’", "'") for w in re.findall(r"[\w'’\-]+", text)]
    words = [w[:-2] if w.endswith("'s") else w for w in words if w.lower() not in _FUNCTION]
    return " ".join(_stem(w) for w in words)


def _stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _is_content(word: str) -> bool:
    low = word.lower().replace("’", "'")
    if not word[:1].isalpha() or low in _FUNCTION or low in _VERBS:
        return False
    if low.endswith("ly") and not word[:1].isupper():
        return False  # adverbs
    return not (word.islower() and low.endswith("ed") and not low.endswith(("eed", "red")))


def _noun_head(word: str) -> bool:
    low = word.lower()
    if low.endswith(("'s", "’s")):
        low = low[:-2]
    if word[:1].isupper() or word.isupper():
        return True
    if low.endswith(("ing", "ful", "ous", "ive", "ical", "able", "ible", "less", "ic")):
        return False  # participles and adjectives
    return len(low) > 3


def phrases_in(text: str, start: int = 0, end: int | None = None) -> list[Phrase]:
    """The topic phrases in text[start:end], in order of appearance."""
    end = len(text) if end is None else end
    tokens = [
        (m.group(0), m.start(), m.end())
        for m in _WORD.finditer(text, start, end)
        if not (m.start() and text[m.start() - 1] in "'’")  # 've, 'll: the rest of a contraction
    ]
    found: list[Phrase] = []
    i = 0
    while i < len(tokens):
        if not _is_content(tokens[i][0]):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and _is_content(tokens[j + 1][0]) and j + 1 - i < MAX_WORDS:
            if tokens[j][0].lower().endswith(("'s", "’s")) and not tokens[j + 1][0][:1].isalpha():
                break
            j += 1
        run = tokens[i : j + 1]
        # 'expansion of NATO' -> 'NATO expansion' (a name after 'of' is the modifier)
        if j + 2 < len(tokens) and tokens[j + 1][0] == "of" and tokens[j + 2][0][:1].isupper() and len(run) <= 2:
            k = j + 2
            while k + 1 < len(tokens) and tokens[k + 1][0][:1].isupper() and k + 1 - (j + 2) < 2:
                k += 1
            owner = tokens[j + 2 : k + 1]
            phrase = _make(text, owner + run, run[0][1], owner[-1][2])
            j = k
        else:
            phrase = _make(text, run, run[0][1], run[-1][2])
        if phrase is not None:
            found.append(phrase)
        i = j + 1
    return found


def _make(text: str, words, start: int, end: int) -> Phrase | None:
    while len(words) > 1 and words[0][0].islower() and words[0][0].endswith("ing"):
        words = words[1:]  # 'putting security guarantees': a gerund leads into the topic
        start = words[0][1]
    while words and not _noun_head(words[-1][0]):
        words = words[:-1]
    if not words:
        return None
    parts = [w[:-2] if w.lower().endswith(("'s", "’s")) else w for w, _, _ in words]
    canonical = " ".join(parts)
    if len(canonical) < 3:
        return None
    named = all(p[:1].isupper() for p in parts)
    return Phrase(canonical, topic_key(canonical), start, end, named)


def statement_topics(content: str, salience: dict[str, int] | None = None, limit: int = 2) -> list[Phrase]:
    """The topics of one statement, most telling first: phrases with a common-noun head
    before bare names, then those the article repeats (`salience`: key -> count), then the
    longer. With `salience`, a phrase the article does not return to (itself or its head
    at least twice) is no topic: one-off phrases are what a statement says, not what it is
    about, and stances toward them could never be compared."""
    unique: dict[str, Phrase] = {}
    for p in phrases_in(content):
        if salience is not None and max(salience.get(k, 0) for k in (p.key, *p.key.split())) < 2:
            continue
        unique.setdefault(p.key, p)
    salience = salience or {}
    ranked = sorted(
        unique.values(),
        key=lambda p: (p.named_only, -salience.get(p.key, 0), -len(p.key.split()), p.start),
    )
    specific = [p for p in ranked if not p.named_only]
    return (specific or ranked)[:limit]


def article_salience(text: str, phrases: list[Phrase] | None = None) -> dict[str, int]:
    """How often each topic key occurs in the article: topics it returns to are the ones
    worth comparing across speakers. `phrases`: the article's, when already found."""
    counts: dict[str, int] = {}
    for p in phrases_in(text) if phrases is None else phrases:
        counts[p.key] = counts.get(p.key, 0) + 1
        words = p.key.split()
        if len(words) > 1:
            for word in set(words):  # 'tram plan' is also a mention of the tram and the plan
                counts[word] = counts.get(word, 0) + 1
    return counts
