"""Train the stance layer's parameters from NewsMTSC's training split.

    python -m extractor.trained.train_stance PATH/newsmtsc/train.jsonl \
        --out extractor/trained/params/stance.json

The file is split by sentence: 85% trains the logistic regression, 15% (never seen in
training) fits the temperature that calibrates its probabilities and chooses the abstention
threshold: the lowest threshold at which favor and against calls are right at least
`--precision` of the time (0.90: the multi-target sentences of real use are harder than
the mostly single-target training sentences, so the aim is set above the 0.85 wanted). No other NewsMTSC file is read: `devtest_mt.jsonl` is for
reporting (`extractor eval newsmtsc`), and the real-world test split is never used.

Needs scikit-learn (`pip install -e '.[train]'`); the shipped model needs only the JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from extractor.evaluate.datasets.newsmtsc import LABELS as NEWSMTSC_LABELS
from extractor.trained.features import polarity_features
from extractor.trained.stance import LABELS, decide, softmax


def read_newsmtsc(path: Path) -> list[list[tuple[str, int, int, str]]]:
    """Sentences, each a list of (sentence, from, to, label) for its targets."""
    sentences = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            row = json.loads(line)
            text = row["sentence_normalized"]
            sentences.append([(text, t["from"], t["to"], NEWSMTSC_LABELS[float(t["polarity"])]) for t in row["targets"]])
    return sentences


def train(sentences, c: float = 0.2, min_count: int = 3, precision: float = 0.90, seed: int = 13, min_weight: float = 0.02) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    cut = max(1, int(len(order) * 0.85)) if len(order) > 1 else len(order)
    fit_rows = [t for i in order[:cut] for t in sentences[i]]
    held_rows = [t for i in order[cut:] for t in sentences[i]] or fit_rows

    fit_x = [polarity_features(s, a, b) for s, a, b, _ in fit_rows]
    counts: dict[str, int] = {}
    for x in fit_x:
        for k in x:
            counts[k] = counts.get(k, 0) + 1
    fit_x = [{k: v for k, v in x.items() if counts[k] >= min_count} for x in fit_x]
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(fit_x)
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(matrix, [label for *_, label in fit_rows])
    rows = [list(model.classes_).index(label) for label in LABELS]
    coef = model.coef_[rows]
    weights = {}
    for j, name in enumerate(vectorizer.feature_names_):
        w = [round(float(coef[i, j]), 3) for i in range(3)]
        if max(abs(v) for v in w) >= min_weight:  # the many near-zero weights change no answer
            weights[name] = w
    bias = [round(float(model.intercept_[i]), 4) for i in rows]

    held_scores = [_scores(weights, bias, s, a, b) for s, a, b, _ in held_rows]
    held_labels = [label for *_, label in held_rows]
    temperature = fit_temperature(held_scores, held_labels)
    threshold = choose_threshold([softmax(s, temperature) for s in held_scores], held_labels, precision)
    return {
        "labels": list(LABELS),
        "bias": bias,
        "temperature": temperature,
        "threshold": threshold,
        "trained_on": "NewsMTSC train.jsonl (Hamborg & Donnay 2021, MIT): 85% of sentences; 15% for calibration",
        "settings": {"C": c, "min_count": min_count, "min_weight": min_weight, "precision_target": precision, "seed": seed},
        "weights": weights,
    }


def _scores(weights, bias, sentence, start, end) -> list[float]:
    scores = list(bias)
    for name, value in polarity_features(sentence, start, end).items():
        w = weights.get(name)
        if w:
            for i in range(3):
                scores[i] += w[i] * value
    return scores


def fit_temperature(scores, labels) -> float:
    """The temperature with the lowest log-loss on held-out rows (a grid is enough for one
    parameter)."""
    import math

    def loss(temperature: float) -> float:
        return -sum(math.log(max(softmax(s, temperature)[LABELS.index(y)], 1e-12)) for s, y in zip(scores, labels))

    grid = [0.5 + 0.05 * i for i in range(51)]
    return round(min(grid, key=loss), 3)


def choose_threshold(probabilities, labels, precision: float) -> float:
    """The lowest threshold whose favor/against calls reach `precision` on held-out rows
    (most calls kept at that precision); the highest tried if none does."""
    grid = [round(0.34 + 0.01 * i, 2) for i in range(62)]
    for threshold in grid:
        calls = [(decide(p, threshold).polarity, y) for p, y in zip(probabilities, labels)]
        made = [(p, y) for p, y in calls if p != "neutral"]
        if made and sum(p == y for p, y in made) / len(made) >= precision:
            return threshold
    return grid[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train_file", type=Path, help="NewsMTSC train.jsonl")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "params" / "stance.json")
    parser.add_argument("--c", type=float, default=0.2, help="inverse L2 strength")
    parser.add_argument("--precision", type=float, default=0.90, help="favor/against precision the threshold aims at")
    args = parser.parse_args(argv)
    if not args.train_file.is_file():
        print(f"train_stance: {args.train_file} is not a file: give the path to NewsMTSC's train.jsonl", file=sys.stderr)
        return 2
    if "test" in args.train_file.name or "devtest" in args.train_file.name:
        print(f"train_stance: {args.train_file.name} is an evaluation split: train on train.jsonl", file=sys.stderr)
        return 2
    params = train(read_newsmtsc(args.train_file), c=args.c, precision=args.precision)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(params, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    size = args.out.stat().st_size
    print(
        f"{len(params['weights'])} features, temperature {params['temperature']}, threshold {params['threshold']}: "
        f"{args.out} ({size / 1024:.0f} KiB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
