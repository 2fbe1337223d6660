"""A result's claims in PolNeAR's terms: `evidence` ~ Content, `speaker_mention` ~ Source,
`cue` ~ Cue.

`evidence` runs from the first to the last character of what was said, so a quote interrupted
by its own attribution ("We will win," he said, "and soon.") holds the "he said". Annotators
leave that out of the Content, so the claim's cue and speaker mention are cut out of it when
they fall inside, with the spaces and the , . ; : left at the cut. When the evidence opens with
a quotation mark the cut runs from the closing mark to the next opening one ("...,” she said to
the TV. “..."), since only the quoted words were said. The gold format's evidence is cut the
same way, so both sides are compared alike.

Claims in the outlet's own voice (`attribution == "author"`) are not attributions, and claims
without evidence cannot be placed: neither is scored as a span.
"""

from __future__ import annotations

from collections.abc import Iterable

from extractor.polnear import Fragments, SpanAttribution
from extractor.schema import Claim, ExtractionResult, Span

_AT_A_CUT = " \t\n,.;:"
_CLOSING = "”\"»"
_OPENING = "“\"«"


def attributions(result: ExtractionResult) -> list[SpanAttribution]:
    text = result.document.text
    return [as_attribution(text, c) for c in result.claims if c.attribution != "author" and c.evidence is not None]


def as_attribution(text: str, claim: Claim) -> SpanAttribution:
    inside = [(s.start, s.end) for s in (claim.cue, claim.speaker_mention) if s]
    return SpanAttribution(
        content=content_fragments(text, (claim.evidence.start, claim.evidence.end), inside),
        source=_one(claim.speaker_mention),
        cue=_one(claim.cue),
        id=claim.id,
    )


def content_fragments(text: str, evidence: tuple[int, int], attribution: Iterable[tuple[int, int]]) -> Fragments:
    """The evidence without the claim's own cue and source where they interrupt it."""
    first, last = evidence
    cuts = sorted((s, e) for s, e in attribution if first < s and e < last)
    if not cuts:
        return ((first, last),)
    if text[first] in _OPENING:
        cuts = [_between_quotes(text, first, last, s, e) for s, e in cuts]
    pieces, at = [], first
    for start, end in cuts:
        if start > at:
            pieces.append((at, start))
        at = max(at, end)
    pieces.append((at, last))
    trimmed = []
    for n, (start, end) in enumerate(pieces):
        if n > 0:  # the piece begins at a cut
            while start < end and text[start] in _AT_A_CUT:
                start += 1
        if n < len(pieces) - 1:  # the piece ends at a cut
            while end > start and text[end - 1] in _AT_A_CUT:
                end -= 1
        if end > start:
            trimmed.append((start, end))
    return tuple(trimmed) or ((first, last),)


def _between_quotes(text: str, first: int, last: int, start: int, end: int) -> tuple[int, int]:
    """Widen a cut to the quotation marks around it: a closing one before it (a mark right after
    a word) and an opening one after it (a mark right after a space); else leave it."""
    closing = [i for q in _CLOSING if (i := text.rfind(q, first + 1, start)) > first and not text[i - 1].isspace()]
    opening = [i for q in _OPENING if (i := text.find(q, end, last)) > 0 and text[i - 1].isspace()]
    if not closing or not opening:
        return start, end
    return max(closing) + 1, min(opening)


def _one(span: Span | None) -> Fragments:
    return ((span.start, span.end),) if span else ()
