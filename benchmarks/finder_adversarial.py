"""Time the finder, and `extractor extract --model none`, on adversarial text: 1 MB (by
default) of one attribution cue repeated, with no sentence break or one every few words.

    python benchmarks/finder_adversarial.py [--megabytes 1] [--cue NAME ...] [--finder-only]

Before issue 15 a text without sentence breaks was quadratic: "according to " repeated
8,000 times took 10-12 s, 100,000 times over 300 s. The target is under 2 s a megabyte for
"according to ". Each article is written to a temporary file and extracted by a child
process (as a nightly batch would meet it), timed from start to exit; the finder alone is
timed in this process. The linearity itself is asserted, without a clock, by
tests/test_finder_linear.py.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.finder import find_attributions  # noqa: E402

CUES = {
    "according": "according to ",
    "according-source": "according to officials, ",
    "passive": "it was said that ",
    "noun": "his claim that ",
    "quote": '"Yes," he said. ',
    "asked-by": "pressed by Smith on whether ",
    "told": "Smith told CNN that ",
    "names": "John Smith ",
    "open-quote": '"Yes, ',
}


def article(cue: str, size: int) -> str:
    return (cue * (size // len(cue) + 1))[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--cue", action="append", choices=sorted(CUES), help="only these (repeatable)")
    parser.add_argument("--finder-only", action="store_true", help="skip the extract child processes")
    args = parser.parse_args()
    size = int(args.megabytes * 1_000_000)
    print(f"{'cue':18} {'chars':>10} {'finder s':>9} {'found':>7} {'extract s':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for name in args.cue or CUES:
            text = article(CUES[name], size)
            started = time.perf_counter()
            found = len(find_attributions(text).attributions)
            finder = time.perf_counter() - started
            extract = ""
            if not args.finder_only:
                path = Path(folder, f"{name}.txt")
                path.write_text(text, encoding="utf-8")
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "extractor.cli", "extract", str(path), "--model", "none", "-o", str(path) + ".json"],
                    cwd=ROOT, check=True, env={"EXTRACTOR_MAX_INPUT_CHARS": str(2 * size), "PATH": ""},
                )
                extract = f"{time.perf_counter() - started:.2f}"
            print(f"{name:18} {len(text):>10,} {finder:>9.2f} {found:>7,} {extract:>10}", flush=True)


if __name__ == "__main__":
    main()
