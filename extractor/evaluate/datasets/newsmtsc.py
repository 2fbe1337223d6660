"""NewsMTSC (Hamborg & Donnay, EACL 2021) as cases: one per sentence, its target mentions
passed as the targets, each labelled with the sentence's polarity toward that person.

A line is `{"primary_gid", "sentence_normalized", "targets": [{"from", "to", "mention",
"polarity"}, ...]}`; polarity 2.0 is negative (against), 4.0 neutral, 6.0 positive (favor).
PATH is one such .jsonl file (e.g. devtest_mt.jsonl). Every (sentence, target) pair is scored;
a sentence is extracted once, with all its mentions as targets, and each pair takes the
result's article polarity toward its mention ('unrelated' counts as neutral, see
`metrics.target_polarity_scores`). Two targets of a sentence with the same mention text get
one call's answer for both: the API names targets by text.
"""

from __future__ import annotations

import json
from pathlib import Path

from extractor.errors import ConfigError, InputError
from extractor.evaluate.cases import Case, Gold
from extractor.evaluate.textfiles import read_lines

LABELS = {2.0: "against", 4.0: "neutral", 6.0: "favor"}


def load(path: Path, split: str | None) -> list[Case]:
    if split is not None:
        raise ConfigError("--split does not apply to newsmtsc", "pass the split's .jsonl file itself, e.g. devtest_mt.jsonl")
    lines = read_lines(path, "pass a NewsMTSC .jsonl file, e.g. devtest_mt.jsonl")
    cases, seen = [], set()
    for lineno, raw in enumerate(lines, 1):
        if raw.strip():
            case = case_from_line(raw, f"{path}:{lineno}")
            if case.name in seen:
                raise InputError(f"{path}:{lineno}: primary_gid {case.name!r} is used by an earlier line")
            seen.add(case.name)
            cases.append(case)
    if not cases:
        raise InputError(f"{path}: no sentences in it")
    return cases


def case_from_line(raw: str, where: str) -> Case:
    try:
        line = json.loads(raw)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: not valid JSON ({e.msg} at column {e.colno})") from e
    if not isinstance(line, dict):
        raise InputError(f"{where}: expected a JSON object")
    name, text, targets = line.get("primary_gid"), line.get("sentence_normalized"), line.get("targets")
    if not isinstance(name, str) or not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: needs a string primary_gid and a non-empty sentence_normalized")
    if not isinstance(targets, list) or not targets:
        raise InputError(f"{where}: targets must be a non-empty list")
    pairs = []
    for n, t in enumerate(targets):
        here = f"{where}: targets[{n}]"
        if not isinstance(t, dict) or not isinstance(t.get("mention"), str) or not t["mention"].strip():
            raise InputError(f"{here}: needs a non-empty mention")
        label = LABELS.get(t.get("polarity"))
        if label is None:
            raise InputError(f"{here}: polarity {t.get('polarity')!r} is not 2.0, 4.0 or 6.0")
        start, end = t.get("from"), t.get("to")
        if isinstance(start, int) and isinstance(end, int) and text[start:end] != t["mention"]:
            raise InputError(f"{here}: the sentence at {start}:{end} is {text[start:end]!r}, not {t['mention']!r}")
        pairs.append((t["mention"].strip(), label))
    first: dict[str, str] = {}
    for mention, _ in pairs:
        first.setdefault(mention.casefold(), mention)
    return Case(name=name, text=text, golds={"newsmtsc": Gold(target_polarity=tuple(pairs))}, targets=tuple(first.values()))
