"""One speaker per person in the article, in one left-to-right pass over the sources, as the
English resolver does: a surname joins the fullest name that ends with it ('Müller' -> 'Anna
Müller', even when the full name comes later); a description ('die Ministerin', 'le
porte-parole') joins the speaker last seen with that title; a pronoun joins the most recent
speaker of its gender ('er', 'elle'), or the most recent speaker when no gender is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.finder.local.lexicon import Lexicon
from extractor.finder.local.mentions import Mention


@dataclass
class LocalSpeaker:
    key: str
    name: str
    role: str | None
    kind: str
    gender: str | None
    heads: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    last: int = -1


_RECENT = 400  # characters: how far back a definite description looks for its person


class LocalResolver:
    def __init__(self, text: str, names: list[str], lex: Lexicon):
        # the fullest form of each surname: among the named mentions, and in the text ('Druck auf
        # Bundesgesundheitsminister Jonas Feld' names the 'Feld' quoted later)
        self._full: dict[str, str] = {}
        for name in names:
            surname = name.split()[-1]
            if len(name) > len(self._full.get(surname, "")):
                self._full[surname] = name
        for surname in list(self._full):
            for m in re.finditer(rf"\b(\w[\w-]+) {re.escape(surname)}\b", text):
                first = m.group(1).lower()
                if m.group(1)[0].isupper() and not (lex.is_title(first) or lex.is_cue(first) or first in lex.stop or first in lex.determiners):
                    if len(m.group()) > len(self._full[surname]):
                        self._full[surname] = m.group()
        self.speakers: list[LocalSpeaker] = []

    def resolve(self, m: Mention) -> LocalSpeaker:
        speaker = self._find(m)
        if speaker is None:
            name = self._full.get(m.name.split()[-1], m.name) if m.name else (m.role or "")
            speaker = LocalSpeaker(f"s{len(self.speakers) + 1}", name, m.role, m.kind, m.gender)
            self.speakers.append(speaker)
        if m.head:
            speaker.heads.add(m.head)
        speaker.role = speaker.role or m.role
        speaker.gender = speaker.gender or m.gender
        if not m.implicit:
            speaker.mentions.append((m.start, m.end))
        speaker.last = max(speaker.last, m.start)
        return speaker

    def _find(self, m: Mention) -> LocalSpeaker | None:
        if m.name:
            full = self._full.get(m.name.split()[-1], m.name)
            return next((s for s in self.speakers if s.name == full), None)
        recent = sorted((s for s in self.speakers if s.last < m.start), key=lambda s: -s.last)
        if m.pronoun:
            people = [s for s in recent if s.kind == "person"]
            if m.gender is None:  # 'su', a dropped subject: whoever was last spoken of
                return people[0] if people else None
            return next((s for s in people if s.gender in (m.gender, None)), people[0] if people else None)
        # German compounds: 'die Ministerin' is the 'Bundeslandwirtschaftsministerin' seen before
        same_title = next(
            (s for s in recent if m.head and any(h.endswith(m.head) for h in s.heads) and _compatible(s.gender, m.gender)),
            None,
        )
        if same_title is not None or not m.definite or m.kind != "person" or m.gender is None:
            return same_title
        # 'Ulrike Baum kündigte Widerstand an. „…“, sagte die CSU-Politikerin': the last person
        # of that gender, seen just before
        near = [s for s in recent if s.kind == "person" and m.start - s.last < _RECENT]
        # 'Pour Malik Benhamou, … « … », estime le libraire': or the last person of no known gender
        return next((s for s in near if s.gender == m.gender), next((s for s in near[:1] if s.gender is None), None))


def _compatible(a: str | None, b: str | None) -> bool:
    """'le ministre du Travail' is not 'la Première ministre' seen before."""
    return a is None or b is None or a == b
