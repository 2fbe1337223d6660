"""The eval report as text: the metrics table, then the documents that scored worst."""

from __future__ import annotations

WORST = 10
LABELS = {
    "content_overlap": "content overlap",
    "content_exact": "content exact",
    "source_overlap": "source overlap",
    "source_exact": "source exact",
    "cue_overlap": "cue overlap",
    "cue_exact": "cue exact",
    "relation": "content+source",
    "speakers": "speaker names",
    "stance_triples": "holder stances",
    "check_worthy": "check-worthy",
}
# per-document columns, in the order the worst-first sort uses them
COLUMNS = {
    "content_overlap": "content",
    "relation": "content+source",
    "speakers": "speakers",
    "check_worthy": "check-worthy",
    "stance_triples": "holder stances",
}
WIDTH = 20


def render(report: dict) -> str:
    m = report["metrics"]
    lines = [_headline(report)]
    if report.get("multi_annotator_documents"):
        lines.append(f"{report['multi_annotator_documents']} documents have several annotators: scored against each, counts averaged")
    rows = [k for k in LABELS if k in m]
    if rows:
        lines.append(f"{'':18}{'P':>7}{'R':>7}{'F1':>7}{'pred':>9}{'gold':>9}")
        for key in rows:
            v = m[key]
            lines.append(f"{LABELS[key]:18}{v['precision']:7.3f}{v['recall']:7.3f}{v['f1']:7.3f}{v['pred']:9.0f}{v['gold']:9.0f}")
    if "speakers" in m:
        lines.append(f"speaker-name F1, mean over documents: {m['speakers']['mean_document_f1']:.3f}")
    if "article_stance" in m:
        lines.append(_stance_line(m["article_stance"]))
    if "classifier_on_units" in m.get("check_worthy", {}):
        k = m["check_worthy"]["classifier_on_units"]
        lines.append(
            f"check-worthiness classifier on every gold unit's own text (no extraction): average precision {k['average_precision']:.3f},"
            f" at threshold {k['threshold']:.3f} P {k['precision']:.3f} R {k['recall']:.3f} F1 {k['f1']:.3f}"
            f" ({k['positives']} check-worthy of {k['units']})"
        )
    if "target_polarity" in m:
        lines.extend(_target_lines(m["target_polarity"]))
    docs = report["documents_detail"]
    columns = [c for c in COLUMNS if any(c in d for d in docs)]
    stance_key = "target_polarity" if any("target_polarity" in d for d in docs) else "article_stance"
    stance = any(stance_key in d for d in docs)
    if docs and (columns or stance):
        lines.append("")
        lines.append(f"documents, worst first ({min(WORST, len(docs))} of {len(docs)}; all with --json); F1 (tp/pred/gold):")
        lines.append(f"{'document':44}" + "".join(f"{COLUMNS[c]:>{WIDTH}}" for c in columns) + ("  stance gold -> predicted" if stance else ""))
        for d in sorted(docs, key=lambda d: _badness(d, columns))[:WORST]:
            cells = "".join(_cell(d.get(c)) for c in columns)
            tail = ""
            if stance:
                tail = "  " + "; ".join(f"{s['gold']} -> {s['predicted'] or 'none'}" for s in d.get(stance_key, []))
            lines.append(f"{_short(d['name'], 44)}{cells}{tail}" + ("  FAILED" if d.get("failed") else ""))
    return "\n".join(lines)


def _headline(r: dict) -> str:
    sampled = r["limit"] is not None and r["limit"] < r["available"]
    chosen = f"a sample of {r['limit']} of {r['available']} (seed {r['sample_seed']})" if sampled else f"all {r['available']}"
    if r.get("without_predictions"):
        chosen += f", {r['without_predictions']} left out for want of a stored result"
    split = f" {r['split']}" if r.get("split") else ""
    run = r["run"]
    how = f"predictions from {r['predictions']}" if r.get("predictions") else f"model {r['model']}"
    failed = f"; {run['failed']} failed" if run["failed"] else ""
    reused = f" ({run['reused']} results reused, made with {run['reused_requests']})" if run["reused"] else ""
    return (
        f"{r['dataset']}{split}: {r['documents']} documents scored, {chosen}; {how}; "
        f"{run['requests']} model requests{reused}; {r['seconds']:.1f} s{failed}"
    )


def _stance_line(s: dict) -> str:
    line = f"article stance: accuracy {s['accuracy']:.3f}, macro-F1 {s['macro_f1']:.3f} over {s['n']:.0f}"
    if "fnc1" in s:
        line += f"; FNC-1 score {s['fnc1']['score']:.2f} of {s['fnc1']['max']:.2f} ({s['fnc1']['relative']:.3f})"
    if s["missing"]:
        line += f"; {s['missing']:.0f} without a verdict"
    base = s["majority_baseline"]
    return line + f"; always '{base['label']}' would score accuracy {base['accuracy']:.3f}"


def _target_lines(s: dict) -> list[str]:
    """NewsMTSC-style polarity toward mentioned targets: the summary, per-class scores, and
    the confusion matrix (rows gold, columns predicted)."""
    if s["polar_precision"] is None:
        polar = "no favor/against call"
    else:
        polar = f"favor/against precision {s['polar_precision']:.3f} on {s['polar_calls']:.0f} calls (coverage {s['polar_coverage']:.3f})"
    lines = [
        f"target polarity: macro-F1 {s['macro_f1']:.3f}, accuracy {s['accuracy']:.3f} over {s['n']:.0f} (sentence, target) pairs;"
        f" {polar}; {s['missing']:.0f} without a verdict",
        f"{'':18}{'P':>7}{'R':>7}{'F1':>7}{'pred':>9}{'gold':>9}",
    ]
    for label, v in s["per_label"].items():
        lines.append(f"{label:18}{v['precision']:7.3f}{v['recall']:7.3f}{v['f1']:7.3f}{v['pred']:9.0f}{v['gold']:9.0f}")
    columns = [*s["per_label"], *(["missing"] if s["missing"] else [])]
    lines.append(f"{'gold / predicted':18}" + "".join(f"{c:>9}" for c in columns))
    for gold in s["per_label"]:
        row = s["confusion"].get(gold, {})
        lines.append(f"{gold:18}" + "".join(f"{row.get(c, 0):9.0f}" for c in columns))
    return lines


def _badness(doc: dict, columns) -> tuple:
    wrong = sum(1 for s in doc.get("article_stance", doc.get("target_polarity", [])) if s["gold"] != s["predicted"])
    return (-wrong, *[doc[c]["f1"] if c in doc else 2.0 for c in columns], doc["name"])


def _cell(v: dict | None) -> str:
    if v is None:
        return "-".rjust(WIDTH)
    return f"{v['f1']:.2f} ({v['tp']:.0f}/{v['pred']:.0f}/{v['gold']:.0f})".rjust(WIDTH)


def _short(text: str, width: int) -> str:
    return (text if len(text) < width else text[: width - 2] + "…").ljust(width)
