"""A result's speakers, claims and stances as rows of their own tables, beside its JSON, so
they can be queried and exported (docs/store.md). Written in the result's transaction."""

from __future__ import annotations

import json
import sqlite3

from extractor.schema import ExtractionResult


def retryable_warnings(result: ExtractionResult) -> int:
    """Warnings a new attempt could clear (a passage the model's answer failed on); those about
    the input itself (a page with next to no text, a language the rules do not cover) would
    come back every time, so they do not make a document 'done with warnings'."""
    inherent = set(result.document.warnings)
    return sum(1 for w in result.run.warnings if w not in inherent)


def insert_rows(db: sqlite3.Connection, extraction_id: int, result: ExtractionResult) -> None:
    db.executemany(
        "INSERT INTO speakers VALUES (?,?,?,?,?,?,?)",
        [(extraction_id, s.id, s.name, s.role, s.affiliation, s.kind, len(s.mentions)) for s in result.speakers],
    )
    db.executemany(
        "INSERT INTO claims (extraction_id, claim_id, speaker_id, text, attribution, type, check_worthy, origin,"
        " evidence, evidence_start, evidence_end, alignment, cue, check_worthiness) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                extraction_id, c.id, c.speaker_id, c.text, c.attribution, c.type,
                None if c.check_worthy is None else int(c.check_worthy), c.origin,
                c.evidence.text if c.evidence else None, c.evidence.start if c.evidence else None,
                c.evidence.end if c.evidence else None, c.evidence.alignment if c.evidence else None,
                c.cue.text if c.cue else None, c.check_worthiness,
            )
            for c in result.claims
        ],
    )
    db.executemany(
        "INSERT INTO stances (extraction_id, position, holder_id, target, polarity, claim_ids, confidence)"
        " VALUES (?,?,?,?,?,?,?)",
        [
            (extraction_id, n, s.holder_id, s.target, s.polarity, json.dumps(s.claim_ids), s.confidence)
            for n, s in enumerate(result.stances)
        ],
    )
