"""Speaker phrases next to a cue, recognised by shape: determiners, titles, capitalised names,
and a complement after a connector ('Sprecher des Innenministeriums', 'ministre de l'Intérieur').

Read left to right from a start token; a phrase before a cue is the longest one that ends
exactly at the cue, so a leading 'Doch' or a day name stays out of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.finder.local.lexicon import Lexicon
from extractor.finder.local.text import Tok

_MAX_NAME_WORDS = 4
_MAX_BACK = 10  # tokens a subject can span before its cue
_MAX_TAIL = 9  # tokens of complements and name after a title, in a language without connectors


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str | None  # 'Anna Müller'; None for a description or a pronoun
    role: str | None  # 'Bundesinnenministerin', 'porte-parole du gouvernement'
    head: str | None  # the last title word, lower case: descriptions join by it
    gender: str | None
    pronoun: bool
    kind: str
    stop: int  # index of the first token after the phrase
    definite: bool = False  # opens with a definite article: 'die CSU-Politikerin', 'le ministre'
    oblique: bool = False  # its title in another case than the lexicon's ('эксперта'): no subject
    implicit: bool = False  # a dropped subject ('«…», lamentó.'): resolved like a pronoun, no span of its own


def read_forward(toks: list[Tok], k: int, lex: Lexicon) -> Mention | None:
    if k >= len(toks):
        return None
    first = toks[k]
    # 'Ihr zufolge' is a pronoun, 'Ihr Vorstandschef Martin Graf' a possessive
    possessive = first.low in lex.determiners and k + 1 < len(toks) and toks[k + 1].cap
    if first.low in lex.pronouns and not possessive:
        return Mention(first.start, first.end, None, None, None, lex.pronouns[first.low], True, "person", k + 1)
    taken: list[tuple[Tok, str]] = []  # (token, 'det' | 'title' | 'name' | 'org' | 'conn' | 'comp')
    i = k
    while i < len(toks):
        t = toks[i]
        low = t.low
        last = taken[-1][1] if taken else None
        if lex.no_articles and last in ("title", "org"):
            taken.extend(_genitive_tail(toks, i, lex, person=last == "title"))
            break
        if low in lex.determiners and last in (None, "conn"):
            taken.append((t, "det"))
        elif not t.cap and last in (None, "det") and lex.is_modifier(low):
            taken.append((t, "det"))  # 'местная жительница': dropped again unless a title follows
        elif lex.is_title(low) and last != "comp" and (t.cap or low not in lex.cap_titles):
            # 'Bayerns Gesundheitsministerin Ulrike Baum': a capitalised word before a title is no name
            taken = [(x, "comp" if kind == "name" else kind) for x, kind in taken]
            taken.append((t, "title"))
            if low in lex.abbreviations and i + 1 < len(toks) and toks[i + 1].text == ".":
                i += 1
                taken.append((toks[i], "title"))
        elif low in lex.connectors and last in ("title", "org", "comp") and _has_word_after(toks, i):
            taken.append((t, "conn"))
        elif low in lex.affiliation and last == "name" and _has_word_after(toks, i):
            taken.append((t, "conn"))
        elif lex.is_org(low) and last != "name":
            taken.append((t, "org"))
        elif last in ("conn", "det") and any(k == "conn" for _, k in taken) and t.word and low not in lex.stop:
            taken.append((t, "comp"))
        elif last in ("comp", "org") and t.cap and t.word and low not in lex.stop and any(k == "conn" for _, k in taken):
            taken.append((t, "comp"))  # 'der Universität Jena', 'de la consultora Andes Research'
        elif last == "comp" and t.cap and t.word and low not in lex.stop:
            taken.append((t, "comp"))
        elif last in ("title", "org", "comp") and not t.cap and lex.is_adjective(low) and not lex.is_cue(low) and low not in lex.stop:
            taken.append((t, "comp"))  # 'la oposición municipal', 'ministre de la Transition écologique'
        elif low in lex.place_connectors and last in ("org", "comp") and i + 1 < len(toks) and toks[i + 1].cap:
            taken.append((t, "conn"))  # 'des Kriminologischen Instituts in Hannover'
        elif t.word and t.cap and low not in lex.stop and last != "comp" and not lex.is_cue(low):
            if sum(1 for _, k in taken if k == "name") >= _MAX_NAME_WORDS:
                break
            taken.append((t, "name"))
        else:
            break
        i += 1
    while taken and taken[-1][1] in ("conn", "det"):
        taken.pop()
    if not any(kind in ("title", "name", "org") for _, kind in taken):
        return None
    return _mention(taken, k + len(taken), lex)


def _genitive_tail(toks: list[Tok], i: int, lex: Lexicon, person: bool) -> list[tuple[Tok, str]]:
    """What follows a title with no connector: complements in the genitive, then the name
    ('губернатор области Андрей Белов', 'эксперта по транспорту Ирины Соколовой', 'компании
    «Северный капитал» Павел Орлов'). The name is the last run of capitalised words, its last
    two (three with a patronymic), or one word shaped like a surname; an acronym ('МЧС') and a
    quoted name are complements."""
    closers = dict(lex.quotes)
    tail: list[tuple[Tok, str]] = []
    while i < len(toks) and len(tail) < _MAX_TAIL:
        t = toks[i]
        if t.text in closers:
            close = next((j for j in range(i + 1, min(len(toks), i + 8)) if toks[j].text == closers[t.text]), None)
            if close is None:
                break
            tail.extend((toks[j], "quoted") for j in range(i, close + 1))
            i = close + 1
            continue
        if t.low in lex.connectors and _has_word_after(toks, i):
            tail.append((t, "conn"))
        elif not t.word or t.low in lex.stop or t.low in lex.prepositions or t.low in lex.pronouns or lex.is_cue(t.low):
            break
        else:
            tail.append((t, "word"))
        i += 1
    capital = [j for j, (t, kind) in enumerate(tail) if kind == "word" and t.cap and not t.text.isupper()]
    names: list[int] = []
    if person and capital:
        run = [capital[-1]]
        while run[0] - 1 in capital:
            run.insert(0, run[0] - 1)
        names = run[-3:] if len(run) >= 3 and lex.is_patronymic(tail[run[-2]][0].text) else run[-2:]
        if len(names) == 1 and lex.gender_of_name(tail[names[0]][0].text) is None:
            names = []  # 'президент России': one word that is no surname is a complement
        else:
            tail = tail[: names[-1] + 1]
    while tail and tail[-1][1] == "conn":
        tail.pop()
    return [(t, "name" if j in names else "comp") for j, (t, _) in enumerate(tail)]


def _has_word_after(toks: list[Tok], i: int) -> bool:
    return i + 1 < len(toks) and toks[i + 1].word


def _mention(taken: list[tuple[Tok, str]], stop: int, lex: Lexicon) -> Mention:
    names = [t for t, k in taken if k == "name"]
    marks = [i for i, (_, k) in enumerate(taken) if k in ("title", "org", "conn", "comp")]
    # the role keeps the articles inside it: 'étude de l'agence d'urbanisme'
    described = [t for i, (t, k) in enumerate(taken) if marks and marks[0] <= i <= marks[-1] and k != "name"]
    text_of = lambda toks: " ".join(t.text for t in toks).replace(" .", ".").replace("' ", "'").replace("’ ", "’")  # noqa: E731
    titles = [lex.base(t.low) for t, k in taken if k in ("title", "org") and t.text != "."]
    gender = None
    for t, k in taken:
        if k == "conn":
            break  # 'Nadja Zürcher von der Genossenschaft': the complement's article is not hers
        gender = lex.title_gender(t.low) or gender if k in ("det", "title") else gender
    if gender is None and names:  # 'Соколова': the surname's ending, where the lexicon has a table
        gender = lex.gender_of_name(" ".join(t.text for t in names))
    kind = "organization" if not names and any(k == "org" for _, k in taken) and not any(k == "title" for _, k in taken) else "person"
    if names and not any(k == "title" for _, k in taken) and any(k == "org" for _, k in taken[: taken.index((names[0], "name"))]):
        kind = "organization"  # 'Die Stadt Zürich will …'
    if len(names) == 1 and len(names[0].text) > 1 and names[0].text.isupper() and not any(k == "title" for _, k in taken):
        kind = "organization"  # 'Die SVP bezeichnete …', 'la CFDT': an acronym is no person
    return Mention(
        start=taken[0][0].start,
        end=taken[-1][0].end,
        name=text_of(names) if names else None,
        role=text_of([t for t in described if t.text != "."]) or None,
        head=titles[-1] if titles else None,
        gender=gender,
        pronoun=False,
        kind=kind,
        stop=stop,
        # with no articles, a bare title is as definite as 'le ministre'
        oblique=any(lex.base(t.low) != t.low for t, k in taken if k in ("title", "org")),
        definite=(taken[0][1] == "det" and taken[0][0].low in lex.definite) or (lex.no_articles and not names),
    )


def read_backward(toks: list[Tok], k: int, lex: Lexicon) -> Mention | None:
    """The longest phrase that ends just before token k."""
    for s in range(max(0, k - _MAX_BACK), k):
        if not toks[s].word:
            continue
        m = read_forward(toks, s, lex)
        if m is not None and m.stop == k:
            # 'In Berlin sagte Müller': a phrase after a preposition is no subject
            return None if s > 0 and toks[s - 1].low in lex.prepositions else m
    return None
