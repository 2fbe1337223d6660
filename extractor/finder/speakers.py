"""Resolve each attribution's source mention to one speaker of the article.

Names: a surname joins the fullest name in the article that ends with it ('Peskov' -> 'Dmitry
Peskov', even when the full name comes later, as in a headline). Descriptions ('the Kremlin
spokesman') join the named speaker with that role and affiliation. Pronouns join the most
recent speaker before them that fits ('he'/'she' a person, 'it' an institution). Everything is
decided in one left-to-right pass over the sources plus one regex per distinct surname.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.finder.lexicon import TITLES
from extractor.finder.mentions import Mention, kind_of_name, parse_mention, role_of

_OPENERS = frozenset("the a an but and when while as if after before in on at".split())
_COMPOUND = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)")
_INSTITUTION = frozenset({"organization", "government", "media"})


@dataclass
class Speaker:
    key: str
    name: str
    role: str | None
    affiliation: str | None
    kind: str
    mentions: list[tuple[int, int]] = field(default_factory=list)


_CAP_RUN = re.compile(
    r"(?:(?:[A-Z][\w'’\-]*|[A-Z]\.|Mr\.|Mrs\.|Ms\.|Dr\.|Sen\.|Rep\.|Gov\.)[ \t]+){1,5}[A-Z][\w'’\-]*"
)


# A line without a sentence's final punctuation is a headline or a subheading; in title case its
# words run together ('Vasquez Takes Narrow Lead Over Brandt') and are no full name.
_HEADLINE = re.compile(r"^[^\n]*[^\s.!?:;\"”'’»)\]\n][ \t]*$", re.M)


def name_index(text: str) -> dict[str, list[list[str]]]:
    """Every run of capitalised words, filed under each of its words after the first: one pass
    over the article instead of one search per surname."""
    index: dict[str, list[list[str]]] = {}
    headlines = [(m.start(), m.end()) for m in _HEADLINE.finditer(text)]
    h = 0
    for m in _CAP_RUN.finditer(text):
        while h < len(headlines) and headlines[h][1] < m.start():
            h += 1
        if h < len(headlines) and headlines[h][0] <= m.start():
            continue
        words = m.group().split()
        for i in range(1, len(words)):
            index.setdefault(words[i], []).append(words[: i + 1])
    return index


def _full_names(index: dict[str, list[list[str]]], surname: str) -> str | None:
    """The longest 'First Last' in the article that ends in `surname`, titles stripped."""
    best = None
    for run in index.get(surname, ()):
        words = list(run)
        # drop what precedes the name proper: titles, possessors ('CNN's'), sentence openers
        cut = [
            i for i, w in enumerate(words[:-1]) if w.lower().rstrip(".") in TITLES or w.endswith(("'s", "’s"))
        ]
        if cut:
            words = words[cut[-1] + 1 :]
        while len(words) > 1 and words[0].lower() in _OPENERS:
            words.pop(0)
        if len(words) > 1 and kind_of_name(words) == "person":
            cand = " ".join(words)
            if best is None or len(cand) > len(best):
                best = cand
    return best


_BEFORE_NAME = re.compile(r"[\w'’.\-]+(?:\s+[\w'’.\-]+){0,3}\s+$")


def role_in_text(text: str, name: str) -> tuple[str | None, str | None]:
    """Role and affiliation from a title before the full name anywhere in the article
    ('Kremlin spokesman Dmitry Peskov spoke ...' gives Peskov his role, said or not)."""
    pos = text.find(name)
    for _ in range(5):
        if pos < 0:
            break
        m = _BEFORE_NAME.search(text, max(0, pos - 50), pos)
        if m is not None:
            role, affiliation = role_of(m.group().split())
            if role:
                return role, affiliation
        pos = text.find(name, pos + 1)
    return None, None


class Resolver:
    def __init__(self, text: str):
        self.text = text
        self._index: dict[str, list[list[str]]] | None = None
        self.speakers: list[Speaker] = []
        self.by_name: dict[str, Speaker] = {}
        self.last_person: Speaker | None = None
        self.last_institution: Speaker | None = None
        self.last_any: Speaker | None = None

    def _new(self, name: str, m: Mention, kind: str) -> Speaker:
        sp = Speaker(f"s{len(self.speakers) + 1}", name, m.role, m.affiliation, kind)
        self.speakers.append(sp)
        self.by_name[name.lower()] = sp
        return sp

    def _named(self, m: Mention) -> Speaker:
        assert m.name is not None
        name = m.name
        if m.kind == "person":
            surname = name.split()[-1]
            if self._index is None:
                self._index = name_index(self.text)
            full = _full_names(self._index, surname)
            if full and full.endswith(name.split()[-1]) and len(full) > len(name):
                name = full
            existing = self.by_name.get(name.lower()) or next(
                (s for s in self.speakers if s.kind == "person" and s.name.split()[-1] == surname), None
            )
        else:
            # 'The US State Department' is named 'US State Department': the article is not part of it
            name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I)
            key = name.lower()
            existing = next((s for s in self.speakers if s.name.lower() == key), None)
        sp = existing or self._new(name, m, m.kind)
        sp.role = sp.role or m.role
        sp.affiliation = sp.affiliation or m.affiliation
        if sp.kind == "person" and sp.role is None and existing is None:
            sp.role, aff = role_in_text(self.text, sp.name)
            sp.affiliation = sp.affiliation or aff
        return sp

    def _described(self, m: Mention) -> Speaker | None:
        """'the Kremlin spokesman' -> the named speaker with that role (and affiliation)."""
        if m.role:
            role_head = m.role.split()[-1].lower()
            for sp in reversed(self.speakers):
                if sp.role and sp.role.split()[-1].lower() == role_head and sp.kind == "person":
                    if (
                        not m.affiliation
                        or not sp.affiliation
                        or m.affiliation.lower() == sp.affiliation.lower()
                    ):
                        return sp
        return None

    def resolve(self, start: int, end: int) -> list[Speaker]:
        """Speakers for the source span text[start:end] (several for 'Blinken, Borrell')."""
        span = self.text[start:end]
        pieces = [p for p in _COMPOUND.split(span) if p]
        if len(pieces) > 1 and all(p[:1].isupper() and len(p.split()) <= 3 for p in pieces):
            out = []
            for piece in pieces:
                offset = span.find(piece)
                out.extend(self.resolve(start + offset, start + offset + len(piece)))
            return out
        m = parse_mention(span)
        sp: Speaker | None
        if m.kind == "pronoun":
            if m.head in {"he", "she"}:
                sp = self.last_person
            elif m.head in {"it", "which"}:
                sp = self.last_institution
            elif m.head == "who":
                sp = self._who(start)
            elif m.head == "they":
                sp = self.last_institution if self.last_any is self.last_institution else self.last_any
                sp = sp if sp is not None and sp.kind != "person" else None
            else:
                sp = None
        elif m.name:
            sp = self._named(m)
        else:
            sp = self._described(m)
            if sp is None:
                name = re.sub(r"^(?:the|a|an)\s+", "", m.text.split(",")[0].strip(), flags=re.I)
                sp = self.by_name.get(name.lower()) or self._new(name, m, m.kind)
        if sp is None:
            return []
        sp.mentions.append((start, end))
        self.last_any = sp
        if sp.kind == "person":
            self.last_person = sp
        elif sp.kind in _INSTITUTION:
            self.last_institution = sp
        return [sp]

    def _who(self, start: int) -> Speaker | None:
        """'Trump, who said ...': the name right before the relative pronoun."""
        base = max(0, start - 80)
        window = self.text[base:start].rstrip().rstrip(",")
        m = re.search(r"(?:[A-Z][\w'’.\-]*\s+){0,3}[A-Z][\w'’.\-]*$", window)
        if m is None:
            return None
        found = self.resolve(base + m.start(), base + m.end())
        return found[0] if found else None

    def register_names(self, spans: list[tuple[int, int]]) -> None:
        """First pass: named speakers, so that a description can refer to a name that comes later."""
        for start, end in spans:
            m = parse_mention(self.text[start:end])
            if m.name:
                self._named(m)
