"""The shapes the model answers in, validated by pydantic (and re-asked by instructor).

A quote the model gives must occur in the passage it was shown: the validators ground it
against the validation context (`{"text": ..., "start": ..., "end": ...}`) and raise an error
the model is told about when it does not. Without a context (a final lenient parse of a
last answer) the validators let it through, and grounding decides later what survives.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from extractor.grounding import ground
from extractor.schema import ArticlePolarity, AttributionKind, ClaimType, Polarity, SpeakerKind


def _check_quote(value: str | None, info: ValidationInfo) -> str | None:
    context = info.context or {}
    if value is None or "text" not in context:
        return value
    if ground(value, context["text"], context.get("start", 0), context.get("end")) is None:
        raise ValueError(
            f"this quote does not occur in the article: {value[:120]!r}. "
            "Copy the words exactly from the article, or leave the item out."
        )
    return value


class ModelSpeaker(BaseModel):
    name: str = Field(description="the fullest form of the name used in the article")
    role: str | None = Field(default=None, description="e.g. 'spokesman', 'Secretary of State'")
    affiliation: str | None = Field(default=None, description="e.g. 'Kremlin', 'CNN'")
    kind: SpeakerKind = "person"
    mentions: list[str] = Field(default_factory=list, description="other ways the article refers to them")


class ModelClaim(BaseModel):
    speaker: str | None = Field(description="a name from speakers, or null for the outlet's own voice")
    quote: str = Field(description="the evidence, copied exactly from the article")
    cue: str | None = Field(default=None, description="the reporting words, copied exactly, or null")
    claim: str = Field(description="the claim restated as one self-contained sentence")
    attribution: AttributionKind
    type: ClaimType = "factual"
    check_worthy: bool = False

    _quote_in_text = field_validator("quote", "cue")(_check_quote)


class ModelStance(BaseModel):
    holder: str
    target: str = Field(description="a short canonical noun phrase")
    polarity: Polarity
    claim_numbers: list[int] = Field(default_factory=list)


class ModelTargetVerdict(BaseModel):
    target: str
    article_polarity: ArticlePolarity


class ChunkAnswer(BaseModel):
    """Everything the model finds in one passage (the `full` strategy)."""

    speakers: list[ModelSpeaker] = Field(default_factory=list)
    claims: list[ModelClaim] = Field(default_factory=list)
    stances: list[ModelStance] = Field(default_factory=list)
    target_verdicts: list[ModelTargetVerdict] = Field(default_factory=list)


SCHEMAS = (ChunkAnswer,)
