"""Split a document into chunks that point into it (offsets), never copies that drift.

Chunks end on paragraph boundaries where they can, else on sentence boundaries, else on
whitespace; consecutive chunks overlap by about `overlap` characters so a quote cut by one
boundary is whole in the next chunk. Merging removes what the overlap finds twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"[.!?][\"'”’»)]*\s+")


@dataclass(frozen=True)
class Chunk:
    index: int
    start: int
    end: int

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]


def chunk_text(text: str, size: int = 6000, overlap: int = 400) -> list[Chunk]:
    if len(text) <= size:
        return [Chunk(0, 0, len(text))]
    overlap = min(overlap, size // 3)
    chunks: list[Chunk] = []
    start = 0
    while start < len(text):
        end = len(text) if len(text) - start <= size else _cut(text, start, start + size)
        chunks.append(Chunk(len(chunks), start, end))
        if end >= len(text):
            break
        start = max(_restart(text, end - overlap, end), start + 1)
    return chunks


def _cut(text: str, start: int, limit: int) -> int:
    """The best boundary in text[start:limit], preferring the latest one past the midpoint."""
    floor = start + (limit - start) // 2
    para = text.rfind("\n", floor, limit)
    if para != -1:
        return para + 1
    last = None
    for m in _SENTENCE_END.finditer(text, floor, limit):
        last = m.end()
    if last is not None:
        return last
    space = text.rfind(" ", floor, limit)
    return space + 1 if space != -1 else limit


def _restart(text: str, target: int, end: int) -> int:
    """Start the next chunk at a paragraph or sentence start at or after `target`."""
    para = text.find("\n", target, end)
    if para != -1:
        return para + 1
    m = _SENTENCE_END.search(text, target, end)
    if m:
        return m.end()
    space = text.find(" ", target, end)
    return space + 1 if space != -1 else target
