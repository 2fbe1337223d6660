"""A result's claims in PolNeAR's terms: `evidence` ~ Content, `speaker_mention` ~ Source,
`cue` ~ Cue.

`evidence` runs from the first to the last character of what was said, so a quote interrupted
by its own attribution ("We will win," he said, "and soon.") holds the "he said". Annotators
leave that out of the Content, so the claim's cue and speaker mention are cut out of it when
they fall inside, with the spaces and the , . ; : left at the cut; in a direct quote the cut
runs from the closing quotation mark to the next opening one ("...,” she said to the TV. “..."),
since only the quoted words were said. Claims in the outlet's own
voice (`attribution == "author"`) are not attributions, and claims without evidence cannot be
placed: neither is scored as a span.
"""

from __future__ import annotations

from extractor.polnear import Fragments, SpanAttribution
from extractor.schema import Claim, ExtractionResult, Span

_AT_A_CUT = " \t\n,.;:"
_CLOSING = "”\"»"
_OPENING = "“\"«"


def attributions(result: ExtractionResult) -> list[SpanAttribution]:
    return [as_attribution(c) for c in result.claims if c.attribution != "author" and c.evidence is not None]


def as_attribution(claim: Claim) -> SpanAttribution:
    return SpanAttribution(
        content=content_fragments(
            claim.evidence, [s for s in (claim.cue, claim.speaker_mention) if s], quoted=claim.attribution == "direct"
        ),
        source=_one(claim.speaker_mention),
        cue=_one(claim.cue),
        id=claim.id,
    )


def content_fragments(evidence: Span, inside: list[Span], quoted: bool = False) -> Fragments:
    cuts = sorted((s.start, s.end) for s in inside if evidence.start < s.start and s.end < evidence.end)
    if not cuts:
        return ((evidence.start, evidence.end),)
    text, base = evidence.text, evidence.start
    if quoted:
        cuts = [_between_quotes(text, base, start, end) for start, end in cuts]
    pieces, at = [], evidence.start
    for start, end in cuts:
        if start > at:
            pieces.append((at, start))
        at = max(at, end)
    pieces.append((at, evidence.end))
    trimmed = []
    for n, (start, end) in enumerate(pieces):
        if n > 0:  # the piece begins at a cut
            while start < end and text[start - base] in _AT_A_CUT:
                start += 1
        if n < len(pieces) - 1:  # the piece ends at a cut
            while end > start and text[end - 1 - base] in _AT_A_CUT:
                end -= 1
        if end > start:
            trimmed.append((start, end))
    return tuple(trimmed) or ((evidence.start, evidence.end),)


def _between_quotes(text: str, base: int, start: int, end: int) -> tuple[int, int]:
    """Widen a cut to the quotation marks around it, when there are some on both sides."""
    left = max((text.rfind(q, 0, start - base) for q in _CLOSING), default=-1)
    right = [i for i in (text.find(q, end - base) for q in _OPENING) if i >= 0]
    if left < 0 or not right:
        return start, end
    return base + left + 1, base + min(right)


def _one(span: Span | None) -> Fragments:
    return ((span.start, span.end),) if span else ()
