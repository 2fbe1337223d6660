"""Who a sentence is about: the phrase it opens with, a candidate for a later pronoun.

'Umweltministerin Sabine Krause zeigte Verständnis. Sie sagte, …': 'Sie' is Krause, though
the first sentence quotes no one; the resolver sees these leads next to the sources.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.finder.local.lexicon import Lexicon
from extractor.finder.local.mentions import Mention, read_forward
from extractor.finder.local.text import Layout, tokenize

_APPOSITION_REACH = 6  # tokens from a description to the comma before its name


_MAX_INSIDE = 10  # tokens into a sentence where a speaker it is about may stand


def sentence_leads(text: str, lay: Layout, lex: Lexicon, surnames: frozenset[str] = frozenset()) -> list[Mention]:
    """`surnames`: of the speakers named at a cue. A capitalised word opening a sentence is a
    name only when it is a surname ('Feld zeigte sich unbeeindruckt.': 'Jonas Feld' is in the
    text), not 'Ganz anders …' or 'Lavage des voitures, …'; a full name inside a sentence
    leads it only when it is a speaker's ('Ganz anders sieht das Nadja Zürcher …')."""
    leads = []
    for sent in lay.sentences:
        toks = tokenize(text, *sent)
        if not toks or lay.quote_at(toks[0].start):
            continue
        k = 0
        while k < len(toks) - 1 and toks[k].low in lex.adverbs:  # 'Auch der Ökonom …'
            k += 1
        # 'Pour Denis Marchal, …', 'Am Montag …': past one preposition
        k = k + 1 if toks[k].low in lex.prepositions and len(toks) > k + 1 else k
        m = read_forward(toks, k, lex)
        if m is not None and m.name and m.head is None and " " not in m.name and not _a_surname(text, m.name, surnames, lex):
            m = None
        if m is None and lex.free_word_order:  # 'На церемонии выступил губернатор области Андрей Белов.'
            m = next((n for n in (read_forward(toks, i, lex) for i in range(k + 1, len(toks))) if n and n.name and n.role), None)
        if m is None:  # 'Ganz anders sieht das Nadja Zürcher …', 'Interrogée sur …, Anne Leclerc a promis …'
            m = next((n for n in (read_forward(toks, i, lex) for i in range(k + 1, min(len(toks), _MAX_INSIDE)))
                      if n and n.name and " " in n.name and n.name.split()[-1] in surnames), None)
        if m is None:  # 'Sur les bancs …, la sœur de l'une des victimes, Nadia Belkacem, a suivi …'
            m = next((n for i in range(1, len(toks) - 1) if toks[i - 1].text == ","
                      and (n := read_forward(toks, i, lex)) and n.name and " " in n.name and not n.role
                      and n.stop < len(toks) and toks[n.stop].text == ","), None)
        if m is None or m.pronoun or (m.name and m.name.isupper()):
            continue  # no one, or a dateline ('MADRID.')
        if m.name is None:  # "L'adjoint chargé des mobilités, Karim Benali, …"
            for i in range(m.stop, min(len(toks) - 1, m.stop + _APPOSITION_REACH)):
                if toks[i].text == ",":
                    named = read_forward(toks, i + 1, lex)
                    if named is not None and named.name and not named.role:
                        m = replace(named, role=m.role, head=m.head, gender=m.gender or named.gender)
                    break
        leads.append(m)
    return leads


def _a_surname(text: str, word: str, surnames: frozenset[str], lex: Lexicon) -> bool:
    """Whether `word` is a speaker's surname, or ends a first name and surname in the text."""
    if word in surnames:
        return True
    for m in re.finditer(rf"\b(\w[\w-]+) {re.escape(word)}\b", text):
        first = m.group(1)
        low = first.lower()
        if first[0].isupper() and not (lex.is_title(low) or lex.is_cue(low) or low in lex.stop or low in lex.determiners):
            return True
    return False
