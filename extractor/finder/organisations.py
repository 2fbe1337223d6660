"""Organisation resolution for the speaker resolver (speakers.py): which organisation a
description means ('the company', 'the software maker', 'the ministry'), and the long form of a
short name ('Ardent' -> 'Ardent Energy').

A definite description of at most one word before an organisation's head joins the one
organisation named before it that fits: a company-like head fits any company, another head a
name that is that kind of thing ('the ministry' -> 'Russian Foreign Ministry'). Several fit and
its own sentence names just one: that one. Otherwise no one is guessed, and `Resolver.why` says
why, with the candidates.

A mixin rather than plain functions: these methods read the resolver's speakers and caches and
call back into it (`_named`, `_new`, `_in_content`, `_title_case_line`).
"""

from __future__ import annotations

import re

from extractor.finder.antecedents import sentence_starts
from extractor.finder.lexicon import COMPANY_HEADS, NAMED_HEADS, NOT_COMPANY, ORG_WORDS
from extractor.finder.mentions import Mention, kind_of_name, parse_mention
from extractor.finder.name_shapes import _GENERIC, _NAME_RUN, _NOT_NAME_WORDS, _POSSESSIVE, _either, _name_head
from extractor.finder.names import in_headline
from extractor.finder.speaker_record import Speaker
from extractor.schema import Unresolved

# Role heads that make a name an organisation's: 'rival Kestrel Cloud', 'campaign group X'.
_ORG_ROLES = ORG_WORDS | frozenset("rival company firm maker charity group body".split())
_DEFINITE = re.compile(r"(?:the|its)\s", re.I)
# unions made once: made at each call, they cost a resolution several microseconds each
_ORGANISATION_HEADS = COMPANY_HEADS | NAMED_HEADS


class OrganisationResolution:
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

    @staticmethod
    def _stands_for_organisation(m: Mention, span: str) -> bool:
        """'the company', 'the software maker', 'its ministry': a definite description, of at
        most one word before its head, that means an organisation named elsewhere."""
        if m.head not in _ORGANISATION_HEADS or not _DEFINITE.match(span.lstrip()):
            return False
        words = span.split(",")[0].split()
        return 2 <= len(words) <= 3 and words[-1].lower() == m.head and not any(_POSSESSIVE.search(w) for w in words)
