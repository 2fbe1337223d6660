"""The data the tool returns: spans, speakers, claims, stances, and one result per document.

Every `Span` is a half-open interval of code points into `Document.text`, and the invariant
`document.text[span.start:span.end] == span.text` holds for every span in a result
(`ExtractionResult.check_spans()` verifies it). When the model quoted differently, `text`
is still the article's own text and the model's wording is kept in `quoted_as`.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

Alignment = Literal["exact", "normalized", "fuzzy"]
SpeakerKind = Literal["person", "organization", "government", "media", "anonymous", "group"]
AttributionKind = Literal["direct", "indirect", "author"]
ClaimType = Literal["factual", "opinion", "prediction", "normative", "commitment"]
SpeakerStatus = Literal["resolved", "unresolved", "author"]
UnresolvedReason = Literal["ambiguous", "no_antecedent", "no_source"]
Polarity = Literal["favor", "against", "neutral"]
ArticlePolarity = Literal["favor", "against", "neutral", "unrelated"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Frozen):
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    alignment: Alignment = "exact"
    quoted_as: str | None = None

    @classmethod
    def at(cls, text: str, start: int, end: int, **extra) -> Span:
        """The span of `text[start:end]`, taken from the text itself so it cannot disagree."""
        # validated as the constructor validates, without its Python-level call: half the cost,
        # and a dense text has 300,000 spans a megabyte
        return cls.__pydantic_validator__.validate_python({"text": text[start:end], "start": start, "end": end, **extra})

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def shifted(self, offset: int) -> Span:
        return self.model_copy(update={"start": self.start + offset, "end": self.end + offset})


class Document(_Frozen):
    id: str
    source: str
    title: str | None = None
    text: str
    language: str | None = None
    """ISO 639-1 code of the text's language ('en', 'de', ...), or null when it could not be told"""
    # what ingest noticed about the input ('only 698 characters of text found ...'): reported in
    # run.warnings, not part of the document (its JSON, its id)
    _warnings: tuple[str, ...] = PrivateAttr(default=())

    @property
    def warnings(self) -> tuple[str, ...]:
        return self._warnings

    def with_warnings(self, *warnings: str) -> Document:
        if not warnings:
            return self
        copy = self.model_copy()
        copy._warnings = self._warnings + warnings
        return copy

    @staticmethod
    def id_for(text: str) -> str:
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()

    @classmethod
    def from_text(cls, text: str, source: str = "-", title: str | None = None) -> Document:
        return cls(id=cls.id_for(text), source=source, title=title, text=text)


class Speaker(_Frozen):
    id: str
    name: str
    role: str | None = None
    affiliation: str | None = None
    kind: SpeakerKind = "person"
    mentions: list[Span] = Field(default_factory=list)


class Unresolved(_Frozen):
    """Why an attributed claim has no speaker: the finder abstained rather than guess.

    - ambiguous: the mention ('he', 'the company') could be any of several people or
      organisations, named in `candidates`
    - no_antecedent: the mention fits no one named before it
    - no_source: nothing in the text says who ('was told to read out notes')
    """

    reason: UnresolvedReason
    note: str
    candidates: list[str] = Field(default_factory=list)


class Claim(_Frozen):
    id: str
    speaker_id: str | None
    speaker_status: SpeakerStatus = "resolved"
    """resolved: `speaker_id` names the speaker; author: the outlet's own voice; unresolved: an
    attributed claim whose speaker is not known (null `speaker_id`, the why in `unresolved`).
    Always follows from `speaker_id` and `attribution`: it is set from them on validation."""
    unresolved: Unresolved | None = None
    text: str
    evidence: Span | None
    cue: Span | None = None
    speaker_mention: Span | None = None
    attribution: AttributionKind
    # None means "not judged": nothing measured able to tell was asked (never a default guess)
    type: ClaimType | None = None
    check_worthy: bool | None = None
    check_worthiness: float | None = Field(default=None, ge=0, le=1)
    """the trained classifier's probability that the claim is worth fact-checking
    (extractor/trained/checkworthy.py); `check_worthy` is it cut at the classifier's threshold"""
    origin: Literal["finder", "model", "finder+model"] = "finder"

    @model_validator(mode="before")
    @classmethod
    def _speaker_status(cls, data):
        """`speaker_status` and `unresolved` said from `speaker_id` and `attribution`, so that
        they cannot disagree (a result stored before they existed reads the same way)."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if data.get("speaker_id") is not None:
            data["speaker_status"], data["unresolved"] = "resolved", None
        elif data.get("attribution") == "author":
            data["speaker_status"], data["unresolved"] = "author", None
        else:
            data["speaker_status"] = "unresolved"
            if data.get("unresolved") is None:
                mention = data.get("speaker_mention")
                if isinstance(mention, Span):
                    mention = mention.text
                elif isinstance(mention, dict):
                    mention = mention.get("text")
                data["unresolved"] = (
                    Unresolved(reason="no_antecedent", note=f"{mention!r} was not resolved to anyone named in the text")
                    if mention
                    else Unresolved(reason="no_source", note="no speaker is named for it")
                )
        return data

    def settled(self) -> Claim:
        """This claim validated again: `speaker_status` and `unresolved` brought back in line
        after a `model_copy` changed its speaker (model_copy does not validate)."""
        return Claim.model_validate(self.model_dump())


class Stance(_Frozen):
    holder_id: str
    target: str
    polarity: Polarity
    confidence: float | None = Field(default=None, ge=0, le=1)
    """The calibrated probability of `polarity`; null when whatever judged it gave none (a
    capable model without log-probabilities). A favor/against call below the trained layer's
    threshold is reported as neutral: neutral with a low confidence means "not sure"."""
    claim_ids: list[str] = Field(default_factory=list)


class TargetStances(_Frozen):
    target: str
    article_polarity: ArticlePolarity
    confidence: float | None = Field(default=None, ge=0, le=1)
    stances: list[Stance] = Field(default_factory=list)


class Usage(BaseModel):
    """Counts every request made, failed attempts included. Mutable: it is added up as calls go."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retries: int = 0

    def add(self, other: Usage) -> None:
        self.requests += other.requests
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.retries += other.retries


class RunInfo(BaseModel):
    model: str
    prompt_version: str
    usage: Usage = Field(default_factory=Usage)
    dropped_unaligned: int = 0
    seconds: float = 0.0
    strategy: str = "none"
    warnings: list[str] = Field(default_factory=list)


class ExtractionResult(BaseModel):
    document: Document
    speakers: list[Speaker] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    stances: list[Stance] = Field(default_factory=list)
    targets: list[TargetStances] | None = None
    run: RunInfo

    def spans(self) -> list[Span]:
        found: list[Span] = []
        for speaker in self.speakers:
            found.extend(speaker.mentions)
        for claim in self.claims:
            found.extend(s for s in (claim.evidence, claim.cue, claim.speaker_mention) if s)
        return found

    def check_spans(self) -> list[Span]:
        """The spans that break the invariant (none, unless there is a bug)."""
        text = self.document.text
        return [s for s in self.spans() if text[s.start : s.end] != s.text]

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", exclude_none=False, exclude={"targets"} if self.targets is None else None)
