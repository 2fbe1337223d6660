"""What the strategies share with the pipeline that drives them: the question they yield,
the steps' type, and the draft result they work on. A base module: it imports nothing above
the schema, so the strategies never import the pipeline that imports them.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from extractor.schema import Claim, ExtractionResult, Speaker, Stance, TargetStances


@dataclass(frozen=True)
class Question:
    """One structured question for the model. The strategies yield these and are sent the
    answers (or have `ValidationFailed` thrown in), so the same steps run sync or async."""

    system: str
    user: str
    response_model: type
    context: dict | None = None
    lenient: bool = False


Steps = Generator[Question, Any, ExtractionResult]


class Draft:
    """The result being built: mutable while the strategies work on it."""

    def __init__(self, speakers: list[Speaker], claims: list[Claim]):
        self.speakers = speakers
        self.claims = claims
        self.stances: list[Stance] = []
        self.targets: list[TargetStances] = []
        self.dropped = 0
        self.warnings: list[str] = []
        self.failed_passages = 0  # passages whose model answer failed or judged nothing (full)

    def speaker(self, speaker_id: str | None) -> Speaker | None:
        return next((s for s in self.speakers if s.id == speaker_id), None)
