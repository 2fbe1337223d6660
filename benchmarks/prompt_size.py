"""Prompt characters per article character with the `full` strategy (loopback only).

    python benchmarks/prompt_size.py [ARTICLE ...]      (default: seeds/peskov-nato-red-line.txt)

Runs `extractor extract ARTICLE --strategy full` against tests/openai_standin.py and counts what
the stand-in receives: every message's content plus the tool definitions as compact JSON
(`openai_standin.prompt_chars`), over all requests, re-asks included. Prints the requests, the
prompt characters and their ratio to the article's length. Target (issue 11): at most 1.3x.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def measure(path: Path) -> tuple[int, int, int]:
    """(requests, prompt characters, article characters) for one article."""
    from click.testing import CliRunner

    from extractor.cli import main
    from extractor.ingest import read_document
    from tests.openai_standin import StandIn

    with StandIn() as server:
        result = CliRunner().invoke(
            main,
            ["extract", str(path), "--model", "stand-in", "--base-url", server.base_url, "--strategy", "full", "--format", "json"],
            catch_exceptions=False,
        )
        if result.exit_code != 0:
            raise SystemExit(result.output)
        sent = list(server.prompt_chars)
    return len(sent), sum(sent), len(read_document(str(path)).text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("articles", nargs="*", type=Path, default=[ROOT / "seeds" / "peskov-nato-red-line.txt"])
    args = ap.parse_args(argv)
    os.environ.pop("OPENAI_API_KEY", None)
    for path in args.articles:
        requests, prompt, article = measure(path)
        print(f"{path.name}: {article} article characters, {requests} requests, {prompt} prompt characters: "
              f"{prompt / article:.3f}x the article (target <= 1.3x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
