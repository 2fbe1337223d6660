"""The narrow strategy, for tiny models such as the bundled SmolLM2-135M.

The finder carries the spans and the speakers; the model answers one small, constrained
question per attribution: which of a few candidate topics it is about, whether the speaker is
for, against or neutral toward it, and what type of statement it is. A tiny model cannot be
trusted with more, and a question it fails costs one judgement, not the document.
"""

from __future__ import annotations

import re

from extractor import prompts
from extractor.answers import ArticleVerdict, judgement_for
from extractor.errors import ValidationFailed
from extractor.schema import Document, Stance, TargetStances

_PHRASE = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’-]*)*")
_NOT_TOPICS = {
    "The", "A", "An", "We", "It", "He", "She", "They", "I", "But", "And", "When", "That", "This",
    "There", "Unfortunately", "At", "In", "On", "Regarding", "According", "Despite", "Also", "Our",
    "Mr", "Mrs", "Ms", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
}
MAX_TOPICS = 5
PASSAGE_CHARS = 600


def run_narrow(document: Document, draft, model, targets: tuple[str, ...]):
    system = prompts.render("system")
    text = document.text
    for index, claim in enumerate(draft.claims):
        speaker = draft.speaker(claim.speaker_id)
        if speaker is None or claim.evidence is None:
            continue
        topics = candidate_topics(claim.evidence.text, document.title, speaker.name, targets)
        user = prompts.render(
            "judge_attribution",
            sentence=passage_around(text, claim.evidence.start, claim.evidence.end),
            speaker=speaker.name,
            content=claim.evidence.text,
            topics="; ".join(topics),
        )
        try:
            judged = model.ask(system, user, judgement_for(topics))
        except ValidationFailed:
            continue  # this one question failed; the claim stays, without a stance
        draft.claims[index] = claim.model_copy(
            update={
                "type": judged.type,
                "check_worthy": judged.type in ("factual", "prediction") and len(claim.evidence.text) >= 40,
                "text": restate(speaker.name, claim),
                "origin": "finder+model",
            }
        )
        draft.stances.append(
            Stance(holder_id=speaker.id, target=judged.topic, polarity=judged.polarity, claim_ids=[claim.id])
        )
    for target in targets:
        user = prompts.render("article_target", passage=text[:1500], target=target)
        try:
            verdict = model.ask(system, user, ArticleVerdict).polarity
        except ValidationFailed:
            verdict = "neutral"
        held = [s for s in draft.stances if s.target.casefold() == target.casefold()]
        draft.targets.append(TargetStances(target=target, article_polarity=verdict, stances=held))
    return draft


def candidate_topics(content: str, title: str | None, speaker_name: str, targets: tuple[str, ...]) -> list[str]:
    """A few noun phrases the statement could be about: given targets first, then names in it."""
    own = set(speaker_name.split())
    found = list(targets)
    for source in (content, title or ""):
        for m in _PHRASE.finditer(source):
            words = [w for w in m.group(0).split() if w not in _NOT_TOPICS and w not in own]
            phrase = " ".join(words).strip(" '’-")
            if len(phrase) > 1 and phrase.casefold() not in {f.casefold() for f in found}:
                found.append(phrase)
        if len(found) >= 2:
            break
    return found[:MAX_TOPICS] or ["the events reported"]


def passage_around(text: str, start: int, end: int) -> str:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right == -1 else right
    if right - left > PASSAGE_CHARS:
        left, right = max(left, start - 150), min(right, max(end, start + PASSAGE_CHARS - 150))
    return text[left:right]


def restate(name: str, claim) -> str:
    content = claim.evidence.text.strip().strip("\"“”'‘’").strip()
    if claim.attribution == "direct":
        return f"{name} said: “{content}”"
    return f"{name} said that {content}" if not content.lower().startswith("that ") else f"{name} said {content}"
