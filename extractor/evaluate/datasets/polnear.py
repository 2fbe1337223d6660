"""PolNeAR as cases: each article once, with every annotator's attributions as a separate gold
(the metrics score against each and average, so an article weighs one whoever annotated it)."""

from __future__ import annotations

from pathlib import Path

from extractor.evaluate.cases import Case, Gold
from extractor.polnear import load_split


def load(path: Path, split: str) -> list[Case]:
    return [
        Case(
            name=doc.name,
            text=doc.text,
            golds={annotator: Gold(attributions=found) for annotator, found in doc.annotations.items()},
        )
        for doc in load_split(path, split)
    ]
