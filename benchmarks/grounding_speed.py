"""Grounding speed: many quotes against one long article (no model, no network).

    python benchmarks/grounding_speed.py [--quotes 1000] [--megabytes 1] [--texts DIR]

Builds an article of about N MB from the .txt files in DIR (for example PolNeAR's
data/train/text: real news), or from the seed articles, every sentence of each copy numbered
so that the text does not repeat itself; then grounds Q quotes taken from it the way a capable model returns them: half
copied exactly, a fifth with curly quotes made straight or the case changed (found after
normalization), a fifth with a letter dropped (found fuzzily), a tenth not in the article at
all. Prints the time and how each quote was aligned. Target (issue 11): 1,000 quotes against
1 MB in under 2 s.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def article(megabytes: float, texts: Path | None = None) -> str:
    folder = texts or ROOT / "seeds"
    sources = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    parts, size, n = [], 0, 0
    while size < megabytes * 1_000_000:
        source = sources[n % len(sources)]
        if n >= len(sources):  # a copy: number its sentences so it is not the same text again
            source = re.sub(r"\. ", lambda m, n=n: f" ({n}). ", source)
        part = f"Edition {n}.\n" + source
        parts.append(part)
        size += len(part)
        n += 1
    return "\n".join(parts)


def quotes(text: str, count: int, rng: random.Random) -> list[str]:
    out = []
    for n in range(count):
        start = rng.randrange(0, len(text) - 400)
        start = text.find(" ", start) + 1
        quote = text[start : start + rng.randint(40, 200)].strip()
        kind = n % 10
        if kind in (5, 6):
            quote = quote.replace("“", '"').replace("”", '"').replace("’", "'")
            quote = quote[:1].swapcase() + quote[1:]
        elif kind in (7, 8):
            middle = len(quote) // 2
            quote = quote[:middle] + quote[middle + 1 :]
        elif kind == 9:
            quote = f"Nobody in this article ever said sentence number {n} about the harbour tax."
        out.append(quote)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quotes", type=int, default=1000)
    ap.add_argument("--megabytes", type=float, default=1.0)
    ap.add_argument("--texts", type=Path, help="a folder of .txt articles to build the long article from")
    args = ap.parse_args(argv)
    from extractor.grounding import TextIndex

    text = article(args.megabytes, args.texts)
    wanted = quotes(text, args.quotes, random.Random(11))
    started = time.perf_counter()
    index = TextIndex(text)
    spans = [index.ground(q) for q in wanted]
    seconds = time.perf_counter() - started
    kinds = Counter(s.alignment if s else "not found" for s in spans)
    print(f"{len(wanted)} quotes against {len(text) / 1e6:.2f} M characters: {seconds:.2f} s "
          f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); target < 2 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
