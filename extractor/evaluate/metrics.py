"""The metrics besides spans (those are `extractor.polnear.count_document`); definitions in
docs/metrics.md. Counts go into a `polnear.Counts` under `<metric>.tp/.pred/.gold`, so that every
P/R/F1 is computed the same way (`polnear.prf`) and an annotator's counts can be weighted."""

from __future__ import annotations

from collections.abc import Sequence

from extractor.evaluate.cases import HolderStance, SpeakerName, Unit
from extractor.evaluate.names import match_names, name_strength
from extractor.merge import name_key
from extractor.polnear import Counts, overlap_length, span_length, spans_match
from extractor.schema import ExtractionResult

STANCE_LABELS = ("favor", "against", "neutral", "unrelated")


def add(counts: Counts, metric: str, tp: float, pred: float, gold: float, weight: float) -> None:
    counts.add(metric + ".tp", weight * tp)
    counts.add(metric + ".pred", weight * pred)
    counts.add(metric + ".gold", weight * gold)


def f1(tp: float, pred: float, gold: float) -> float:
    """F1 of one document; 1.0 when there was nothing to find and nothing was found."""
    if pred == 0 and gold == 0:
        return 1.0
    return 2 * tp / (pred + gold)


# ---------------------------------------------------------------- speakers


def speaker_names(result: ExtractionResult) -> list[str]:
    return [s.name for s in result.speakers]


def speaker_match(predicted: Sequence[str], gold: Sequence[SpeakerName]) -> tuple[int, list[str], list[str]]:
    """(matched, gold names missed, predicted names that are no gold speaker)."""
    pairs = match_names(predicted, gold)
    found_p, found_g = {i for i, _ in pairs}, {j for _, j in pairs}
    missed = [g.name for j, g in enumerate(gold) if j not in found_g]
    extra = [p for i, p in enumerate(predicted) if i not in found_p]
    return len(pairs), missed, extra


# ---------------------------------------------------------------- stances


def article_polarities(result: ExtractionResult, targets: Sequence[str]) -> list[str | None]:
    """The result's article polarity toward each target, None where it gave none (rules only)."""
    given = {t.target.casefold().strip(): t.article_polarity for t in result.targets or ()}
    return [given.get(t.casefold().strip()) for t in targets]


