"""Attributions of one sentence in a lexicon language, by the cue's place:

- after a quotation: '„…“, sagte Müller.', '« … », a-t-il déclaré.', '«…», — сказал он.',
  '«…», lamentó.' (a dropped subject: whoever was last spoken of)
- before its content, with the subject on its left or (verb second) its right:
  'Müller sagte: „…“', 'Am Montag sagte Müller, …', 'Le ministre a déclaré que …', or
  before an adverbial: 'Маркова на пресс-конференции заявила, что …'
- 'laut X …', 'selon X, …', 'по словам X, …', 'X zufolge …' (the content on either side).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extractor.finder.local.inflection import nominative
from extractor.finder.local.lexicon import Lexicon
from extractor.finder.local.mentions import Mention, read_backward, read_forward
from extractor.finder.local.text import Layout, Tok, content_end, tokenize

_INVERTED = re.compile(r"^(\w+)-(?:t-)?(\w+)$")  # 'a-t-il', 'dit-elle', 'ajoute-t-il'
_MAX_BRIDGE = 8  # tokens between a cue and its ':' / 'dass' / 'que' ('a déclaré mardi devant la presse :')
_BETWEEN = re.compile(r"[\s,—–-]*")
_MAX_ADVERBIAL = 5  # tokens between a fronted subject and its verb ('на пресс-конференции')


@dataclass(eq=False)
class LocalRaw:
    parts: list[tuple[int, int]]
    cue: tuple[int, int] | None
    source: Mention | None
    kind: str  # 'direct' | 'indirect'
    sentence: tuple[int, int]
    follows: LocalRaw | None = None  # reported speech going on without a cue: the same speaker


@dataclass(frozen=True)
class Cue:
    first: int  # token indices, inclusive
    last: int
    kind: str  # 'verb' | 'before' ('laut', 'selon') | 'weak' ('pour') | 'after' ('zufolge')
    pronoun: Mention | None = None  # the 'il' of 'a-t-il'


def find_cues(toks: list[Tok], lex: Lexicon) -> list[Cue]:
    out: list[Cue] = []
    i = 0
    while i < len(toks):
        low = toks[i].low
        two = low + toks[i + 1].low if i + 1 < len(toks) else ""
        phrase = _phrase_at(toks, i, lex)  # first: "d' après ses calculs" before "d'après"
        if phrase is not None:
            out.append(phrase)
            i = phrase.last + 1
            continue
        if two in lex.according_before:  # "d'" + 'après'
            out.append(Cue(i, i + 1, "before"))
            i += 2
            continue
        if low in lex.according_before:
            out.append(Cue(i, i, "before"))
        elif low in lex.weak_according and (i == 0 or toks[i - 1].text == ","):
            out.append(Cue(i, i, "weak"))
        elif low in lex.according_after:
            out.append(Cue(i, i, "after"))
        elif low in lex.auxiliaries:
            j = _participle_after(toks, i + 1, lex)
            if j is not None:
                out.append(Cue(i, j, "verb"))
                i = j
        elif low in lex.verbs:
            out.append(Cue(i, i, "verb"))
        elif (m := _INVERTED.match(low)) and m.group(2) in lex.pronouns:
            pronoun = _pronoun_in(toks[i], m.group(2), lex)
            if m.group(1) in lex.auxiliaries and (j := _participle_after(toks, i + 1, lex)) is not None:
                out.append(Cue(i, j, "verb", pronoun))
                i = j
            elif m.group(1) in lex.verbs or m.group(1) in lex.participles:
                out.append(Cue(i, i, "verb", pronoun))
        i += 1
    # '« … », s'inquiète-t-elle', 'se félicite le maire': the reflexive pronoun opens the cue
    return [replace(c, first=c.first - 1) if c.kind == "verb" and c.first > 0 and toks[c.first - 1].low in lex.reflexives else c for c in out]


def _phrase_at(toks: list[Tok], i: int, lex: Lexicon) -> Cue | None:
    """'nach Angaben von', 'nach seinen Worten' (the possessive then is the source)."""
    for words in lex.phrases:
        if i + len(words) > len(toks):
            continue
        pronoun = None
        for k, word in enumerate(words):
            tok = toks[i + k]
            if word == "*" and tok.low in lex.possessives:
                pronoun = Mention(tok.start, tok.end, None, None, None, lex.possessives[tok.low], True, "person", 0)
            elif word != tok.low:
                break
        else:
            return Cue(i, i + len(words) - 1, "before", pronoun)
    return None


def _participle_after(toks: list[Tok], k: int, lex: Lexicon) -> int | None:
    while k < len(toks) and toks[k].low in lex.adverbs:
        k += 1
    return k if k < len(toks) and toks[k].low in lex.participles else None


def _pronoun_in(tok: Tok, pronoun: str, lex: Lexicon) -> Mention:
    start = tok.end - len(pronoun)
    return Mention(start, tok.end, None, None, None, lex.pronouns[pronoun], True, "person", 0)


def sentence_attributions(text: str, lay: Layout, sent: tuple[int, int], lex: Lexicon) -> list[LocalRaw]:
    toks = tokenize(text, *sent)
    out: list[LocalRaw] = []
    taken_until = sent[0]  # a cue inside an earlier attribution's source or bridge is no new cue
    for cue in find_cues(toks, lex):
        first, last = toks[cue.first], toks[cue.last]
        if first.start < taken_until or lay.inside_quote(first.start):
            continue
        raw = _after_quote(text, lay, toks, cue, sent, lex)
        if raw is None and first.low in lex.after_quote_only:
            continue
        if raw is None and cue.kind == "verb":
            raw = _verb_before(text, lay, toks, cue, sent, lex) or _after_clause(text, toks, cue, sent, lex)
        elif raw is None:
            raw = _according(text, toks, cue, sent, lex)
        if raw is not None:
            if raw.source is not None and raw.source.gender is None and cue.kind == "verb":
                # 'сказала' agrees with its subject: '— пояснила эксперт' is a woman
                raw.source = replace(raw.source, gender=lex.gender_of_verb(first.low))
            out.append(raw)
            taken_until = max(last.end, raw.source.end if raw.source else 0)
    return out


def _after_quote(text, lay, toks, cue, sent, lex) -> LocalRaw | None:
    """'„…“, sagte Müller', '« … », a déclaré le ministre', '„…“, so Müller'."""
    first = toks[cue.first]
    quote = next((q for q in reversed(lay.quotes) if sent[0] <= q[0] and q[1] <= first.start), None)
    if quote is None or cue.kind == "after" or _BETWEEN.fullmatch(text, quote[1], first.start) is None:
        return None
    source = cue.pronoun or after_cue(toks, cue.last + 1, lex) or _implicit(toks, cue, lex)
    if source is None:
        return None
    parts = [quote]
    # '„A“, sagte er, „B“': the quotation goes on after the source
    rest = _BETWEEN.match(text, source.end).end()
    if (more := lay.quote_at(rest)) is not None:
        parts.append(more)
    return LocalRaw(parts, (first.start, toks[cue.last].end), source, "direct", sent)


def _verb_before(text, lay, toks, cue, sent, lex) -> LocalRaw | None:
    """'Müller sagte: „…“', 'Am Montag erklärte die Ministerin, …', 'Il a affirmé que …'."""
    source = before_cue(toks, cue.first, lex) or _fronted(toks, cue.first, lex)
    after = cue.last + 1
    if source is None:
        source = cue.pronoun or after_cue(toks, after, lex)
        if source is None:
            return None
        after = max(after, source.stop)
    cue_span = (toks[cue.first].start, toks[cue.last].end)
    k = after
    while k < min(len(toks), after + _MAX_BRIDGE):
        t = toks[k]
        if t.text == ":" or (t.text == "," and lex.comma_clause):
            start = _skip_space(text, t.end)
            quote = lay.quote_at(start)
            if quote is not None:
                return LocalRaw([quote], cue_span, source, "direct", sent)
            opens = k + 1 < len(toks) and toks[k + 1].low in lex.clause_openers  # 'räumte ein, dass …'
            if t.text == "," and k != after and not opens and not _reported_clause(toks, k + 1, lex):
                return None  # 'sagte Müller am Montag, nachdem …': a clause about the cue, not content
            return _indirect(text, toks, k + 1, cue_span, source, sent, lex)
        if t.low in lex.clause_openers:
            return _indirect(text, toks, k + 1, cue_span, source, sent, lex)
        quote = lay.quote_at(t.start)
        if quote is not None and len(text[quote[0] + 1 : quote[1] - 1].split()) >= 2 and _closes(text, quote[1], sent[1]):
            # 'a promis « une bataille amendement par amendement ».', 'bezeichnete die Vorlage als «…».'
            return LocalRaw([quote], cue_span, source, "direct", sent)
        if quote is not None and len(text[quote[0] + 1 : quote[1] - 1].split()) < 2:
            k = next((j for j in range(k + 1, len(toks)) if toks[j].start >= quote[1]), len(toks))
            continue  # 'in den „Tagesthemen“': a name in marks, the bridge goes on
        if not t.word or lay.inside_quote(t.start) or quote is not None:
            return None
        k += 1
    return None


def _closes(text: str, pos: int, end: int) -> bool:
    """Whether only a comma or the sentence's end follows `pos`."""
    rest = text[pos:end].strip()
    return rest in ("", ".", "!", "?", "…") or rest.startswith(",")


