"""Train the check-worthiness classifier (extractor/trained/checkworthy.py) and write its
parameters:

    python -m extractor.trained.train_checkworthy PATH/clef2019-checkthat-task1

DATA_DIR is CLEF 2019 CheckThat! task 1 (its data/training folder is read, nothing else) or a
folder of its .tsv transcripts. Needs scikit-learn (`pip install -e '.[train]'`); the package
itself does not.

Whole debates are held out, never single sentences (a debate's sentences share topics and
speakers): every fourth transcript by name is the dev split. The regularization strength and
the threshold are chosen by cross-validation over the other transcripts (grouped by file), the
model is fitted on them, and the dev split is scored once, with the shipped parameters and the
run-time code, so the figures written beside the parameters are the shipped classifier's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from extractor.trained.checkworthy import PARAMS, CheckWorthiness, features

C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
DEV_EVERY = 4  # transcripts i with i % 4 == 3 (sorted by name) are held out
MIN_SENTENCES = 5  # a feature seen in fewer training sentences is left out (7k features, not 21k; AP 0.226 vs 0.231)
DIGITS = 3  # weights are rounded to this many decimals (the file stays small)


def transcripts(data_dir: Path) -> list[Path]:
    for folder in (data_dir / "data" / "training", data_dir / "training", data_dir):
        files = sorted(folder.glob("*.tsv"))
        if files:
            return files
    raise SystemExit(f"{data_dir}: no .tsv transcripts in data/training or in the folder itself")


def sentences(path: Path) -> list[tuple[str, bool]]:
    from extractor.evaluate.datasets.clef2019 import STAGE, _lines

    return [(text, label) for speaker, text, label in _lines(path) if speaker != STAGE]


def split(files: list[Path]) -> tuple[list[Path], list[Path]]:
    dev = [f for i, f in enumerate(files) if i % DEV_EVERY == DEV_EVERY - 1]
    return [f for f in files if f not in dev], dev


def train(data_dir: Path, folds: int = 3) -> dict:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score

    files = transcripts(data_dir)
    train_files, dev_files = split(files)
    if not dev_files or len(train_files) < 2:
        raise SystemExit(f"{data_dir}: need at least {DEV_EVERY} transcripts (found {len(files)})")
    rows, labels, groups = [], [], []
    for g, path in enumerate(train_files):
        for text, label in sentences(path):
            rows.append(features(text))
            labels.append(label)
            groups.append(g)
    y, groups = np.array(labels), np.array(groups)
    kept = _frequent(rows)
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([{f: 1 for f in r if f in kept} for r in rows])

    def fit(c, xs, ys):
        return LogisticRegression(C=c, max_iter=2000).fit(xs, ys)

    folds = min(folds, len(train_files))
    fold_of = groups % folds  # files dealt round-robin into folds: deterministic, no shuffling
    chosen, best_ap, best_scores = None, -1.0, None
    for c in C_GRID:
        scores = np.zeros(len(y))
        for k in range(folds):
            held = fold_of == k
            if y[~held].any():
                scores[held] = fit(c, x[~held], y[~held]).predict_proba(x[held])[:, 1]
        ap = average_precision_score(y, scores) if y.any() else 0.0
        if ap > best_ap:
            chosen, best_ap, best_scores = c, ap, scores
    threshold = _best_threshold(best_scores, y)
    model = fit(chosen, x, y)
    names = vectorizer.get_feature_names_out()
    weights = {str(n): round(float(w), DIGITS) for n, w in zip(names, model.coef_[0]) if round(float(w), DIGITS) != 0.0}
    params = {
        "about": "check-worthiness logistic regression; see extractor/trained/checkworthy.py",
        "trained_on": [f.name for f in train_files],
        "held_out": [f.name for f in dev_files],
        "C": chosen,
        "cv_average_precision": round(float(best_ap), 4),
        "threshold": round(float(threshold), 4),
        "bias": round(float(model.intercept_[0]), DIGITS),
        "weights": dict(sorted(weights.items())),
    }
    params["dev"] = evaluate(CheckWorthiness.from_dict(params), [s for f in dev_files for s in sentences(f)])
    return params


def evaluate(classifier: CheckWorthiness, data: list[tuple[str, bool]]) -> dict:
    """Average precision, and precision / recall / F1 of the positive class at the threshold."""
    from sklearn.metrics import average_precision_score

    judged = [(classifier.probability(t), label) for t, label in data]
    judged = [(p, label) for p, label in judged if p is not None]
    probs, labels = [p for p, _ in judged], [label for _, label in judged]
    tp = sum(1 for p, label in judged if label and p >= classifier.threshold)
    npred = sum(1 for p in probs if p >= classifier.threshold)
    ngold = sum(labels)
    prec, rec = tp / npred if npred else 0.0, tp / ngold if ngold else 0.0
    return {
        "sentences": len(data),
        "judged": len(judged),
        "positives": ngold,
        "base_rate": round(ngold / len(judged), 4) if judged else 0.0,
        "average_precision": round(float(average_precision_score(labels, probs)), 4) if ngold else 0.0,
        "precision": round(prec, 4),
        "recall": round(rec, 4),
        "f1": round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0,
        "predicted_positive": npred,
        "reliability": reliability(probs, labels),
    }


def reliability(probs: list[float], labels: list[bool], edges=(0.0, 0.02, 0.05, 0.1, 0.2, 0.4, 1.0)) -> list[dict]:
    """Mean predicted probability against the observed rate, per probability bin."""
    table = []
    for lo, hi in zip(edges, edges[1:]):
        inside = [(p, y) for p, y in zip(probs, labels) if lo <= p < hi or (hi == 1.0 and p == 1.0)]
        if inside:
            table.append(
                {
                    "bin": f"{lo:.2f}-{hi:.2f}",
                    "n": len(inside),
                    "mean_probability": round(sum(p for p, _ in inside) / len(inside), 4),
                    "observed_rate": round(sum(1 for _, y in inside if y) / len(inside), 4),
                }
            )
    return table


def _frequent(rows: list[set[str]]) -> set[str]:
    seen: dict[str, int] = {}
    for r in rows:
        for f in r:
            seen[f] = seen.get(f, 0) + 1
    return {f for f, n in seen.items() if n >= MIN_SENTENCES}


def _best_threshold(scores, y) -> float:
    """The probability cut with the best F1 of the positive class (out-of-fold scores)."""
    order = sorted(zip(scores, y), key=lambda s: -s[0])
    total = sum(1 for _, label in order if label)
    best, cut, tp = -1.0, 0.5, 0
    for n, (score, label) in enumerate(order, 1):
        tp += int(label)
        f1 = 2 * tp / (n + total) if total else 0.0
        if f1 > best:
            best, cut = f1, float(score)
    return cut


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extractor.trained.train_checkworthy", description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, help="CLEF 2019 task 1 folder (data/training is read) or a folder of .tsv files")
    parser.add_argument("--out", type=Path, default=PARAMS, help=f"where the parameters go (default {PARAMS})")
    args = parser.parse_args(argv)
    params = train(args.data_dir)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(params, indent=0, sort_keys=False, ensure_ascii=False) + "\n", encoding="utf-8")
    dev = params["dev"]
    print(
        f"C={params['C']} threshold={params['threshold']} features={len(params['weights'])} "
        f"size={args.out.stat().st_size:,} bytes; held-out {len(params['held_out'])} transcripts "
        f"({dev['sentences']} sentences, {dev['positives']} check-worthy): average precision {dev['average_precision']}, "
        f"P {dev['precision']} R {dev['recall']} F1 {dev['f1']}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
