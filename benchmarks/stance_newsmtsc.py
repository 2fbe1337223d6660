"""The trained stance layer on NewsMTSC: quality at each threshold, calibration, and speed.

    python benchmarks/stance_newsmtsc.py ../shared/eval-data/newsmtsc/devtest_mt.jsonl

Prints, for the shipped parameters (extractor/trained/params/stance.json):
- macro-F1, accuracy, favor/against precision, calls made and flips (favor called against or
  the reverse) at a sweep of abstention thresholds, the shipped one marked;
- a reliability table: the calibrated confidence of the model's top class, in bins, against
  how often that class was right (docs/metrics.md holds the figures);
- milliseconds per target for the layer alone and through the public API (`extract_text`
  with `model="none"` and the mention as `--target`).

Report on devtest_mt only; the parameters were fitted on train.jsonl.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor.trained.stance import LABELS, decide, default_model  # noqa: E402
from extractor.trained.train_stance import read_newsmtsc  # noqa: E402


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    scores = []
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, predicted) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted) if p == label != g)
        fn = sum(1 for g, p in zip(gold, predicted) if g == label != p)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="a NewsMTSC-format .jsonl (devtest_mt.jsonl)")
    parser.add_argument("--api-sample", type=int, default=200, help="sentences timed through extract_text")
    args = parser.parse_args()
    model = default_model()
    rows = [t for sentence in read_newsmtsc(args.file) for t in sentence]
    gold = [label for *_, label in rows]

    started = time.perf_counter()
    probabilities = [model.probabilities(s, a, b) for s, a, b, _ in rows]
    layer_ms = (time.perf_counter() - started) * 1000 / len(rows)

    print(f"{args.file.name}: {len(rows)} targets; shipped threshold {model.threshold}, temperature {model.temperature}")
    print("threshold  macro-F1  accuracy  fav/ag precision  calls  flips")
    for threshold in sorted({0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, model.threshold}):
        predicted = [decide(p, threshold).polarity for p in probabilities]
        calls = [(p, g) for p, g in zip(predicted, gold) if p != "neutral"]
        right = sum(1 for p, g in calls if p == g)
        flips = sum(1 for p, g in calls if g != "neutral" and g != p)
        accuracy = sum(1 for p, g in zip(predicted, gold) if p == g) / len(gold)
        mark = "  <- shipped" if threshold == model.threshold else ""
        print(
            f"{threshold:9.2f}  {macro_f1(gold, predicted):8.3f}  {accuracy:8.3f}  "
            f"{(right / len(calls) if calls else 0):16.3f}  {len(calls):5d}  {flips:5d}{mark}"
        )

    print("\nreliability (top class, before abstention)")
    print("confidence     n   right")
    bins = [(0.33, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]
    for lo, hi in bins:
        inside = [(p, g) for p, g in zip(probabilities, gold) if lo <= max(p) < hi]
        if inside:
            right = sum(1 for p, g in inside if LABELS[p.index(max(p))] == g)
            mean = sum(max(p) for p, _ in inside) / len(inside)
            print(f"{lo:.2f}-{min(hi, 1.0):.2f}  {len(inside):5d}  {right / len(inside):.3f}  (mean confidence {mean:.3f})")

    from extractor import extract_text

    sample = read_newsmtsc(args.file)[: args.api_sample]
    targets = sum(len(s) for s in sample)
    started = time.perf_counter()
    for sentence in sample:
        extract_text(sentence[0][0], model="none", targets=tuple(dict.fromkeys(t[0][t[1] : t[2]] for t in sentence)))
    api_ms = (time.perf_counter() - started) * 1000 / targets
    print(f"\nspeed: {layer_ms:.2f} ms per target (layer alone), {api_ms:.2f} ms per target through extract_text (whole pipeline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