def _reported_clause(toks: list[Tok], k: int, lex: Lexicon) -> bool:
    """'…, sie hoffe, dass …', '…, die Gesichtserkennung werde …': reported speech after a comma
    (a verb in the reported mood among its first words, no subordinating conjunction first)."""
    if k >= len(toks) or toks[k].low in lex.subordinators:
        return False
    return any(t.low in lex.reported_mood for t in toks[k : k + 6])


def _indirect(text, toks, k, cue_span, source, sent, lex) -> LocalRaw | None:
    if k < len(toks) and toks[k].low in lex.clause_openers:  # ', dass …': the content starts after it
        k += 1
    if len(toks) - k < 3:  # too little left to be what someone said
        return None
    end = content_end(text, toks[k].start, sent[1])
    return LocalRaw([(toks[k].start, end)], cue_span, source, "indirect", sent)


def _according(text, toks, cue, sent, lex) -> LocalRaw | None:
    """'Laut Müller ist …', 'Selon Dupont, …', '…, selon le ministre.', 'Müller zufolge …'."""
    cue_span = (toks[cue.first].start, toks[cue.last].end)
    if cue.kind == "before" and cue.pronoun is not None:  # 'Nach seinen Worten sind …'
        source, after, before_end = cue.pronoun, cue.last + 1, toks[cue.first].start
    elif cue.kind in ("before", "weak"):
        source = _with_name(toks, read_forward(toks, cue.last + 1, lex), lex)
        after = source.stop if source else None
        if source is not None and (appos := _apposition(toks, source, lex)) is not None:
            source, after = appos
        if source is not None and source.name and " ".join(t.low for t in toks[cue.first : cue.last + 1]) in lex.genitive_cues:
            name = nominative(source.name, lex.genitive_names)  # 'по словам Ирины Соколовой'
            source = replace(source, name=name, gender=lex.gender_of_name(name) or source.gender)
        if cue.kind == "weak" and (source is None or source.pronoun or after >= len(toks) or toks[after].text != ","):
            return None  # 'pour la première fois', 'pour 2025': no one's view
        before_end = toks[cue.first].start
    else:
        source = read_backward(toks, cue.first, lex)
        after = cue.last + 1
        before_end = source.start if source else None
    if source is None:
        return None
    if cue.kind in ("before", "weak") and not source.pronoun:
        source, after = _to_comma(toks, source, after, lex)
    if after < len(toks) and toks[after].text == ",":
        after += 1
        # 'Pour Malik Benhamou, qui gère une librairie …, la piétonnisation …': past the relative clause
        if after < len(toks) and toks[after].low in lex.relatives:
            close = next((i for i in range(after + 1, min(len(toks), after + 16)) if toks[i].text == ","), None)
            if close is not None:
                after = close + 1
    if len(toks) - after >= 3:
        start = toks[after].start
        end = content_end(text, start, sent[1])
    else:  # the content came first: '… , selon le ministre.'
        start, end = sent[0], before_end
        while end > start and text[end - 1] in " ,—–-":
            end -= 1
        if len(text[start:end].split()) < 3:
            return None
    kind = "direct" if text[start] in "„«»“\"" and text[end - 1] in "“»«”\"" else "indirect"
    return LocalRaw([(start, end)], cue_span, source, kind, sent)


