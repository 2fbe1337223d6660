"""Who a sentence is about: the phrase it opens with, a candidate for a later pronoun.

'Umweltministerin Sabine Krause zeigte Verständnis. Sie sagte, …': 'Sie' is Krause, though
the first sentence quotes no one; the resolver sees these leads next to the sources.
"""

from __future__ import annotations

from dataclasses import replace

from extractor.finder.local.lexicon import Lexicon
from extractor.finder.local.mentions import Mention, read_forward
from extractor.finder.local.text import Layout, tokenize

_APPOSITION_REACH = 6  # tokens from a description to the comma before its name


def sentence_leads(text: str, lay: Layout, lex: Lexicon) -> list[Mention]:
    leads = []
    for sent in lay.sentences:
        toks = tokenize(text, *sent)
        if not toks or lay.quote_at(toks[0].start):
            continue
        # 'Pour Denis Marchal, …', 'Am Montag …': past one preposition
        k = 1 if toks[0].low in lex.prepositions and len(toks) > 1 else 0
        m = read_forward(toks, k, lex)
        if m is None and lex.free_word_order:  # 'На церемонии выступил губернатор области Андрей Белов.'
            m = next((n for n in (read_forward(toks, i, lex) for i in range(k + 1, len(toks))) if n and n.name and n.role), None)
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
