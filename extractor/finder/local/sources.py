"""The speaker phrase next to a cue: after it ('a déclaré mardi la Première ministre,
Élisabeth Morand', past an adverbial when it closes the sentence), before it ('Le porte-parole
du gouvernement, Paul Verdier, a affirmé'), fronted ('Маркова на пресс-конференции заявила'),
left out in a null-subject language ('«…», lamentó.'), and the apposition or description that
runs on after a name ('Selon X, économiste à l'université de Lyon, …').
"""

from __future__ import annotations

from dataclasses import replace

from extractor.finder.local.lexicon import Lexicon
from extractor.finder.local.mentions import Mention, read_backward, read_forward
from extractor.finder.local.text import Tok

_MAX_ADVERBIAL = 5  # tokens between a fronted subject and its verb ('на пресс-конференции')
_MAX_STRETCH = 8  # tokens of an adverbial between a cue and a speaker closing the sentence


def to_comma(toks: list[Tok], source: Mention, after: int, lex: Lexicon) -> tuple[Mention, int]:
    """'Selon le Bureau de recherches géologiques et minières, …': a description the speaker
    phrase stopped short of at 'et' runs on to the comma over adjectives."""
    if source.name or after >= len(toks) or toks[after].text == ",":
        return source, after
    close = next((i for i in range(after, min(len(toks), after + 4)) if toks[i].text == ","), None)
    if close is None or not all(t.low in lex.and_words or (lex.is_adjective(t.low) and not t.cap) for t in toks[after:close]):
        return source, after
    role = " ".join(filter(None, [source.role, *(t.text for t in toks[after:close])]))
    return replace(source, end=toks[close - 1].end, role=role, stop=close), close


def after_cue(toks: list[Tok], k: int, lex: Lexicon) -> Mention | None:
    """The speaker after a cue, past a day or an adverb ('a déclaré mardi la Première ministre,
    Élisabeth Morand'), with a name in apposition to a description; past an adverbial when the
    speaker closes the sentence ('a déclaré à l'issue de l'audience Me X', 'sagte am Abend X')."""
    p = next((j for j in range(k, min(len(toks), k + 3)) if toks[j].low not in lex.stop or toks[j].low in lex.prepositions), len(toks))
    if p < len(toks) and toks[p].low in lex.prepositions and (m := _past_adverbial(toks, p, lex)) is not None:
        return m
    for skip in range(3):
        if k + skip >= len(toks) or not (toks[k + skip].low in lex.stop or toks[k + skip].low in lex.adverbs):
            break
    else:
        return None
    k += skip
    m = with_name(toks, read_forward(toks, k, lex), lex)
    return None if m is not None and m.oblique else m


def _past_adverbial(toks: list[Tok], k: int, lex: Lexicon) -> Mention | None:
    """The speaker phrase that ends the sentence after an adverbial of a few words: it starts
    at a word no preposition, article or connector leads into ('de l'audience Me X': 'Me')."""
    into = lex.prepositions | lex.determiners | lex.connectors | lex.affiliation
    for s in range(k + 1, min(len(toks), k + _MAX_STRETCH)):
        if not toks[s].word and not toks[s].text.endswith(("'", "’")) or lex.is_cue(toks[s].low):
            return None
        if toks[s - 1].low in into:
            continue
        m = with_name(toks, read_forward(toks, s, lex), lex)
        if m is not None and not m.oblique and not m.pronoun and _closes_sentence(toks, m.stop, lex):
            return m
    return None


def _closes_sentence(toks: list[Tok], k: int, lex: Lexicon) -> bool:
    """Only closing punctuation after token k, or a comma before more of the quotation."""
    if k + 1 < len(toks) and toks[k].text == "," and any(toks[k + 1].text == o for o, _ in lex.quotes):
        return True
    return all(not t.word for t in toks[k:])


