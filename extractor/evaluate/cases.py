"""What every dataset loader returns: cases to extract from, each with its human annotations.

A `Case` is one call of `extract()`: a text (exactly the text the gold offsets index into) and
the targets to pass. Its `golds` hold one `Gold` per annotator; a field left `None` means that
dataset does not annotate it, so the metric is not computed (rather than scored as zero).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from extractor.polnear import SpanAttribution
from extractor.schema import Document


@dataclass(frozen=True)
class Unit:
    """A stretch of text with a yes/no label: a transcript sentence, or a gold claim."""

    start: int
    end: int
    positive: bool


@dataclass(frozen=True)
class SpeakerName:
    """A gold speaker: the name and other spellings that count as the same person."""

    name: str
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class HolderStance:
    """A speaker's stance in the gold set; any of `targets` names the target."""

    holder: SpeakerName
    targets: tuple[str, ...]
    polarity: str


@dataclass(frozen=True)
class Gold:
    attributions: tuple[SpanAttribution, ...] | None = None
    speakers: tuple[SpeakerName, ...] | None = None
    article_polarity: tuple[str, ...] | None = None  # one label per target of the case
    stances: tuple[HolderStance, ...] | None = None
    check_worthy: tuple[Unit, ...] | None = None
    # (target, polarity) pairs: a sentence's polarity toward each person it mentions (NewsMTSC);
    # unlike article_polarity a target text may occur twice
    target_polarity: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class Case:
    name: str  # the dataset's own name for it: a file stem, a row number
    text: str
    golds: Mapping[str, Gold]  # annotator id -> that annotator's gold
    targets: tuple[str, ...] = ()

    @cached_property
    def id(self) -> str:
        """The id `extract` gives this text, so stored results can be matched to it."""
        return Document.id_for(self.text)

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        # FNC-1 pairs one body with many headlines: the same text, different targets.
        return (self.id, self.targets)
