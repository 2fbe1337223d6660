"""HTML review pages: one per article (quotes highlighted in their speaker's colour, a
speaker panel that filters them, a stance map), and for a batch an index of documents and a
per-target view across the corpus.

Pages are built from result dicts (the JSON contract), so they render the same from an
`extract` output file or from a batch database. Article text is untrusted: Jinja's
autoescaping is on for every page, and data for the page's script goes through `tojson`,
which escapes `<`, `>` and `&`, so a `<script>` in an article is shown, never run.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from extractor.topics import topic_key

PALETTE = [
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4",
    "#f032e6", "#9a6324", "#469990", "#808000", "#000075", "#a9a9a9",
]
TEMPLATES = Path(__file__).resolve().parent / "report_templates"


def _env():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass
class Segment:
    text: str
    claims: list[str] = field(default_factory=list)
    cue: bool = False
    mention: str | None = None  # speaker id


def segments(result: dict) -> list[Segment]:
    """The article cut at every span boundary; each piece knows which spans cover it."""
    text = result["document"]["text"]
    marks: list[tuple[int, int, str, str]] = []
    for claim in result["claims"]:
        if claim.get("evidence"):
            marks.append((claim["evidence"]["start"], claim["evidence"]["end"], "claim", claim["id"]))
        if claim.get("cue"):
            marks.append((claim["cue"]["start"], claim["cue"]["end"], "cue", claim["id"]))
    for speaker in result["speakers"]:
        for m in speaker["mentions"]:
            marks.append((m["start"], m["end"], "mention", speaker["id"]))
    cuts = sorted({0, len(text), *(s for s, _, _, _ in marks), *(e for _, e, _, _ in marks)})
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        seg = Segment(text[a:b])
        for s, e, kind, ident in marks:
            if s <= a and b <= e:
                if kind == "claim":
                    seg.claims.append(ident)
                elif kind == "cue":
                    seg.cue = True
                else:
                    seg.mention = ident
        pieces.append(seg)
    return pieces


def colours(result: dict) -> dict[str, str]:
    return {s["id"]: PALETTE[i % len(PALETTE)] for i, s in enumerate(result["speakers"])}


def _speaker_shown(claim: dict, speakers: dict[str, dict]) -> str:
    """The claim's speaker as the review page says it: a name, the outlet's own voice, or
    unresolved with the reason (a result stored before `speaker_status` existed reads as the
    outlet's when it has no speaker and its attribution is 'author', else as unresolved)."""
    if claim.get("speaker_id"):
        return speakers.get(claim["speaker_id"], {}).get("name", claim["speaker_id"])
    if _status(claim) == "author":
        return "the outlet"
    why = (claim.get("unresolved") or {}).get("note")
    return f"unresolved: {why}" if why else "unresolved"


def _status(claim: dict) -> str:
    if claim.get("speaker_status"):
        return claim["speaker_status"]
    if claim.get("speaker_id"):
        return "resolved"
    return "author" if claim.get("attribution") == "author" else "unresolved"


def render_article(result: dict, back_link: str | None = None) -> str:
    speakers = {s["id"]: s for s in result["speakers"]}
    claims = {c["id"]: c for c in result["claims"]}
    counts: dict[str, int] = defaultdict(int)
    for c in result["claims"]:
        if c.get("speaker_id"):
            counts[c["speaker_id"]] += 1
    stances_by_claim: dict[str, list[dict]] = defaultdict(list)
    for st in result["stances"]:
        for cid in st["claim_ids"]:
            stances_by_claim[cid].append(st)
    details = {
        cid: {
            "speaker": _speaker_shown(c, speakers),
            "text": c["text"],
            "type": c.get("type"),  # null: not judged (shown so, never as a default)
            "check_worthy": c.get("check_worthy"),
            "check_worthiness": c.get("check_worthiness"),
            "attribution": c["attribution"],
            "cue": c["cue"]["text"] if c.get("cue") else None,
            "stances": [
                f'{s["polarity"]} {s["target"]}' + (f' ({s["confidence"]:.2f})' if s.get("confidence") is not None else "")
                for s in stances_by_claim.get(cid, [])
            ],
        }
        for cid, c in claims.items()
    }
    targets = sorted({s["target"] for s in result["stances"]}, key=str.casefold)
    grid = {(s["holder_id"], s["target"]): s["polarity"] for s in result["stances"]}
    who = {cid: c.get("speaker_id") or ("outlet" if _status(c) == "author" else "unresolved") for cid, c in claims.items()}
    return _env().get_template("article.html.j2").render(
        result=result,
        who=who,
        unresolved=sum(1 for w in who.values() if w == "unresolved"),
        segments=segments(result),
        claims=claims,
        speakers=result["speakers"],
        counts=counts,
        colours=colours(result),
        details=details,
        targets=targets,
        holders=[s for s in result["speakers"] if any(h == s["id"] for h, _ in grid)],
        grid=grid,
        unaligned=[c for c in result["claims"] if not c.get("evidence")],
        back_link=back_link,
    )


def page_name(result: dict) -> str:
    return "doc-" + hashlib.sha256(result["document"]["id"].encode()).hexdigest()[:16] + ".html"


def render_batch(results: list[dict], failures: list[dict], out_dir: Path) -> list[Path]:
    """index.html, targets.html and one page per document, written into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    env = _env()
    written = []
    rows = []
    by_target: dict[str, dict[tuple[str, str], dict]] = defaultdict(dict)
    names: dict[str, Counter] = defaultdict(Counter)  # topic key -> the names it was given
    for result in results:
        name = page_name(result)
        path = out_dir / name
        path.write_text(render_article(result, back_link="index.html"), encoding="utf-8")
        written.append(path)
        rows.append({"page": name, "result": result})
        speakers = {s["id"]: s["name"] for s in result["speakers"]}
        for st in result["stances"]:
            # one row per topic across articles: 'NATO expansion' and "NATO's expansion" add up
            topic = topic_key(st["target"]) or st["target"].casefold()
            names[topic][st["target"]] += 1
            key = (speakers.get(st["holder_id"], st["holder_id"]), st["polarity"])
            entry = by_target[topic].setdefault(key, {"articles": [], "holder": key[0], "polarity": key[1]})
            entry["articles"].append({"page": name, "title": result["document"].get("title") or result["document"]["source"]})
    index = env.get_template("index.html.j2").render(rows=rows, failures=failures)
    (out_dir / "index.html").write_text(index, encoding="utf-8")
    target_view = {
        names[t].most_common(1)[0][0]: sorted(v.values(), key=lambda e: (-len(e["articles"]), e["holder"]))
        for t, v in by_target.items()
    }
    order = sorted(target_view, key=lambda t: (-sum(len(e["articles"]) for e in target_view[t]), t.casefold()))
    page = env.get_template("targets.html.j2").render(targets=order, view=target_view)
    (out_dir / "targets.html").write_text(page, encoding="utf-8")
    return [out_dir / "index.html", out_dir / "targets.html", *written]
