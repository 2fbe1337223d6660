"""Stances from the trained layer: who is for or against what, with a confidence, and no
language model.

    holder stances    first what the words state outright (`stance_rules`: "X opposed Y");
                      then, for each claim with a speaker, the topics its content is about
                      (`topics.statement_topics`, and any --target it mentions), each judged
                      by the stance model on the content with the topic's span marked. Only
                      favor and against are reported: a neutral or abstained judgement says
                      nobody's stance, and is left out
    target views      for each --target: every sentence of the article that mentions it is
                      judged; the article's polarity is the mean of their probabilities,
                      abstaining (neutral) below the calibrated threshold; "unrelated" when
                      the article never mentions it

Targets are canonical topic phrases ("NATO expansion"), the same form in every article, so
that a batch's per-target view adds them up. A capable model's own stances (the `full`
strategy) replace these; this layer is what stands without one, or when its answer failed.
"""

from __future__ import annotations

import re

from extractor.schema import Claim, Speaker, Stance, TargetStances
from extractor.stance_rules import stated_stances
from extractor.topics import Phrase, article_salience, phrases_in, statement_topics, topic_key
from extractor.trained.stance import LABELS, StanceModel, decide, default_model

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9])|\n+")


def holder_stances(
    text: str, speakers: list[Speaker], claims: list[Claim], targets: tuple[str, ...] = (), model: StanceModel | None = None
) -> list[Stance]:
    phrases = phrases_in(text)  # once: both the names and the salience come from them
    canonical = _canonical_names(phrases)
    stated = [
        s.model_copy(update={"target": canonical.get(topic_key(s.target), s.target)}) if s.target not in targets else s
        for s in stated_stances(text, speakers, claims, targets)
    ]
    covered = {(s.holder_id, topic_key(s.target)) for s in stated}
    salience = article_salience(text, phrases)
    judged = [
        s for s in judged_stances(claims, targets, model, canonical, salience) if (s.holder_id, topic_key(s.target)) not in covered
    ]
    return stated + [s for s in judged if s.polarity != "neutral"]


def judged_stances(
    claims: list[Claim], targets: tuple[str, ...], model: StanceModel | None, canonical: dict[str, str], salience: dict[str, int]
) -> list[Stance]:
    """The classifier's judgement of each claim's topics, neutral and abstained included."""
    model = model or default_model()
    found: list[Stance] = []
    for claim in claims:
        if claim.speaker_id is None or claim.evidence is None:
            continue
        content = claim.evidence.text
        spans: dict[str, tuple[int, int]] = {}
        for target in targets:
            hit = _find(content, target)
            if hit is not None:
                spans[target] = hit
        for topic in statement_topics(content, salience):
            name = canonical.get(topic.key, topic.text)
            if not any(topic_key(t) == topic.key for t in spans):
                spans.setdefault(name, (topic.start, topic.end))
        for target, (start, end) in spans.items():
            judged = model.judge(content, start, end)
            found.append(
                Stance(
                    holder_id=claim.speaker_id,
                    target=target,
                    polarity=judged.polarity,
                    confidence=judged.confidence,
                    claim_ids=[claim.id],
                )
            )
    return found


def target_views(
    text: str, targets: tuple[str, ...], stances: list[Stance], model: StanceModel | None = None
) -> list[TargetStances]:
    model = model or default_model()
    views = []
    for target in targets:
        held = [s for s in stances if topic_key(s.target) == topic_key(target)]
        if rules_relatedness(target, text) == "unrelated":
            views.append(TargetStances(target=target, article_polarity="unrelated", stances=held))
            continue
        probabilities = [model.probabilities(sentence, s, e) for sentence, s, e in mentions_in_sentences(text, target)]
        if not probabilities:  # its words are there, never the phrase or its head: nothing to judge
            views.append(TargetStances(target=target, article_polarity="neutral", stances=held))
            continue
        mean = tuple(sum(p[i] for p in probabilities) / len(probabilities) for i in range(len(LABELS)))
        judged = decide(mean, model.threshold)
        views.append(TargetStances(target=target, article_polarity=judged.polarity, confidence=judged.confidence, stances=held))
    return views


def rules_relatedness(target: str, text: str) -> str:
    """Whether the article talks about the target at all: "neutral" if most of its content
    words occur, else "unrelated" (measured on FNC-1's related/unrelated split, docs/metrics.md)."""
    words = [w for w in re.findall(r"\w+", target.casefold()) if len(w) > 3]
    if not words:
        return "neutral" if _all(text, target) or not target.strip() else "unrelated"
    folded = text.casefold()
    found = sum(1 for w in words if w[:5] in folded)
    return "neutral" if found * 2 >= len(words) else "unrelated"


def mentions_in_sentences(text: str, target: str) -> list[tuple[str, int, int]]:
    """(sentence, start, end) for each place the article names the target: the whole phrase
    where it occurs, else its head word (a 'casual contracts' target is found in 'contracts
    offered to casual staff')."""
    places = _all(text, target)
    if not places:
        words = topic_key(target).split()
        if words:
            places = _all(text, words[-1], stem=True)
    out = []
    for start, end in places:
        lo, hi = _sentence_bounds(text, start, end)
        out.append((text[lo:hi], start - lo, end - lo))
    return out


def _all(text: str, phrase: str, stem: bool = False) -> list[tuple[int, int]]:
    phrase = phrase.strip()
    if not phrase:
        return []
    suffix = r"(?:s|es)?" if stem else ""
    pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + suffix + r"(?!\w)", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _find(content: str, target: str) -> tuple[int, int] | None:
    places = _all(content, target)
    return places[0] if places else None


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - 600)
    left = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        left = m.end()
    right_match = _SENTENCE_END.search(text, end, min(len(text), end + 600))
    right = right_match.start() if right_match else min(len(text), end + 600)
    return left, right


def _canonical_names(phrases: list[Phrase]) -> dict[str, str]:
    """Each topic key's most frequent surface form in the article, so that every holder's
    stance toward it carries the same name."""
    forms: dict[str, dict[str, int]] = {}
    for p in phrases:
        counts = forms.setdefault(p.key, {})
        counts[p.text] = counts.get(p.text, 0) + 1

    def rank(kv):  # most frequent; then the body's form over a headline's Title Case
        form, count = kv
        return (count, -sum(1 for w in form.split()[1:] if w[:1].isupper()), -len(form))

    return {key: max(counts.items(), key=rank)[0] for key, counts in forms.items()}
