"""A batch run against a model server that fails at realistic rates (loopback only).

    python benchmarks/faults_mixed.py [--documents 500] [--seed 1] [--concurrency 16]

Writes N short distinct articles (one chunk, so one question each with `--strategy full`),
starts tests/fault_server.py in this process (10% 429, 5% 500/503, 2% hangs, 5% truncated
JSON, 5% answers that do not fit the schema), and runs `extractor batch` on them as a child
process with a 0.5 s timeout and 0.01 s back-off (the retry counts are the defaults). Then
reads the database and prints what became of every document: done, failed (with reasons),
lost (neither), duplicated (stored or attempted twice), and the requests per document next
to the bound the retry settings allow.

Targets: at least 98% done, none lost, none duplicated, requests per document within the bound.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.schema import Document  # noqa: E402
from extractor.settings import Settings  # noqa: E402
from tests.fault_server import REALISTIC, FaultServer, short_articles  # noqa: E402

FAST = {"EXTRACTOR_TIMEOUT": "0.5", "EXTRACTOR_BACKOFF_SECONDS": "0.01"}


def outcome(db: Path, ids: set[str]) -> dict:
    with contextlib.closing(sqlite3.connect(db)) as con:
        done = Counter(row[0] for row in con.execute("SELECT document_id FROM extractions"))
        failed = dict(con.execute("SELECT subject, reason FROM failures"))
        attempted = Counter(row[0] for row in con.execute("SELECT subject FROM attempts"))
        requests = con.execute("SELECT COALESCE(SUM(requests), 0) FROM attempts").fetchone()[0]
        warned = con.execute("SELECT COUNT(*) FROM extractions WHERE warnings > 0").fetchone()[0]
    return {
        "done": len(done.keys() & ids),
        "failed": len(failed.keys() & ids),
        "lost": len(ids - done.keys() - failed.keys()),
        "duplicated": len({d for d, n in done.items() if n > 1} | (done.keys() & failed.keys())
                          | {s for s, n in attempted.items() if n > 1}),
        "reasons": Counter(failed.values()),
        "stored_requests": requests,
        "done_with_warnings": warned,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--documents", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--concurrency", type=int, default=16)
    args = ap.parse_args(argv)
    defaults = Settings()
    bound = 1 + (defaults.transport_retries + 1) * (defaults.validation_retries + 1)
    with tempfile.TemporaryDirectory() as tmp, FaultServer(REALISTIC, seed=args.seed) as server:
        tmp = Path(tmp)
        paths = short_articles(tmp / "corpus", args.documents)
        ids = {Document.from_text(p.read_text(encoding="utf-8")).id for p in paths}
        db = tmp / "results.sqlite"
        command = ["extractor", "batch", str(tmp / "corpus"), "--db", str(db), "--model", "x", "--base-url",
                   server.base_url, "--strategy", "full", "--concurrency", str(args.concurrency)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("EXTRACTOR_") and k != "OPENAI_API_KEY"}
        started = time.perf_counter()
        batch = subprocess.run([sys.executable, "-m", "extractor.cli", *command[1:]], cwd=ROOT, env={**env, **FAST},
                               capture_output=True, text=True, timeout=1800)
        wall = time.perf_counter() - started
        seen = outcome(db, ids)
        per_document = Counter(server.requests_per_document())
        faults = server.faults()
    chat = sum(faults.values())
    print("$ " + " ".join(command).replace(str(tmp), "$TMP"))
    print(f"faults met (seed {args.seed}), of {chat} requests: "
          + ", ".join(f"{k} {faults[k] / max(chat, 1):.1%} (rate {v:.1%})" for k, v in REALISTIC.items()))
    print(f"{args.documents} documents, exit {batch.returncode}, {wall:.1f} s: "
          f"{seen['done']} done ({seen['done'] / args.documents:.1%}; {seen['done_with_warnings']} with a chunk the model"
          f" could not answer), {seen['failed']} failed, {seen['lost']} lost, {seen['duplicated']} duplicated")
    for reason, n in seen["reasons"].most_common():
        print(f"  failed x{n}: {reason}")
    print(f"requests: {chat} seen by the server, {seen['stored_requests']} counted in the database; per document"
          f" {chat / args.documents:.2f} on average, {max(per_document.values())} at most (bound {bound})")
    print("server answers: " + ", ".join(f"{k} {v}" for k, v in faults.most_common()))
    print(batch.stdout.strip())
    ok = seen["done"] >= 0.98 * args.documents and not seen["lost"] and not seen["duplicated"]
    return 0 if ok and max(per_document.values()) <= bound else 1


if __name__ == "__main__":
    raise SystemExit(main())
