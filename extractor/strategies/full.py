"""The full strategy, for capable models: the model reads the article (one passage, unless it
is longer than the model's context allows) with the finder's candidate claims marked
`[n]...[/n]`, and confirms, corrects or rejects each by its number and adds what the finder
missed; for each claim it writes a self-contained restatement, its type, and its speaker's
stance (target and polarity).

A confirmed candidate keeps the finder's spans (no quote re-typed, nothing grounded again);
a corrected or new quote is grounded in the passage, and one that cannot be found is dropped
and counted (or kept without evidence under `--keep-unaligned`), never placed by guesswork.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from extractor import merge, prompts
from extractor.answers import ChunkAnswer, ModelClaim, TargetsChunkAnswer
from extractor.chunking import Chunk, chunk_text
from extractor.errors import ValidationFailed
from extractor.finder.lexicon import CUE_WORDS
from extractor.grounding import TextIndex
from extractor.steps import Question
from extractor.schema import Claim, Document, Span, Speaker, Stance, TargetStances

CUE_WINDOW = 300
# Passage length from the model's context window: what is left of it after the answer
# (max_tokens, at most a quarter of the window) and the instructions, at a conservative 3
# characters a token.
CHARS_PER_TOKEN = 3
INSTRUCTION_TOKENS = 600
REMOTE_CONTEXT_TOKENS = 32_768  # when the context window is not given: any current capable model
_MARKER = re.compile(r"\[(/?\d*)\]")
CUE_REACH = 80
_WORD = re.compile(r"\w+")
_OPENING_QUOTES = set("\"“„«‘'‹「『")


def passage_chars(settings) -> int:
    """The longest passage one request carries: `chunk_chars`, or less when the model's
    context window (`context_window`, else the bundled model's `local_context` for local
    models, else REMOTE_CONTEXT_TOKENS) cannot hold that much with its answer."""
    window = settings.context_window
    if window is None:
        window = settings.local_context if settings.model.startswith("local") else REMOTE_CONTEXT_TOKENS
    answer = min(settings.max_tokens, window // 4)
    room = (window - answer - INSTRUCTION_TOKENS) * CHARS_PER_TOKEN
    return max(500, min(settings.chunk_chars, room))


def full_steps(document: Document, draft, finding, settings, targets: tuple[str, ...]):
    text = document.text
    index = TextIndex(text)  # normalized once, for every quote of every passage
    system = prompts.render("system")
    response_model = TargetsChunkAnswer if targets else ChunkAnswer
    targets_block = prompts.render("targets_block", targets=prompts.as_data("; ".join(targets))) if targets else ""
    language_block = prompts.language_block(document.language, settings.claim_language)
    finder_claims = {c.id: c for c in draft.claims}
    candidate_ids = [f"f{n}" for n in range(1, len(finding.attributions) + 1)]  # draft_from_finding's ids
    updated: dict[str, Claim] = {}
    rejected: set[str] = set()
    model_claims: list[Claim] = []
    stances: list[Stance] = []
    verdicts: dict[str, list[str]] = {t: [] for t in targets}
    named: dict[str, str] = {}  # a claim's speaker name -> the speaker's id
    for chunk in chunk_text(text, passage_chars(settings), settings.chunk_overlap):
        numbered = [(a, candidate_ids[i]) for i, a in enumerate(finding.attributions) if chunk.start <= a.content.start < chunk.end]
        user = prompts.render(
            "extract_chunk",
            candidates=_speakers_of(numbered, finding) or "none",
            next=str(len(numbered) + 1),
            passage=prompts.as_data(_marked(text, chunk, [a for a, _ in numbered])),
            targets_block="\n" + targets_block if targets else "",
            language_block="\n" + language_block if language_block else "",
        )
        context = {"text": text, "start": chunk.start, "end": chunk.end, "index": index, "candidates": len(numbered),
                   "fuzzy_threshold": settings.fuzzy_threshold}
        try:
            answer = yield Question(system, user, response_model, context=context, lenient=True)
        except ValidationFailed as e:
            # The finder's proposals for this passage stand; the run says what was skipped.
            draft.warnings.append(f"chunk {chunk.index} ({chunk.start}-{chunk.end}): {e.message}")
            draft.failed_passages += 1
            continue
        if numbered and not answer.claims and not answer.rejected:
            # an empty answer is valid, but it judged nothing: say so (the trained layer then
            # judges the stances, and a batch's --retry-failed asks again)
            draft.failed_passages += 1
            draft.warnings.append(
                f"chunk {chunk.index} ({chunk.start}-{chunk.end}): the model judged none of the "
                f"{len(numbered)} candidates; the finder's proposals stand"
            )
            continue
        local: dict[int, Claim] = {}  # the answer's claim numbers -> the claims they now are
        for mc in answer.claims:
            if 1 <= mc.n <= len(numbered):
                claim_id = numbered[mc.n - 1][1]
                base = updated.get(claim_id, finder_claims[claim_id])
                local[mc.n] = updated[claim_id] = _confirmed(draft, text, index, chunk, base, mc, settings, named)
            elif mc.n > len(numbered) and mc.n not in local:  # a number given twice: the first stands
                claim = _new_claim(draft, text, index, chunk, mc, f"m{chunk.index}.{mc.n}", settings, named)
                if claim is not None:
                    model_claims.append(claim)
                    local[mc.n] = claim
        for n in answer.rejected:
            if 1 <= n <= len(numbered) and n not in local:
                rejected.add(numbered[n - 1][1])
        for mc in answer.claims:  # a claim's stance is its speaker's
            claim = local.get(mc.n)
            if claim is not None and claim.speaker_id and mc.target and mc.target.strip() and mc.stance:
                stances.append(Stance(holder_id=claim.speaker_id, target=mc.target.strip(), polarity=mc.stance,
                                      claim_ids=[claim.id]))
        for v in getattr(answer, "verdicts", ()):
            for t in targets:
                if v.target.casefold().strip() == t.casefold():
                    verdicts[t].append(v.polarity)
    rejected -= set(updated)  # a candidate confirmed in one passage stands, whatever an overlap said
    kept = [updated.get(c.id, c) for c in draft.claims if c.id not in rejected]
    draft.claims, absorbed = merge.merge_claims(kept, model_claims)
    draft.stances = []
    for s in stances:
        ids = [absorbed.get(c, c) for c in s.claim_ids if c not in rejected]
        draft.stances.append(s.model_copy(update={"claim_ids": ids}))
    for t in targets:
        held = [s for s in draft.stances if s.target.casefold().strip() == t.casefold()]
        draft.targets.append(TargetStances(target=t, article_polarity=_verdict(verdicts[t]), stances=held))
    return draft


def _marked(text: str, chunk: Chunk, candidates) -> str:
    """The passage with each candidate's content between `[n]` and `[/]` (`[/n]` where
    candidates overlap). Marker-like text already in the article is written `[ n]`, so no
    marker is the article's own."""
    spans = [(a.content.start, min(a.content.end, chunk.end)) for a in candidates]
    marks = []
    for n, (start, end) in enumerate(spans, 1):
        alone = not any(s < end and start < e for k, (s, e) in enumerate(spans, 1) if k != n)
        marks.append((start, 1, -n, f"[{n}]"))
        marks.append((end, 0, n, "[/]" if alone else f"[/{n}]"))
    pieces, at = [], chunk.start
    for position, _, _, label in sorted(marks):
        pieces.append(_MARKER.sub(r"[ \1]", text[at:position]))
        pieces.append(label)
        at = position
    pieces.append(_MARKER.sub(r"[ \1]", text[at : chunk.end]))
    return "".join(pieces)


