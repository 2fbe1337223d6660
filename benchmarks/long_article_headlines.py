"""Time `extractor extract --model none` on a long article of many headlines and one much
quoted speaker (the case tests/test_limits.py checks for completeness, without a clock).

    python benchmarks/long_article_headlines.py [--blocks 2000]

2,000 title-case headlines, each naming someone the article never names again, and one
speaker quoted twice in every block: each headline and each quote used to cost a pass over
the whole text (13 s for 2,000 blocks on the project's 2-core machine); about 2 s since.
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def article(blocks: int) -> str:
    syllables = ["ka", "lo", "mi", "ra", "vo", "zu", "bel"]
    names = ("".join(parts).capitalize() for parts in itertools.product(syllables, repeat=4))
    return "".join(
        f"{name} Warns Of Budget Gap\n\nThe finance committee met on Tuesday. \u201cWe kept every promise,\u201d"
        " Mayor Ana Ruiz said after the vote. Ruiz told reporters the tram would run.\n\n"
        for _, name in zip(range(blocks), names)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long.txt"
        path.write_text(article(args.blocks), encoding="utf-8")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(path), "--model", "none", "-o", str(Path(folder) / "out.json")], check=True)
        print(f"{args.blocks} blocks, {path.stat().st_size:,} bytes: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
