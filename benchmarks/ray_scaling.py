"""Rules only (`--model none`) on a local Ray cluster: documents per second with 1 and with 2
actors, and the local engine in one process for comparison.

    python benchmarks/ray_scaling.py [--documents 20000] [--engines local,ray1,ray2]

Writes N distinct articles (the seed articles, each with its own closing line), starts one
local Ray cluster with as many CPUs as this machine has (its start-up is not timed: a real
cluster is up already), then times `extractor batch DIR --db NEW --model none` in this
process for each engine on a fresh database. Target: 2 Ray actors at least 1.5x one.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.batch_throughput import run_in_process, write_corpus  # noqa: E402

ENGINES = {"local": ("--engine", "local"), "ray1": ("--engine", "ray", "--workers", "1"),
           "ray2": ("--engine", "ray", "--workers", "2")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--documents", type=int, default=20_000)
    ap.add_argument("--engines", default="local,ray1,ray2")
    args = ap.parse_args(argv)
    import ray

    ray.init(num_cpus=os.cpu_count(), include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(corpus, args.documents, "scale")
        for name in args.engines.split(","):
            db = Path(tmp) / f"{name}.sqlite"
            started = time.perf_counter()
            code, output = run_in_process(["batch", str(corpus), "--db", str(db), "--model", "none", *ENGINES[name]])
            seconds = time.perf_counter() - started
            if code != 0:
                print(output)
                raise SystemExit(f"{name}: the batch run failed")
            rates[name] = args.documents / seconds
            print(f"{name}: {args.documents} documents in {seconds:.1f} s, {rates[name]:.0f} documents/s")
    if "ray1" in rates and "ray2" in rates:
        print(f"2 Ray actors / 1: {rates['ray2'] / rates['ray1']:.2f}x (target 1.5x), {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
