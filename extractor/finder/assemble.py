"""Turn raw attributions into the public types: spans cut from the text, speakers resolved."""

from __future__ import annotations

from extractor.finder import Attribution, Finding, FoundSpeaker
from extractor.finder.article import raw_attributions
from extractor.finder.speakers import Resolver
from extractor.schema import Span, Unresolved


def assemble(text: str) -> Finding:
    raws = raw_attributions(text)
    resolver = Resolver(text, [p for r in raws for p in r.parts])
    resolver.register_names([r.source for r in raws if r.source])
    attributions = []
    made: dict[tuple[int, int], Span] = {}  # spans are immutable: one per range (a dense text
    # has 60,000 attributions a megabyte; their content and part, source and mention, repeat)

    def span(start: int, end: int) -> Span:
        found = made.get((start, end))
        if found is None:
            found = made[(start, end)] = Span.at(text, start, end)
        return found

    for r in raws:
        parts = tuple(span(s, e) for s, e in r.parts)
        speakers = resolver.resolve(*r.source) if r.source else []
        keys = tuple(dict.fromkeys(sp.key for sp in speakers))
        last = max(e for _, e in r.parts)
        attributions.append(
            Attribution(
                content=span(r.parts[0][0], last),
                parts=parts,
                cue=span(*r.cue),
                source=span(*r.source) if r.source else None,
                speaker_key=keys[0] if keys else None,
                kind="direct" if r.kind == "direct" else "indirect",
                sentence=span(r.sentence[0], max(r.sentence[1], last)),
                speaker_keys=keys,
                unresolved=None if keys else _why(text, resolver, r.source),
            )
        )
    used = {k for a in attributions for k in a.speaker_keys}
    speakers = tuple(
        FoundSpeaker(
            key=sp.key,
            name=sp.name,
            role=sp.role,
            affiliation=sp.affiliation,
            kind=sp.kind,  # type: ignore[arg-type]
            mentions=tuple(span(s, e) for s, e in sorted(set(sp.mentions))),
        )
        for sp in resolver.speakers
        if sp.key in used
    )
    return Finding(attributions=tuple(attributions), speakers=speakers)


def _why(text: str, resolver: Resolver, source: tuple[int, int] | None) -> Unresolved:
    """Why an attribution has no speaker: what the resolver found, or that no one is named."""
    if source is None:
        return Unresolved(reason="no_source", note="no speaker is named for it")
    return resolver.why.get(source) or Unresolved(
        reason="no_antecedent", note=f"{text[source[0]:source[1]]!r} was not resolved to anyone named in the text"
    )
