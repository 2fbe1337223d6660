"""The real-page set: web pages (menus, bylines, captions, fact boxes...) with gold by name.

A page's gold says who said what without character offsets, because the text the tool reads
is whatever ingest extracts from the HTML, and that changes as ingest gets better:

    {"page.html": {"speakers": {"Helen Marsh": "person", ...},
                   "claims": [{"speaker": "Helen Marsh" | [names...] | null,
                               "content": "a substring of what was said", "optional": false}],
                   "furniture": ["Author: Julia Hitz", "Factbox", ...],
                   "outside_body": ["a quoted headline", ...]}}  (optional)

Scored per page (all counts summed over the pages):
- claims: the result's attributed claims (not the outlet's own voice). A claim is right when a
  gold content substring lies at least half inside its evidence; precision = right / claims.
- recall: required gold claims found by some claim (optional ones only count for precision).
- speakers of found claims: right (the same person by evaluate.names, or null when the gold
  allows no one), wrong (another name), unresolved (null where the gold names someone).
- furniture: claims or speakers whose text contains a furniture string of the page.
- speakers: the result's speakers that are no gold speaker (junk), and kinds of the others.
- quote coverage (issue 13's measure): of the direct quotations of at least four words in the
  extracted text (the outermost marks of the page's language; none holding a furniture string,
  which is scored above, nor an `outside_body` string: a quoted headline), the share that a claim's evidence covers at least half of. A body
  paragraph that ingest loses shows as its gold claims 'not in the extracted text'.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from extractor.errors import InputError
from extractor.evaluate.names import same_person
from extractor.finder.local.lexicon import languages, load
from extractor.finder.local.text import quoted_spans
from extractor.schema import ExtractionResult


@dataclass(frozen=True)
class GoldClaim:
    speakers: tuple[str | None, ...]
    content: str
    optional: bool = False


@dataclass(frozen=True)
class Page:
    name: str
    path: Path
    speakers: dict[str, str]  # name -> kind
    claims: tuple[GoldClaim, ...]
    furniture: tuple[str, ...]
    outside_body: tuple[str, ...] = ()  # quotations of the page not in its article body


def load_pages(folder: str | Path) -> list[Page]:
    """The pages of `folder` listed in its gold.json, in file order."""
    folder = Path(folder)
    gold_path = folder / "gold.json"
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(f"{gold_path}: cannot read the page gold ({e})", "pass the folder holding gold.json") from e
    pages = []
    for name, entry in gold.items():
        if name.startswith("_"):
            continue
        claims = []
        for c in entry["claims"]:
            who = c["speaker"]
            claims.append(GoldClaim(tuple(who) if isinstance(who, list) else (who,), c["content"], bool(c.get("optional"))))
        pages.append(Page(name, folder / name, dict(entry["speakers"]), tuple(claims), tuple(entry.get("furniture", ())), tuple(entry.get("outside_body", ()))))
    return pages


@dataclass
class PageScore:
    name: str
    claims: int = 0
    right: int = 0
    required: int = 0
    recalled: int = 0
    right_speaker: int = 0
    unresolved: int = 0
    furniture: list[str] = field(default_factory=list)
    speakers: int = 0
    junk_speakers: list[str] = field(default_factory=list)
    kinds_right: int = 0
    kinds_scored: int = 0
    quotes: int = 0  # direct quotations of at least QUOTE_WORDS words
    quotes_covered: int = 0
    errors: list[str] = field(default_factory=list)  # one line per wrong, missed or spurious thing


def _speaker_right(name: str | None, allowed: tuple[str | None, ...]) -> bool:
    if name is None:
        return None in allowed
    return any(a is not None and same_person(name, a) for a in allowed)


def score_page(page: Page, result: ExtractionResult) -> PageScore:
    text = result.document.text
    names = {s.id: s.name for s in result.speakers}
    score = PageScore(page.name)
    located: list[tuple[GoldClaim, int, int]] = []
    for g in page.claims:
        at = text.find(g.content)
        if at < 0:
            score.errors.append(f"not in the extracted text: {g.content!r}")
        elif text.find(g.content, at + 1) >= 0:
            raise InputError(f"{page.name}: gold content {g.content!r} occurs twice", "give a longer substring")
        located.append((g, at, at + len(g.content)) if at >= 0 else (g, -1, -1))
        score.required += not g.optional
    found: set[int] = set()
    for claim in result.claims:
        if claim.attribution == "author" or claim.evidence is None:
            continue
        score.claims += 1
        ev = claim.evidence
        best, best_shared = None, 0
        for i, (g, s, e) in enumerate(located):
            shared = min(e, ev.end) - max(s, ev.start)
            if s >= 0 and shared * 2 >= e - s and shared > best_shared:
                best, best_shared = i, shared
        who = names.get(claim.speaker_id) if claim.speaker_id else None
        if best is None:
            score.errors.append(f"spurious claim ({who}): {_short(ev.text)}")
            continue
        score.right += 1
        found.add(best)
        gold = located[best][0]
        if _speaker_right(who, gold.speakers):
            score.right_speaker += 1
        elif who is None:
            score.unresolved += 1
            mention = claim.speaker_mention.text if claim.speaker_mention else None
            score.errors.append(f"unresolved ({mention!r}, gold {gold.speakers[0]}): {_short(ev.text)}")
        else:
            score.errors.append(f"wrong speaker {who!r} (gold {gold.speakers[0]}): {_short(ev.text)}")
    for i, (g, _, _) in enumerate(located):
        if not g.optional:
            score.recalled += i in found
            if i not in found:
                score.errors.append(f"missed ({g.speakers[0]}): {g.content!r}")
    _cover_quotes(page, result, score)
    score.furniture = _furniture(page, result)
    score.errors += [f"furniture: {f}" for f in score.furniture]
    known = list(page.speakers) + [n for g in page.claims for n in g.speakers if n]
    score.speakers = len(result.speakers)
    for sp in result.speakers:
        match = next((n for n in known if same_person(sp.name, n)), None)
        if match is None:
            score.junk_speakers.append(sp.name)
            score.errors.append(f"junk speaker: {sp.name!r} ({sp.kind}, role {sp.role!r})")
        elif match in page.speakers:
            score.kinds_scored += 1
            if sp.kind == page.speakers[match]:
                score.kinds_right += 1
            else:
                score.errors.append(f"kind of {sp.name!r}: {sp.kind}, gold {page.speakers[match]}")
    return score


QUOTE_WORDS = 4
_ENGLISH_MARKS = (("“", "”"), ('"', '"'))  # single quotes stay out: apostrophes


def _cover_quotes(page: Page, result: ExtractionResult, score: PageScore) -> None:
    text = result.document.text
    language = result.document.language
    pairs = load(language).quotes if language in languages() else _ENGLISH_MARKS
    evidence = [(c.evidence.start, c.evidence.end) for c in result.claims if c.attribution != "author" and c.evidence]
    for s, e in quoted_spans(text, pairs):
        quote = text[s:e]
        if len(quote[1:-1].split()) < QUOTE_WORDS or any(f.casefold() in quote.casefold() for f in page.furniture + page.outside_body):
            continue
        score.quotes += 1
        if any((min(e, b) - max(s, a)) * 2 >= e - s for a, b in evidence):
            score.quotes_covered += 1
        else:
            score.errors.append(f"quote not covered: {_short(quote)}")


def _furniture(page: Page, result: ExtractionResult) -> list[str]:
    """The furniture strings some claim or speaker contains."""
    texts = [c.evidence.text for c in result.claims if c.evidence is not None]
    for sp in result.speakers:
        texts += [sp.name, sp.role or "", sp.affiliation or ""]
    folded = [t.casefold() for t in texts]
    return [f for f in page.furniture if any(f.casefold() in t for t in folded)]


def summarize(scores: list[PageScore]) -> dict:
    def total(attr: str) -> int:
        return sum(getattr(s, attr) for s in scores)

    claims, right, required, recalled = total("claims"), total("right"), total("required"), total("recalled")
    speakers, junk = total("speakers"), sum(len(s.junk_speakers) for s in scores)
    return {
        "pages": len(scores),
        "claims": claims,
        "claim_precision": right / claims if claims else 0.0,
        "claim_recall": recalled / required if required else 0.0,
        "right_speaker_on_found": total("right_speaker") / right if right else 0.0,
        "wrong_speaker": right - total("right_speaker") - total("unresolved"),
        "unresolved_speaker": total("unresolved"),
        "furniture_reported": sum(len(s.furniture) for s in scores),
        "speakers": speakers,
        "junk_speakers": junk,
        "speaker_precision": (speakers - junk) / speakers if speakers else 0.0,
        "kinds_right": total("kinds_right") / total("kinds_scored") if total("kinds_scored") else 0.0,
        "quotes": total("quotes"),
        "quote_coverage": total("quotes_covered") / total("quotes") if total("quotes") else 0.0,
    }


def _short(s: str) -> str:
    s = s.replace("\n", " ")
    return s if len(s) <= 90 else s[:87] + "..."
