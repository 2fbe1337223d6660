"""PolNeAR loader and span metrics for attribution finding.

PolNeAR (Newell, Margolin & Ruths, LREC 2018) annotates attributions in news articles as brat
standoff: `<split>/text/<name>.txt` holds an article and `<split>/attributions/<name>_<annotator>.ann`
one annotator's Source / Cue / Content spans, linked by `E` lines. The data is not part of this
repository; callers pass its path. This module is pure stdlib plus `extractor.errors` (no model
code) so that benchmarks and the `eval` command can import it cheaply; `extractor.evaluate` uses
these metrics for every dataset with spans, not only PolNeAR.

Spans are tuples of (start, end) fragments (half-open, code points). A prediction matches a gold
span when their overlap covers at least half of the shorter of the two, lengths being the union of
fragments; matching is one-to-one and greedy, best overlap first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extractor.errors import InputError

Fragments = tuple[tuple[int, int], ...]


class AnnFormatError(InputError, ValueError):
    """A line of a .ann file that is not valid brat standoff (the message names file and line).
    Also a ValueError, which it was before the tool had its own error tree."""


class MissingSplit(InputError, FileNotFoundError):
    """No `<split>/text` and `<split>/attributions` under the path given."""


@dataclass(frozen=True)
class SpanAttribution:
    """One attribution as spans: gold from PolNeAR or a prediction converted by the caller."""

    content: Fragments
    source: Fragments = ()  # empty: no explicit source
    cue: Fragments = ()
    id: str = ""


@dataclass(frozen=True)
class PolnearDocument:
    name: str
    text: str
    annotations: dict[str, tuple[SpanAttribution, ...]]  # annotator id -> that annotator's attributions


# An annotation line starts with its id: T1, E1, A1, R1, M1, N1, #1.
_ID_LINE = re.compile(r"^([TEARMN#])(\d+)\t")
_T_LINE = re.compile(r"^T(\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t?(.*)$")
_ANN_NAME = re.compile(r"^(?P<doc>.+)_(?P<annotator>[0-9a-f]{4})\.ann$")


def _fragments(spec: str) -> Fragments:
    frags = []
    for piece in spec.split(";"):
        start, end = (int(x) for x in piece.split())
        frags.append((start, end))
    return tuple(frags)


def _expected_len(frags: Fragments) -> int:
    # brat writes the fragments' texts joined by one space; that text may itself hold newlines.
    return sum(e - s for s, e in frags) + len(frags) - 1


def parse_ann(content: str, path: str | Path = "<ann>") -> tuple[SpanAttribution, ...]:
    """Parse one brat .ann text into attributions (those without any Content are skipped)."""
    spans: dict[str, tuple[str, Fragments]] = {}
    events: list[tuple[str, list[tuple[str, str]], int]] = []
    pending: tuple[str, int] | None = None  # T id whose text continues on the next line, chars still due
    for lineno, line in enumerate(content.split("\n"), start=1):
        if pending is not None:
            tid, due = pending
            due -= len(line) + 1  # +1: the newline that split the text
            pending = (tid, due) if due > 0 else None
            continue
        if not line.strip():
            continue
        m = _ID_LINE.match(line)
        if m is None:
            raise AnnFormatError(f"{path}:{lineno}: not a brat annotation line: {line[:80]!r}")
        kind = m.group(1)
        if kind == "T":
            t = _T_LINE.match(line)
            if t is None:
                raise AnnFormatError(f"{path}:{lineno}: malformed text-bound annotation: {line[:80]!r}")
            frags = _fragments(t.group(3))
            if any(s > e for s, e in frags):
                raise AnnFormatError(f"{path}:{lineno}: span ends before it starts: {line[:80]!r}")
            spans["T" + t.group(1)] = (t.group(2), frags)
            due = _expected_len(frags) - len(t.group(4))
            pending = ("T" + t.group(1), due) if due > 0 else None
        elif kind == "E":
            fields = line.split("\t")
            if len(fields) < 2 or not fields[1].strip():
                raise AnnFormatError(f"{path}:{lineno}: event line without arguments: {line[:80]!r}")
            args = []
            for arg in fields[1].split():
                role, sep, ref = arg.partition(":")
                if not sep or not ref:
                    raise AnnFormatError(f"{path}:{lineno}: malformed event argument {arg!r}")
                args.append((role, ref))
            events.append((fields[0], args, lineno))
        # A, R, M, N and # (notes) lines carry nothing the metrics use.

    found = []
    for eid, args, lineno in events:
        parts: dict[str, list[tuple[int, int]]] = {"Content": [], "Source": [], "Cue": []}
        for role, ref in args[1:]:  # args[0] is the event type and its trigger
            base = role.rstrip("0123456789")  # Content2 is more content of the same attribution
            if base not in parts:
                continue
            if ref not in spans:
                raise AnnFormatError(f"{path}:{lineno}: {eid} refers to unknown annotation {ref}")
            parts[base].extend(spans[ref][1])
        if not parts["Content"]:
            continue  # a few gold events are only a trigger; nothing to score them by
        found.append(
            SpanAttribution(
                content=_normalize(parts["Content"]),
                source=_normalize(parts["Source"]),
                cue=_normalize(parts["Cue"]),
                id=eid,
            )
        )
    return tuple(found)


def _normalize(frags: Iterable[tuple[int, int]]) -> Fragments:
    """Sorted, merged fragments (so that equal character sets compare equal)."""
    out: list[list[int]] = []
    for s, e in sorted(f for f in frags if f[1] > f[0]):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def load_split(root: str | Path, split: str = "dev", limit: int | None = None) -> list[PolnearDocument]:
    """Load `<root>/data/<split>` (or `<root>/<split>`) into documents with each annotator's attributions."""
    root = Path(root)
    base = root / "data" / split if (root / "data" / split).is_dir() else root / split
    text_dir, ann_dir = base / "text", base / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise MissingSplit(
            f"{root}: no PolNeAR split {split!r} (expected {base}/text and {base}/attributions)",
            "pass the PolNeAR folder that holds data/dev and data/train",
        )
    by_doc: dict[str, dict[str, Path]] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        m = _ANN_NAME.match(ann.name)
        if m is None:
            raise AnnFormatError(f"{ann}: file name does not end in _<annotator>.ann")
        by_doc.setdefault(m.group("doc"), {})[m.group("annotator")] = ann
    docs = []
    for txt in sorted(text_dir.glob("*.txt")):
        if limit is not None and len(docs) >= limit:
            break
        anns = by_doc.get(txt.stem)
        if not anns:
            continue
        text = _read(txt)
        annotations = {a: parse_ann(_read(p), p) for a, p in sorted(anns.items())}
        docs.append(PolnearDocument(name=txt.stem, text=text, annotations=annotations))
    return docs


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise AnnFormatError(f"{path}: not UTF-8 text (byte {e.start})") from e
    except OSError as e:
        raise AnnFormatError(f"{path}: cannot read ({e.strerror})") from e


