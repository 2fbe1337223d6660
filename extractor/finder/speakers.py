"""Resolve each attribution's source mention to one speaker of the article.

Names: a surname joins the fullest name in the article that ends with it ('Peskov' -> 'Dmitry
Peskov', even when the full name comes later, as in a headline); a name given in two scripts
('Мария Захарова (Maria Zakharova)') is one speaker, and either form joins it later.
Descriptions ('the Kremlin spokesman') join the speaker last seen with that role. Pronouns join
the most recent speaker that fits ('he'/'she' a person of that gender when it is known, 'it' an
institution; see antecedents.py). One left-to-right pass over the sources.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from extractor.finder.antecedents import PRONOUN_GENDER, gender_of_title, sentence_leads
from extractor.finder.lexicon import GOVERNMENT_WORDS, ORG_WORDS, TITLES
from extractor.finder.mentions import Mention, kind_of_name, parse_mention
from extractor.finder.names import full_name, name_index, role_in_text

_COMPOUND = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)")
_INSTITUTION = frozenset({"organization", "government", "media"})
# 'Two people familiar with ...', 'Both campaigns', 'Others' open a sentence but are no names.
_COUNTING = frozenset("two three four five six several some many most both all other others few".split())
# Role heads that make a name an organisation's: 'rival Kestrel Cloud', 'campaign group X'.
_ORG_ROLES = ORG_WORDS | frozenset("rival company firm maker charity group body".split())
_INDEFINITE = re.compile(r"(?:a|an|one|another)\s", re.I)
# 'pricing tracked by analysts at several City banks', 'an analysis of the results by the
# university's Center for Civic Data': the one behind the figures is named after 'by'.
_MADE_BY = re.compile(
    r"\b(?:\w+ed|analysis|survey|study|review|report|poll|data|measurements|figures|estimates|research|calculations)\s+(?:of\s+[^,]{1,40}?\s+)?by\s+(?P<by>\S.*)$"
)


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


def _is_name_list(pieces: list[str]) -> bool:
    """'Blinken, Borrell': every piece a short name; not 'Nadia Okonkwo, Vasquez's campaign manager'."""
    if any(_generic(p) for p in pieces):
        return False  # 'The University and College Union': 'The University' names no one
    return len(pieces) > 1 and all(
        len(p.split()) <= 3 and all(w[:1].isupper() and not w.endswith(("'s", "’s")) for w in p.split())
        for p in pieces
    )


_GENERIC = ORG_WORDS | GOVERNMENT_WORDS  # made once: the union per call cost a resolution 10 µs


def _generic(piece: str) -> bool:
    words = piece.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    return len(words) == 1 and words[0].lower() in _GENERIC


