"""The narrow strategy, the default for tiny models such as the bundled SmolLM2-135M.

The finder carries the spans and the speakers, and the trained layers (`extractor.stances`,
run by the pipeline for every strategy but `full`) judge stances. The tiny model is asked
nothing: its answers were measured worse than the trained layers on every judgement it was
given (stance macro-F1 0.14 against 0.61 on NewsMTSC devtest_mt; claim types near-constant),
and an answer that is worse than none costs the reader's trust. What is left here is the
claim's restatement, made by rule from the resolved speaker.
"""

from __future__ import annotations

from extractor.schema import Claim, Document


def narrow_steps(document: Document, draft, targets: tuple[str, ...], claim_language: str | None = None):
    # --claim-language picks the templates where that language has them; the quote stays as written
    language = claim_language if claim_language and has_templates(claim_language) else document.language
    for index, claim in enumerate(draft.claims):
        speaker = draft.speaker(claim.speaker_id)
        if speaker is not None and claim.evidence is not None:
            draft.claims[index] = claim.model_copy(update={"text": restate(speaker.name, claim, language)})
    return draft
    yield  # a generator like the other strategies, with no question to ask


def has_templates(language: str) -> bool:
    """English, and every language with a lexicon file."""
    from extractor.finder.local.lexicon import languages

    return language == "en" or language in languages()


def restate(name: str, claim: Claim, language: str | None = "en") -> str:
    """'Name said: “…”' in English; in a language with a lexicon, that lexicon's templates."""
    content = claim.evidence.text.strip().strip("\"“”'‘’„«»‹›‚").strip()
    if language and language != "en":
        from extractor.finder.local.lexicon import languages, load

        if language in languages():
            template = load(language).restate["direct" if claim.attribution == "direct" else "indirect"]
            return template.format(name=name, content=content)
    if claim.attribution == "direct":
        return f"{name} said: “{content}”"
    return f"{name} said that {content}" if not content.lower().startswith("that ") else f"{name} said {content}"
