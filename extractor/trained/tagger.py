"""The learned attribution tagger's model: a linear-chain CRF over tokens, run without CRFsuite.

Trained on PolNeAR's train split by `python -m extractor.trained.train_tagger POLNEAR_DIR`,
which writes params/tagger.json.gz (gzipped JSON): for every feature template, the weight of each (value, label)
pair CRFsuite kept, and the label-to-label transition weights. Inference here is a weight
lookup per token (NumPy sums the rows) and a Viterbi pass in plain Python over four labels,
so that the finder needs NumPy but no compiled CRF library.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

PARAMS = Path(__file__).resolve().parent / "params" / "tagger.json.gz"
# Sequences (paragraphs) longer than this are decoded one by one in plain Python, not in the
# NumPy batch: the batch takes one NumPy step per position of its longest sequence, about ten
# microseconds, so one paragraph of a megabyte without a line break (180,000 tokens) cost its
# document 3 s, and padded every other paragraph of the batch to its length.
LONG = 200


@dataclass(frozen=True)
class CrfModel:
    labels: tuple[str, ...]
    templates: tuple[str, ...]
    rows: tuple[dict[str, int], ...]  # per template: value -> row of `weights`
    weights: np.ndarray  # (features + 1, labels); the last row is zeros, for unknown values
    transitions: tuple[tuple[float, ...], ...]  # [from][to]
    # added to every token's label scores: tuned on PolNeAR dev to trade precision for recall
    bias: tuple[float, ...] = ()

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
            bias=tuple(params.get("bias") or [0.0] * len(params["labels"])),
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

    def decode_ids(self, ids: np.ndarray, lengths: Sequence[int]) -> list[list[int]]:
        """The best label sequence of each of several sequences, given every token's feature rows
        (an array of tokens by templates, sequence after sequence): one weight lookup for all tokens
        and one Viterbi pass over the sequences side by side (NumPy steps through positions);
        a sequence longer than LONG is decoded alone, in plain Python."""
        sizes = np.asarray(lengths, dtype=np.int64)
        if not sizes.size or not sizes.max():
            return [[] for _ in lengths]
        flat = self.weights[np.asarray(ids, dtype=np.int64).reshape(-1)].reshape(int(sizes.sum()), len(self.rows), -1).sum(axis=1)
        flat += np.asarray(self.bias)
        offsets = (np.cumsum(sizes) - sizes).tolist()
        out = [viterbi(flat[o : o + n].tolist(), self.transitions) if n > LONG else [] for o, n in zip(offsets, sizes.tolist())]
        short = np.flatnonzero((sizes > 0) & (sizes <= LONG))
        if short.size:
            chosen = sizes[short]
            padded = np.zeros((len(chosen), int(chosen.max()), flat.shape[1]))
            which = np.repeat(np.arange(len(chosen)), chosen)
            where = np.arange(int(chosen.sum())) - np.repeat(np.cumsum(chosen) - chosen, chosen)
            padded[which, where] = flat[np.repeat(sizes <= LONG, sizes)]
            paths = viterbi_batch(padded, chosen, np.asarray(self.transitions))
            for k, path, n in zip(short.tolist(), paths, chosen.tolist()):
                out[k] = path[:n].tolist()
        return out

    def unknown_row(self) -> int:
        return len(self.weights) - 1


def viterbi(emissions: list[list[float]], trans: Sequence[Sequence[float]]) -> list[int]:
    """The best label sequence, with the same sums in the same order as viterbi_batch (so
    the same labels, ties included: the first best wins)."""
    if len(trans) == 4:
        return _viterbi4(emissions, trans)
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
    return _backtrack(y, back)


def _viterbi4(emissions: list[list[float]], trans: Sequence[Sequence[float]]) -> list[int]:
    """viterbi for the tagger's four labels, written out: about four times faster, which
    matters on a paragraph of 100,000 tokens."""
    (t00, t01, t02, t03), (t10, t11, t12, t13), (t20, t21, t22, t23), (t30, t31, t32, t33) = trans
    s0, s1, s2, s3 = emissions[0]
    back: list[tuple[int, int, int, int]] = []
    keep = back.append
    for r0, r1, r2, r3 in emissions[1:]:
        b, a0 = s0 + t00, 0
        if (v := s1 + t10) > b:
            b, a0 = v, 1
        if (v := s2 + t20) > b:
            b, a0 = v, 2
        if (v := s3 + t30) > b:
            b, a0 = v, 3
        n0 = b + r0
        b, a1 = s0 + t01, 0
        if (v := s1 + t11) > b:
            b, a1 = v, 1
        if (v := s2 + t21) > b:
            b, a1 = v, 2
        if (v := s3 + t31) > b:
            b, a1 = v, 3
        n1 = b + r1
        b, a2 = s0 + t02, 0
        if (v := s1 + t12) > b:
            b, a2 = v, 1
        if (v := s2 + t22) > b:
            b, a2 = v, 2
        if (v := s3 + t32) > b:
            b, a2 = v, 3
        n2 = b + r2
        b, a3 = s0 + t03, 0
        if (v := s1 + t13) > b:
            b, a3 = v, 1
        if (v := s2 + t23) > b:
            b, a3 = v, 2
        if (v := s3 + t33) > b:
            b, a3 = v, 3
        s0, s1, s2, s3 = n0, n1, n2, b + r3
        keep((a0, a1, a2, a3))
    score = (s0, s1, s2, s3)
    return _backtrack(max(range(4), key=score.__getitem__), back)


def _backtrack(y: int, back: Sequence[Sequence[int]]) -> list[int]:
    path = [y]
    for ptr in reversed(back):
        y = ptr[y]
        path.append(y)
    path.reverse()
    return path


def viterbi_batch(emissions: np.ndarray, lengths: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """Viterbi over a batch of padded sequences: emissions (batch, steps, labels). The sequences
    are taken longest first, so that at each step the ones still running are a prefix of the
    batch and NumPy works on that prefix only."""
    batch, steps, _ = emissions.shape
    order = np.argsort(-lengths, kind="stable")
    em, ln = emissions[order], lengths[order]
    running = [int(k) for k in np.searchsorted(-ln, -np.arange(steps), side="left")]  # sequences longer than t
    score = em[:, 0].copy()
    back = np.zeros((steps, batch, trans.shape[0]), dtype=np.int8)
    for t in range(1, steps):
        k = running[t]
        cand = score[:k, :, None] + trans
        back[t, :k] = cand.argmax(axis=1)
        score[:k] = cand.max(axis=1) + em[:k, t]
    y = score.argmax(axis=1)
    paths = np.zeros((batch, steps), dtype=np.int64)
    paths[np.arange(batch), ln - 1] = y
    for t in range(steps - 1, 0, -1):
        k = running[t]
        y[:k] = back[t, np.arange(k), y[:k]]
        paths[:k, t - 1] = y[:k]
    out = np.empty_like(paths)
    out[order] = paths
    return out


@lru_cache(maxsize=4)
def load(path: Path = PARAMS) -> CrfModel | None:
    """The shipped tagger, or None when no parameters are installed (the rules then run alone)."""
    if not path.is_file():
        return None
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return CrfModel.from_dict(json.loads(data.decode("utf-8")))
