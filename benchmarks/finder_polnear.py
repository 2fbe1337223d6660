"""Score the model-free attribution finder against PolNeAR's human annotations.

    python benchmarks/finder_polnear.py /path/to/polnear [--split dev|train] [--limit N] [--json] [--rules-only] [--repeat N]

PATH is the PolNeAR folder (holding data/) or its data/ folder. Articles annotated by several
annotators are scored against each annotator and the counts averaged, so each article weighs one.
Speed is reported as MB of UTF-8 text per second of this process's CPU time (one core; other
processes on the machine do not count), and wall-clock seconds. --rules-only turns the learned
tagger off, to compare.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor.finder import Finding, find_attributions  # noqa: E402
from extractor.polnear import SpanAttribution, load_split, score  # noqa: E402


def to_spans(finding: Finding) -> list[SpanAttribution]:
    """The finder's attributions in PolNeAR's terms: content as its parts (without an interrupting cue)."""
    out = []
    for a in finding.attributions:
        parts = a.parts or (a.content,)
        out.append(
            SpanAttribution(
                content=tuple(sorted((p.start, p.end) for p in parts)),
                source=((a.source.start, a.source.end),) if a.source else (),
                cue=((a.cue.start, a.cue.end),) if a.cue else (),
            )
        )
    return out


def run(path: str, split: str, limit: int | None, repeat: int = 1) -> dict:
    docs = load_split(path, split, limit)
    find_attributions("Warm-up: the tagger's parameters load once, said the benchmark.")
    best = None
    for _ in range(repeat):  # the best pass: on a shared machine the others measure the neighbours
        started, cpu = time.perf_counter(), time.process_time()
        predictions = {d.name: to_spans(find_attributions(d.text)) for d in docs}
        took = (time.perf_counter() - started, time.process_time() - cpu)
        best = took if best is None or took[1] < best[1] else best
    seconds, cpu = best
    result = score(predictions, docs)
    result["split"] = split
    result["seconds"] = seconds
    result["cpu_seconds"] = cpu
    result["mb"] = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    return result


def report(r: dict) -> str:
    lines = [
        f"PolNeAR {r['split']}: {r['documents']} articles "
        f"({r['multi_annotator_documents']} with several annotators: scored against each, counts averaged)",
        f"{'':18}{'P':>7}{'R':>7}{'F1':>7}{'pred':>9}{'gold':>9}",
    ]
    labels = {
        "content_overlap": "content overlap",
        "content_exact": "content exact",
        "source_overlap": "source overlap",
        "source_exact": "source exact",
        "cue_overlap": "cue overlap",
        "cue_exact": "cue exact",
        "relation": "content+source",
    }
    for key, label in labels.items():
        m = r[key]
        lines.append(
            f"{label:18}{m['precision']:7.3f}{m['recall']:7.3f}{m['f1']:7.3f}{m['pred']:9.0f}{m['gold']:9.0f}"
        )
    lines.append(
        f"right source on found attributions: {r['right_source_on_found']:.3f} (of {r['found']:.0f})"
    )
    lines.append(
        "overlap = shared characters cover at least half of the shorter span; one-to-one greedy matching"
    )
    lines.append(
        f"finder time: {r['seconds']:.2f} s ({r['cpu_seconds']:.2f} s CPU) for {r['mb']:.3f} MB: "
        f"{r['mb'] / max(r['cpu_seconds'], 1e-9):.2f} MB/s on one core"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", help="PolNeAR folder (with data/train, data/dev)")
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    ap.add_argument("--json", action="store_true", help="print the metrics as JSON")
    ap.add_argument("--rules-only", action="store_true", help="without the learned tagger")
    ap.add_argument("--repeat", type=int, default=1, help="passes over the articles (the fastest is reported)")
    args = ap.parse_args(argv)
    if args.rules_only:
        import extractor.finder.learned as learned

        learned.load = lambda: None  # the pass finds no parameters and proposes nothing
    result = run(args.path, args.split, args.limit, args.repeat)
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
