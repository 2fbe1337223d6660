"""Stored predictions: JSONL of `extract --format jsonl` results, one result a line.

A result is matched to a case by `document.id` (the sha256 of the text) and the targets it
was asked about: FNC-1 pairs one body with many headlines. A result recorded without targets
(rules only record none) stands for any case with its text. When a key occurs twice, the later
line wins, so appending a newer run to a file supersedes the older one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from extractor.errors import InputError
from extractor.evaluate.cases import Case
from extractor.evaluate.textfiles import read_lines
from extractor.schema import ExtractionResult

Key = tuple[str, tuple[str, ...]]


def key_of(result: ExtractionResult) -> Key:
    return (result.document.id, tuple(t.target for t in result.targets or ()))


def read_predictions(path: str | Path) -> dict[Key, ExtractionResult]:
    path = Path(path)
    hint = "pass a JSONL file written by `extract --format jsonl` or --save-predictions"
    lines = read_lines(path, hint, missing="no such file")
    found: dict[Key, ExtractionResult] = {}
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            result = ExtractionResult.model_validate_json(line)
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "line"
            if lineno == len(lines) and first["type"] == "json_invalid":
                break  # the last line of an interrupted run, cut off while being written
            raise InputError(f"{path}:{lineno}: not an extraction result ({where}: {first['msg']})") from e
        if result.document.id != result.document.id_for(result.document.text):
            raise InputError(f"{path}:{lineno}: document.id is not the sha256 of its text")
        found[key_of(result)] = result
    return found


def lookup(stored: dict[Key, ExtractionResult], case: Case) -> ExtractionResult | None:
    return stored.get(case.key) or stored.get((case.id, ()))


def check_coverage(stored: dict[Key, ExtractionResult], cases: Iterable[Case], path) -> list[Case]:
    """The cases that have a stored result; an error when none has, rather than a score of zero."""
    cases = list(cases)
    covered = [c for c in cases if lookup(stored, c) is not None]
    if cases and not covered:
        raise InputError(
            f"{path}: none of its {len(stored)} results is for any of the {len(cases)} documents chosen",
            "results are matched by document.id (the text's sha256) and targets; were they made from this dataset and split?",
        )
    return covered


class PredictionWriter:
    """Appends each result as it is made, flushed, so an interrupted run loses nothing."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            _drop_unfinished_line(self.path)
            self._file = self.path.open("a", encoding="utf-8")
        except OSError as e:
            raise InputError(f"{path}: cannot write ({e.strerror})") from e

    def write(self, result: ExtractionResult) -> None:
        self._file.write(json.dumps(result.to_json_dict(), ensure_ascii=False) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def _drop_unfinished_line(path: Path) -> None:
    """A run killed while writing leaves half a line; appending after it would corrupt the next."""
    if not path.is_file():
        return
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with path.open("r+b") as f:
            f.truncate(data.rfind(b"\n") + 1)
