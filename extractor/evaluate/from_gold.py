"""One annotator's gold for a case, written as an `ExtractionResult`.

Scoring it must give 1.0 on every metric: the tests use it to check the metrics end to end, and
on real data it shows the ceiling of the tool's format (one evidence span per claim cannot
express a Content with gaps other than its own attribution, for example).
"""

from __future__ import annotations

from extractor.evaluate.cases import Case, Gold, SpeakerName
from extractor.polnear import Fragments
from extractor.schema import Claim, Document, ExtractionResult, RunInfo, Span, Speaker, Stance, TargetStances


def gold_as_result(case: Case, annotator: str | None = None) -> ExtractionResult:
    gold = case.golds[annotator or next(iter(case.golds))]
    text = case.text
    speakers = [Speaker(id=f"g{n}", name=s.name) for n, s in enumerate(gold.speakers or (), 1)]
    for stance in gold.stances or ():
        if _speaker_id(speakers, stance.holder) is None:
            speakers.append(Speaker(id=f"g{len(speakers) + 1}", name=stance.holder.name))
    labels = {(u.start, u.end): u.positive for u in gold.check_worthy or ()}
    claims = []
    for a in gold.attributions or ():
        evidence = Span.at(text, a.content[0][0], a.content[-1][1])
        claims.append(
            Claim(
                id=f"c{len(claims) + 1}",
                speaker_id=None,
                text=evidence.text,
                evidence=evidence,
                cue=_hull(text, a.cue),
                speaker_mention=_hull(text, a.source),
                attribution="direct" if evidence.text[:1] in "“\"«'‘" else "indirect",
                check_worthy=labels.pop((evidence.start, evidence.end), False),
            )
        )
    for (start, end), positive in labels.items():  # labelled stretches that are not attributions
        evidence = Span.at(text, start, end)
        claims.append(
            Claim(id=f"c{len(claims) + 1}", speaker_id=None, text=evidence.text, evidence=evidence, attribution="author", check_worthy=positive)
        )
    stances = [Stance(holder_id=_speaker_id(speakers, s.holder), target=s.targets[0], polarity=s.polarity) for s in gold.stances or ()]
    return ExtractionResult(
        document=Document.from_text(text, source=case.name),
        speakers=speakers,
        claims=claims,
        stances=stances,
        targets=_targets(case, gold),
        run=RunInfo(model="gold", prompt_version="gold", strategy="gold"),
    )


def _hull(text: str, fragments: Fragments) -> Span | None:
    return Span.at(text, fragments[0][0], fragments[-1][1]) if fragments else None


def _speaker_id(speakers: list[Speaker], who: SpeakerName) -> str | None:
    return next((s.id for s in speakers if s.name in who.spellings), None)


def _targets(case: Case, gold: Gold) -> list[TargetStances] | None:
    if gold.article_polarity is None:
        return None
    return [TargetStances(target=t, article_polarity=p) for t, p in zip(case.targets, gold.article_polarity)]
