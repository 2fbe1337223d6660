"""Reading CSV files with errors that name the file and the line."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from extractor.errors import InputError


def read_rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for every record; the header must name `columns`."""
    if not path.is_file():
        raise InputError(f"{path}: no such file", "check the dataset folder")
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"{path}:1: header lacks column(s) {', '.join(missing)}", f"expected {', '.join(columns)}")
            line = reader.line_num + 1
            for row in reader:
                if None in row or any(row.get(c) is None for c in columns):
                    raise InputError(f"{path}:{line}: expected {len(reader.fieldnames)} fields, found another number")
                yield line, row
                line = reader.line_num + 1  # a quoted field may span several lines
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from e
    except csv.Error as e:
        raise InputError(f"{path}:{reader.line_num}: not valid CSV ({e})") from e
