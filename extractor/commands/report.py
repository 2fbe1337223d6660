"""`extractor report`: HTML review pages from an extract output file or a batch database."""

from __future__ import annotations

import json
from pathlib import Path

from extractor.console import EXIT_OK, boundary, output_folder
from extractor.errors import ConfigError, InputError


def run_report(result_file, db, output, debug) -> int:
    return boundary(lambda: _report(result_file, db, output), debug)


def _report(result_file, db, output) -> int:
    if bool(result_file) == bool(db):
        raise ConfigError("give either RESULT.json or --db", "see extractor report --help")
    if db:
        written = _batch_pages(db, output_folder(output))
    else:
        written = _article_pages(result_file, output_folder(output))
    for path in written[:1]:
        print(path)
    return EXIT_OK


def load_results(path: str) -> list[dict]:
    """One JSON object (extract --format json), a JSON list, or JSONL (one object a line)."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})", "check the path") from e
    try:
        data = json.loads(raw)
        results = data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        results = []
        for number, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                results.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise InputError(f"{path}, line {number}: not JSON ({e.msg})", "pass the output of extractor extract") from e
    for number, r in enumerate(results, 1):
        if not isinstance(r, dict) or not {"document", "speakers", "claims", "stances", "run"} <= set(r):
            raise InputError(f"{path}: item {number} is not an extraction result", "pass the output of extractor extract")
    return results


def _article_pages(result_file: str, output: Path) -> list[Path]:
    from extractor.report import render_article, render_batch

    results = load_results(result_file)
    if len(results) == 1 and output.suffix.lower() in (".html", ".htm"):
        output.write_text(render_article(results[0]), encoding="utf-8")
        return [output]
    return render_batch(results, [], output)


def _batch_pages(db: str, output: Path) -> list[Path]:
    from extractor.report import render_batch
    from extractor.store import report_rows  # provided by the batch store

    results, failures = report_rows(db)
    return render_batch(results, failures, output)
