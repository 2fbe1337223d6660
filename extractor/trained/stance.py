"""The stance layer that needs no language model: a multinomial logistic regression over
`features.polarity_features`, trained on NewsMTSC's training split
(`python -m extractor.trained.train_stance`), its parameters shipped in
`params/stance.json`.

It answers one question: what is the polarity of this sentence toward the target at these
offsets? Its answer carries a confidence (the temperature-calibrated probability of the
class it picked). Below the calibrated threshold it abstains: favor or against that it is
not sure of is reported as neutral, with the low confidence kept, because a reversed stance
costs the reader's trust in every other one.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from extractor.trained.features import polarity_features

LABELS = ("against", "neutral", "favor")


@dataclass(frozen=True)
class Judged:
    polarity: str
    """favor / against / neutral, after abstention"""
    confidence: float
    """the calibrated probability of `polarity` (of the abstained-from call when it abstained)"""
    abstained: bool = False


@dataclass(frozen=True)
class StanceModel:
    weights: dict[str, tuple[float, float, float]]
    bias: tuple[float, float, float]
    temperature: float
    threshold: float

    @classmethod
    def from_dict(cls, data: dict) -> StanceModel:
        if tuple(data["labels"]) != LABELS:
            raise ValueError(f"stance parameters have labels {data['labels']}, expected {LABELS}")
        return cls(
            weights={k: tuple(v) for k, v in data["weights"].items()},
            bias=tuple(data["bias"]),
            temperature=float(data.get("temperature", 1.0)),
            threshold=float(data.get("threshold", 0.0)),
        )

    def probabilities(self, sentence: str, start: int, end: int) -> tuple[float, float, float]:
        scores = list(self.bias)
        for name, value in polarity_features(sentence, start, end).items():
            w = self.weights.get(name)
            if w is not None:
                scores[0] += w[0] * value
                scores[1] += w[1] * value
                scores[2] += w[2] * value
        return softmax(scores, self.temperature)

    def judge(self, sentence: str, start: int, end: int) -> Judged:
        probs = self.probabilities(sentence, start, end)
        return decide(probs, self.threshold)


def softmax(scores: list[float], temperature: float = 1.0) -> tuple[float, float, float]:
    top = max(scores)
    exps = [math.exp((s - top) / temperature) for s in scores]
    total = sum(exps)
    return tuple(e / total for e in exps)  # type: ignore[return-value]


def decide(probs: tuple[float, float, float], threshold: float) -> Judged:
    """The most probable class, unless it is favor or against below the threshold: then
    neutral (abstained), with the probability of the call not made."""
    best = max(range(3), key=lambda i: probs[i])
    label = LABELS[best]
    if label != "neutral" and probs[best] < threshold:
        return Judged("neutral", round(probs[best], 3), abstained=True)
    return Judged(label, round(probs[best], 3))


def stance_model(threshold: float | None = None) -> StanceModel:
    """The shipped model, with another abstention threshold when one is given."""
    model = default_model()
    return model if threshold is None else replace(model, threshold=threshold)


@lru_cache(maxsize=1)
def default_model() -> StanceModel:
    """The shipped parameters, read once a process."""
    raw = resources.files("extractor.trained").joinpath("params/stance.json").read_text(encoding="utf-8")
    return StanceModel.from_dict(json.loads(raw))
