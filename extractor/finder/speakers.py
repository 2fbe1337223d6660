"""Resolve each attribution's source mention to one speaker of the article.

Names: a surname joins the fullest name in the article that ends with it ('Peskov' -> 'Dmitry
Peskov', even when the full name comes later, as in a headline); a name given in two scripts
('Мария Захарова (Maria Zakharova)') is one speaker, and either form joins it later.
Descriptions ('the Kremlin spokesman') join the speaker last seen with that role; a description
of an organisation ('the company', 'the software maker', 'the ministry') joins the one
organisation named before it that fits. Pronouns join the one person ('he'/'she', of that gender
when it is known) or organisation ('they') that their sentence or the one before speaks of,
else the last one quoted; 'it' the last institution (see antecedents.py).

When the text does not settle who (two men named before 'he said', 'the company' after two
companies, a description nothing fits), no one is guessed: the source gets no speaker and
`Resolver.why` says why, with the candidates, for the claim's `unresolved`. One left-to-right
pass over the sources.

Here: the resolver's state and the resolution of names and role descriptions. Pronouns are
resolved in pronouns.py, descriptions of organisations in organisations.py (mixins of
`Resolver`, as they share its state), the shape of names in name_shapes.py, and the `Speaker`
record in speaker_record.py (re-exported here).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from extractor.finder.antecedents import PRONOUN_GENDER, gender_of_title
from extractor.finder.mentions import Mention, kind_of_name, parse_mention
from extractor.finder.name_shapes import _is_name_list
from extractor.finder.names import full_name, name_index, role_in_text, title_case
from extractor.finder.organisations import _ORG_ROLES, OrganisationResolution
from extractor.finder.pronouns import PronounResolution
from extractor.finder.speaker_record import Speaker
from extractor.schema import Unresolved

__all__ = ["Resolver", "Speaker"]

_TOGETHER = re.compile(r"\s+(?:both|all|each|together|jointly|alike)$", re.I)
_COMPOUND = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)")
_INSTITUTION = frozenset({"organization", "government", "media"})
# 'Two people familiar with ...', 'Both campaigns', 'Others' open a sentence but are no names.
_COUNTING = frozenset("two three four five six several some many most both all other others few".split())
_INDEFINITE = re.compile(r"(?:a|an|one|another)\s", re.I)
# 'pricing tracked by analysts at several City banks', 'an analysis of the results by the
# university's Center for Civic Data': the one behind the figures is named after 'by'.
_MADE_BY = re.compile(
    r"\b(?:\w+ed|analysis|survey|study|review|report|poll|data|measurements|figures|estimates|research|calculations)\s+(?:of\s+[^,]{1,40}?\s+)?by\s+(?P<by>\S.*)$"
)


class Resolver(PronounResolution, OrganisationResolution):
    def __init__(self, text: str, contents: list[tuple[int, int]] | None = None):
        self.text = text
        # what the article's attributions say (quoted or reported): names in it are not
        # people the reporter is writing about, so no antecedents for a pronoun
        self._content_starts, self._content_ends = [], []
        for s, e in sorted(contents or ()):
            if self._content_ends and s <= self._content_ends[-1]:
                self._content_ends[-1] = max(self._content_ends[-1], e)
            else:
                self._content_starts.append(s)
                self._content_ends.append(e)
        # source span -> why no speaker was given to it (ambiguous, fits no one)
        self.why: dict[tuple[int, int], Unresolved] = {}
        self._headlines: dict[int, bool] = {}
        self._title_lines: dict[int, bool] = {}
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
        if " " not in name and name.isupper() and len(name) > 2:
            # a transcript's 'PENCE:' is the article's Mike Pence, not an acronym
            full = full_name(self._index_of_names(), name.title())
            if full is not None and full.split()[-1] == name.title():
                return self._named(parse_mention(full))
        if m.kind == "person" and " " not in name and full_name(self._index_of_names(), name) is None:
            # (not 'Trump' when the article has 'Donald Trump' as well as 'the Trump Foundation')
            long_form = self._organisation_named(name)
            if long_form is not None:  # 'Ardent' after 'Ardent Energy': the company, in short
                return self._named(replace(m, name=long_form, kind=kind_of_name(long_form.split())))
        if m.kind == "person":
            surname = name.split()[-1]
            full = full_name(self._index_of_names(), surname)
            if full and full.endswith(" " + name):  # 'Peskov' -> 'Dmitry Peskov'; 'Ted Cruz' stays
                name = full
            same_surname = self.by_surname.get(surname)
            if same_surname is not None and " " in name and not (
                same_surname.name.endswith(name) or name.endswith(" " + same_surname.name)
            ):
                same_surname = None  # 'Ted Cruz' is not 'Rafael Cruz', 'Bill Clinton' not 'Hillary Clinton'
            existing = (
                self.by_name.get(name.lower())
                or (self.by_name.get(m.alias.lower()) if m.alias else None)
                or same_surname
            )
        else:
            # 'The US State Department' is named 'US State Department': the article is not part of it
            name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I)
            existing = self.by_name.get(name.lower())
        sp = existing or self._new(name, m, m.kind)
        if m.alias and sp.kind == "person":
            self._add_alias(sp, m.alias)
        if existing is None:
            sp.role, sp.affiliation = self._common_word_role(sp.role, sp.affiliation)
        elif sp.role is None and sp.affiliation is None:
            sp.role, sp.affiliation = self._common_word_role(m.role, m.affiliation)
        if sp.kind == "person" and sp.role is None and existing is None:
            sp.role, aff = self._common_word_role(*role_in_text(self.text, sp.name))
            sp.affiliation = sp.affiliation or aff
        if sp.kind == "person" and sp.role and sp.role.split()[-1].lower() in _ORG_ROLES:
            sp.kind = "organization"  # 'rival Kestrel Cloud', 'Environmental group Clear Skies Valley'
        if sp.kind == "person":
            sp.gender = sp.gender or gender_of_title(m.text) or gender_of_title(sp.role)
        return sp

    def _common_word_role(self, role: str | None, affiliation: str | None) -> tuple[str | None, str | None]:
        """'Ferry captain Joanna Pike': a capital that only opens the sentence makes no
        affiliation of 'Ferry' when the article writes the word in lower case elsewhere ('the
        ferry operator'); it is part of the role. 'Kremlin spokesman' keeps its affiliation."""
        if role and affiliation and " " not in affiliation and affiliation[:1].isupper():
            low = affiliation.lower()
            if low != affiliation and re.search(rf"(?<![\w-]){re.escape(low)}s?(?![\w-])", self.text):
                return f"{low} {role}", None
        return role, affiliation

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

    def _in_content(self, pos: int) -> bool:
        i = bisect.bisect_right(self._content_starts, pos) - 1
        return i >= 0 and pos < self._content_ends[i]

    def _index_of_names(self) -> dict[str, dict[tuple[str, ...], None]]:
        if self._index is None:
            self._index = name_index(self.text)
        return self._index

    def _title_case_line(self, pos: int) -> bool:
        """Whether the line of `pos` is a headline in title case ('Black Lawmakers Rip Donald
        Trump'), whose words run together into no name."""
        lo = self.text.rfind("\n", 0, pos) + 1
        if lo not in self._title_lines:
            hi = self.text.find("\n", pos)
            self._title_lines[lo] = title_case(self.text[lo : len(self.text) if hi < 0 else hi])
        return self._title_lines[lo]

    def resolve(self, start: int, end: int) -> list[Speaker]:
        """Speakers for the source span text[start:end] (several for 'Blinken, Borrell')."""
        span = self.text[start:end]
        together = _TOGETHER.search(span)
        if together is not None and together.start() > 0:  # 'Acme Corp and Beta Holdings both'
            span = span[: together.start()]
            end = start + len(span)
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
                sp = self._person_pronoun(m.head, start, end)
                if sp is not None:
                    sp.gender = sp.gender or PRONOUN_GENDER[m.head]
            elif m.head in {"it", "which"}:
                sp = self.last_institution
            elif m.head == "who":
                sp = self._who(start)
            elif m.head == "they":
                sp = self._they(start, end)
            else:
                sp = None
        elif m.head == "both" and len(span.split()) == 1 and self.last_any and self.last_any.kind != "person":
            sp = self.last_any  # 'Two people familiar with ... said ... Both cautioned that ...'
        elif m.name:
            sp = self._named(m)
        elif self._stands_for_organisation(m, span):
            sp = self._organisation_described(m, start, end)
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

    def register_names(self, spans: list[tuple[int, int]]) -> None:
        """First pass: named speakers, so that a description can refer to a name that comes later."""
        for start, end in spans:
            m = parse_mention(self.text[start:end])
            if m.name:
                self._named(m)