def _to_comma(toks: list[Tok], source: Mention, after: int, lex: Lexicon) -> tuple[Mention, int]:
    """'Selon le Bureau de recherches géologiques et minières, …': a description the speaker
    phrase stopped short of at 'et' runs on to the comma over adjectives."""
    if source.name or after >= len(toks) or toks[after].text == ",":
        return source, after
    close = next((i for i in range(after, min(len(toks), after + 4)) if toks[i].text == ","), None)
    if close is None or not all(t.low in lex.and_words or (lex.is_adjective(t.low) and not t.cap) for t in toks[after:close]):
        return source, after
    role = " ".join(filter(None, [source.role, *(t.text for t in toks[after:close])]))
    return replace(source, end=toks[close - 1].end, role=role, stop=close), close


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def after_cue(toks: list[Tok], k: int, lex: Lexicon) -> Mention | None:
    """The speaker after a cue, past a day or an adverb ('a déclaré mardi la Première ministre,
    Élisabeth Morand'), with a name in apposition to a description."""
    for skip in range(3):
        if k + skip >= len(toks) or not (toks[k + skip].low in lex.stop or toks[k + skip].low in lex.adverbs):
            break
    else:
        return None
    k += skip
    m = _with_name(toks, read_forward(toks, k, lex), lex)
    return None if m is not None and m.oblique else m


