"""One document from text to result: find -> (ask the model) -> ground -> merge.

    finder.find_attributions      rules propose speakers and attributions (always; free)
    strategy "none"               rules only: claims carry their content as text, no stances
    strategy "narrow"             one small question per attribution (for the bundled model)
    strategy "full"               per chunk, the model confirms, corrects and adds (capable models)
    grounding.ground              every quote the model gives is located in the text, or dropped
    merge                         speakers by identity, claims by overlapping evidence

The model layer is passed in (`LanguageModel`, or None for rules only), so this module never
imports openai and tests can hand it any object with the same `ask()`.
"""

from __future__ import annotations

import time
from typing import Protocol

from extractor import merge, prompts
from extractor.finder import Finding, find_attributions
from extractor.schema import (
    Claim,
    Document,
    ExtractionResult,
    RunInfo,
    Speaker,
    Stance,
    TargetStances,
    Usage,
)
from extractor.settings import Settings


class Model(Protocol):
    name: str
    usage: Usage

    def ask(self, system: str, user: str, response_model, context=None, lenient=False): ...


def extract(
    document: Document,
    settings: Settings,
    model: Model | None = None,
    targets: tuple[str, ...] = (),
) -> ExtractionResult:
    started = time.perf_counter()
    usage_before = model.usage.model_copy() if model is not None else Usage()
    finding = find_attributions(document.text)
    draft = draft_from_finding(document, finding)
    if model is not None:
        strategy = choose_strategy(settings, model)
        if strategy == "narrow":
            from extractor.strategies.narrow import run_narrow

            draft = run_narrow(document, draft, model, targets)
        else:
            from extractor.strategies.full import run_full

            draft = run_full(document, draft, finding, model, settings, targets)
    claims, ids = merge.renumber(draft.claims)
    stances = [
        s.model_copy(update={"claim_ids": [ids[c] for c in s.claim_ids if c in ids]}) for s in draft.stances
    ]
    target_views = None
    if targets:
        target_views = [
            t.model_copy(
                update={"stances": [s.model_copy(update={"claim_ids": [ids[c] for c in s.claim_ids if c in ids]}) for s in t.stances]}
            )
            for t in draft.targets
        ]
    usage = Usage()
    if model is not None:
        usage = _since(model.usage, usage_before)
    return ExtractionResult(
        document=document,
        speakers=draft.speakers,
        claims=claims,
        stances=merge.merge_stances(stances),
        targets=target_views,
        run=RunInfo(
            model=model.name if model is not None else "none",
            prompt_version=prompts.prompt_version(),
            usage=usage,
            dropped_unaligned=draft.dropped,
            seconds=round(time.perf_counter() - started, 3),
        ),
    )


def choose_strategy(settings: Settings, model: Model) -> str:
    if settings.strategy != "auto":
        return settings.strategy
    return "narrow" if model.name.startswith("local/") else "full"


class Draft:
    """The result being built: mutable while the strategies work on it."""

    def __init__(self, speakers: list[Speaker], claims: list[Claim]):
        self.speakers = speakers
        self.claims = claims
        self.stances: list[Stance] = []
        self.targets: list[TargetStances] = []
        self.dropped = 0

    def speaker(self, speaker_id: str | None) -> Speaker | None:
        return next((s for s in self.speakers if s.id == speaker_id), None)


def draft_from_finding(document: Document, finding: Finding) -> Draft:
    speakers = [
        Speaker(
            id=s.key,
            name=s.name,
            role=s.role,
            affiliation=s.affiliation,
            kind=s.kind,
            mentions=merge.union_spans(list(s.mentions)),
        )
        for s in finding.speakers
    ]
    claims = [
        Claim(
            id=f"f{n}",
            speaker_id=a.speaker_key,
            text=a.content.text,
            evidence=a.content,
            cue=a.cue,
            speaker_mention=a.source,
            attribution=a.kind,
            type="factual",
            check_worthy=False,
            origin="finder",
        )
        for n, a in enumerate(finding.attributions, 1)
    ]
    return Draft(speakers, claims)


def _since(now: Usage, before: Usage) -> Usage:
    return Usage(
        requests=now.requests - before.requests,
        prompt_tokens=now.prompt_tokens - before.prompt_tokens,
        completion_tokens=now.completion_tokens - before.completion_tokens,
        retries=now.retries - before.retries,
    )
