"""The project's own gold format: JSONL, one hand-annotated document a line (docs/metrics.md).

    {"id": "bike-lanes", "text": "...",
     "speakers": ["Karen Whitfield", {"name": "Oleksandr Kubrakov", "aliases": ["Олександр Кубраков"]}],
     "claims": [{"speaker": "Karen Whitfield", "evidence": "the cheapest thing ...",
                 "cue": {"text": "calling", "start": 131}, "speaker_mention": "Mayor Karen Whitfield",
                 "check_worthy": false}],
     "stances": [{"holder": "Karen Whitfield", "target": ["the Elm Street bike lane plan", "bike lane plan"], "polarity": "favor"}],
     "targets": [{"target": "bike lanes on Elm Street", "polarity": "neutral"}]}

A span is a string that occurs exactly once in the text, or {"text", "start"} (checked against
the text). A claim with a speaker or a cue is an attribution; one with neither is the outlet's
own voice, scored only for check-worthiness. A key left out means "not annotated": its metrics are not computed for that line.
Unknown keys are errors, so a typo cannot silently drop an annotation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extractor.errors import ConfigError, InputError
from extractor.evaluate.as_spans import content_fragments
from extractor.evaluate.cases import Case, Gold, HolderStance, SpeakerName, Unit
from extractor.evaluate.names import same_person
from extractor.evaluate.textfiles import read_lines
from extractor.polnear import SpanAttribution


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class At(_Strict):
    text: str = Field(min_length=1)
    start: int = Field(ge=0)


SpanRef = str | At


class SpeakerIn(_Strict):
    name: str = Field(min_length=1)
    aliases: list[str] = []


class ClaimIn(_Strict):
    speaker: str | None  # null: no listed speaker (an unnamed source, or the outlet's own voice)
    evidence: SpanRef
    cue: SpanRef | None = None
    speaker_mention: SpanRef | None = None
    check_worthy: bool | None = None
    note: str | None = None  # why the annotator decided so; not scored


class StanceIn(_Strict):
    holder: str
    target: str | list[str]
    polarity: Literal["favor", "against", "neutral"]


class TargetIn(_Strict):
    target: str = Field(min_length=1)
    polarity: Literal["favor", "against", "neutral", "unrelated"]


class GoldLine(_Strict):
    id: str | None = None
    source: str | None = None  # where the text came from; not scored
    text: str = Field(min_length=1)
    speakers: list[str | SpeakerIn] | None = None
    claims: list[ClaimIn] | None = None
    stances: list[StanceIn] | None = None
    targets: list[TargetIn] | None = None


def load(path: Path, split: str | None) -> list[Case]:
    if split is not None:
        raise ConfigError("--split does not apply to a gold file", "leave it out")
    lines = read_lines(path, "pass the gold .jsonl file")
    cases, seen = [], set()
    for lineno, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        where = f"{path}:{lineno}"
        case = case_from_line(raw, where, default_name=f"line{lineno}")
        if case.name in seen:
            raise InputError(f"{where}: id {case.name!r} is used by an earlier line")
        seen.add(case.name)
        cases.append(case)
    if not cases:
        raise InputError(f"{path}: no documents in it")
    return cases


def case_from_line(raw: str, where: str, default_name: str) -> Case:
    try:
        line = GoldLine.model_validate(json.loads(raw))
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: not valid JSON ({e.msg} at column {e.colno})") from e
    except ValidationError as e:
        first = e.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "line"
        raise InputError(f"{where}: {field}: {first['msg']}", "see docs/metrics.md for the gold format") from e
    text = line.text
    if "\r" in text:
        raise InputError(f"{where}: text holds \\r", "use \\n newlines, as `extract` does, so document ids match")
    speakers = None
    if line.speakers is not None:
        speakers = tuple(SpeakerName(s) if isinstance(s, str) else SpeakerName(s.name, tuple(s.aliases)) for s in line.speakers)
    attributions, units = [], []
    for n, claim in enumerate(line.claims or ()):
        here = f"{where}: claims[{n}]"
        evidence = locate(claim.evidence, text, f"{here}.evidence")
        if claim.speaker is not None:
            _speaker(claim.speaker, speakers, here)
        if claim.speaker is not None or claim.cue is not None:  # else the outlet's own voice
            source = _optional(claim.speaker_mention, text, f"{here}.speaker_mention")
            cue = _optional(claim.cue, text, f"{here}.cue")
            attributions.append(
                SpanAttribution(content=content_fragments(text, evidence, source + cue), source=source, cue=cue, id=f"c{n}")
            )
        if claim.check_worthy is not None:
            units.append(Unit(*evidence, claim.check_worthy))
    stances = None
    if line.stances is not None:
        stances = tuple(
            HolderStance(
                _speaker(s.holder, speakers, f"{where}: stances[{n}]"),
                (s.target,) if isinstance(s.target, str) else tuple(s.target),
                s.polarity,
            )
            for n, s in enumerate(line.stances)
        )
    gold = Gold(
        attributions=tuple(attributions) if line.claims is not None else None,
        speakers=speakers,
        article_polarity=tuple(t.polarity for t in line.targets) if line.targets is not None else None,
        stances=stances,
        check_worthy=tuple(units) if units else None,
    )
    return Case(
        name=line.id or default_name,
        text=text,
        golds={"gold": gold},
        targets=tuple(t.target for t in line.targets or ()),
    )


def locate(ref: SpanRef, text: str, where: str) -> tuple[int, int]:
    """The (start, end) a span reference points at, or an error saying why it points nowhere."""
    if isinstance(ref, At):
        if text[ref.start : ref.start + len(ref.text)] != ref.text:
            found = text[ref.start : ref.start + len(ref.text)]
            raise InputError(f"{where}: the text at {ref.start} is {found!r}, not {ref.text!r}")
        return ref.start, ref.start + len(ref.text)
    if not ref:
        raise InputError(f"{where}: empty span")
    first = text.find(ref)
    if first < 0:
        raise InputError(f"{where}: {_short(ref)} is not in the text")
    again = text.find(ref, first + 1)
    if again >= 0:
        raise InputError(
            f"{where}: {_short(ref)} occurs {text.count(ref)} times",
            f'give {{"text": ..., "start": N}}; the first is at {first}, the next at {again}',
        )
    return first, first + len(ref)


def _optional(ref: SpanRef | None, text: str, where: str) -> tuple[tuple[int, int], ...]:
    return () if ref is None else (locate(ref, text, where),)


def _speaker(name: str, speakers: tuple[SpeakerName, ...] | None, where: str) -> SpeakerName:
    """The listed speaker `name` refers to (for its aliases); an error if there is a list and it is not on it."""
    if speakers is None:
        return SpeakerName(name)
    for s in speakers:
        if name in s.spellings:
            return s
    for s in speakers:
        if any(same_person(name, spelling) for spelling in s.spellings):
            return s
    raise InputError(f"{where}: speaker {name!r} is not in \"speakers\"")


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")