def _speakers_of(numbered, finding) -> str:
    """Who the finder says speaks each candidate, grouped: "1-3,5 Dmitry Peskov; 4 Blinken"."""
    groups: dict[str, list[int]] = {}
    for n, (a, _) in enumerate(numbered, 1):
        who = finding.speaker(a.speaker_key)
        groups.setdefault(who.name if who else (a.source.text if a.source else "?"), []).append(n)
    surnames = Counter(name.split()[-1] for name in groups)
    persons = {s.name for s in finding.speakers if s.kind == "person"}
    # a person by surname when no other speaker listed has it: "Peskov", not "Dmitry Peskov"
    groups = {(name.split()[-1] if name in persons and surnames[name.split()[-1]] == 1 else name): ns
              for name, ns in groups.items()}
    return "; ".join(f"{_ranges(ns)} {prompts.as_data(name)}" for name, ns in groups.items())


def _ranges(numbers: list[int]) -> str:
    out, start = [], numbers[0]
    for prev, n in zip(numbers, numbers[1:] + [None]):
        if n != prev + 1:
            out.append(str(start) if start == prev else f"{start}-{prev}")
            start = n
    return ",".join(out)


def _confirmed(draft, text, index, chunk, claim: Claim, mc: ModelClaim, settings, named) -> Claim:
    """A finder's candidate as the model confirmed it: its restatement and type, and its spans
    unless the model corrected them (a corrected quote is grounded; one that is not found
    leaves the finder's span)."""
    update: dict = {"text": mc.claim.strip() or claim.text, "origin": "finder+model"}
    if mc.type is not None:
        update["type"] = mc.type
    evidence = claim.evidence
    if mc.quote and mc.quote.strip() != (evidence.text if evidence else None):
        found = index.ground(mc.quote, chunk.start, chunk.end, near=evidence.start if evidence else None,
                             fuzzy_threshold=settings.fuzzy_threshold)
        if found is not None:
            evidence = update["evidence"] = found
    if evidence is None:
        return claim.model_copy(update=update)
    lo, hi = max(chunk.start, evidence.start - CUE_WINDOW), min(chunk.end, evidence.end + CUE_WINDOW)
    cue = claim.cue
    if "evidence" in update and (cue is None or not (lo <= cue.start and cue.end <= hi)):
        cue = update["cue"] = _cue_near(text, evidence)
    if mc.speaker:
        speaker = _speaker_named(draft, text, mc.speaker, named)
        if speaker.id != claim.speaker_id:
            update["speaker_id"] = speaker.id
            update["speaker_mention"] = _nearest(speaker.mentions, cue.start if cue else evidence.start, lo, hi)
            if claim.attribution == "author":
                update["attribution"] = _attribution(text, evidence)
    return claim.model_copy(update=update)


