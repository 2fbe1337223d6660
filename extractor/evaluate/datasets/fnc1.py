"""FNC-1 as cases: one per (headline, body) pair, the headline passed as the target, and the
body's stance toward it mapped to the tool's article polarity.

`<path>/competition_test_{bodies,stances}.csv` is split `test`; `train_{bodies,stances}.csv` is
split `train`. A case is named `<row>:body<Body ID>`, row being the pair's record number.
"""

from __future__ import annotations

from pathlib import Path

from extractor.errors import ConfigError, InputError
from extractor.evaluate.cases import Case, Gold
from extractor.evaluate.datasets.csvfiles import read_rows
from extractor.ingest import normalize_newlines

LABELS = {"agree": "favor", "disagree": "against", "discuss": "neutral", "unrelated": "unrelated"}
FILES = {"test": "competition_test", "train": "train"}


def load(path: Path, split: str) -> list[Case]:
    if split not in FILES:
        raise ConfigError(f"fnc1 has no split {split!r}", "use --split test (the default) or train")
    prefix = FILES[split]
    bodies = {}
    bodies_path = path / f"{prefix}_bodies.csv"
    for line, row in read_rows(bodies_path, ("Body ID", "articleBody")):
        text = normalize_newlines(row["articleBody"])
        if not text.strip():
            raise InputError(f"{bodies_path}:{line}: body {row['Body ID']!r} is empty")
        bodies[row["Body ID"].strip()] = text
    cases = []
    stances_path = path / f"{prefix}_stances.csv"
    for number, (line, row) in enumerate(read_rows(stances_path, ("Headline", "Body ID", "Stance")), 1):
        body_id, label = row["Body ID"].strip(), row["Stance"].strip().lower()
        if body_id not in bodies:
            raise InputError(f"{stances_path}:{line}: Body ID {body_id!r} is not in {bodies_path.name}")
        if label not in LABELS:
            raise InputError(f"{stances_path}:{line}: unknown stance {row['Stance']!r}", f"expected one of {', '.join(LABELS)}")
        cases.append(
            Case(
                name=f"{number}:body{body_id}",
                text=bodies[body_id],
                golds={"fnc1": Gold(article_polarity=(LABELS[label],))},
                targets=(row["Headline"].strip(),),
            )
        )
    return cases
