"""Check-worthiness: is a statement worth fact-checking? A logistic regression over words,
word pairs and a few shape features (numbers, money, percentages, length), trained on CLEF
2019 CheckThat! task 1's training transcripts by `python -m extractor.trained.train_checkworthy`.

Run time is pure Python: the parameters are a JSON file of feature weights
(params/checkworthy.json), a sum over the features a text has, and a sigmoid. The probability
is fitted without class weights, so it stays calibrated to the data (about 3 in 100 debate
sentences are check-worthy); `threshold` is the cut chosen on held-out debates for the best
F1 of the positive class. A text with no word in it is not judged (None).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PARAMS = Path(__file__).resolve().parent / "params" / "checkworthy.json"
TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*|[%$]")
YEAR = re.compile(r"(?:1[89]|20)\d\d")


def tokens(text: str) -> list[str]:
    """Lower-cased words; numbers become <year> or <num> (which number rarely matters, that
    there is one does)."""
    found = []
    for t in TOKEN.findall(text.casefold()):
        if t[0].isdigit():
            t = "<year>" if YEAR.fullmatch(t) else "<num>"
        found.append(t)
    return found


def features(text: str, words: list[str] | None = None) -> set[str]:
    """The features of one text: shared by training and inference, so they cannot drift.
    `words` are its tokens when the caller has them already."""
    words = tokens(text) if words is None else words
    found = set(words)
    found.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    n = sum(1 for w in words if w not in ("%", "$"))
    found.add("_len:" + ("<5" if n < 5 else "<10" if n < 10 else "<20" if n < 20 else "<40" if n < 40 else "40+"))
    if text.rstrip().endswith("?"):
        found.add("_question")
    # capitalized words after the first: names of people, places, bills (what can be checked)
    names = sum(1 for w in text.split()[1:] if w[:1].isupper() and w[1:2].islower())
    found.add("_names:" + ("0" if names == 0 else "1-2" if names <= 2 else "3+"))
    return found


@dataclass(frozen=True)
class CheckWorthiness:
    bias: float
    weights: dict[str, float]
    threshold: float

    def probability(self, text: str) -> float | None:
        words = tokens(text)
        if not words:
            return None
        weights = self.weights
        # fsum: the features are a set, whose order follows the hash seed; a plain sum's last
        # digits would too, and a score that differs between two runs is not reproducible
        z = self.bias + math.fsum(weights.get(f, 0.0) for f in features(text, words))
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def judge(self, text: str) -> tuple[float | None, bool | None]:
        """(probability, check-worthy?), both None when the text cannot be judged."""
        p = self.probability(text)
        return (None, None) if p is None else (round(p, 4), p >= self.threshold)

    @classmethod
    def from_dict(cls, params: dict) -> CheckWorthiness:
        return cls(bias=params["bias"], weights=params["weights"], threshold=params["threshold"])


@lru_cache(maxsize=1)
def load() -> CheckWorthiness:
    """The shipped classifier, read once per process."""
    return CheckWorthiness.from_dict(json.loads(PARAMS.read_text(encoding="utf-8")))


def judge_claims(claims: list) -> list:
    """Every claim with the classifier's check-worthiness (pipeline.Claim objects): it needs
    no language model, so rules-only runs get it too, and one measured judge decides for all
    strategies (the bundled model's flag was near-constant)."""
    classifier = load()
    judged = []
    for claim in claims:
        # the words as said (the evidence), like the debate sentences it was trained on; the
        # claim text may be a restatement ("X said that ...")
        probability, worthy = classifier.judge(claim.evidence.text if claim.evidence else claim.text)
        # a text with no word to judge leaves both null
        judged.append(claim.model_copy(update={"check_worthiness": probability, "check_worthy": worthy}))
    return judged
