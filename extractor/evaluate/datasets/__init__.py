"""Dataset loaders: each turns a path into `Case`s with their gold annotations.

    polnear    brat attributions (Content / Source / Cue), several annotators per article
    fnc1       (headline, body) pairs with the body's stance toward the headline
    clef2019   debate transcripts with a check-worthiness label per sentence
    newsmtsc   news sentences with the polarity toward each person they mention
    gold       the project's own JSONL gold format (docs/metrics.md)

A file that is missing or malformed raises `InputError` naming the file and the line.
"""

from __future__ import annotations

from pathlib import Path

from extractor.errors import ConfigError, InputError
from extractor.evaluate.cases import Case

KINDS = ("polnear", "fnc1", "clef2019", "newsmtsc", "gold")
DEFAULT_SPLITS = {"polnear": "dev", "fnc1": "test", "clef2019": "test", "newsmtsc": None, "gold": None}


def load_dataset(kind: str, path: str | Path, split: str | None = None) -> tuple[list[Case], str | None]:
    """The cases of one dataset split, in a fixed order, and the split used."""
    if kind not in KINDS:
        raise ConfigError(f"unknown dataset {kind!r}", f"choose one of {', '.join(KINDS)}")
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder", f"pass the path to the {kind} data")
    split = split or DEFAULT_SPLITS[kind]
    if kind == "polnear":
        from extractor.evaluate.datasets.polnear import load
    elif kind == "fnc1":
        from extractor.evaluate.datasets.fnc1 import load
    elif kind == "clef2019":
        from extractor.evaluate.datasets.clef2019 import load
    elif kind == "newsmtsc":
        from extractor.evaluate.datasets.newsmtsc import load
    else:
        from extractor.evaluate.datasets.gold import load
    return load(path, split), split
