"""Pronoun resolution for the speaker resolver (speakers.py): whom 'he', 'she', 'they' and
'who' stand for.

'he'/'she' join the one person of that gender (or of none known) that the pronoun's sentence,
or one of the two before it, names or speaks of; a name's gender is read from its title or from
the first 'he'/'she' after it in its sentence. 'they' joins the one organisation or group its
sentence or the one before speaks of. When two could be meant, no one is guessed: the reason and
the candidates go to `Resolver.why`. When none is named there, the last one quoted who fits.
'who' is the name right before it.

A mixin rather than plain functions: these methods read and update the resolver's state (its
speakers and their mentions, the last person quoted, `why`) and call back into it (`_named`,
`resolve`, `_in_content`, `_title_case_line`, `_index_of_names`).
"""

from __future__ import annotations

import bisect
import re

from extractor.finder.antecedents import PRONOUN_GENDER, gender_of_title, sentence_starts
from extractor.finder.lexicon import PARTY_LABELS, TITLES
from extractor.finder.mentions import kind_of_name, parse_mention
from extractor.finder.name_shapes import _NAME_RUN, _NO_ONE, _NOT_NAME_WORDS, _PLACE_BEFORE, _POSSESSIVE, _either, _is_place
from extractor.finder.names import full_name
from extractor.finder.roles import TITLE_TAILS, occupation_before_name
from extractor.finder.speaker_record import Speaker
from extractor.schema import Unresolved

# How far back a pronoun looks for the people it could mean: its own sentence and two before it.
_PRONOUN_REACH = 2
_GENDERED_OR_NAME = re.compile(r"\b(?:(?P<pronoun>he|him|his|himself|she|her|hers|herself)|(?P<name>[A-Z][a-z][\w'’\-]*))\b")
_MALE_PRONOUNS = frozenset("he him his himself".split())
_PRONOUNS_OF = {"m": re.compile(r"\b(?:[Hh]e|[Hh]is|[Hh]im|[Hh]imself)\b"), "f": re.compile(r"\b(?:[Ss]he|[Hh]er|[Hh]ers|[Hh]erself)\b")}
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+(?=[\"“‘'A-Z])|\n")


class PronounResolution:
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

    def _who(self, start: int) -> Speaker | None:
        """'Trump, who said ...': the name right before the relative pronoun."""
        base = max(0, start - 80)
        window = self.text[base:start].rstrip().rstrip(",")
        m = re.search(r"(?:[A-Z][\w'’.\-]*\s+){0,3}[A-Z][\w'’.\-]*$", window)
        if m is None:
            return None
        found = self.resolve(base + m.start(), base + m.end())
        return found[0] if found else None