def with_name(toks: list[Tok], m: Mention | None, lex: Lexicon) -> Mention | None:
    """A description and the name in apposition after it: 'la ministre de la Santé, Julie Perrin'."""
    if m is None or m.pronoun or m.name or m.stop >= len(toks) or toks[m.stop].text != ",":
        return m
    named = read_forward(toks, m.stop + 1, lex)
    # 'l'avocat de Gérard Lautner, Me Antoine Keller': an honorific is no description of its own
    if named is not None and named.name and (not named.role or named.role.lower().rstrip(".") in lex.abbreviations):
        return replace(named, start=m.start, role=m.role, head=m.head, gender=m.gender or named.gender)
    return m


def implicit_subject(toks: list[Tok], last: int, lex: Lexicon) -> Mention | None:
    """The subject a null-subject language leaves out: '«…», lamentó.', '«…», dijo a este
    diario.' Nothing named follows the cue, so the speaker is whoever was last spoken of."""
    k = last + 1
    if not lex.null_subject or (k < len(toks) and toks[k].word and toks[k].low not in lex.prepositions):
        return None
    end = toks[last].end
    return Mention(end, end, None, None, None, None, True, "person", k, implicit=True)


def before_cue(toks: list[Tok], k: int, lex: Lexicon) -> Mention | None:
    """The subject before a cue; 'Le porte-parole du gouvernement, Paul Verdier, a affirmé' and
    'Sophie Brunet, secrétaire générale de la CGT, a déclaré' are one speaker phrase."""
    m = read_backward(toks, k, lex)
    if m is not None and m.oblique:  # 'в опубликованном релизе указал': no subject in the locative
        return None
    if m is not None or k < 2 or toks[k - 1].text != ",":
        return m
    for s in range(k - 2, max(-1, k - 14), -1):  # the phrase between the commas
        if toks[s].text == "," and s > 0:
            outer = read_backward(toks, s, lex)
            inner = read_forward(toks, s + 1, lex)
            if outer is None and inner is not None and inner.name and not inner.pronoun and inner.stop == k - 1:
                return replace(inner, end=toks[k - 2].end, stop=k)  # 'L'expert entendu lundi, Marc Oberlin, a estimé'
            if outer is None or inner is None or outer.pronoun or inner.pronoun:
                return None
            if (outer.name is None) == (inner.name is None) or (inner.name and inner.stop != k - 1):
                return None  # one of them names, the other describes; a name fills its commas
            named, described = (outer, inner) if outer.name else (inner, outer)
            return replace(named, start=outer.start, end=toks[k - 2].end, role=described.role or named.role,
                           head=described.head or named.head, gender=named.gender or described.gender, stop=k)
    return None


def fronted(toks: list[Tok], k: int, lex: Lexicon) -> Mention | None:
    """In a free word order, the subject opens the sentence and an adverbial stands between it
    and its verb: 'Председатель Центробанка Елена Маркова на пресс-конференции заявила, что …'."""
    if not lex.free_word_order:
        return None
    s = 0
    while s < k and (toks[s].low in lex.stop or toks[s].low in lex.adverbs) and toks[s].low not in lex.prepositions:
        s += 1
    m = read_forward(toks, s, lex)
    if m is None or m.oblique or m.stop >= k or k - m.stop > _MAX_ADVERBIAL:
        return None
    between = toks[m.stop : k]
    if not (between[0].low in lex.prepositions or between[0].low in lex.adverbs):
        return None
    if any(not t.word or lex.is_cue(t.low) for t in between):
        return None
    return m


def apposition(toks: list[Tok], source: Mention, lex: Lexicon) -> tuple[Mention, int] | None:
    """', économiste à l'université de Lyon,' after a name: skipped, its title kept."""
    k = source.stop
    if k >= len(toks) or toks[k].text != "," or not source.name:
        return None
    described = read_forward(toks, k + 1, lex)
    if described is None or described.name or described.head is None:
        return None
    close = next((i for i in range(k + 1, min(len(toks), k + 12)) if toks[i].text == ","), None)
    if close is None:
        return None
    return replace(source, role=source.role or described.role, head=source.head or described.head), close