# ---------------------------------------------------------------- metrics


def span_length(frags: Fragments) -> int:
    return sum(e - s for s, e in frags)


def overlap_length(a: Fragments, b: Fragments) -> int:
    total = 0
    for s1, e1 in a:
        for s2, e2 in b:
            total += max(0, min(e1, e2) - max(s1, s2))
    return total


def spans_match(pred: Fragments, gold: Fragments) -> bool:
    """Overlap covering at least half of the shorter span (fragment-union lengths)."""
    shorter = min(span_length(pred), span_length(gold))
    return shorter > 0 and 2 * overlap_length(pred, gold) >= shorter


def match_spans(
    pred: Sequence[Fragments], gold: Sequence[Fragments], exact: bool = False
) -> list[tuple[int, int]]:
    """One-to-one greedy matching, best overlap first; returns (pred index, gold index) pairs."""
    candidates = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if exact:
                if p == g and p:
                    candidates.append((1.0, i, j))
            elif spans_match(p, g):
                ov = overlap_length(p, g)
                candidates.append((ov / max(span_length(p), span_length(g)), i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def source_right(pred: SpanAttribution, gold: SpanAttribution) -> bool:
    """Both without a source, or both with one and the spans match (overlap rule)."""
    if not gold.source or not pred.source:
        return not gold.source and not pred.source
    return spans_match(pred.source, gold.source)


@dataclass
class Counts:
    """Fractional counts: an article with k annotators adds each annotator's counts divided by k."""

    values: dict[str, float] = field(default_factory=dict)

    def add(self, key: str, amount: float) -> None:
        self.values[key] = self.values.get(key, 0.0) + amount

    def get(self, key: str) -> float:
        return self.values.get(key, 0.0)

    def merge(self, other: Counts) -> None:
        for key, amount in other.values.items():
            self.add(key, amount)


METRICS = (
    "content_overlap",
    "content_exact",
    "source_overlap",
    "source_exact",
    "cue_overlap",
    "cue_exact",
    "relation",
)


def _distinct(spans: Iterable[Fragments]) -> list[Fragments]:
    return list(dict.fromkeys(s for s in spans if s))


def count_document(
    pred: Sequence[SpanAttribution], gold: Sequence[SpanAttribution], counts: Counts, weight: float = 1.0
) -> None:
    """Add one (prediction, gold) pair of attribution lists to the counts."""
    pred_c = [p.content for p in pred]
    gold_c = [g.content for g in gold]
    for name, exact in (("content_overlap", False), ("content_exact", True)):
        counts.add(name + ".tp", weight * len(match_spans(pred_c, gold_c, exact)))
        counts.add(name + ".pred", weight * len(pred_c))
        counts.add(name + ".gold", weight * len(gold_c))
    for part in ("source", "cue"):
        # Sources and cues are scored as distinct spans: several attributions may share one.
        ps = _distinct(getattr(p, part) for p in pred)
        gs = _distinct(getattr(g, part) for g in gold)
        for suffix, exact in (("_overlap", False), ("_exact", True)):
            counts.add(part + suffix + ".tp", weight * len(match_spans(ps, gs, exact)))
            counts.add(part + suffix + ".pred", weight * len(ps))
            counts.add(part + suffix + ".gold", weight * len(gs))
    pairs = match_spans(pred_c, gold_c)
    right = sum(1 for i, j in pairs if source_right(pred[i], gold[j]))
    counts.add("relation.tp", weight * right)
    counts.add("relation.pred", weight * len(pred))
    counts.add("relation.gold", weight * len(gold))
    counts.add("found", weight * len(pairs))
    counts.add("right_source", weight * right)


def prf(counts: Counts, name: str) -> dict[str, float]:
    tp, npred, ngold = counts.get(name + ".tp"), counts.get(name + ".pred"), counts.get(name + ".gold")
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "pred": npred, "gold": ngold}


def summarize(counts: Counts) -> dict:
    out = {name: prf(counts, name) for name in METRICS}
    found = counts.get("found")
    out["right_source_on_found"] = counts.get("right_source") / found if found else 0.0
    out["found"] = found
    return out


def score(predictions: dict[str, Sequence[SpanAttribution]], documents: Sequence[PolnearDocument]) -> dict:
    """Score predictions (document name -> attributions) against every annotator, averaged per article."""
    counts = Counts()
    multi = 0
    for doc in documents:
        pred = predictions.get(doc.name, ())
        k = len(doc.annotations)
        multi += k > 1
        for gold in doc.annotations.values():
            count_document(pred, gold, counts, weight=1.0 / k)
    result = summarize(counts)
    result["documents"] = len(documents)
    result["multi_annotator_documents"] = multi
    return result