def _with_name(toks: list[Tok], m: Mention | None, lex: Lexicon) -> Mention | None:
    """A description and the name in apposition after it: 'la ministre de la Santé, Julie Perrin'."""
    if m is None or m.pronoun or m.name or m.stop >= len(toks) or toks[m.stop].text != ",":
        return m
    named = read_forward(toks, m.stop + 1, lex)
    # 'l'avocat de Gérard Lautner, Me Antoine Keller': an honorific is no description of its own
    if named is not None and named.name and (not named.role or named.role.lower().rstrip(".") in lex.abbreviations):
        return replace(named, start=m.start, role=m.role, head=m.head, gender=m.gender or named.gender)
    return m


def _implicit(toks: list[Tok], cue: Cue, lex: Lexicon) -> Mention | None:
    """The subject a null-subject language leaves out: '«…», lamentó.', '«…», dijo a este
    diario.' Nothing named follows the cue, so the speaker is whoever was last spoken of."""
    k = cue.last + 1
    if not lex.null_subject or (k < len(toks) and toks[k].word and toks[k].low not in lex.prepositions):
        return None
    end = toks[cue.last].end
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


def _fronted(toks: list[Tok], k: int, lex: Lexicon) -> Mention | None:
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


def _apposition(toks: list[Tok], source: Mention, lex: Lexicon) -> tuple[Mention, int] | None:
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


def _after_clause(text, toks, cue, sent, lex) -> LocalRaw | None:
    """'Es gebe zu viele kleine Häuser, sagte er.', 'Le texte sera adopté, a affirmé le ministre.':
    the cue and its speaker close the sentence, and what comes before the comma is the content."""
    if cue.first < 4 or toks[cue.first - 1].text != ",":
        return None
    source = cue.pronoun or after_cue(toks, cue.last + 1, lex) or _implicit(toks, cue, lex)
    stop = cue.last + 1 if cue.pronoun or (source and source.implicit) else (source.stop if source else 0)
    if source is None and cue.last + 2 == len(toks) and toks[-1].low in lex.impersonal:
        stop = len(toks)  # 'Man habe …, hieß es.': said, by no one named
    elif source is None:
        return None
    if any(t.word and t.low not in lex.stop for t in toks[stop:]):
        return None  # more follows the speaker: not a closing cue
    end = toks[cue.first - 1].start
    return LocalRaw([(sent[0], end)], (toks[cue.first].start, toks[cue.last].end), source, "indirect", sent)