def stance_scores(pairs: Sequence[tuple[str, str | None, float]]) -> dict:
    """Accuracy, macro-F1 and the confusion of (gold, predicted or None, weight) labels.

    Macro-F1 averages the F1 of every label that occurs in the gold or the predictions; a
    missing prediction is wrong and counts toward no label's predictions."""
    total = sum(w for _, _, w in pairs)
    right = sum(w for g, p, w in pairs if g == p)
    labels = [lab for lab in STANCE_LABELS if any(lab in (g, p) for g, p, _ in pairs)]
    per_label = {}
    for lab in labels:
        tp = sum(w for g, p, w in pairs if g == lab and p == lab)
        npred = sum(w for _, p, w in pairs if p == lab)
        ngold = sum(w for g, _, w in pairs if g == lab)
        prec = tp / npred if npred else 0.0
        rec = tp / ngold if ngold else 0.0
        per_label[lab] = {"precision": prec, "recall": rec, "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0, "gold": ngold, "pred": npred}
    confusion: dict[str, dict[str, float]] = {}
    for g, p, w in pairs:
        row = confusion.setdefault(g, {})
        row[p or "missing"] = row.get(p or "missing", 0.0) + w
    majority = max(labels, key=lambda lab: per_label[lab]["gold"]) if labels else None
    out = {
        "accuracy": right / total if total else 0.0,
        "macro_f1": sum(v["f1"] for v in per_label.values()) / len(per_label) if per_label else 0.0,
        "n": total,
        "missing": sum(w for _, p, w in pairs if p is None),
        "per_label": per_label,
        "confusion": confusion,
        "majority_baseline": {"label": majority, "accuracy": per_label[majority]["gold"] / total if majority and total else 0.0},
    }
    if any(g == "unrelated" for g, _, _ in pairs):
        out["fnc1"] = fnc1_score(pairs)
    return out


def target_polarity_scores(pairs: Sequence[tuple[str, str | None, float]]) -> dict:
    """`stance_scores` of (gold, predicted, weight) polarities toward a target mentioned in a
    sentence (NewsMTSC), 'unrelated' predictions counted as neutral (the sentence mentions the
    target, so the tool found no stance toward it), and how far a favor/against call can be
    trusted: `polar_precision` is the share of favor/against calls that are right, and
    `polar_coverage` the share of pairs that got one (abstaining raises the first and lowers
    the second)."""
    pairs = [(g, "neutral" if p == "unrelated" else p, w) for g, p, w in pairs]
    out = stance_scores(pairs)
    total = sum(w for _, _, w in pairs)
    calls = sum(w for _, p, w in pairs if p in ("favor", "against"))
    right = sum(w for g, p, w in pairs if p in ("favor", "against") and g == p)
    out["polar_precision"] = right / calls if calls else None
    out["polar_calls"] = calls
    out["polar_coverage"] = calls / total if total else 0.0
    out["answered"] = (total - out["missing"]) / total if total else 0.0
    return out


def fnc1_score(pairs: Sequence[tuple[str, str | None, float]]) -> dict:
    """FNC-1's weighted score: 0.25 for related/unrelated right, 0.75 more for the exact related label."""
    got = best = 0.0
    for g, p, w in pairs:
        best += w * (0.25 if g == "unrelated" else 1.0)
        if p is None:
            continue
        if (g == "unrelated") == (p == "unrelated"):
            got += 0.25 * w
            if g != "unrelated" and g == p:
                got += 0.75 * w
    return {"score": got, "max": best, "relative": got / best if best else 0.0}


def holder_stances(result: ExtractionResult) -> list[tuple[str, str, str]]:
    names = {s.id: s.name for s in result.speakers}
    return [(names.get(s.holder_id, s.holder_id), s.target, s.polarity) for s in result.stances]


def stance_matches(predicted: Sequence[tuple[str, str, str]], gold: Sequence[HolderStance]) -> int:
    """One-to-one matches of (holder, target, polarity): holder by name, target by normalized text."""
    used, matched = set(), 0
    for g in gold:
        targets = {name_key(t) for t in g.targets}
        for i, (holder, target, polarity) in enumerate(predicted):
            if i not in used and polarity == g.polarity and name_key(target) in targets and name_strength(holder, g.holder):
                used.add(i)
                matched += 1
                break
    return matched


# ---------------------------------------------------------------- check-worthiness


def classifier_scores(text: str, units: Sequence[Unit]) -> list[tuple[float, bool]]:
    """(probability, gold label) of the shipped check-worthiness classifier on each unit's own
    text: the classifier measured apart from whether extraction found a claim there."""
    from extractor.trained.checkworthy import load

    classifier = load()
    scored = [(classifier.probability(text[u.start : u.end]), u.positive) for u in units]
    return [(p, y) for p, y in scored if p is not None]


def ranking_scores(scored: Sequence[tuple[float, bool]], threshold: float) -> dict:
    """Average precision of a ranking by probability, and P/R/F1 of the positive class at
    `threshold`."""
    positives = sum(1 for _, y in scored if y)
    hits, total = 0, 0.0
    for rank, (_, y) in enumerate(sorted(scored, key=lambda s: -s[0]), 1):
        if y:
            hits += 1
            total += hits / rank
    tp = sum(1 for p, y in scored if y and p >= threshold)
    npred = sum(1 for p, _ in scored if p >= threshold)
    prec, rec = (tp / npred if npred else 0.0), (tp / positives if positives else 0.0)
    return {
        "units": len(scored),
        "positives": positives,
        "average_precision": total / positives if positives else 0.0,
        "threshold": threshold,
        "precision": prec,
        "recall": rec,
        "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        "pred": npred,
    }


def check_worthy_counts(result: ExtractionResult, units: Sequence[Unit]) -> tuple[int, int, int]:
    """(tp, predicted positive units, gold positive units). A unit takes the check-worthiness of
    the claim that fits it best: among the claims whose evidence overlaps it by the overlap rule,
    the one with the largest overlap relative to the longer of the two. No such claim: negative.
    (Best fit, not any overlap, so that a claim nested in a longer one keeps its own label.)"""
    claims = [((c.evidence.start, c.evidence.end),) for c in result.claims if c.evidence]
    flags = [bool(c.check_worthy) for c in result.claims if c.evidence]  # None (not judged) flags nothing
    predicted = []
    for u in units:
        unit = ((u.start, u.end),)
        fits = [(overlap_length(e, unit) / max(span_length(e), span_length(unit)), i) for i, e in enumerate(claims) if spans_match(e, unit)]
        predicted.append(flags[max(fits, key=lambda f: (f[0], -f[1]))[1]] if fits else False)
    tp = sum(1 for u, p in zip(units, predicted) if u.positive and p)
    return tp, sum(predicted), sum(1 for u in units if u.positive)
