"""`extractor export`: stored results as JSONL (per document, exactly the object that
`extract --format json` prints) or CSV (one row per claim, stance or document)."""

from __future__ import annotations

import csv
import json
import os
import sys
from contextlib import ExitStack

from extractor.console import EXIT_OK, boundary, open_output

CLAIM_COLUMNS = [
    "document_id", "source", "url", "title", "model", "prompt_version", "claim_id", "speaker", "role",
    "affiliation", "attribution", "type", "check_worthy", "origin", "claim", "evidence", "evidence_start",
    "evidence_end", "alignment", "cue", "stances",
]
STANCE_COLUMNS = ["document_id", "source", "url", "title", "model", "prompt_version", "holder", "target", "polarity", "claim_ids"]
DOCUMENT_COLUMNS = [
    "document_id", "source", "external_id", "url", "title", "published", "chars", "model", "prompt_version",
    "strategy", "speakers", "claims", "stances", "dropped_unaligned", "attempts", "requests", "prompt_tokens",
    "completion_tokens", "retries", "seconds", "cost_usd",
]


def run_export(db, fmt, output, model, every, table, debug) -> int:
    return boundary(lambda: _export(db, fmt, output, model, every, table), debug)


def _export(db, fmt, output, model, every, table) -> int:
    from extractor.store import Store, storage_errors

    try:
        with Store.open(db, write=False) as store, storage_errors(db), ExitStack() as stack:
            out = stack.enter_context(open_output(output, newline="")) if output else sys.stdout
            rows = store.results(model=model, every=every)
            if fmt == "jsonl":
                for row in rows:
                    out.write(row["result_json"] + "\n")
            else:
                write_csv(rows, table, out)
    except BrokenPipeError:  # `export ... | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush is quiet
    return EXIT_OK


def write_csv(rows, table: str, out) -> None:
    columns = {"claims": CLAIM_COLUMNS, "stances": STANCE_COLUMNS, "documents": DOCUMENT_COLUMNS}[table]
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        result = json.loads(row["result_json"])
        common = {
            "document_id": row["document_id"], "source": row["source"], "url": row["url"], "title": row["title"],
            "model": row["model"], "prompt_version": row["prompt_version"],
        }
        speakers = {s["id"]: s for s in result["speakers"]}
        if table == "documents":
            writer.writerow({
                **common, **{k: row[k] for k in DOCUMENT_COLUMNS if k in row.keys() and k not in common},
                "document_id": row["document_id"], "chars": len(result["document"]["text"]),
                "speakers": len(result["speakers"]), "claims": len(result["claims"]), "stances": len(result["stances"]),
            })
        elif table == "stances":
            for st in result["stances"]:
                holder = speakers.get(st["holder_id"], {}).get("name", st["holder_id"])
                writer.writerow({**common, "holder": holder, "target": st["target"], "polarity": st["polarity"],
                                 "claim_ids": " ".join(st["claim_ids"])})
        else:
            for c in result["claims"]:
                who = speakers.get(c["speaker_id"] or "", {})
                evidence = c.get("evidence") or {}
                held = [f"{s['target']}: {s['polarity']}" for s in result["stances"] if c["id"] in s["claim_ids"]]
                writer.writerow({
                    **common, "claim_id": c["id"], "speaker": who.get("name"), "role": who.get("role"),
                    "affiliation": who.get("affiliation"), "attribution": c["attribution"], "type": c["type"],
                    "check_worthy": c["check_worthy"], "origin": c["origin"], "claim": c["text"],
                    "evidence": evidence.get("text"), "evidence_start": evidence.get("start"),
                    "evidence_end": evidence.get("end"), "alignment": evidence.get("alignment"),
                    "cue": (c.get("cue") or {}).get("text"), "stances": "; ".join(held),
                })
