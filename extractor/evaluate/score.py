"""Score results against cases: per document (for error analysis), then over the dataset.

A document with k annotators adds each annotator's counts weighted 1/k, so every document
weighs one whoever annotated it. Only what the dataset annotates is scored: a metric appears in
the summary when at least one gold has the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from extractor.evaluate import metrics
from extractor.evaluate.as_spans import attributions
from extractor.evaluate.cases import Case
from extractor.polnear import METRICS as SPAN_METRICS
from extractor.polnear import Counts, count_document, match_spans, prf
from extractor.schema import ExtractionResult

EXAMPLES = 5  # missed and spurious contents listed per annotator in the breakdown
COUNTED = (*SPAN_METRICS, "speakers", "stance_triples", "check_worthy")


@dataclass
class CaseScore:
    name: str
    counts: Counts = field(default_factory=Counts)
    stance_pairs: list[tuple[str, str | None, float]] = field(default_factory=list)
    target_pairs: list[tuple[str, str | None, float]] = field(default_factory=list)
    classifier_scores: list[tuple[float, bool]] = field(default_factory=list)
    speaker_f1: float | None = None
    detail: dict = field(default_factory=dict)


def score_case(case: Case, result: ExtractionResult | None, failure: str | None = None) -> CaseScore:
    """`result` None: the extraction failed (or had no prediction), scored as finding nothing."""
    result = result or _empty(case)
    scored = CaseScore(case.name, detail={"name": case.name, "id": case.id, "annotators": len(case.golds)})
    if failure:
        scored.detail["failed"] = failure
    weight = 1.0 / len(case.golds)
    predicted = attributions(result)
    names = metrics.speaker_names(result)
    speaker_f1s = []
    for annotator, gold in case.golds.items():
        c = scored.counts
        if gold.attributions is not None:
            count_document(predicted, gold.attributions, c, weight)
            scored.detail.setdefault("content_examples", {})[annotator] = _examples(case.text, predicted, gold.attributions)
        if gold.speakers is not None:
            matched, missed, extra = metrics.speaker_match(names, gold.speakers)
            metrics.add(c, "speakers", matched, len(names), len(gold.speakers), weight)
            speaker_f1s.append(metrics.f1(matched, len(names), len(gold.speakers)))
            scored.detail.setdefault("speakers_missed", {})[annotator] = missed
            scored.detail.setdefault("speakers_extra", {})[annotator] = extra
        if gold.article_polarity is not None:
            got = metrics.article_polarities(result, case.targets)
            scored.stance_pairs += [(g, p, weight) for g, p in zip(gold.article_polarity, got)]
            scored.detail["article_stance"] = [
                {"target": t, "gold": g, "predicted": p} for t, g, p in zip(case.targets, gold.article_polarity, got)
            ]
        if gold.target_polarity is not None:
            named = [t for t, _ in gold.target_polarity]
            got = metrics.article_polarities(result, named)
            scored.target_pairs += [(g, p, weight) for (_, g), p in zip(gold.target_polarity, got)]
            scored.detail["target_polarity"] = [{"target": t, "gold": g, "predicted": p} for (t, g), p in zip(gold.target_polarity, got)]
        if gold.stances is not None:
            held = metrics.holder_stances(result)
            metrics.add(c, "stance_triples", metrics.stance_matches(held, gold.stances), len(held), len(gold.stances), weight)
        if gold.check_worthy is not None:
            metrics.add(c, "check_worthy", *metrics.check_worthy_counts(result, gold.check_worthy), weight)
            scored.classifier_scores += metrics.classifier_scores(case.text, gold.check_worthy)
    if speaker_f1s:
        scored.speaker_f1 = sum(speaker_f1s) / len(speaker_f1s)
    for name in COUNTED:
        if scored.counts.get(name + ".pred") or scored.counts.get(name + ".gold"):
            tp, npred, ngold = (scored.counts.get(f"{name}.{k}") for k in ("tp", "pred", "gold"))
            scored.detail[name] = {"f1": metrics.f1(tp, npred, ngold), "tp": tp, "pred": npred, "gold": ngold}
    return scored


def summarize(scores: Iterable[CaseScore]) -> dict:
    scores = list(scores)
    total = Counts()
    pairs, target_pairs = [], []
    for s in scores:
        total.merge(s.counts)
        pairs += s.stance_pairs
        target_pairs += s.target_pairs
    out: dict = {}
    for name in COUNTED:
        if any(f"{name}.{k}" in s.counts.values for s in scores for k in ("pred", "gold")):
            out[name] = prf(total, name)
    if "relation" in out:
        found = total.get("found")
        out["right_source_on_found"] = total.get("right_source") / found if found else 0.0
    f1s = [s.speaker_f1 for s in scores if s.speaker_f1 is not None]
    if f1s:
        out["speakers"]["mean_document_f1"] = sum(f1s) / len(f1s)
    if pairs:
        out["article_stance"] = metrics.stance_scores(pairs)
    if target_pairs:
        out["target_polarity"] = metrics.target_polarity_scores(target_pairs)
    ranked = [p for s in scores for p in s.classifier_scores]
    if ranked and "check_worthy" in out:
        from extractor.trained.checkworthy import load

        # the shipped classifier on the gold units themselves: how good the judge is, apart
        # from whether extraction found a claim at each unit (which the counts above need)
        out["check_worthy"]["classifier_on_units"] = metrics.ranking_scores(ranked, load().threshold)
    return out


def _empty(case: Case) -> ExtractionResult:
    from extractor.schema import Document, RunInfo

    return ExtractionResult(document=Document.from_text(case.text), run=RunInfo(model="none", prompt_version="-"))


def _examples(text: str, predicted, gold) -> dict:
    """Gold contents nobody found and predicted contents no gold has, for reading the errors."""
    pairs = match_spans([p.content for p in predicted], [g.content for g in gold])
    found_p, found_g = {i for i, _ in pairs}, {j for _, j in pairs}
    return {
        "missed": [_quote(text, g.content) for j, g in enumerate(gold) if j not in found_g][:EXAMPLES],
        "spurious": [_quote(text, p.content) for i, p in enumerate(predicted) if i not in found_p][:EXAMPLES],
    }


def _quote(text: str, fragments) -> str:
    joined = " … ".join(text[s:e] for s, e in fragments).replace("\n", " ")
    return joined if len(joined) <= 100 else joined[:97] + "..."
