"""Features for the polarity of a sentence toward one target mention in it.

A linear model over these features is the stance layer that needs no language model
(`extractor.trained.stance`). They are built so that the same words count differently by
where they stand relative to the target: "X attacked Y" says something else about X than
about Y. Three groups:

    words        the sentence's words and word pairs, the target itself replaced by TGT
    position     the words just before and after the target, and the words of its clause
    lexicon      VADER's valence of the sentence, the clause, both sides of the target and a
                 distance-weighted sum, with a negation within three words flipping a word

The lexicon is VADER's (Hutto & Gilbert 2014, MIT), read from the vaderSentiment package;
it gives rare words a prior the training data alone cannot.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources

_TOKEN = re.compile(r"\w+(?:['’]\w+)?|[^\w\s]")
NEGATIONS = frozenset({"not", "no", "never", "n't", "nobody", "nothing", "neither", "nor", "without", "cannot", "hardly"})
# Words that end a clause: the target's clause is the run of words between two of them.
_CLAUSE_ENDS = frozenset({",", ";", ":", "but", "while", "although", "though", "whereas", "—", "–", "(", ")", '"', "“", "”"})
_SAYING = frozenset({"said", "says", "told", "stated", "added", "argued", "noted", "explained", "wrote"})
TARGET = "TGT"


@lru_cache(maxsize=1)
def valence() -> dict[str, float]:
    """VADER's word -> mean valence (-4..4)."""
    table: dict[str, float] = {}
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            try:
                table[parts[0]] = float(parts[1])
            except ValueError:
                continue
    return table


def words_around(sentence: str, start: int, end: int) -> tuple[list[str], int]:
    """The sentence's lowercased words with the tokens overlapping [start, end) replaced by
    one TGT, and TGT's index. A mention that covers no token (an empty span) is put before
    the token at `start`."""
    words: list[str] = []
    at = -1
    for m in _TOKEN.finditer(sentence):
        if m.start() < end and m.end() > start:
            if at < 0:
                at = len(words)
                words.append(TARGET)
            continue
        if at < 0 and m.start() >= end:
            at = len(words)
            words.append(TARGET)
        words.append(m.group(0).lower().replace("’", "'"))
    if at < 0:
        at = len(words)
        words.append(TARGET)
    return words, at


def _signed(words: list[str], i: int, table: dict[str, float]) -> float:
    v = table.get(words[i], 0.0)
    if v and any(w in NEGATIONS or w.endswith("n't") for w in words[max(0, i - 3) : i]):
        v = -0.74 * v  # VADER's own damping of a negated word
    return v


def polarity_features(sentence: str, start: int, end: int) -> dict[str, float]:
    table = valence()
    words, t = words_around(sentence, start, end)
    n = len(words)
    f: dict[str, float] = {}

    def add(name: str, value: float = 1.0) -> None:
        f[name] = f.get(name, 0.0) + value

    for i, w in enumerate(words):
        add("w=" + w)
        if i + 1 < n:
            add("b=" + w + "_" + words[i + 1])
    for d in range(1, 6):
        if t - d >= 0:
            add(f"L{min(d, 3)}=" + words[t - d])
        if t + d < n:
            add(f"R{min(d, 3)}=" + words[t + d])
    if t + 2 < n:
        add("R12=" + words[t + 1] + "_" + words[t + 2])
    if t >= 2:
        add("L21=" + words[t - 2] + "_" + words[t - 1])
    lo, hi = t, t
    while lo > 0 and words[lo - 1] not in _CLAUSE_ENDS:
        lo -= 1
    while hi < n - 1 and words[hi + 1] not in _CLAUSE_ENDS:
        hi += 1
    for w in words[lo : hi + 1]:
        if w != TARGET:
            add("C=" + w)

    signed = [_signed(words, i, table) if i != t else 0.0 for i in range(n)]
    for name, lo_i, hi_i in (("all", 0, n), ("clause", lo, hi + 1), ("left", max(0, t - 6), t), ("right", t + 1, t + 7)):
        s = sum(signed[lo_i:hi_i])
        f["lex_" + name] = s / 4.0
        f["lexpos_" + name] = float(s > 0.5)
        f["lexneg_" + name] = float(s < -0.5)
    near = sum(v * math.exp(-abs(i - t) / 4.0) for i, v in enumerate(signed) if v)
    f["lex_near"] = near / 4.0
    f["lex_agent"] = sum(signed[t + 1 : t + 4]) / 4.0
    f["lex_patient"] = sum(signed[max(0, t - 3) : t]) / 4.0
    f["said_after"] = float(any(w in _SAYING for w in words[t + 1 : t + 3]))
    f["quoted"] = float(sum(1 for w in words[:t] if w in ('"', "“", "”")) % 2 == 1)
    f["first"] = float(t == 0)
    f["negated"] = float(any(w in NEGATIONS for w in words))
    return f
