"""Reading a JSONL file of gold cases or predictions, with errors that name the file."""

from __future__ import annotations

from pathlib import Path

from extractor.errors import InputError


def read_lines(path: Path, hint: str, missing: str = "not a file") -> list[str]:
    """The file's lines, split on "\\n" only (splitlines() would also split on \\x1c and
    \\u2028, which JSON strings may hold). InputError when it is not a file or not UTF-8."""
    if not path.is_file():
        raise InputError(f"{path}: {missing}", hint)
    try:
        return path.read_text(encoding="utf-8").split("\n")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from e
