"""The finder in German, French, Spanish and Russian (issue 13): each language's own quotation
marks and cues, speakers resolved within the article, scored on sample articles written for
these tests (the held-out ones, written before their language's rules, also on their own)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from extractor.evaluate.names import same_person
from extractor.finder import Finding, find_attributions

GOLD = json.loads((Path(__file__).parent / "fixtures" / "lang" / "gold.json").read_text(encoding="utf-8"))


def _same(predicted: str | None, gold: str) -> bool:
    if predicted is None:
        return False
    a, b = predicted.casefold(), gold.casefold()
    return same_person(predicted, gold) or a in b or b in a


def score(language: str, held_out: bool | None = None) -> dict[str, float]:
    """Content-overlap P/R/F1 (a found part overlapping at least half of the shorter of it and a
    gold content) and the share of matched claims whose speaker is the gold one; over every
    article of the language, or only the held-out ones (True) or only the others (False)."""
    pred = gold_n = matched_pred = matched_gold = right = 0
    for article in GOLD[language]:
        if held_out is not None and bool(article.get("held_out")) != held_out:
            continue
        text = article["text"]
        found = find_attributions(text, language)
        spans = [(text.index(c["content"]), text.index(c["content"]) + len(c["content"]), c["speaker"]) for c in article["claims"]]
        gold_n += len(spans)
        pred += len(found.attributions)
        used: set[int] = set()
        for a in found.attributions:
            hit = next(
                (
                    i
                    for i, (s, e, _) in enumerate(spans)
                    if i not in used
                    and any(min(e, p.end) - max(s, p.start) >= 0.5 * min(e - s, p.end - p.start) for p in a.parts)
                ),
                None,
            )
            if hit is None:
                continue
            used.add(hit)
            matched_pred += 1
            speaker = found.speaker(a.speaker_key)
            right += _same(speaker.name if speaker else None, spans[hit][2])
        matched_gold += len(used)
    p, r = matched_pred / pred, matched_gold / gold_n
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r), "right_speaker": right / matched_pred}


LANGUAGES = ["de", "fr", "es", "ru"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_sample_articles_meet_the_floors(language):
    s = score(language)
    assert s["f1"] >= 0.80 and s["right_speaker"] >= 0.90, s


@pytest.mark.parametrize("language", ["es", "ru"])
def test_held_out_articles_meet_the_floors_on_their_own(language):
    """Written before any rule of their language: the rules were tuned on the other two."""
    assert any(a.get("held_out") for a in GOLD[language])
    s = score(language, held_out=True)
    assert s["f1"] >= 0.80 and s["right_speaker"] >= 0.90, s


def _spans(finding: Finding):
    for a in finding.attributions:
        yield from (s for s in (a.content, *a.parts, a.cue, a.sentence, a.source) if s is not None)
    for s in finding.speakers:
        yield from s.mentions


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_span_is_the_article_text_even_with_decomposed_accents(language):
    for article in GOLD[language]:
        for text in (article["text"], unicodedata.normalize("NFD", article["text"])):
            found = find_attributions(text, language)
            assert found.attributions
            for span in _spans(found):
                assert text[span.start : span.end] == span.text


def test_german_cue_after_and_before_with_nested_marks():
    text = (
        "Bundeskanzlerin Anna Roth sagte: „Wir sprechen von ‚Entlastung‘, und die kommt.“ "
        "„Das reicht nicht“, entgegnete Oppositionsführer Karl Engel. Engel zufolge fehlen zehn Milliarden Euro."
    )
    found = find_attributions(text, "de")
    got = [(a.content.text, found.speaker(a.speaker_key).name, a.kind) for a in found.attributions]
    assert got == [
        ("„Wir sprechen von ‚Entlastung‘, und die kommt.“", "Anna Roth", "direct"),
        ("„Das reicht nicht“", "Karl Engel", "direct"),
        ("fehlen zehn Milliarden Euro", "Karl Engel", "indirect"),
    ]
    roth = found.speaker(found.attributions[0].speaker_key)
    assert roth.role == "Bundeskanzlerin"


def test_french_inverted_cue_and_pronoun_join_the_speaker_last_named():
    text = (
        "Selon la ministre de la Santé, Julie Perrin, l'épidémie recule. "
        "« Les chiffres sont bons, mais restons prudents », a-t-elle déclaré. "
        "Le porte-parole du syndicat, Marc Olivier, a dit qu'il restait sceptique."
    )
    found = find_attributions(text, "fr")
    got = [(a.content.text, found.speaker(a.speaker_key).name) for a in found.attributions]
    assert got == [
        ("l'épidémie recule", "Julie Perrin"),
        ("« Les chiffres sont bons, mais restons prudents »", "Julie Perrin"),
        ("il restait sceptique", "Marc Olivier"),
    ]
    perrin = found.speakers[0]
    assert [m.text for m in perrin.mentions] == ["la ministre de la Santé, Julie Perrin", "elle"]


def test_english_is_the_default_and_an_unknown_language_falls_back_to_it():
    text = '"We are ready," the minister said on Monday.'
    english = find_attributions(text)
    assert english == find_attributions(text, "it") == find_attributions(text, None)
    assert [a.content.text for a in english.attributions] == ['"We are ready,"']


def test_german_reported_speech_goes_on_in_the_subjunctive_without_a_cue():
    text = (
        "„Wir haben keine Wahl“, sagte Bürgermeisterin Eva Kühn. Die Kassen der Stadt seien leer.\n"
        "Die Stadt hatte im Mai gespart. Der Rat tagt am Montag."
    )
    found = find_attributions(text, "de")
    [quote, reported] = found.attributions
    assert reported.content.text == "Die Kassen der Stadt seien leer" and reported.cue is None
    assert reported.speaker_key == quote.speaker_key and found.speaker(quote.speaker_key).name == "Eva Kühn"


def test_the_narrow_strategy_restates_in_the_article_language():
    from extractor import extract_text

    article = GOLD["fr"][0]["text"]
    result = extract_text(article, model="none")
    assert result.document.language == "fr" and len(result.claims) >= 6
    from extractor.strategies.narrow import restate

    claim = next(c for c in result.claims if c.attribution == "direct")
    assert restate("Élisabeth Morand", claim, "fr").startswith("Élisabeth Morand : « Nous irons")
    assert restate("Élisabeth Morand", claim, "en").startswith("Élisabeth Morand said: “Nous irons")


def test_russian_genitive_source_is_named_in_the_nominative_and_its_span_is_the_text():
    text = (
        "По словам пресс-секретаря президента Дмитрия Пескова, переговоры продолжатся. "
        "«Мы готовы к диалогу, но не к „ультиматумам“», — сказал он. "
        "По мнению Марии Захаровой, Запад «не слышит» Москву. По словам Джона Смита, сделка возможна."
    )
    found = find_attributions(text, "ru")
    got = [(a.content.text, found.speaker(a.speaker_key).name) for a in found.attributions]
    assert got == [
        ("переговоры продолжатся", "Дмитрий Песков"),
        ("«Мы готовы к диалогу, но не к „ультиматумам“»", "Дмитрий Песков"),
        ("Запад «не слышит» Москву", "Мария Захарова"),
        ("сделка возможна", "Джона Смита"),  # no rule fits a foreign surname: left as written, not guessed
    ]
    peskov = found.speakers[0]
    assert [m.text for m in peskov.mentions] == ["пресс-секретаря президента Дмитрия Пескова", "он"]
    assert peskov.role == "пресс-секретаря президента"


def test_russian_cue_after_with_a_dash_and_a_subject_before_an_adverbial():
    text = (
        "Председатель Центробанка Елена Маркова на пресс-конференции заявила, что инфляция замедляется. "
        "«Говорить о развороте рано», — отметила она. Министр финансов Денис Зуев считает, что бюджет выдержит. "
        "«Это про экономику всего региона», — подчеркнул министр."
    )
    found = find_attributions(text, "ru")
    got = [(a.content.text, found.speaker(a.speaker_key).name, a.cue.text) for a in found.attributions]
    assert got == [
        ("инфляция замедляется", "Елена Маркова", "заявила"),
        ("«Говорить о развороте рано»", "Елена Маркова", "отметила"),
        ("бюджет выдержит", "Денис Зуев", "считает"),
        ("«Это про экономику всего региона»", "Денис Зуев", "подчеркнул"),
    ]


def test_spanish_dropped_subject_and_nested_quotes():
    text = (
        "La portavoz de la Federación de Vecinos, Marta Llorens, recordó que el alquiler ha subido un 40 %. "
        "«Nos dicen que es “turismo de calidad”, pero no lo es», dijo. "
        "Según el ministro de Economía, Carlos Ruiz, la medida es legal. «No hay marcha atrás», aseguró."
    )
    found = find_attributions(text, "es")
    got = [(a.content.text, found.speaker(a.speaker_key).name, a.source.text if a.source else None) for a in found.attributions]
    assert got == [
        ("el alquiler ha subido un 40 %", "Marta Llorens", "La portavoz de la Federación de Vecinos, Marta Llorens"),
        ("«Nos dicen que es “turismo de calidad”, pero no lo es»", "Marta Llorens", None),  # no span for a dropped subject
        ("la medida es legal", "Carlos Ruiz", "el ministro de Economía, Carlos Ruiz"),
        ("«No hay marcha atrás»", "Carlos Ruiz", None),
    ]


def test_a_cue_that_points_back_takes_the_sentence_before():
    text = "Власти края ввели режим чрезвычайной ситуации. Об этом сообщил губернатор края Михаил Зорин."
    found = find_attributions(text, "ru")
    [a] = found.attributions
    assert a.content.text == "Власти края ввели режим чрезвычайной ситуации"
    assert found.speaker(a.speaker_key).name == "Михаил Зорин" and a.source.text == "губернатор края Михаил Зорин"
