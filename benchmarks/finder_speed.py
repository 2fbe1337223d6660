"""Time the attribution finder alone on PolNeAR's train texts (one process, one core).

    python benchmarks/finder_speed.py /path/to/polnear [--split train] [--repeat 1]

Loads every article first, then times only `find_attributions`, and prints characters per second.
The target is at least 1 MB of text per second per core.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor.finder import find_attributions  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", help="PolNeAR folder (with data/train)")
    ap.add_argument("--split", default="train")
    ap.add_argument("--repeat", type=int, default=1, help="passes over the texts (the best one is reported)")
    args = ap.parse_args(argv)
    root = Path(args.path)
    text_dir = root / "data" / args.split / "text"
    if not text_dir.is_dir():
        text_dir = root / args.split / "text"
    texts = [p.read_text(encoding="utf-8") for p in sorted(text_dir.glob("*.txt"))]
    if not texts:
        print(f"no texts under {text_dir}", file=sys.stderr)
        return 1
    chars = sum(len(t) for t in texts)
    find_attributions(texts[0])  # imports and regex compilation are not part of the rate
    best = float("inf")
    found = 0
    for _ in range(max(1, args.repeat)):
        started = time.perf_counter()
        found = sum(len(find_attributions(t).attributions) for t in texts)
        best = min(best, time.perf_counter() - started)
    print(f"{len(texts)} articles, {chars:,} characters, {found:,} attributions")
    print(
        f"{best:.2f} s: {chars / best:,.0f} characters per second ({chars / best / 1e6:.2f} M chars/s, one process)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
