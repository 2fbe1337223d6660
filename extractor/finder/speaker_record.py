"""One speaker of an article, as the resolver (speakers.py) builds it: its name, role,
affiliation and kind, where the article mentions it, its name in another script, and its gender
when a title or a pronoun tells it. Kept apart so that the resolution mixins (pronouns.py,
organisations.py) can name the type without importing the resolver that uses them.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass
class Speaker:
    key: str
    name: str
    role: str | None
    affiliation: str | None
    kind: str
    mentions: list[tuple[int, int]] = field(default_factory=list)  # kept sorted: see last_seen
    aliases: list[str] = field(default_factory=list)  # the name in another script
    gender: str | None = None  # 'm' or 'f', from a title or a pronoun already resolved to them

    def last_seen(self, before: int) -> int:
        # a binary search: asked at every mention, a scan made long articles quadratic
        i = bisect.bisect_left(self.mentions, (before,))
        return self.mentions[i - 1][0] if i else -1

    def mentioned(self, start: int, end: int) -> None:
        bisect.insort(self.mentions, (start, end))
