"""Peak memory of `extractor extract BIG --model none` on a 5 MB article.

    python benchmarks/memory_big_article.py [--megabytes 5]

Writes two articles of that size and runs extract on each as a child process, reading the
child's peak resident set size from the kernel (os.wait4's rusage, so only that child counts):

- "seeds": the seed articles one after another (many speakers, headlines, Cyrillic);
- "one speaker": one paragraph repeated, so one speaker has tens of thousands of mentions
  (this is where a per-mention cost that grows with the mentions shows);

each at the default EXTRACTOR_MAX_INPUT_CHARS (refused: over the limit, without extracting)
and with the limit raised to take it (extracted, the JSON result written to a file).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ["city-council-bike-lanes.txt", "central-bank-rates.txt", "peskov-nato-red-line.txt", "ukraine-grain-talks-cyrillic.txt"]
PARAGRAPH = ("Mayor Ana Ruiz said on Monday that the new tram line would cut traffic by a third. \u201cWe kept every"
             " promise,\u201d Ruiz told reporters outside City Hall. Critics said the plan would bankrupt the city.\n\n")


def write_articles(folder: Path, size: int) -> dict[str, Path]:
    texts = [(ROOT / "seeds" / name).read_text(encoding="utf-8") for name in SEEDS]
    parts, total, n = [], 0, 0
    while total < size:
        part = f"{texts[n % len(texts)]}\nReported for edition {n}.\n\n"
        parts.append(part)
        total += len(part.encode())
        n += 1
    seeds = folder / "seeds.txt"
    seeds.write_text("".join(parts), encoding="utf-8")
    one = folder / "one-speaker.txt"
    one.write_text(PARAGRAPH * (size // len(PARAGRAPH.encode()) + 1), encoding="utf-8")
    return {"seeds": seeds, "one speaker": one}


def peak(args: list[str], env: dict) -> tuple[int, float, int, str]:
    """(exit status, seconds, peak RSS in MB, last line of stderr) of one child."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "extractor.cli", *args], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = child.stderr.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, time.perf_counter() - started, usage.ru_maxrss // 1024, (stderr.strip().splitlines() or [""])[-1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--megabytes", type=float, default=5.0)
    args = ap.parse_args(argv)
    size = int(args.megabytes * 1024 * 1024)
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXTRACTOR_")}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        baseline = peak(["--version"], env)[2]
        print(f"python + extractor --version: {baseline} MB peak RSS")
        for kind, path in write_articles(tmp, size).items():
            chars = len(path.read_text(encoding="utf-8"))
            print(f"{kind}: {path.stat().st_size / 1e6:.1f} MB, {chars:,} characters")
            out = tmp / "result.json"
            code, seconds, mb, line = peak(["extract", str(path), "--model", "none", "-o", str(out)], env)
            print(f"  default limit:  exit {code}, {seconds:.1f} s, peak RSS {mb} MB  ({line})")
            raised = {**env, "EXTRACTOR_MAX_INPUT_CHARS": str(chars + 1)}
            code, seconds, mb, line = peak(["extract", str(path), "--model", "none", "-o", str(out)], raised)
            written = out.stat().st_size / 1e6 if out.exists() else 0
            print(f"  limit raised:   exit {code}, {seconds:.1f} s, peak RSS {mb} MB, {written:.0f} MB of JSON written"
                  f"  ({mb / (path.stat().st_size / 1e6):.0f} MB per MB of input)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