class Resolver:
    def __init__(self, text: str):
        self.text = text
        self._index: dict[str, dict[tuple[str, ...], None]] | None = None
        self.speakers: list[Speaker] = []
        self.by_name: dict[str, Speaker] = {}
        self.by_surname: dict[str, Speaker] = {}  # people only, every form of their name
        self.recent_people: list[Speaker] = []  # least recently mentioned first
        self.last_person: Speaker | None = None
        self.last_institution: Speaker | None = None
        self.last_any: Speaker | None = None
        self._long_forms: dict[str, str | None] = {}
        # source text -> (its names when it lists several, else None; its mention): an article
        # names its speakers the same way again and again ('he', 'Peskov'); read once each
        self._reads: dict[str, tuple[list[str] | None, Mention | None]] = {}

    def _new(self, name: str, m: Mention, kind: str) -> Speaker:
        sp = Speaker(f"s{len(self.speakers) + 1}", name, m.role, m.affiliation, kind)
        self.speakers.append(sp)
        self.by_name[name.lower()] = sp
        if kind == "person":
            self.by_surname.setdefault(name.split()[-1], sp)
        return sp

    def _add_alias(self, sp: Speaker, alias: str) -> None:
        if alias not in sp.aliases and alias != sp.name:
            sp.aliases.append(alias)
            self.by_name.setdefault(alias.lower(), sp)
            self.by_surname.setdefault(alias.split()[-1], sp)

    def _named(self, m: Mention) -> Speaker:
        assert m.name is not None
        name = m.name
        if m.kind == "person" and " " not in name:
            long_form = self._organisation_named(name)
            if long_form is not None:  # 'Ardent' after 'Ardent Energy': the company, in short
                return self._named(replace(m, name=long_form, kind=kind_of_name(long_form.split())))
        if m.kind == "person":
            surname = name.split()[-1]
            if self._index is None:
                self._index = name_index(self.text)
            full = full_name(self._index, surname)
            if full and full.endswith(surname) and len(full) > len(name):
                name = full
            existing = (
                self.by_name.get(name.lower())
                or (self.by_name.get(m.alias.lower()) if m.alias else None)
                or self.by_surname.get(surname)
            )
        else:
            # 'The US State Department' is named 'US State Department': the article is not part of it
            name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I)
            existing = self.by_name.get(name.lower())
        sp = existing or self._new(name, m, m.kind)
        if m.alias and sp.kind == "person":
            self._add_alias(sp, m.alias)
        sp.role = sp.role or m.role
        sp.affiliation = sp.affiliation or m.affiliation
        if sp.kind == "person" and sp.role is None and existing is None:
            sp.role, aff = role_in_text(self.text, sp.name)
            sp.affiliation = sp.affiliation or aff
        if sp.kind == "person" and sp.role and sp.role.split()[-1].lower() in _ORG_ROLES:
            sp.kind = "organization"  # 'rival Kestrel Cloud', 'Environmental group Clear Skies Valley'
        if sp.kind == "person":
            sp.gender = sp.gender or gender_of_title(m.text) or gender_of_title(sp.role)
        return sp

    def _organisation_named(self, word: str) -> str | None:
        """The organisation whose name opens with `word` in the article ('Ardent Energy'), if any."""
        if word not in self._long_forms:
            found = None
            for m in re.finditer(rf"\b{re.escape(word)}((?:[ \t]+[A-Z][\w&'’\-]*){{1,3}})", self.text):
                words = [word, *m.group(1).split()]
                before = self.text[max(0, m.start() - 30) : m.start()].split()
                # 'Ardent Energy', or 'rival Kestrel Cloud'; not a headline's 'Peskov Tells CNN'
                if words[-1].lower() in ORG_WORDS or (before and before[-1].lower() in _ORG_ROLES):
                    found = " ".join(w.removesuffix("'s").removesuffix("’s") for w in words)
                    break
            self._long_forms[word] = found
        return self._long_forms[word]

    def _described(self, m: Mention, start: int) -> Speaker | None:
        """'the Kremlin spokesman' -> the speaker with that role last seen before it (a person, or
        'the official' after 'a senior official'). 'A spokesman' is someone new."""
        if not m.role or _INDEFINITE.match(m.text):
            return None
        role_head = m.role.split()[-1].lower()
        best, seen = None, -2
        for sp in self.speakers:
            if (
                sp.role
                and sp.role.split()[-1].lower() == role_head
                and sp.kind in {"person", m.kind}
                and (not m.affiliation or not sp.affiliation or m.affiliation.lower() == sp.affiliation.lower())
                and sp.last_seen(start) >= seen
            ):
                best, seen = sp, sp.last_seen(start)
        return best

    def _description(self, m: Mention) -> Speaker:
        """A speaker known only by a description: 'two people familiar with the discussions'."""
        name = re.sub(r"^(?:the|a|an)\s+", "", m.text.split(",")[0].strip(), flags=re.I)
        if name.split(" ", 1)[0].lower() in _COUNTING:
            name = name[:1].lower() + name[1:]
        return self.by_name.get(name.lower()) or self._new(name, m, m.kind)

    def _person_pronoun(self, head: str, start: int) -> Speaker | None:
        """'he'/'she': the person opening this or the previous sentence, if seen after the last
        person quoted ('Vasquez, 46, took the stage. She spoke ...'); else the last person quoted;
        else the most recent person who fits. Nobody whose gender is known to differ."""
        gender = PRONOUN_GENDER[head]
        fits = [sp for sp in reversed(self.recent_people) if sp.gender in (None, gender)]
        last = self.last_person
        lead = self._sentence_lead(start, last)
        if lead is not None and lead.gender in (None, gender):
            return lead
        if not fits:
            return None
        return last if last in fits else fits[0]

    def _sentence_lead(self, start: int, last: Speaker | None) -> Speaker | None:
        """A known person opening the pronoun's sentence or the one before, after `last` was seen."""
        floor = last.last_seen(start) if last is not None else -1
        for where, words in sentence_leads(self.text, start):
            if where < floor:
                break
            lead = next((self.by_surname[w] for w in reversed(words) if w in self.by_surname), None)
            if lead is None and self._person_name(words, where):
                # 'Kaito Brandt, who plays ..., won ... "...," he said.': a person named as the
                # sentence's subject is the nearest antecedent, quoted before or not
                lead = self._named(parse_mention(" ".join(words)))
            if lead is not None:
                return lead
        return None

    def _person_name(self, words: list[str], where: int) -> bool:
        """Whether a sentence's opening words are a person's full name ('Kaito Brandt,' or
        'Kaito Brandt said'), not a title-case phrase ('The Quiet Harbour opens')."""
        if not 2 <= len(words) <= 3 or self.text[max(0, where - 4) : where] == "The ":
            return False
        after = self.text[where + len(" ".join(words)) : where + len(" ".join(words)) + 2]
        return kind_of_name(words) == "person" and after[:1] in {",", " "} and not any(
            w.lower() in TITLES or w.lower() in _COUNTING for w in words
        )

    def resolve(self, start: int, end: int) -> list[Speaker]:
        """Speakers for the source span text[start:end] (several for 'Blinken, Borrell')."""
        span = self.text[start:end]
        names, m = self._read(span)
        if names is not None:
            out = []
            for piece in names:
                offset = span.find(piece)
                out.extend(self.resolve(start + offset, start + offset + len(piece)))
            return out
        assert m is not None
        sp: Speaker | None
        if m.kind == "pronoun":
            if m.head in PRONOUN_GENDER:
                sp = self._person_pronoun(m.head, start)
                if sp is not None:
                    sp.gender = sp.gender or PRONOUN_GENDER[m.head]
            elif m.head in {"it", "which"}:
                sp = self.last_institution
            elif m.head == "who":
                sp = self._who(start)
            elif m.head == "they":
                sp = self.last_institution if self.last_any is self.last_institution else self.last_any
                sp = sp if sp is not None and sp.kind != "person" else None
            else:
                sp = None
        elif m.head == "both" and len(span.split()) == 1 and self.last_any and self.last_any.kind != "person":
            sp = self.last_any  # 'Two people familiar with ... said ... Both cautioned that ...'
        elif m.name:
            sp = self._named(m)
        else:
            sp = self._described(m, start) or self._description(m)
        if sp is None:
            return []
        sp.mentioned(start, end)
        if m.alias and m.alias in span:  # the other script's form is a mention of its own
            at = start + span.index(m.alias)
            sp.mentioned(at, at + len(m.alias))
        self.last_any = sp
        if sp.kind == "person":
            self.last_person = sp
            if sp in self.recent_people:
                self.recent_people.remove(sp)
            self.recent_people.append(sp)
        elif sp.kind in _INSTITUTION:
            self.last_institution = sp
        return [sp]

    def _read(self, span: str) -> tuple[list[str] | None, Mention | None]:
        found = self._reads.get(span)
        if found is None:
            pieces = [p for p in _COMPOUND.split(span) if p]
            if _is_name_list(pieces):
                found = (pieces, None)
            else:
                made_by = _MADE_BY.search(span)
                found = (None, parse_mention(made_by.group("by") if made_by else span))
            self._reads[span] = found
        return found

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
