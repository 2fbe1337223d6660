"""Merge what the finder and the model found, across chunks: pure functions, no model.

- Speakers are one entity per person: matched by normalized full name, or by a surname that
  only one known speaker has. The fullest name wins; mentions are unioned.
- Claims whose evidence overlaps are one claim (chunk overlap finds some twice, and the model
  often re-finds what the finder proposed); the model's reading wins on text and type, the
  finder's spans are kept where the model gave none.
- Stances are one per (holder, topic key): agreeing calls keep the most confident, a holder
  both for and against a topic is neutral, claim ids unioned.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from extractor.schema import Claim, Span, Speaker, Stance
from extractor.topics import topic_key

_TITLES = re.compile(r"^(mr|mrs|ms|dr|prof|sen|rep|gov|president|minister|the)\.?\s+", re.I)


@functools.lru_cache(maxsize=8192)  # pure, and asked for the same names again and again
def name_key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"[’'`]s\b", "", folded)
    folded = re.sub(r"[^\w\s]", " ", folded)
    while True:
        stripped = _TITLES.sub("", folded.strip())
        if stripped == folded.strip():
            return " ".join(stripped.split())
        folded = stripped


def find_speaker(name: str, speakers: list[Speaker]) -> Speaker | None:
    """The known speaker this name refers to, if exactly one fits."""
    key = name_key(name)
    if not key:
        return None
    for s in speakers:
        if name_key(s.name) == key:
            return s
    for s in speakers:
        if any(name_key(m.text) == key for m in s.mentions):
            return s
    last = key.split()[-1]
    fits = [s for s in speakers if name_key(s.name).split()[-1:] == [last]]
    return fits[0] if len(fits) == 1 else None


def merge_speaker(old: Speaker, name: str, role, affiliation, mentions: list[Span]) -> Speaker:
    fuller = name if len(name_key(name)) > len(name_key(old.name)) else old.name
    return old.model_copy(
        update={
            "name": fuller,
            "role": old.role or role,
            "affiliation": old.affiliation or affiliation,
            "mentions": union_spans(old.mentions, mentions),
        }
    )


def union_spans(*groups: list[Span]) -> list[Span]:
    seen: dict[tuple[int, int], Span] = {}
    for group in groups:
        for span in group:
            seen.setdefault((span.start, span.end), span)
    return sorted(seen.values(), key=lambda s: (s.start, s.end))


_PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them", "his", "its", "their"}


def occurrences(text: str, names: list[str]) -> list[Span]:
    """Every whole-word occurrence of each name or description in the text."""
    return [span for spans in occurrences_by_name(text, names).values() for span in spans]


def occurrences_by_name(text: str, names: list[str]) -> dict[str, list[Span]]:
    """Whole-word occurrences of each name, found in one pass over the text (longest name
    first where they nest). Pronouns are left out: only the finder, which knows which ones
    refer to whom, adds those."""
    wanted = sorted(
        {n.strip() for n in names if n and len(n.strip()) >= 2 and n.strip().casefold() not in _PRONOUNS},
        key=len,
        reverse=True,
    )
    found: dict[str, list[Span]] = {name: [] for name in wanted}
    if not wanted:
        return found
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in wanted) + r")(?!\w)")
    for m in pattern.finditer(text):
        found[m.group(0)].append(Span.at(text, m.start(), m.end()))
    return found


def same_evidence(a: Span | None, b: Span | None) -> bool:
    """Overlap covering at least half of the shorter span."""
    if a is None or b is None:
        return False
    overlap = min(a.end, b.end) - max(a.start, b.start)
    return overlap > 0 and overlap * 2 >= min(a.end - a.start, b.end - b.start)


def merge_claims(
    finder_claims: list[Claim], model_claims: list[Claim]
) -> tuple[list[Claim], dict[str, str]]:
    """The merged claims, and which claim id each absorbed model claim now lives under."""
    merged = list(finder_claims)
    absorbed: dict[str, str] = {}
    for claim in model_claims:
        twin = next((i for i, c in enumerate(merged) if same_evidence(c.evidence, claim.evidence)), None)
        if twin is None:
            merged.append(claim)
            continue
        old = merged[twin]
        absorbed[claim.id] = old.id
        merged[twin] = old.model_copy(
            update={
                "text": claim.text or old.text,
                "type": claim.type,
                "check_worthy": claim.check_worthy,
                "speaker_id": old.speaker_id or claim.speaker_id,
                "cue": old.cue or claim.cue,
                "speaker_mention": old.speaker_mention or claim.speaker_mention,
                "origin": "finder+model" if old.origin != "model" else "model",
            }
        )
    ordered = sorted(merged, key=lambda c: (c.evidence.start if c.evidence else 1 << 60, c.id))
    return ordered, absorbed


def merge_stances(stances: list[Stance]) -> list[Stance]:
    """One stance per holder and topic. Agreeing calls keep the most confident; a holder
    found both for and against the same topic in one article is reported as neutral, with
    no confidence: the statements disagree, and picking one would be a guess."""
    groups: dict[tuple[str, str], list[Stance]] = {}
    for stance in stances:
        key = (stance.holder_id, topic_key(stance.target) or stance.target.casefold().strip())
        groups.setdefault(key, []).append(stance)
    merged = []
    for (holder, _), group in groups.items():
        ids = sorted({cid for s in group for cid in s.claim_ids}, key=_id_order)
        polar = {s.polarity for s in group} - {"neutral"}
        if len(polar) > 1:
            polarity, confidence = "neutral", None
        else:
            polarity = polar.pop() if polar else "neutral"
            scored = [s.confidence for s in group if s.polarity == polarity and s.confidence is not None]
            confidence = max(scored) if scored else None
        merged.append(
            Stance(holder_id=holder, target=group[0].target.strip(), polarity=polarity, confidence=confidence, claim_ids=ids)
        )
    return merged


def renumber(claims: list[Claim]) -> tuple[list[Claim], dict[str, str]]:
    """Ids c1, c2, ... in text order, and the mapping from the old ids; each claim validated
    again, so its `speaker_status` follows the speaker it ended with."""
    mapping = {}
    out = []
    for n, claim in enumerate(claims, 1):
        mapping[claim.id] = f"c{n}"
        out.append(claim.model_copy(update={"id": f"c{n}"}).settled())
    return out, mapping


def _id_order(cid: str) -> tuple[int, str]:
    digits = "".join(ch for ch in cid if ch.isdigit())
    return (int(digits) if digits else 0, cid)
