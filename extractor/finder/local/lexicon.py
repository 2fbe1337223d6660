"""A language's word lists, read from extractor/finder/lexicons/<code>.json.

Adding a language is adding its file: the finder for lexicon languages (this package) reads
nothing language-specific from code. English keeps its own, richer rules (extractor/finder/).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from extractor.finder.local.inflection import base_form, name_gender, verb_gender

FOLDER = Path(__file__).resolve().parent.parent / "lexicons"


@dataclass(frozen=True)
class Lexicon:
    language: str
    quotes: tuple[tuple[str, str], ...]  # outer pairs first: the first opener found wins
    inner_quotes: tuple[tuple[str, str], ...]
    verbs: frozenset[str]  # inflected forms that are a cue on their own ('sagte', 'déclare', 'so')
    after_quote_only: frozenset[str]  # '„…“, so Müller': elsewhere 'so' is no cue
    auxiliaries: frozenset[str]  # with a participle: 'a déclaré', 'hat gesagt'
    participles: frozenset[str]
    according_before: frozenset[str]  # 'laut X ...', 'selon X, ...', 'nach Angaben von X'
    phrases: tuple[tuple[str, ...], ...]  # the ones of several words, longest first; '*' a possessive
    possessives: dict[str, str]  # 'nach seinen Worten': the possessive is the source, with its gender
    weak_according: frozenset[str]  # 'Pour la FNSEA, …': only with a speaker phrase and a comma
    according_after: frozenset[str]  # 'X zufolge ...'
    clause_openers: frozenset[str]  # 'dass', 'que': an indirect quote follows
    comma_clause: bool  # German: 'Müller sagte, die Lage sei ernst' (no conjunction)
    # German reported speech goes on in the subjunctive with no cue ('Die Lage sei ernst.')
    reported_mood: frozenset[str]
    adverbs: frozenset[str]
    determiners: frozenset[str]
    definite: frozenset[str]  # 'die CSU-Politikerin' refers back to someone already in the article
    affiliation: frozenset[str]  # a connector after a name: 'Thomas Weiß von der Universität Jena'
    connectors: frozenset[str]  # 'Sprecher des Ministeriums', 'ministre de l'Intérieur'
    titles: frozenset[str]
    title_suffixes: tuple[str, ...]  # German compounds: 'Bundesinnenministerin' ends in 'ministerin'
    feminine_suffixes: tuple[str, ...]
    gender_words: dict[str, str]
    abbreviations: frozenset[str]
    pronouns: dict[str, str]  # pronoun -> 'm' / 'f'
    organizations: frozenset[str]
    prepositions: frozenset[str]  # 'In Berlin sagte Müller': the phrase after one is no subject
    restate: dict[str, str]  # the narrow strategy's claim text: 'direct' and 'indirect' templates
    stop: frozenset[str]  # words no speaker phrase holds: days, months, prepositions, 'doch'
    # Spanish drops the subject: '«…», lamentó.' is said by the person last spoken of
    null_subject: bool = False
    # Spanish adjectives follow their noun: 'la oposición municipal', 'la patronal hotelera'
    adjective_endings: tuple[str, ...] = ()
    # Russian: no articles, so a bare title is definite ('— пояснил эксперт'), and the
    # complements of a title follow it in the genitive with no connector ('глава МЧС региона')
    no_articles: bool = False
    free_word_order: bool = False  # a named speaker may stand anywhere in a sentence it leads
    modifier_endings: tuple[str, ...] = ()  # an adjective before a title: 'местная жительница'
    case_endings: tuple[str, ...] = ()  # titles and organizations are listed in one case only
    patronymic_endings: tuple[str, ...] = ()
    # 'Об этом сообщил X.', 'Así lo afirmó X.': the content is the sentence before
    previous_sentence: tuple[tuple[str, ...], ...] = ()
    genitive_cues: frozenset[str] = frozenset()  # 'по словам X': X is in the genitive
    genitive_names: dict = field(default_factory=dict)  # rules back to the nominative (inflection.py)
    name_gender: dict = field(default_factory=dict)  # surname endings by gender
    verb_gender: dict = field(default_factory=dict)  # past-tense endings by gender
    # German compounds of an organization: 'Mieterverband', 'Bundesgesundheitsministerium'
    organization_suffixes: tuple[str, ...] = ()
    # German: a title with no feminine ending is a man's ('der Wirtschaftsminister'), except
    # the adjectival nouns in -e ('die/der Vorsitzende')
    masculine_titles: bool = False
    place_connectors: frozenset[str] = frozenset()  # 'des Instituts in Hannover': a place closes a description
    # a comma after a bridge ('sagte dem Sender RBB, sie hoffe …') opens content unless one of
    # these opens the clause ('sagte Müller am Montag, nachdem …')
    subordinators: frozenset[str] = frozenset()
    reflexives: frozenset[str] = frozenset()  # '« … », s'inquiète-t-elle', 'se félicite le maire'
    relatives: frozenset[str] = frozenset()  # 'Pour X, qui gère une librairie, …': the clause is no content
    and_words: frozenset[str] = frozenset()  # 'Bureau de recherches géologiques et minières'
    cap_titles: frozenset[str] = frozenset()  # titles only when capitalised: 'Me Antoine Keller', not 'me'
    impersonal: frozenset[str] = frozenset()  # '…, hieß es.': a cue with no one behind it

    def is_title(self, low: str) -> bool:
        if low in self.titles or any(low.endswith(s) and len(low) > len(s) + 2 for s in self.title_suffixes):
            return True
        return bool(self.case_endings) and base_form(low, self.titles, self.case_endings) is not None

    def is_org(self, low: str) -> bool:
        if low in self.organizations or any(low.endswith(s) and len(low) > len(s) + 2 for s in self.organization_suffixes):
            return True
        return bool(self.case_endings) and base_form(low, self.organizations, self.case_endings) is not None

    def base(self, low: str) -> str:
        """A title or organization word in the case the lexicon lists it in ('эксперта' -> 'эксперт')."""
        if not self.case_endings:
            return low
        return base_form(low, self.titles, self.case_endings) or base_form(low, self.organizations, self.case_endings) or low

    def is_modifier(self, low: str) -> bool:
        return any(low.endswith(e) and len(low) > len(e) + 2 for e in self.modifier_endings)

    def is_patronymic(self, word: str) -> bool:
        return any(word.lower().endswith(e) for e in self.patronymic_endings)

    def gender_of_name(self, name: str) -> str | None:
        return name_gender(name, self.name_gender)

    def gender_of_verb(self, low: str) -> str | None:
        return verb_gender(low, self.verb_gender) if self.verb_gender else None

    def is_cue(self, low: str) -> bool:
        """'Selon', 'Laut', 'Sagte' open a sentence but name no one."""
        return low in self.verbs or low in self.according_before or low in self.auxiliaries

    def is_adjective(self, low: str) -> bool:
        return any(low.endswith(e) and len(low) > len(e) + 2 for e in self.adjective_endings)

    def title_gender(self, low: str) -> str | None:
        if low in self.gender_words:
            return self.gender_words[low]
        if self.is_title(low) and any(low.endswith(s) for s in self.feminine_suffixes):
            return "f"
        if self.masculine_titles and self.is_title(low) and not low.endswith("e") and low not in self.abbreviations:
            return "m"
        return None


_NOT_WORDS = ("previous_sentence", "quotes", "inner_quotes", "title_suffixes", "feminine_suffixes", "adjective_endings", "modifier_endings", "case_endings", "patronymic_endings", "organization_suffixes")


@cache
def languages() -> frozenset[str]:
    """The languages with a lexicon file."""
    return frozenset(p.stem for p in FOLDER.glob("*.json"))


@cache
def load(language: str) -> Lexicon:
    data = json.loads((FOLDER / f"{language}.json").read_text(encoding="utf-8"))
    words = {k: frozenset(w.lower() for w in v) for k, v in data.items() if isinstance(v, list) and k not in _NOT_WORDS}
    return Lexicon(
        language=language,
        quotes=tuple((o, c) for o, c in data["quotes"]),
        inner_quotes=tuple((o, c) for o, c in data["inner_quotes"]),
        verbs=words["verbs"],
        after_quote_only=words["after_quote_only"],
        auxiliaries=words["auxiliaries"],
        participles=words["participles"],
        according_before=words["according_before"],
        phrases=tuple(sorted((tuple(p.split()) for p in words["according_before"] if " " in p), key=len, reverse=True)),
        possessives=dict(data["possessives"]),
        weak_according=words["weak_according"],
        according_after=words["according_after"],
        clause_openers=words["clause_openers"],
        comma_clause=bool(data["comma_clause"]),
        reported_mood=words["reported_mood"],
        adverbs=words["adverbs"],
        determiners=words["determiners"],
        definite=words["definite"],
        affiliation=words["affiliation"],
        connectors=words["connectors"],
        titles=words["titles"],
        title_suffixes=tuple(data["title_suffixes"]),
        feminine_suffixes=tuple(data["feminine_suffixes"]),
        gender_words=dict(data["gender_words"]),
        abbreviations=words["abbreviations"],
        pronouns=dict(data["pronouns"]),
        organizations=words["organizations"],
        prepositions=words["prepositions"],
        restate=dict(data["restate"]),
        stop=words["stop"],
        null_subject=bool(data.get("null_subject", False)),
        adjective_endings=tuple(data.get("adjective_endings", ())),
        no_articles=bool(data.get("no_articles", False)),
        free_word_order=bool(data.get("free_word_order", False)),
        modifier_endings=tuple(data.get("modifier_endings", ())),
        case_endings=tuple(data.get("case_endings", ())),
        patronymic_endings=tuple(data.get("patronymic_endings", ())),
        previous_sentence=tuple(tuple(p.split()) for p in data.get("previous_sentence", ())),
        genitive_cues=words.get("genitive_cues", frozenset()),
        genitive_names=dict(data.get("genitive_names", {})),
        name_gender=dict(data.get("name_gender", {})),
        verb_gender=dict(data.get("verb_gender", {})),
        organization_suffixes=tuple(data.get("organization_suffixes", ())),
        masculine_titles=bool(data.get("masculine_titles", False)),
        place_connectors=words.get("place_connectors", frozenset()),
        subordinators=words.get("subordinators", frozenset()),
        reflexives=words.get("reflexives", frozenset()),
        relatives=words.get("relatives", frozenset()),
        and_words=words.get("and_words", frozenset()),
        cap_titles=words.get("cap_titles", frozenset()),
        impersonal=words.get("impersonal", frozenset()),
    )