def _new_claim(draft, text, index, chunk, mc: ModelClaim, claim_id: str, settings, named) -> Claim | None:
    evidence = index.ground(mc.quote or "", chunk.start, chunk.end, fuzzy_threshold=settings.fuzzy_threshold)
    if evidence is None:
        draft.dropped += 1
        if not settings.keep_unaligned:
            return None
    speaker = _speaker_named(draft, text, mc.speaker, named) if mc.speaker else None
    cue = mention = None
    if evidence is not None:
        lo, hi = max(chunk.start, evidence.start - CUE_WINDOW), min(chunk.end, evidence.end + CUE_WINDOW)
        if speaker is not None:
            cue = _cue_near(text, evidence)
            mention = _nearest(speaker.mentions, cue.start if cue else evidence.start, lo, hi)
    return Claim(
        id=claim_id,
        speaker_id=speaker.id if speaker else None,
        text=mc.claim,
        evidence=evidence,
        cue=cue,
        speaker_mention=mention,
        attribution="author" if speaker is None else _attribution(text, evidence),
        type=mc.type,  # None when the model gave none: not judged, never a default
        origin="model",
    )


def _cue_near(text: str, evidence: Span) -> Span | None:
    """The reporting words next to a quote ("said", "told", "according to"): the nearest word
    of the finder's cue lexicon within CUE_REACH characters before or after it, in its line."""
    lo = max(text.rfind("\n", 0, evidence.start) + 1, evidence.start - CUE_REACH)
    hi = text.find("\n", evidence.end)
    hi = min(len(text) if hi == -1 else hi, evidence.end + CUE_REACH)
    best = None
    for m in _WORD.finditer(text, lo, hi):
        if evidence.start <= m.start() < evidence.end:
            continue
        word = m.group().casefold()
        end = m.end()
        if word == "according" and text.startswith(" to", end):
            end += 3
        elif word not in CUE_WORDS:
            continue
        distance = evidence.start - end if end <= evidence.start else m.start() - evidence.end
        if best is None or distance < best[0]:
            best = (distance, m.start(), end)
    return Span.at(text, best[1], best[2]) if best else None


def _attribution(text: str, evidence: Span | None) -> str:
    """Direct when the evidence is in quotation marks (its first character, or the one just
    before it, opens a quote); else indirect."""
    if evidence is None:
        return "indirect"
    before = text[max(0, evidence.start - 1) : evidence.start]
    return "direct" if evidence.text[:1] in _OPENING_QUOTES or before in _OPENING_QUOTES else "indirect"


def _speaker_named(draft, text, name: str, named: dict[str, str]) -> Speaker:
    """The speaker a claim's speaker name refers to, added when new. An answer names the same
    speaker for many claims: after the first, it is known by the name alone (`named`: name ->
    speaker id, for one document)."""
    known = draft.speaker(named.get(name))
    if known is not None:
        return known
    speaker = _add_speaker(draft, text, name, None, None, "person", [])
    named[name] = speaker.id
    return speaker


def _add_speaker(draft, text, name, role, affiliation, kind, mentions) -> Speaker:
    spans = _occurrences(text, (name, *mentions))
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


@functools.lru_cache(maxsize=256)
def _occurrences(text: str, names: tuple[str, ...]) -> list[Span]:
    """merge.occurrences, once per name and text: an answer names the same speaker for many
    claims. (The list is shared: callers do not change it.)"""
    return merge.occurrences(text, list(names))


def _nearest(mentions: list[Span], at: int, lo: int, hi: int) -> Span | None:
    inside = [m for m in mentions if lo <= m.start and m.end <= hi]
    return min(inside, key=lambda m: abs(m.start - at)) if inside else None


def _verdict(votes: list[str]) -> str:
    related = [v for v in votes if v != "unrelated"]
    if not related:
        return "unrelated"
    return Counter(related).most_common(1)[0][0]
