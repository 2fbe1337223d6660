"""Train the learned attribution tagger on PolNeAR's train split and write params/tagger.json.gz.

    python -m extractor.trained.train_tagger POLNEAR_DIR [--out FILE] [--c1 X] [--c2 X] [--iterations N]

POLNEAR_DIR holds data/train (and data/dev, which is scored for the record, never trained on).
Each paragraph of each training article is one sequence; a token's gold label is what the
article's first annotator marked at its first character (source, cue, content or nothing). The
rules run first and their labels are features, as at inference. CRFsuite (python-crfsuite, the
`train` extra) fits the CRF with L-BFGS and an L1 penalty, which keeps few features; the
weights it kept are written as JSON for extractor/trained/tagger.py, which needs no CRFsuite.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from extractor.finder.article import rule_attributions
from extractor.finder.learned import learned_attributions
from extractor.finder.raw import Raw
from extractor.finder.tag_features import LABELS, TEMPLATES, C, Q, S, document_inputs
from extractor.finder.text import layout
from extractor.polnear import PolnearDocument, SpanAttribution, load_split, score
from extractor.trained.tagger import PARAMS, CrfModel


def gold_labels(size: int, gold: Sequence[SpanAttribution]) -> bytearray:
    lab = bytearray(size)
    for a in gold:
        for code, frags in ((Q, a.content), (C, a.cue), (S, a.source)):
            for s, e in frags:
                lab[s:e] = bytes((code,)) * (e - s)
    return lab


def sequences(docs: Sequence[PolnearDocument]) -> Iterator[tuple[list[list[str]], list[str]]]:
    """(features as 'template=value' strings, gold labels) for every paragraph of every article."""
    for doc in docs:
        lay = layout(doc.text)
        paras, values = document_inputs(doc.text, lay, rule_attributions(doc.text, lay))
        gold = gold_labels(len(doc.text), next(iter(doc.annotations.values())))
        for para, vals in zip(paras, values):
            xseq = [[f"{t}={v}" for t, v in zip(TEMPLATES, tok)] for tok in vals]
            yseq = [LABELS[gold[t.start]] for t in para.toks]
            yield xseq, yseq


def fit(docs: Sequence[PolnearDocument], c1: float, c2: float, iterations: int) -> dict:
    import pycrfsuite  # the `train` extra: inference does not need it

    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in sequences(docs):
        trainer.append(xseq, yseq)
    trainer.set_params(
        {"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True}
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "tagger.crfsuite")
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        info = tagger.info()
    features: dict[str, dict[str, list[float]]] = {}
    for (attr, label), weight in info.state_features.items():
        name, _, value = attr.partition("=")
        row = features.setdefault(name, {}).setdefault(value, [0.0] * len(LABELS))
        row[LABELS.index(label)] = round(weight, 2)  # two decimals: the dev scores do not move
    for values in features.values():
        for value in [v for v, row in values.items() if not any(row)]:
            del values[value]
    transitions = [[round(info.transitions.get((a, b), 0.0), 2) for b in LABELS] for a in LABELS]
    return {
        "about": "attribution tagger: linear-chain CRF over finder tokens; see extractor/trained/tagger.py",
        "labels": list(LABELS),
        "templates": list(TEMPLATES),
        "c1": c1,
        "c2": c2,
        "iterations": iterations,
        "trained_on": f"PolNeAR train, {len(docs)} articles (first annotator of each)",
        "transitions": transitions,
        "features": {name: dict(sorted(values.items())) for name, values in sorted(features.items())},
    }


def to_spans(raws: Sequence[Raw]) -> list[SpanAttribution]:
    return [
        SpanAttribution(
            content=tuple(sorted(r.parts)), source=(r.source,) if r.source else (), cue=(r.cue,)
        )
        for r in raws
    ]


def evaluate(model: CrfModel, docs: Sequence[PolnearDocument]) -> dict:
    """PolNeAR span scores of the rules alone and of rules plus tagger (overlap F1 and friends)."""
    rules, both = {}, {}
    for doc in docs:
        lay = layout(doc.text)
        raws = rule_attributions(doc.text, lay)
        rules[doc.name] = to_spans(raws)
        both[doc.name] = to_spans(raws + learned_attributions(doc.text, lay, raws, model))
    out = {}
    for name, pred in (("rules", rules), ("rules+tagger", both)):
        s = score(pred, docs)
        out[name] = {
            k: {m: round(s[k][m], 4) for m in ("precision", "recall", "f1")}
            for k in ("content_overlap", "source_overlap", "cue_overlap", "relation")
        }
    return out


def save(params: dict, path: Path) -> None:
    """JSON, gzipped when the name ends in .gz (the shipped file is: a quarter of the size)."""
    data = (json.dumps(params, separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extractor.trained.train_tagger", description=__doc__.split("\n\n")[0])
    parser.add_argument("polnear_dir", type=Path, help="the PolNeAR folder holding data/train (and data/dev)")
    parser.add_argument("--out", type=Path, default=PARAMS, help=f"where the parameters go (default {PARAMS})")
    parser.add_argument("--c1", type=float, default=1.0, help="L1 penalty (more: fewer features kept)")
    parser.add_argument("--c2", type=float, default=0.01, help="L2 penalty")
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--limit", type=int, default=None, help="train on the first N articles only")
    parser.add_argument("--no-dev", action="store_true", help="do not score data/dev after training")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    params = fit(load_split(args.polnear_dir, "train", args.limit), args.c1, args.c2, args.iterations)
    if not args.no_dev:
        params["dev"] = evaluate(CrfModel.from_dict(params), load_split(args.polnear_dir, "dev"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save(params, args.out)
    kept = sum(len(v) for v in params["features"].values())
    print(
        f"{kept:,} feature values kept, {args.out.stat().st_size:,} bytes, {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    if "dev" in params:
        print(json.dumps(params["dev"], indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
