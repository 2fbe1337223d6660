"""The two halves of an eval run around the model: choose the cases, then score the outcomes
into one report (the dict `--json` prints). The command opens a model in between, and only
when some chosen case has no stored result."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from extractor.evaluate.cases import Case
from extractor.evaluate.datasets import load_dataset
from extractor.evaluate.run import Outcome, RunStats
from extractor.evaluate.sampling import sample
from extractor.evaluate.score import score_case, summarize


@dataclass(frozen=True)
class Selection:
    kind: str
    path: Path
    split: str | None
    cases: list[Case]
    available: int
    limit: int | None
    seed: int


def choose(kind: str, path: str | Path, split: str | None, limit: int | None, seed: int = 0) -> Selection:
    cases, split = load_dataset(kind, path, split)
    return Selection(kind, Path(path), split, sample(cases, limit, seed), len(cases), limit, seed)


def build_report(selection: Selection, outcomes: Iterable[Outcome], stats: RunStats, **about) -> dict:
    """Score every outcome; `about` (model, predictions file, timings) is copied into the report."""
    outcomes = list(outcomes)
    scores = [score_case(o.case, o.result, o.failure) for o in outcomes]
    return {
        "dataset": selection.kind,
        "path": str(selection.path),
        "split": selection.split,
        "documents": len(scores),
        "available": selection.available,
        "sample_seed": selection.seed,
        "limit": selection.limit,
        "multi_annotator_documents": sum(1 for o in outcomes if len(o.case.golds) > 1),
        **about,
        "run": stats.as_dict(),
        "metrics": summarize(scores),
        "documents_detail": [s.detail for s in scores],
    }
