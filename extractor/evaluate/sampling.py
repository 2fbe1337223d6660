"""A seeded sample of cases that is the same on every machine and Python version.

`random.shuffle` depends on the generator's implementation, and set or dict order of strings on
hash randomization; a sha256 of seed and case name depends on neither. Because the order is
fixed per seed, the sample of N cases is contained in the sample of N + 1.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from extractor.evaluate.cases import Case


def sample(cases: Sequence[Case], limit: int | None, seed: int = 0) -> list[Case]:
    """`limit` cases chosen by seed, kept in the dataset's order; all of them without a limit."""
    if limit is None or limit >= len(cases):
        return list(cases)
    ranked = sorted(range(len(cases)), key=lambda i: (_rank(seed, cases[i].name), i))
    chosen = set(ranked[:limit])
    return [case for i, case in enumerate(cases) if i in chosen]


def _rank(seed: int, name: str) -> str:
    return hashlib.sha256(f"{seed}\x00{name}".encode()).hexdigest()
