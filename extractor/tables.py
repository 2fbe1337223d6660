"""Stored results as flat rows, one table at a time: what `extractor export` writes as CSV or
Parquet.

    rows(table, stored_row, result) -> iterator of dicts

`stored_row` is a row of `Store.results()` (the extraction with its document's origin) and
`result` its parsed `result_json`. Values keep their types (lists stay lists, a judgement
nobody made stays None); each writer decides how to spell them. Every row carries the
document's id and the result's model and prompt version, so tables from many runs join.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

TABLES = ("documents", "speakers", "claims", "stances")


def rows(table: str, stored: Mapping, result: dict) -> Iterator[dict]:
    return _ROWS[table](_common(stored), stored, result)


def _common(stored: Mapping) -> dict:
    return {
        "document_id": stored["document_id"], "source": stored["source"], "url": stored["url"],
        "title": stored["title"], "model": stored["model"], "prompt_version": stored["prompt_version"],
    }


def _documents(common: dict, stored: Mapping, result: dict) -> Iterator[dict]:
    document = result["document"]
    yield {
        **common, "external_id": stored["external_id"], "published": stored["published"],
        "language": document.get("language"), "chars": len(document["text"]), "strategy": stored["strategy"],
        "speakers": len(result["speakers"]), "claims": len(result["claims"]), "stances": len(result["stances"]),
        **{k: stored[k] for k in ("dropped_unaligned", "attempts", "requests", "prompt_tokens",
                                   "completion_tokens", "retries", "seconds", "cost_usd")},
    }


def _speakers(common: dict, stored: Mapping, result: dict) -> Iterator[dict]:
    for s in result["speakers"]:
        yield {
            **common, "speaker_id": s["id"], "name": s["name"], "role": s.get("role"),
            "affiliation": s.get("affiliation"), "kind": s.get("kind"), "mentions": len(s.get("mentions") or ()),
        }


def _claims(common: dict, stored: Mapping, result: dict) -> Iterator[dict]:
    speakers = {s["id"]: s for s in result["speakers"]}
    for c in result["claims"]:
        who = speakers.get(c["speaker_id"] or "", {})
        evidence = c.get("evidence") or {}
        yield {
            **common, "claim_id": c["id"], "speaker_id": c["speaker_id"], "speaker": who.get("name"),
            "speaker_status": c.get("speaker_status"), "unresolved": (c.get("unresolved") or {}).get("note"),
            "role": who.get("role"), "affiliation": who.get("affiliation"), "attribution": c["attribution"],
            "type": c.get("type"), "check_worthy": c.get("check_worthy"), "check_worthiness": c.get("check_worthiness"),
            "origin": c.get("origin"), "claim": c["text"], "evidence": evidence.get("text"),
            "evidence_start": evidence.get("start"), "evidence_end": evidence.get("end"),
            "alignment": evidence.get("alignment"), "cue": (c.get("cue") or {}).get("text"),
            "stances": [f"{s['target']}: {s['polarity']}" for s in result["stances"] if c["id"] in s["claim_ids"]],
        }


def _stances(common: dict, stored: Mapping, result: dict) -> Iterator[dict]:
    speakers = {s["id"]: s for s in result["speakers"]}
    for st in result["stances"]:
        yield {
            **common, "holder_id": st["holder_id"], "holder": speakers.get(st["holder_id"], {}).get("name", st["holder_id"]),
            "target": st["target"], "polarity": st["polarity"], "confidence": st.get("confidence"),
            "claim_ids": list(st["claim_ids"]),
        }


_ROWS: dict[str, Callable[[dict, Mapping, dict], Iterator[dict]]] = {
    "documents": _documents, "speakers": _speakers, "claims": _claims, "stances": _stances,
}
