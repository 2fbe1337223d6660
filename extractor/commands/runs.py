"""`extractor runs`: the runs a batch database has seen, with what each did and spent."""

from __future__ import annotations

import json
import sys

from extractor.console import EXIT_OK, boundary


def run_runs(db, as_json, debug) -> int:
    return boundary(lambda: _runs(db, as_json), debug)


def _runs(db, as_json) -> int:
    from extractor.store import Store, storage_errors

    with Store.open(db, write=False) as store, storage_errors(db):
        runs = store.runs()
    if as_json:
        print(json.dumps(runs, indent=2, ensure_ascii=False))
        return EXIT_OK
    print_runs(runs, sys.stdout)
    return EXIT_OK


def print_runs(runs: list[dict], out) -> None:
    from rich.console import Console
    from rich.table import Table

    from extractor.cost import add_costs, dollars

    table = Table(
        "run", "started (UTC)", "status", "mode", "model", "inputs", "done", "failed", "unchanged",
        "requests", "tokens", "retries", "cost", "seconds", title=None if runs else "no runs yet",
    )
    total_cost: float | None = 0.0
    totals = {"done": 0, "failed": 0, "requests": 0, "tokens": 0, "retries": 0}
    for r in runs:
        tokens = r["prompt_tokens"] + r["completion_tokens"]
        cost = None if r["unpriced"] else (r["cost_usd"] or 0.0)
        table.add_row(
            str(r["id"]), (r["started_at"] or "")[:19].replace("T", " "), r["status"], r["mode"], r["model"],
            str(r["inputs"]), str(r["done"]), str(r["failed"]), str(r["unchanged"]), f"{r['requests']:,}",
            f"{tokens:,}", str(r["retries"]), dollars(cost), f"{r['seconds']:.1f}" if r["seconds"] is not None else "",
        )
        total_cost = add_costs(total_cost, cost)
        for name in ("done", "failed", "requests", "retries"):
            totals[name] += r[name]
        totals["tokens"] += tokens
    if runs:
        table.add_section()
        table.add_row(
            "all", "", "", "", "", "", str(totals["done"]), str(totals["failed"]), "", f"{totals['requests']:,}",
            f"{totals['tokens']:,}", str(totals["retries"]), dollars(total_cost), "",
        )
    Console(file=out, width=None if out.isatty() else 200).print(table)
