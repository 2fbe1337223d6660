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
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from extractor.finder.antecedents import PRONOUN_GENDER, gender_of_title, sentence_starts
from extractor.finder.lexicon import (
    COMPANY_HEADS,
    GOVERNMENT_WORDS,
    NAMED_HEADS,
    NOT_COMPANY,
    ORG_WORDS,
    PARTY_LABELS,
    PLACE_FIRST,
    PLACE_LAST,
    PLACES,
    TITLES,
)
from extractor.finder.mentions import Mention, kind_of_name, parse_mention
from extractor.finder.names import full_name, in_headline, name_index, role_in_text, title_case
from extractor.finder.roles import TITLE_TAILS, occupation_before_name
from extractor.schema import Unresolved

_TOGETHER = re.compile(r"\s+(?:both|all|each|together|jointly|alike)$", re.I)
_COMPOUND = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)")
_INSTITUTION = frozenset({"organization", "government", "media"})
# 'Two people familiar with ...', 'Both campaigns', 'Others' open a sentence but are no names.
_COUNTING = frozenset("two three four five six several some many most both all other others few".split())
# Role heads that make a name an organisation's: 'rival Kestrel Cloud', 'campaign group X'.
_ORG_ROLES = ORG_WORDS | frozenset("rival company firm maker charity group body".split())
_INDEFINITE = re.compile(r"(?:a|an|one|another)\s", re.I)
# 'pricing tracked by analysts at several City banks', 'an analysis of the results by the
# university's Center for Civic Data': the one behind the figures is named after 'by'.
# How far back a pronoun looks for the people it could mean: its own sentence and two before it.
_PRONOUN_REACH = 2
# A run of capitalised words: a name, maybe with its title ('Mr. Brandt', "CNN's Fareed Zakaria").
_NAME_RUN = re.compile(r"(?<![\w.'’\-])(?:(?:[A-Z][\w'’\-]*|[A-Z]\.|Mr\.|Mrs\.|Ms\.|Dr\.)[ \t]+){0,5}[A-Z][\w'’\-]*")
# Capitalised words that open a sentence or name a day: no part of a name.
_NOT_NAME_WORDS = frozenset(
    """the a an but and or when while as if after before in on at both neither either not no last
    next this that these those it he she they we i you his her their its our my for with from yet
    so still meanwhile however also then now today yesterday tomorrow by of to some many all most
    other every each what why how who where there here even only just instead asked though
    although through because since until unless whether
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december""".split()
)
# Words before a capitalised run that make it a place or a thing: 'flew to New York', 'on Wall Street'.
_PLACE_BEFORE = frozenset("in at to from into across near outside inside around toward towards on onto via".split())
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_GENDERED_OR_NAME = re.compile(r"\b(?:(?P<pronoun>he|him|his|himself|she|her|hers|herself)|(?P<name>[A-Z][a-z][\w'’\-]*))\b")
_MALE_PRONOUNS = frozenset("he him his himself".split())
_PRONOUNS_OF = {"m": re.compile(r"\b(?:[Hh]e|[Hh]is|[Hh]im|[Hh]imself)\b"), "f": re.compile(r"\b(?:[Ss]he|[Hh]er|[Hh]ers|[Hh]erself)\b")}
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+(?=[\"“‘'A-Z])|\n")
_DEFINITE = re.compile(r"(?:the|its)\s", re.I)
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


# unions made once: made at each call, they cost a resolution several microseconds each
_GENERIC = ORG_WORDS | GOVERNMENT_WORDS
_NO_ONE = PARTY_LABELS | _NOT_NAME_WORDS  # names of no one: 'Democratic', a source naming no one
_ORGANISATION_HEADS = COMPANY_HEADS | NAMED_HEADS


def _generic(piece: str) -> bool:
    words = piece.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    return len(words) == 1 and words[0].lower() in _GENERIC


class Resolver:
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

    def _in_content(self, pos: int) -> bool:
        i = bisect.bisect_right(self._content_starts, pos) - 1
        return i >= 0 and pos < self._content_ends[i]

    def _index_of_names(self) -> dict[str, dict[tuple[str, ...], None]]:
        if self._index is None:
            self._index = name_index(self.text)
        return self._index

    def _person_pronoun(self, head: str, start: int, end: int) -> Speaker | None:
        """'he'/'she': the one person of that gender (or of none known) the text names or speaks
        of in the pronoun's sentence before it or in the sentence before that (going back a
        sentence more while those name no one). When two or more fit ('Reid met Dale on
        Tuesday. "...," he said.'), nobody: the claim keeps its 'he' and says why (self.why)
        rather than guess. When none is named there, the last person quoted, if of that gender;
        else the most recent one who is."""
        gender = PRONOUN_GENDER[head]
        found: dict[str, Speaker | tuple[str, str]] = {}
        for lo in sentence_starts(self.text, start, _PRONOUN_REACH):
            found = self._people_in(lo, start, gender)
            if found:
                break
        said = self.text[start:end]
        if len(found) > 1:
            names = [c.name if isinstance(c, Speaker) else c[0] for c in found.values()]
            self.why[(start, end)] = Unresolved(reason="ambiguous", note=f"{said!r} could be {_either(names)}", candidates=names)
            return None
        if found:
            [only] = found.values()
            sp = only if isinstance(only, Speaker) else self._person_named(*only)
            if sp is not None:
                sp.gender = sp.gender or gender  # the one it could be: the pronoun tells their gender
            return sp
        fits = [
            sp for sp in reversed(self.recent_people)
            if sp.gender in (None, gender) and sp.name.lower() not in _NO_ONE
        ]
        if not fits:
            self.why[(start, end)] = Unresolved(reason="no_antecedent", note=f"no one named before {said!r} fits it")
            return None
        last = self.last_person
        return last if last in fits else fits[0]

    def _person_named(self, name: str, said: str) -> Speaker | None:
        """The speaker for a person the text names ('Mr. Brandt', else 'Brandt')."""
        for words in (said, name):
            m = parse_mention(words)
            if m.name is not None and m.kind == "person":
                return self._named(m)
        return None

    def _mentions_in(self, lo: int, hi: int) -> list[tuple[int, int, Speaker]]:
        """The resolved mentions of every speaker that start in text[lo:hi]."""
        out = []
        for sp in self.speakers:
            i = bisect.bisect_left(sp.mentions, (lo,))
            while i < len(sp.mentions) and sp.mentions[i][0] < hi:
                out.append((*sp.mentions[i], sp))
                i += 1
        return out

    def _people_in(self, lo: int, hi: int, gender: str) -> dict[str, Speaker | tuple[str, str]]:
        """The distinct people of `gender` (or of no known gender) that text[lo:hi] names or
        speaks of, outside what the article's attributions say: known speakers by key, others
        by surname as (name, the words naming them). A 'his'/'her' no one named before it in
        its sentence accounts for means the last person quoted, who is then one of them too."""
        found: dict[str, Speaker | tuple[str, str]] = {}
        mentions = self._mentions_in(lo, hi)
        named_at: list[int] = []  # where a person of this gender is named
        for s, _, sp in mentions:  # a name, 'the mayor', 'she', resolved as a source
            if sp.name.lower() in _NO_ONE:
                continue  # 'Democratic' (claims), a source that named no one
            if sp.kind == "person" and sp.gender in (None, gender) and not self._title_case_line(s):
                found[sp.key] = sp
                named_at.append(s)
        for m in _NAME_RUN.finditer(self.text, lo, hi):
            at = m.start()
            if self._in_content(at) or self._title_case_line(at) or any(s <= at < e for s, e, _ in mentions):
                continue
            who = self._person_run(at, m.group())
            if who is None:
                continue
            if isinstance(who, Speaker):
                if (who.gender or self._gender_after(m.end())) in (None, gender):
                    found.setdefault(who.key, who)
                    named_at.append(at)
                continue
            name, said = who
            if (gender_of_title(said) or self._gender_after(m.end())) in (None, gender):
                found.setdefault("~" + name.split()[-1], (name, said))
                named_at.append(at)
        last = self.last_person
        if last is not None and last.key not in found and last.gender in (None, gender):
            for p in _PRONOUNS_OF[gender].finditer(self.text, lo, hi):
                if self._in_content(p.start()) or any(s <= p.start() < e for s, e, _ in mentions):
                    continue
                opens = sentence_starts(self.text, p.start(), 0)[0]
                if not any(opens <= at < p.start() for at in named_at):
                    found[last.key] = last  # 'most recently her decision to meet ...': the one quoted
                    break
        return found

    def _gender_after(self, pos: int) -> str | None:
        """The gender of the first 'he'/'his'/'she'/'her' after a name in its sentence, unless
        another name comes first ('Farrow dedicated his prize', 'the composer Nadia Sorel, ...
        weeks before her death'). 'him', and 'her' as an object ('scolded her:'), are someone
        else; pronouns in what someone says do not count."""
        stop = _SENTENCE_END.search(self.text, pos, pos + 300)
        hi = stop.start() if stop else min(len(self.text), pos + 300)
        for m in _GENDERED_OR_NAME.finditer(self.text, pos, hi):
            if m.group("name"):
                if m.group("name").lower() not in _NOT_NAME_WORDS:
                    return None
                continue
            pronoun = m.group("pronoun").lower()
            if self._in_content(m.start()) or pronoun == "him":
                continue
            if pronoun == "her":
                after = re.match(r"\s+([a-z][\w'’\-]*)", self.text[m.end() : m.end() + 30])
                if after is None or after.group(1) in _NOT_NAME_WORDS:
                    continue  # 'told her that', 'thanked her for': an object
            return "m" if pronoun in _MALE_PRONOUNS else "f"
        return None

    def _person_run(self, at: int, run: str) -> Speaker | tuple[str, str] | None:
        """The person a run of capitalised words names: a known speaker, or a full name the
        article gives ('Joaquin Phoenix'), as (name, the whole run, with its title)."""
        words = run.split()
        cut = [
            i for i, w in enumerate(words[:-1])
            if w.lower().rstrip(".") in TITLES or _POSSESSIVE.search(w) or (i and w.lower() in TITLE_TAILS)
        ]
        if cut:
            words = words[cut[-1] + 1 :]
        if words and words[0].lower() == "the":
            return None  # 'The Quiet Harbour opens', 'The Kremlin'
        while words and words[0].lower().rstrip(".") in _NOT_NAME_WORDS:
            words = words[1:]
        if occupation_before_name(words):
            words = words[1:]
        if not words:
            return None
        words[-1] = _POSSESSIVE.sub("", words[-1])
        if not words[-1] or any(w.lower() in _NOT_NAME_WORDS | PARTY_LABELS for w in words) or _is_place(words):
            return None
        joined = " ".join(words)
        known = self.by_name.get(joined.lower())
        if known is not None:
            return known if known.kind == "person" else None
        if kind_of_name(words) != "person":
            return None
        known = self.by_surname.get(words[-1])
        if known is not None and (len(words) == 1 or known.name.endswith(joined)):
            return known
        if len(words) == 1:
            full = full_name(self._index_of_names(), words[0])
            if full is not None and full.split()[-1] == words[0]:
                return full, run
            if self._gender_after(at + len(run)) is not None and not self._opens_sentence(at):
                return words[0], run  # 'thanked Farrow for his prize': a surname, told by its pronoun
            return None  # a word that opens a sentence, a place: not a name the article gives anyone
        before = self.text[max(0, at - 20) : at].split()
        if before and before[-1].lower() in _PLACE_BEFORE | {"the"}:
            return None  # 'flew to New York', 'the East Side'
        return joined, run

    def _opens_sentence(self, at: int) -> bool:
        """Whether the word at `at` is the first of its sentence ('Through a spokesman, he ...'),
        where a capital says nothing about a name."""
        before = self.text[max(0, at - 3) : at].rstrip(" \t\xa0\"“‘'")
        return not before or before[-1] in ".!?:;\n"

    def _they(self, start: int, end: int) -> Speaker | None:
        """'they': the one organisation or group the article quotes that this sentence or the
        one before speaks of. Nobody when more than one could be meant (two of them, another
        organisation named there, or two people: 'Podesta and Stern ... They said'); when none
        is, the last organisation or group quoted."""
        lo = sentence_starts(self.text, start, 1)[-1]
        said = self.text[start:end]
        known: dict[str, Speaker] = {}
        others: dict[str, str] = {}
        people: set[str] = set()
        mentions = self._mentions_in(lo, start)
        for _, _, sp in mentions:
            if sp.kind == "person":
                people.add(sp.key)
            else:
                known[sp.key] = sp
        for m in _NAME_RUN.finditer(self.text, lo, start):
            at = m.start()
            if self._in_content(at) or self._title_case_line(at) or any(s <= at < e for s, e, _ in mentions):
                continue
            words = [w for w in m.group().split() if w.lower() not in _NOT_NAME_WORDS]
            if not words:
                continue
            words[-1] = _POSSESSIVE.sub("", words[-1])
            sp = self.by_name.get(" ".join(words).lower())
            if sp is not None:
                (people.add(sp.key) if sp.kind == "person" else known.setdefault(sp.key, sp))
                continue
            who = self._person_run(at, m.group())
            if isinstance(who, Speaker):
                people.add(who.key)
            elif who is not None:
                people.add(who[0])
            elif len(words) > 1 and kind_of_name(words) != "person":
                others.setdefault(" ".join(words).lower(), " ".join(words))
        names = [sp.name for sp in known.values()] + list(others.values())
        if len(names) + (len(people) > 1) > 1 or (not names and len(people) > 1):
            if len(people) > 1:
                names.append("several people named there")
            self.why[(start, end)] = Unresolved(reason="ambiguous", note=f"{said!r} could be {_either(names)}", candidates=names)
            return None
        if known:
            [only] = known.values()
            return only
        if others:
            [other] = others.values()
            self.why[(start, end)] = Unresolved(
                reason="no_antecedent", note=f"{said!r} may be {other}, which the article does not quote", candidates=[other]
            )
            return None
        sp = self.last_institution if self.last_any is self.last_institution else self.last_any
        if sp is None or sp.kind == "person":
            self.why[(start, end)] = Unresolved(reason="no_antecedent", note=f"no organisation or group named before {said!r} fits it")
            return None
        return sp

    def _organisation_described(self, m: Mention, start: int, end: int) -> Speaker | None:
        """'the company', 'the software maker', 'the ministry': the one organisation named before
        it that fits (in the whole article before it, or else in its own sentence); nobody when
        none or several do. A company-like head fits any company, the others a name with that word."""
        head = m.head
        orgs = self._organisations_before(start)
        if head in COMPANY_HEADS:
            fits = [(at, n) for at, n, kind in orgs if kind == "organization" and n.split()[-1].lower() not in NOT_COMPANY]
        else:
            fits = [(at, n) for at, n, _ in orgs if _name_head(n) == head]
        names = list(dict.fromkeys(n for _, n in fits))
        if len(names) > 1:
            lo = sentence_starts(self.text, start, 0)[0]
            local = list(dict.fromkeys(n for at, n in fits if at >= lo))
            if len(local) == 1:
                names = local
        said = self.text[start:end]
        if len(names) == 1:
            return self._organisation(names[0], next(k for _, n, k in orgs if n == names[0]))
        if names:
            self.why[(start, end)] = Unresolved(
                reason="ambiguous", note=f"{said!r} could be {_either(names)}", candidates=names
            )
        else:
            self.why[(start, end)] = Unresolved(reason="no_antecedent", note=f"no organisation named before {said!r} fits it")
        return None

    def _organisation(self, name: str, kind: str) -> Speaker:
        """The speaker for an organisation the text names, added when new."""
        known = self.by_name.get(name.lower())
        if known is not None:
            return known
        m = parse_mention(name)
        if m.name is not None and m.kind != "person":
            return self._named(m)
        return self._new(name, Mention(name, name, None, None, kind, name.split()[-1].lower()), kind)

    def _organisations_before(self, pos: int) -> list[tuple[int, str, str]]:
        """(where, name, kind) of every organisation named before `pos`: speakers of the article
        that are no people, and runs of capitalised words that name one ('Norvale Systems',
        'rival Kestrel Cloud'). A short form joins its long one ('Ardent' -> 'Ardent Energy')."""
        out: list[tuple[int, str, str]] = []
        for sp in self.speakers:
            if sp.kind == "person" or not sp.name[:1].isupper():
                continue  # a person, or a description ('one study', 'analysts at several banks')
            at = self.text.find(sp.name)
            if 0 <= at < pos or (sp.mentions and sp.mentions[0][0] < pos):
                out.append((at if 0 <= at < pos else sp.mentions[0][0], sp.name, sp.kind))
        for m in _NAME_RUN.finditer(self.text, 0, pos):
            if self._in_content(m.start()) or (
                in_headline(self.text, m.start(), self._headlines) and self._title_case_line(m.start())
            ):
                continue
            words = m.group().split()
            owner = [i for i, w in enumerate(words[:-1]) if _POSSESSIVE.search(w)]
            if owner:  # "Ardent's chief operating officer": Ardent
                words = words[: owner[0] + 1]
            while words and words[0].lower() in _NOT_NAME_WORDS:
                words = words[1:]
            if not words:
                continue
            words[-1] = _POSSESSIVE.sub("", words[-1])
            known = self.by_name.get(" ".join(words).lower())
            if known is not None:
                if known.kind != "person":
                    out.append((m.start(), known.name, known.kind))
                continue
            before = self.text[max(0, m.start() - 30) : m.start()].split()
            kind = kind_of_name(words)
            if kind == "person" and before and before[-1].lower() in _ORG_ROLES:
                kind = "organization"  # 'rival Kestrel Cloud'
            if kind == "person" and len(words) == 1:
                long_form = self._organisation_named(words[0])  # 'Kestrel' after 'Kestrel Cloud'
                if long_form is not None:
                    words, kind = long_form.split(), "organization"
            generic = len(words) == 1 and words[0].lower() in _GENERIC  # 'Committee'
            if kind != "person" and not generic and not (len(words) == 1 and kind == "government"):
                out.append((m.start(), re.sub(r"^(?:the|a|an)\s+", "", " ".join(words), flags=re.I), kind))
        # 'Norvale' is 'Norvale Systems' when the article has both; 'College Union' is a piece
        # of 'University and College Union'
        names = {n for _, n, _ in out}
        joined = []
        for at, name, kind in out:
            longer = [n for n in names if n != name and (n.startswith(name + " ") or n.endswith(" " + name))]
            joined.append((at, max(longer, key=len) if len(longer) == 1 else name, kind))
        return sorted(joined)

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

    @staticmethod
    def _stands_for_organisation(m: Mention, span: str) -> bool:
        """'the company', 'the software maker', 'its ministry': a definite description, of at
        most one word before its head, that means an organisation named elsewhere."""
        if m.head not in _ORGANISATION_HEADS or not _DEFINITE.match(span.lstrip()):
            return False
        words = span.split(",")[0].split()
        return 2 <= len(words) <= 3 and words[-1].lower() == m.head and not any(_POSSESSIVE.search(w) for w in words)

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


def _either(names: list[str]) -> str:
    """'A or B', 'A, B or C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _name_head(name: str) -> str:
    """The word a name is a kind of: 'Russian Foreign Ministry' -> 'ministry', 'Bank of England'
    -> 'bank', 'University and College Union' -> 'union'."""
    words = name.lower().split()
    if "of" in words[1:]:
        return words[words.index("of", 1) - 1]
    return words[-1]


def _is_place(words: list[str]) -> bool:
    """'North Korea', 'Fort Pierce', 'Puerto Rico', 'Orange County': a place, not a person."""
    low = [w.lower() for w in words]
    return " ".join(low) in PLACES or (len(low) > 1 and (low[0] in PLACE_FIRST or low[-1] in PLACE_LAST))
