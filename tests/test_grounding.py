import pytest

from extractor.grounding import ground, normalize


def check(text, span):
    assert span is not None
    assert text[span.start : span.end] == span.text


def test_exact_match_has_no_quoted_as():
    text = "Peskov said the relations are nearing the red line."
    span = ground("nearing the red line", text)
    check(text, span)
    assert (span.alignment, span.quoted_as) == ("exact", None)
    assert span.start == text.index("nearing")


def test_curly_quotes_and_whitespace_are_normalized():
    text = "He said: “We couldn’t  tolerate\nit anymore,” and left."
    span = ground('"We couldn\'t tolerate it anymore,"', text)
    check(text, span)
    assert span.alignment == "normalized"
    assert span.text.startswith("We couldn’t")
    assert span.quoted_as == '"We couldn\'t tolerate it anymore,"'


def test_case_difference_is_normalized():
    text = "The Minister Said The Plan Would Fail."
    span = ground("the plan would fail", text)
    check(text, span)
    assert span.text == "The Plan Would Fail"


def test_small_edit_is_fuzzy_and_keeps_article_text():
    text = "Officials said the bridge will reopen to traffic on the first of March after repairs."
    span = ground("the bridge will re-open to traffic on the first of March", text)
    check(text, span)
    assert span.alignment == "fuzzy"
    assert "reopen" in span.text


def test_invented_quote_is_not_found():
    text = "Peskov said the relations are nearing the red line."
    assert ground("Russia will invade Finland tomorrow morning", text) is None
    assert ground("", text) is None


def test_short_quote_never_fuzzy():
    assert ground("red lime", "the red line") is None


@pytest.mark.parametrize(
    "text, quote",
    [
        ("Дмитрий Песков заявил: «Мы не можем с этим мириться».", "Мы не можем с этим мириться"),
        ("王毅说：“中方反对任何单边制裁。”他补充道。", "中方反对任何单边制裁"),
        ("🎉🎉 The mayor said “bikes are the future 🚲” today.", "bikes are the future 🚲"),
        ("José Núñez said the café would close.", "the café would close"),
    ],
)
def test_non_latin_text_keeps_code_point_offsets(text, quote):
    span = ground(quote, text)
    check(text, span)
    assert span.text == quote


def test_combining_accents_match_precomposed():
    text = "Jose\u0301 said the cafe\u0301 would close."  # decomposed accents
    span = ground("the café would close", text)  # precomposed in the quote
    check(text, span)
    assert span.alignment == "normalized"
    assert span.text == "the cafe\u0301 would close"


def test_window_and_nearest_occurrence():
    text = "He said no. Later he said no. Finally he said no."
    span = ground("said no", text, near=30)
    assert span.start == text.index("said no", 20)
    span = ground("said no", text, start=35)
    assert span.start >= 35
    assert ground("Later", text, start=0, end=10) is None


def test_normalize_keeps_origin_map():
    n = normalize("A  “B”\nC")
    assert n.text == "a b c"
    assert n.span(2, 3) == (4, 5)


def test_an_index_normalizes_its_text_once(monkeypatch):
    """Cost grows with quotes plus text: the article is normalized once, not once a quote."""
    from extractor import grounding

    text = " ".join(f"“Sentence number {n} is here,” the mayor said." for n in range(200))
    calls = []
    real = grounding.normalize
    monkeypatch.setattr(grounding, "normalize", lambda t, *a: calls.append(len(t)) or real(t, *a))
    index = grounding.TextIndex(text)
    for n in range(0, 200, 10):
        span = index.ground(f'"sentence number {n} is here,"', start=0, end=len(text))
        check(text, span)
        assert span.alignment == "normalized" and f"number {n} " in span.text
    assert calls.count(len(text)) == 1


def test_a_window_of_an_index_finds_only_what_is_inside_it():
    from extractor.grounding import TextIndex

    text = "First: “Alpha beta gamma.” Second: “Delta epsilon zeta.”"
    index = TextIndex(text)
    middle = text.index("Second")
    assert index.ground('"delta epsilon zeta."', 0, middle) is None
    span = index.ground('"delta epsilon zeta."', middle)
    check(text, span)
    assert span.text == "Delta epsilon zeta.”"[:-1]
    assert index.ground("alpha beta gamma", middle) is None


def test_fuzzy_match_in_a_long_text_and_an_invented_quote():
    from extractor.grounding import TextIndex

    filler = " ".join(f"Item {n} was discussed at length by the committee." for n in range(2000))
    text = filler + " The harbour authority said the new bridge will reopen to traffic in March. " + filler
    index = TextIndex(text)
    span = index.ground("the new bridge will reopn to traffic in March", near=len(text) // 2)
    check(text, span)
    assert span.alignment == "fuzzy" and "reopen" in span.text
    assert index.ground("The minister resigned over the harbour tax scandal yesterday.") is None
