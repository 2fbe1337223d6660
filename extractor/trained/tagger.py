"""The learned attribution tagger's model: a linear-chain CRF over tokens, run without CRFsuite.

Trained on PolNeAR's train split by `python -m extractor.trained.train_tagger POLNEAR_DIR`,
which writes params/tagger.json: for every feature template, the weight of each (value, label)
pair CRFsuite kept, and the label-to-label transition weights. Inference here is a weight
lookup per token (NumPy sums the rows) and a Viterbi pass in plain Python over four labels,
so that the finder needs NumPy but no compiled CRF library.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

PARAMS = Path(__file__).resolve().parent / "params" / "tagger.json"


@dataclass(frozen=True)
class CrfModel:
    labels: tuple[str, ...]
    templates: tuple[str, ...]
    rows: tuple[dict[str, int], ...]  # per template: value -> row of `weights`
    weights: np.ndarray  # (features + 1, labels); the last row is zeros, for unknown values
    transitions: tuple[tuple[float, ...], ...]  # [from][to]

    @classmethod
    def from_dict(cls, params: dict) -> CrfModel:
        templates = tuple(params["templates"])
        rows: list[dict[str, int]] = []
        table: list[list[float]] = []
        for name in templates:
            index = {}
            for value, w in params["features"].get(name, {}).items():
                index[value] = len(table)
                table.append(w)
            rows.append(index)
        table.append([0.0] * len(params["labels"]))
        return cls(
            labels=tuple(params["labels"]),
            templates=templates,
            rows=tuple(rows),
            weights=np.asarray(table, dtype=np.float64),
            transitions=tuple(tuple(r) for r in params["transitions"]),
        )

    def emissions(self, values: Sequence[tuple[str, ...]]) -> list[list[float]]:
        """Per token, the summed feature weight of each label."""
        unknown = len(self.weights) - 1
        ids = [m.get(v, unknown) for vals in values for m, v in zip(self.rows, vals)]
        scores = self.weights[ids].reshape(len(values), len(self.rows), -1).sum(axis=1)
        return scores.tolist()

    def decode(self, values: Sequence[tuple[str, ...]]) -> list[int]:
        """The best label sequence (label indices) for one sequence of tokens."""
        if not values:
            return []
        return viterbi(self.emissions(values), self.transitions)


def viterbi(emissions: list[list[float]], trans: Sequence[Sequence[float]]) -> list[int]:
    n_labels = len(trans)
    labels = range(n_labels)
    score = list(emissions[0])
    back: list[list[int]] = []
    for row in emissions[1:]:
        new, ptr = [], []
        for y in labels:
            best, arg = score[0] + trans[0][y], 0
            for x in range(1, n_labels):
                s = score[x] + trans[x][y]
                if s > best:
                    best, arg = s, x
            new.append(best + row[y])
            ptr.append(arg)
        score = new
        back.append(ptr)
    y = max(labels, key=score.__getitem__)
    path = [y]
    for ptr in reversed(back):
        y = ptr[y]
        path.append(y)
    path.reverse()
    return path


@lru_cache(maxsize=4)
def load(path: Path = PARAMS) -> CrfModel | None:
    """The shipped tagger, or None when no parameters are installed (the rules then run alone)."""
    if not path.is_file():
        return None
    return CrfModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
