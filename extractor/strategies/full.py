"""The full strategy, for capable models: per chunk, the model reads the passage with the
finder's candidates marked, and confirms, corrects and adds speakers, claims and stances.

Everything it quotes is grounded in the passage; a quote that cannot be found is dropped and
counted (or kept without evidence under `--keep-unaligned`), never placed by guesswork.
"""

from __future__ import annotations

from collections import Counter

from extractor import merge, prompts
from extractor.answers import ChunkAnswer, ModelClaim
from extractor.chunking import chunk_text
from extractor.errors import ValidationFailed
from extractor.pipeline import Question
from extractor.grounding import ground
from extractor.schema import Claim, Document, Span, Speaker, Stance, TargetStances

CUE_WINDOW = 300


def full_steps(document: Document, draft, finding, settings, targets: tuple[str, ...]):
    text = document.text
    system = prompts.render("system")
    model_claims: list[Claim] = []
    stances: list[Stance] = []
    verdicts: dict[str, list[str]] = {t: [] for t in targets}
    for chunk in chunk_text(text, settings.chunk_chars, settings.chunk_overlap):
        candidates = [a for a in finding.attributions if chunk.start <= a.content.start < chunk.end]
        user = prompts.render(
            "extract_chunk",
            passage=prompts.as_data(chunk.text_of(text)),
            candidates=_describe_candidates(candidates, finding) or "(none)",
            targets_block=prompts.render("targets_block", targets="\n".join(f"- {t}" for t in targets))
            if targets
            else "",
        )
        try:
            answer = yield Question(
                system,
                user,
                ChunkAnswer,
                context={"text": text, "start": chunk.start, "end": chunk.end},
                lenient=True,
            )
        except ValidationFailed as e:
            # The finder's proposals for this passage stand; the run says what was skipped.
            draft.warnings.append(f"chunk {chunk.index} ({chunk.start}-{chunk.end}): {e.message}")
            continue
        for s in answer.speakers:
            _add_speaker(draft, text, s.name, s.role, s.affiliation, s.kind, s.mentions)
        local: dict[int, str] = {}
        for number, mc in enumerate(answer.claims, 1):
            claim = _ground_claim(draft, text, chunk, mc, f"m{chunk.index}.{number}", settings)
            if claim is not None:
                model_claims.append(claim)
                local[number] = claim.id
        for st in answer.stances:
            holder = merge.find_speaker(st.holder, draft.speakers)
            if holder is None:
                continue
            ids = [local[n] for n in st.claim_numbers if n in local]
            stances.append(Stance(holder_id=holder.id, target=st.target, polarity=st.polarity, claim_ids=ids))
        for v in answer.target_verdicts:
            for t in targets:
                if v.target.casefold().strip() == t.casefold():
                    verdicts[t].append(v.article_polarity)
    draft.claims, absorbed = merge.merge_claims(draft.claims, model_claims)
    draft.stances = [
        s.model_copy(update={"claim_ids": [absorbed.get(c, c) for c in s.claim_ids]}) for s in stances
    ]
    for t in targets:
        held = [s for s in draft.stances if s.target.casefold().strip() == t.casefold()]
        draft.targets.append(TargetStances(target=t, article_polarity=_verdict(verdicts[t]), stances=held))
    return draft


def _describe_candidates(candidates, finding) -> str:
    lines = []
    for a in candidates:
        who = finding.speaker(a.speaker_key)
        source = who.name if who else (a.source.text if a.source else "?")
        cue = a.cue.text if a.cue else "?"
        lines.append(f"- {source} | {cue} | {prompts.as_data(a.content.text[:300])}")
    return "\n".join(lines)


def _ground_claim(draft, text, chunk, mc: ModelClaim, claim_id: str, settings) -> Claim | None:
    evidence = ground(mc.quote, text, chunk.start, chunk.end, fuzzy_threshold=settings.fuzzy_threshold)
    if evidence is None:
        draft.dropped += 1
        if not settings.keep_unaligned:
            return None
    speaker = None
    if mc.speaker and mc.attribution != "author":
        speaker = _add_speaker(draft, text, mc.speaker, None, None, "person", [])
    cue = mention = None
    if evidence is not None:
        lo, hi = max(chunk.start, evidence.start - CUE_WINDOW), min(chunk.end, evidence.end + CUE_WINDOW)
        if mc.cue:
            cue = ground(mc.cue, text, lo, hi, near=evidence.start, fuzzy_threshold=100)
        if speaker is not None:
            mention = _nearest(speaker.mentions, cue.start if cue else evidence.start, lo, hi)
    return Claim(
        id=claim_id,
        speaker_id=speaker.id if speaker else None,
        text=mc.claim,
        evidence=evidence,
        cue=cue,
        speaker_mention=mention,
        attribution="author" if speaker is None else mc.attribution,
        type=mc.type,
        check_worthy=mc.check_worthy,
        origin="model",
    )


def _add_speaker(draft, text, name, role, affiliation, kind, mentions) -> Speaker:
    spans = merge.occurrences(text, [name, *mentions])
    known = merge.find_speaker(name, draft.speakers)
    if known is not None:
        updated = merge.merge_speaker(known, name, role, affiliation, spans)
        draft.speakers[draft.speakers.index(known)] = updated
        return updated
    speaker = Speaker(
        id=f"s{len(draft.speakers) + 1}",
        name=name.strip(),
        role=role,
        affiliation=affiliation,
        kind=kind,
        mentions=spans,
    )
    draft.speakers.append(speaker)
    return speaker


def _nearest(mentions: list[Span], at: int, lo: int, hi: int) -> Span | None:
    inside = [m for m in mentions if lo <= m.start and m.end <= hi]
    return min(inside, key=lambda m: abs(m.start - at)) if inside else None


def _verdict(votes: list[str]) -> str:
    related = [v for v in votes if v != "unrelated"]
    if not related:
        return "unrelated"
    return Counter(related).most_common(1)[0][0]
