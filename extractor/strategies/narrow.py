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
from extractor.pipeline import Question
from extractor.schema import Document, Stance, TargetStances

_PHRASE = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’-]*)*")
_NOT_TOPICS = {
    "The", "A", "An", "We", "It", "He", "She", "They", "I", "But", "And", "When", "That", "This",
    "There", "Unfortunately", "At", "In", "On", "Regarding", "According", "Despite", "Also", "Our",
    "Mr", "Mrs", "Ms", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
}
MAX_TOPICS = 5
PASSAGE_CHARS = 600


def narrow_steps(document: Document, draft, targets: tuple[str, ...]):
    system = prompts.render("system")
    text = document.text
    topics_in_article = article_topics(text, draft.speakers)
    for index, claim in enumerate(draft.claims):
        speaker = draft.speaker(claim.speaker_id)
        if speaker is None or claim.evidence is None:
            continue
        topics = candidate_topics(claim.evidence.text, topics_in_article, targets)
        user = prompts.render(
            "judge_attribution",
            sentence=prompts.as_data(passage_around(text, claim.evidence.start, claim.evidence.end)),
            speaker=speaker.name,
            content=prompts.as_data(claim.evidence.text),
            topics="; ".join(topics),
        )
        try:
            judged = yield Question(system, user, judgement_for(topics))
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
        verdict = yield from article_verdict(system, text, target)
        held = [s for s in draft.stances if s.target.casefold() == target.casefold()]
        draft.targets.append(TargetStances(target=target, article_polarity=verdict, stances=held))
    return draft


def article_verdict(system: str, text: str, target: str):
    """The article's stance toward a target. Whether the article discusses the target at all
    is decided by rules (measured on FNC-1, far more reliable than a tiny model); the model is
    asked only about articles that do, and its "unrelated" then falls back to "neutral"."""
    from extractor.pipeline import rules_relatedness

    if rules_relatedness(target, text) == "unrelated":
        return "unrelated"
    user = prompts.render("article_target", passage=prompts.as_data(text[:1500]), target=target)
    try:
        verdict = (yield Question(system, user, ArticleVerdict)).polarity
    except ValidationFailed:
        return "neutral"
    return "neutral" if verdict == "unrelated" else verdict


def article_topics(text: str, speakers) -> list[str]:
    """Proper-noun phrases the article keeps returning to, most frequent first, speakers
    excluded: shared across holders, so their stances can be compared."""
    own = {w for s in speakers for name in [s.name, *(m.text for m in s.mentions)] for w in name.split()}
    counts: dict[str, int] = {}
    prose = "\n".join(line if not _headline(line) else " " * len(line) for line in text.split("\n"))
    for m in _PHRASE.finditer(prose):
        if _sentence_initial(prose, m.start()) or _is_adjective(prose, m):
            continue
        words = [w for w in m.group(0).split() if w not in _NOT_TOPICS and w not in own]
        phrase = " ".join(words).strip(" '’-")
        if len(phrase) > 1 and len(words) <= 4 and "'" not in phrase and "’" not in phrase:
            counts[phrase] = counts.get(phrase, 0) + 1
    return [p for p, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def candidate_topics(content: str, article: list[str], targets: tuple[str, ...]) -> list[str]:
    """Given targets first, then the article's topics this statement mentions, then its top ones."""
    found = list(targets)
    folded = content.casefold()
    found += [t for t in article if t.casefold() in folded]
    found += article[:2]
    unique = list(dict.fromkeys(found))
    return unique[:MAX_TOPICS] or ["the events reported"]


def _headline(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 30 and sum(w[:1].isupper() for w in words) >= 0.6 * len(words)


def _sentence_initial(text: str, at: int) -> bool:
    before = text[max(0, at - 3) : at].rstrip(" \"“‘'")
    return at == 0 or not before or before[-1] in ".!?\n:"


def _is_adjective(text: str, m) -> bool:
    """'Russian troops', 'Ukrainian territory': a demonym before a lowercase noun."""
    word = m.group(0)
    after = text[m.end() : m.end() + 2]
    return " " not in word and word.endswith(("ian", "ean", "ese", "ish", "an")) and after[:1] == " " and after[1:2].islower()


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
