"""Batch throughput against a stand-in model server with a fixed latency (loopback only).

    python benchmarks/batch_throughput.py [--documents 500] [--concurrency 32] [--latency 0.2] [--workers 1] [--rich]
                                          [--engine local|ray] [--profile FILE]

Writes N distinct articles (about 3 KB each, one chunk, so one request each with
`--strategy full`), starts tests/openai_standin.py in its own process, and runs
`extractor batch DIR --db ... --model stand-in --base-url ... --strategy full --concurrency C
--workers W`:

- in this process, after a warm-up run on other documents (imports and the first model
  connection are not part of the rate), timing the whole command: documents/s against the
  ideal of requests x latency / concurrency, and the CPU time per document of this process
  and its worker processes (the project's own work outside the model: finder, prompts, HTTP
  client, validation, SQLite);
- then the same command again as a fresh process on the unchanged corpus, timed end to end
  (Python start-up included): it must ask nothing and take under 2 s.

`--rich`: the stand-in answers each passage as a capable model would (about 20 claims, some
quotes miscopied, some not in the text: `openai_standin.rich_answer`), so grounding and
validation have a real answer's work to do.

Targets: at least 0.9 of ideal; our CPU at most 10 ms per document; the unchanged rerun of 500 documents under 2 s.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEEDS = ["city-council-bike-lanes.txt", "central-bank-rates.txt", "peskov-nato-red-line.txt", "ukraine-grain-talks-cyrillic.txt"]


def write_corpus(folder: Path, count: int, tag: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    texts = [(ROOT / "seeds" / name).read_text(encoding="utf-8") for name in SEEDS]
    for n in range(count):
        text = texts[n % len(texts)]
        # a distinct document each time: its own closing line, so its own content hash
        (folder / f"article-{n:05d}.txt").write_text(f"{text}\nReported for edition {tag}-{n}.\n", encoding="utf-8")


def start_standin(latency: float, rich: bool = False):
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.openai_standin", "--latency", str(latency), *(["--rich"] if rich else [])],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    url = proc.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        proc.kill()
        raise SystemExit("the stand-in server did not start")
    return proc, url


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the batch's workers; the
    stand-in server is still running, so it is not counted)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def process_cpu(pid: int) -> float:
    """CPU seconds a running process has used so far (Linux /proc; 0.0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_in_process(args: list[str]) -> tuple[int, str]:
    from click.testing import CliRunner

    from extractor.cli import main

    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.output


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--documents", type=int, default=500)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--latency", type=float, default=0.2)
    ap.add_argument("--workers", type=int, default=1, help="extractor batch --workers (2+: extraction in that many processes)")
    ap.add_argument("--rich", action="store_true",
                    help="the stand-in answers as a capable model would: about 20 claims a passage, some miscopied, some not in the text")
    ap.add_argument("--engine", choices=["local", "ray"], default="local",
                    help="ray: a local Ray cluster (started once here, before the warm-up) with --workers actors")
    ap.add_argument("--profile", metavar="FILE", help="write cProfile stats of the measured run there (slows it; read with pstats)")
    args = ap.parse_args(argv)
    os.environ.pop("OPENAI_API_KEY", None)
    if args.engine == "ray":  # the cluster's start-up (10-15 s) is not the run's: a real cluster is up already
        import logging

        import ray

        ray.init(num_cpus=os.cpu_count(), include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    server, url = start_standin(args.latency, args.rich)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            corpus, warm = tmp / "corpus", tmp / "warm-up"
            write_corpus(corpus, args.documents, "main")
            write_corpus(warm, min(args.concurrency, args.documents), "warm")
            db = tmp / "results.sqlite"
            common = ["--db", str(db), "--model", "stand-in", "--base-url", url, "--strategy", "full",
                      "--concurrency", str(args.concurrency), "--workers", str(args.workers), "--engine", args.engine]
            code, _ = run_in_process(["batch", str(warm), *common])
            assert code == 0, "warm-up run failed"

            cpu, server_cpu, wall = _cpu(), process_cpu(server.pid), time.perf_counter()
            profiler = None
            if args.profile:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            code, output = run_in_process(["batch", str(corpus), *common])
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(args.profile)
            wall, cpu = time.perf_counter() - wall, _cpu() - cpu
            server_cpu = process_cpu(server.pid) - server_cpu
            if code != 0:
                print(output)
                raise SystemExit("the batch run failed")
            with contextlib.closing(sqlite3.connect(db)) as con:
                requests = con.execute("SELECT SUM(requests) FROM attempts WHERE run_id = (SELECT MAX(id) FROM runs)").fetchone()[0]
            ideal = requests * args.latency / args.concurrency
            rate, ideal_rate = args.documents / wall, args.documents / ideal

            rerun_started = time.perf_counter()
            again = subprocess.run(
                [sys.executable, "-m", "extractor.cli", "batch", str(corpus), *common],
                cwd=ROOT, capture_output=True, text=True,
            )
            rerun = time.perf_counter() - rerun_started
            with contextlib.closing(sqlite3.connect(db)) as con:
                asked = con.execute("SELECT COALESCE(SUM(requests), 0) FROM attempts WHERE run_id = (SELECT MAX(id) FROM runs)").fetchone()[0]
    finally:
        server.kill()
    print(f"{'rich' if args.rich else 'light'} answers, {args.documents} documents, {requests} requests, latency {args.latency * 1000:.0f} ms, "
          f"concurrency {args.concurrency}, {args.workers} worker process(es), engine {args.engine}, {os.cpu_count()} cores")
    print(f"run: {wall:.2f} s, {rate:.1f} documents/s; ideal {ideal:.2f} s, {ideal_rate:.1f} documents/s: {ideal / wall:.3f} of ideal (target 0.9)")
    print(f"CPU of the batch (this process and its workers): {cpu:.2f} s, {cpu / args.documents * 1000:.1f} ms per document")
    print(f"CPU of the stand-in server (sharing the same cores): {server_cpu:.2f} s, {server_cpu / args.documents * 1000:.1f} ms per document")
    print(f"unchanged rerun (a new process): {rerun:.2f} s, {asked} requests, exit {again.returncode} (target < 2 s, 0 requests)")
    print(again.stdout.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
