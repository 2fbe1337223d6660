"""Helpers for the batch and store tests: a small corpus, the CLI in-process, database counts."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from extractor.cli import main
from tests.conftest import SEEDS

SEED_NAMES = ["city-council-bike-lanes.txt", "central-bank-rates.txt", "peskov-nato-red-line.txt"]


def write_corpus(folder: Path, count: int, tag: str = "", extra: dict[int, str] | None = None) -> list[Path]:
    """`count` distinct articles made from the seeds; `extra` adds text to some of them."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [(SEEDS / name).read_text(encoding="utf-8") for name in SEED_NAMES]
    paths = []
    for n in range(count):
        path = folder / f"article-{n:03d}.txt"
        addition = (extra or {}).get(n, "")
        path.write_text(f"{texts[n % len(texts)]}\n{addition}Reported for edition {tag}{n}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def cli(*args: str, input: str | bytes | None = None, env: dict | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input, env=env, catch_exceptions=False)


def query(db: Path, sql: str, *params):
    with contextlib.closing(sqlite3.connect(db)) as con:
        return con.execute(sql, params).fetchall()


def count(db: Path, table: str, where: str = "1", *params) -> int:
    return query(db, f"SELECT COUNT(*) FROM {table} WHERE {where}", *params)[0][0]


def exported(db: Path) -> list[dict]:
    result = cli("export", "--db", db)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def without_seconds(result: dict) -> dict:
    """A result with its timing removed: the one field two runs of the same extraction differ in."""
    result = json.loads(json.dumps(result))
    result["run"].pop("seconds")
    return result
