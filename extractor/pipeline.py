"""One document from text to result: find -> (ask the model) -> ground -> merge.

    finder.find_attributions      rules propose speakers and attributions (always; free)
    strategy "none"               no language model: claims carry their content as text
    strategy "narrow"             the bundled model's default: claims restated by rule, no question
    strategy "full"               per chunk, the model confirms, corrects and adds (capable models)
    grounding.ground              every quote the model gives is located in the text, or dropped
    stances                       the trained stance layer, for every strategy but full (and for
                                  full where the model's answer failed)
    merge                         speakers by identity, claims by overlapping evidence

The model layer is passed in (`LanguageModel`, or None for rules only), so this module never
imports openai and tests can hand it any object with the same `ask()`.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from extractor import merge, prompts, stances
from extractor.errors import ValidationFailed
from extractor.finder import Finding, find_attributions
from extractor.language import coverage_warning, detect_language, judged_by_trained_layers, untrained_warning
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
from extractor.steps import Draft, Question, Steps
from extractor.strategies.full import full_steps
from extractor.strategies.narrow import narrow_steps


def extract(document: Document, settings: Settings, model=None, targets: tuple[str, ...] = ()) -> ExtractionResult:
    """Extract from one document; `model` is a LanguageModel (or any object with its `ask`),
    or None for rules only."""
    usage = Usage()
    steps = extraction_steps(document, settings, model.name if model else None, targets, usage)
    return run_steps(steps, lambda question: _ask(model, question, usage))


def run_steps(steps: Steps, answer: Callable[[Question], Any]) -> ExtractionResult:
    """Answer the steps' questions until they give their result. An answer that fails
    validation goes back into the steps as the exception, for the strategy to handle."""
    reply, error = None, None
    while True:
        try:
            question = steps.throw(error) if error else steps.send(reply)
        except StopIteration as done:
            return done.value
        try:
            reply, error = answer(question), None
        except ValidationFailed as e:
            reply, error = None, e


async def run_steps_async(steps: Steps, answer: Callable[[Question], Awaitable[Any]]) -> ExtractionResult:
    """`run_steps` with answers from asyncio (batch runs)."""
    reply, error = None, None
    while True:
        try:
            question = steps.throw(error) if error else steps.send(reply)
        except StopIteration as done:
            return done.value
        try:
            reply, error = await answer(question), None
        except ValidationFailed as e:
            reply, error = None, e


def _ask(model, q: Question, usage: Usage):
    return model.ask(q.system, q.user, q.response_model, q.context, q.lenient, usage=usage)


def extraction_steps(
    document: Document,
    settings: Settings,
    model_name: str | None,
    targets: tuple[str, ...],
    usage: Usage,
) -> Steps:
    started = time.perf_counter()
    if document.language is None:
        document = document.model_copy(update={"language": detect_language(document.text)})
        for said in (coverage_warning(document.language), untrained_warning(document.language)):
            if said:  # a document warning: said on stderr too, where a user sees it
                document = document.with_warnings(said)
    finding = find_attributions(document.text, document.language or "en")
    draft = draft_from_finding(document, finding)
    draft.warnings.extend(document.warnings)  # from ingest (a page with next to no text) and language
    strategy = "none"
    if model_name is not None:
        strategy = choose_strategy(settings, model_name)
        if strategy == "narrow":
            yield from narrow_steps(document, draft, targets, settings.claim_language)
        else:
            yield from full_steps(document, draft, finding, settings, targets)
    if judged_by_trained_layers(document.language):
        from extractor.trained.checkworthy import judge_claims

        _trained_stances(document.text, draft, targets, strategy, settings)
        claims, ids = merge.renumber(judge_claims(draft.claims))
    else:  # English-trained layers abstain on other languages: no stances, null judgements
        if strategy != "full":
            draft.targets = [TargetStances(target=t, article_polarity=stances.rules_relatedness(t, document.text)) for t in targets]
        claims, ids = merge.renumber(draft.claims)

    def renamed(stance: Stance) -> Stance:
        return stance.model_copy(update={"claim_ids": [ids[c] for c in stance.claim_ids if c in ids]})

    target_views = None
    if targets:
        target_views = [t.model_copy(update={"stances": [renamed(s) for s in t.stances]}) for t in draft.targets]
    return ExtractionResult(
        document=document,
        speakers=draft.speakers,
        claims=claims,
        stances=merge.merge_stances([renamed(s) for s in draft.stances]),
        targets=target_views,
        run=RunInfo(
            model=model_name or "none",
            prompt_version=prompts.prompt_version(),
            usage=usage,
            dropped_unaligned=draft.dropped,
            seconds=round(time.perf_counter() - started, 3),
            strategy=strategy,
            warnings=draft.warnings,
        ),
    )


def _trained_stances(text: str, draft: Draft, targets: tuple[str, ...], strategy: str, settings: Settings) -> None:
    """The trained layer's stances: all of them without a capable model; with one (`full`),
    only for claims whose passage the model's answer failed on, and said so."""
    if strategy == "full" and not draft.failed_passages:
        return  # the model judged every passage: nothing for the trained layer to do
    from extractor.trained.stance import stance_model

    model = stance_model(settings.stance_threshold)
    trained = stances.holder_stances(text, draft.speakers, draft.claims, targets, model)
    if strategy != "full":
        draft.stances = trained
        draft.targets = stances.target_views(text, targets, trained, model)
        return
    covered = {cid for s in draft.stances for cid in s.claim_ids}
    judged_by_model = {c.id for c in draft.claims if c.origin != "finder"}
    missing = [s for s in trained if not (set(s.claim_ids) & (covered | judged_by_model))]
    if missing:
        draft.stances.extend(missing)
        draft.warnings.append(f"{len(missing)} stances are the trained layer's: the model's answer for their passage failed")
        views = {v.target: v for v in stances.target_views(text, targets, missing, model)}
        for i, view in enumerate(draft.targets):
            extra = views[view.target].stances if view.target in views else []
            draft.targets[i] = view.model_copy(update={"stances": [*view.stances, *extra]})


def choose_strategy(settings: Settings, model_name: str) -> str:
    if settings.strategy != "auto":
        return settings.strategy
    return "narrow" if model_name.startswith("local/") else "full"


def draft_from_finding(document: Document, finding: Finding) -> Draft:
    # every place a speaker is named, not only where they speak: one pass for all speakers
    named = merge.occurrences_by_name(document.text, [m.text for s in finding.speakers for m in s.mentions])
    speakers = [
        Speaker(
            id=s.key,
            name=s.name,
            role=s.role,
            affiliation=s.affiliation,
            kind=s.kind,
            mentions=merge.union_spans(list(s.mentions), *(named.get(name, []) for name in _distinct_names(s.mentions))),
        )
        for s in finding.speakers
    ]
    claims = [
        Claim(
            id=f"f{n}",
            speaker_id=a.speaker_key,
            unresolved=a.unresolved,
            text=a.content.text,
            evidence=a.content,
            cue=a.cue,
            speaker_mention=a.source,
            attribution=a.kind,
            type=None,  # nothing judges a claim's type without a capable model: null, not a guess
            origin="finder",
        )
        for n, a in enumerate(finding.attributions, 1)
    ]
    return Draft(speakers, claims)


def _distinct_names(mentions) -> list[str]:
    """Each name a speaker is mentioned by, once: "Ruiz" mentioned 25,000 times in a long text
    would otherwise add its 25,000 places 25,000 times (minutes, not a second)."""
    return list(dict.fromkeys(m.text.strip() for m in mentions))
