"""A readable terminal view of one result (`--format table`)."""

from __future__ import annotations

from extractor.cost import dollars
from extractor.schema import Claim, ExtractionResult


def speaker_label(claim: Claim, names: dict[str, str]) -> str:
    """Who a claim is by, for a reader: the speaker's name, '(outlet)' for the outlet's own
    voice, or '(unresolved: <why>)' when the finder would not guess."""
    if claim.speaker_id is not None:
        return names.get(claim.speaker_id, claim.speaker_id)
    if claim.speaker_status == "unresolved":
        return f"(unresolved: {claim.unresolved.note})" if claim.unresolved else "(unresolved)"
    return "(outlet)"


def print_table(result: ExtractionResult, out, cost: float | None = 0.0) -> None:
    """`cost` is the estimate in dollars from the price table: None when the model has no
    price (shown as "$?", never a guess)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=120 if not out.isatty() else None)
    names = {s.id: s.name for s in result.speakers}
    console.print(f"[bold]{result.document.title or result.document.source}[/bold]  ({result.document.source})")
    speakers = Table("id", "speaker", "role", "affiliation", "kind", "mentions", title="Speakers")
    for s in result.speakers:
        speakers.add_row(s.id, s.name, s.role or "", s.affiliation or "", s.kind, str(len(s.mentions)))
    console.print(speakers)
    claims = Table("id", "speaker", "type", "evidence (offsets)", "claim", title="Claims")
    for c in result.claims:
        where = f"{c.evidence.start}-{c.evidence.end} {c.evidence.alignment}" if c.evidence else "unaligned"
        claims.add_row(c.id, speaker_label(c, names), (c.type or "-") + ("*" if c.check_worthy else ""), where, c.text)
    console.print(claims)
    if result.stances:
        stances = Table("holder", "target", "polarity", "confidence", "claims", title="Stances")
        for st in result.stances:
            confidence = "-" if st.confidence is None else f"{st.confidence:.2f}"
            stances.add_row(names.get(st.holder_id, st.holder_id), st.target, st.polarity, confidence, ", ".join(st.claim_ids))
        console.print(stances)
    u = result.run.usage
    console.print(
        f"language {result.document.language or '?'} · model {result.run.model} · prompt {result.run.prompt_version} · {u.requests} requests · "
        f"{u.prompt_tokens}+{u.completion_tokens} tokens · ~{dollars(cost)} · {result.run.dropped_unaligned} dropped · {result.run.seconds}s"
    )
