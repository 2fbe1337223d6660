"""PolNeAR loader and span metrics, on small brat files written by the tests themselves."""

from __future__ import annotations

import pytest

from extractor.polnear import (
    AnnFormatError,
    SpanAttribution,
    load_split,
    match_spans,
    parse_ann,
    score,
    spans_match,
)

TEXT = (
    '"We will win," said Jane Doe. Sources said the deal was off.\n'
    "It was announced that the plant will close.\n"
)
# offsets into TEXT
QUOTE = (0, 14)  # "We will win,"
SAID1 = (15, 19)
JANE = (20, 28)
SOURCES = (30, 37)
SAID2 = (38, 42)
DEAL = (43, 59)  # the deal was off
ANNOUNCED = (64, 77)  # was announced
PLANT = (78, 103)  # that the plant will close

ANN_A = "\n".join(
    [
        f'T1\tContent {QUOTE[0]} {QUOTE[1]}\t"We will win,"',
        f"T2\tCue {SAID1[0]} {SAID1[1]}\tsaid",
        f"T3\tSource {JANE[0]} {JANE[1]}\tJane Doe",
        f"T4\tAttribution {SAID1[0]} {SAID1[1]}\tsaid",
        "E1\tAttribution:T4 Content:T1 Cue:T2 Source:T3",
        # a discontinuous content: two fragments, the brat text joined by a space
        f"T5\tContent {DEAL[0]} {DEAL[0] + 8};{DEAL[0] + 9} {DEAL[1]}\tthe deal was off",
        f"T6\tCue {SAID2[0]} {SAID2[1]}\tsaid",
        f"T7\tSource {SOURCES[0]} {SOURCES[1]}\tSources",
        "E2\tAttribution:T4 Cue:T6 Source:T7 Content:T5",
        # no source: a passive attribution
        f"T8\tContent {PLANT[0]} {PLANT[1]}\tthat the plant will close",
        f"T9\tCue {ANNOUNCED[0]} {ANNOUNCED[1]}\twas announced",
        f"T10\tAttribution-no-source {ANNOUNCED[0]} {ANNOUNCED[1]}\twas announced",
        "E3\tAttribution-no-source:T10 Cue:T9 Content:T8",
        "#1\tAnnotatorNotes T1\ta note the loader ignores",
        "",
    ]
)
# a second annotator who found only the quote
ANN_B = "\n".join(
    [
        f'T1\tContent {QUOTE[0]} {QUOTE[1]}\t"We will win,"',
        f"T2\tCue {SAID1[0]} {SAID1[1]}\tsaid",
        f"T3\tSource {JANE[0]} {JANE[1]}\tJane Doe",
        "E1\tAttribution:T2 Content:T1 Cue:T2 Source:T3",
        "",
    ]
)


def test_fixture_offsets_are_right():
    assert TEXT[slice(*QUOTE)] == '"We will win,"'
    assert TEXT[slice(*JANE)] == "Jane Doe"
    assert TEXT[slice(*SOURCES)] == "Sources"
    assert TEXT[slice(*DEAL)] == "the deal was off"
    assert TEXT[slice(*ANNOUNCED)] == "was announced"
    assert TEXT[slice(*PLANT)] == "that the plant will close"


@pytest.fixture
def corpus(tmp_path):
    base = tmp_path / "data" / "dev"
    (base / "text").mkdir(parents=True)
    (base / "attributions").mkdir()
    (base / "text" / "paper_2016-01-01_some-story.txt").write_text(TEXT, encoding="utf-8")
    (base / "attributions" / "paper_2016-01-01_some-story_4b22.ann").write_text(ANN_A, encoding="utf-8")
    (base / "attributions" / "paper_2016-01-01_some-story_ef2d.ann").write_text(ANN_B, encoding="utf-8")
    (base / "text" / "other_2016-01-02_plain.txt").write_text("Nothing was said.\n", encoding="utf-8")
    (base / "attributions" / "other_2016-01-02_plain_6b86.ann").write_text("", encoding="utf-8")
    return tmp_path


def test_load_split_maps_texts_to_each_annotator(corpus):
    docs = load_split(corpus, "dev")
    assert [d.name for d in docs] == ["other_2016-01-02_plain", "paper_2016-01-01_some-story"]
    doc = docs[1]
    assert doc.text == TEXT
    assert sorted(doc.annotations) == ["4b22", "ef2d"]
    a = doc.annotations["4b22"]
    assert len(a) == 3
    assert a[0] == SpanAttribution(content=(QUOTE,), source=(JANE,), cue=(SAID1,), id="E1")
    # the discontinuous span keeps its two fragments
    assert a[1].content == ((DEAL[0], DEAL[0] + 8), (DEAL[0] + 9, DEAL[1]))
    # the attribution without a source
    assert a[2].source == () and a[2].cue == (ANNOUNCED,)
    assert docs[0].annotations == {"6b86": ()}
    assert len(load_split(corpus, "dev", limit=1)) == 1


def test_missing_split_is_a_clear_error(corpus):
    with pytest.raises(FileNotFoundError, match="train"):
        load_split(corpus, "train")


def test_malformed_line_names_file_and_line(tmp_path):
    bad = ANN_B.replace("T3\tSource", "T3 Source")
    with pytest.raises(AnnFormatError, match=r"x_4b22\.ann:3:"):
        parse_ann(bad, "x_4b22.ann")
    with pytest.raises(AnnFormatError, match=r":4: .*unknown annotation T99"):
        parse_ann(ANN_B.replace("Source:T3", "Source:T99"), "y.ann")
    with pytest.raises(AnnFormatError, match=r":1: span ends before"):
        parse_ann("T1\tContent 10 5\tx\n", "z.ann")


def test_span_text_with_a_newline_continues_on_the_next_line():
    ann = "T1\tContent 0 5;7 12\tab\ncd efghi\nT2\tCue 13 17\tsaid\nE1\tAttribution:T2 Content:T1 Cue:T2\n"
    (a,) = parse_ann(ann, "n.ann")
    assert a.content == ((0, 5), (7, 12)) and a.cue == ((13, 17),) and a.source == ()


def test_overlap_rule_half_of_the_shorter_span():
    assert spans_match(((0, 10),), ((5, 30),))  # 5 shared >= 10 / 2
    assert not spans_match(((0, 10),), ((6, 30),))  # 4 shared < 5
    # fragment-union lengths: the gold is 4 + 4 = 8 long, 4 shared is half of it
    assert spans_match(((0, 4),), ((0, 4), (20, 24)))
    assert not spans_match(((0, 3), (10, 20)), ((0, 4), (20, 24)))  # 3 shared < 8 / 2
    # one-to-one: one long prediction cannot match two gold spans
    assert match_spans([((0, 100),)], [((0, 10),), ((20, 30),)]) == [(0, 0)]
    assert match_spans([((0, 10),)], [((0, 10),)], exact=True) == [(0, 0)]
    assert match_spans([((0, 9),)], [((0, 10),)], exact=True) == []


def test_gold_as_predictions_scores_one(corpus):
    docs = load_split(corpus, "dev")
    for annotator in ("4b22", "ef2d"):
        preds = {d.name: d.annotations.get(annotator, ()) for d in docs}
        one = [d for d in docs if d.name.startswith("paper")]
        result = score(preds, [type(d)(d.name, d.text, {annotator: d.annotations[annotator]}) for d in one])
        for key in (
            "content_overlap",
            "content_exact",
            "source_overlap",
            "source_exact",
            "cue_overlap",
            "cue_exact",
            "relation",
        ):
            assert result[key]["f1"] == pytest.approx(1.0), key
        assert result["right_source_on_found"] == pytest.approx(1.0)


def test_several_annotators_are_averaged(corpus):
    docs = [d for d in load_split(corpus, "dev") if d.name.startswith("paper")]
    preds = {docs[0].name: docs[0].annotations["ef2d"]}  # only the quote
    result = score(preds, docs)
    assert result["multi_annotator_documents"] == 1
    # against 4b22: 1 of 3 found; against ef2d: 1 of 1 -> averaged counts 1 / 2
    assert result["content_overlap"]["gold"] == pytest.approx(2.0)
    assert result["content_overlap"]["recall"] == pytest.approx(0.5)
    assert result["content_overlap"]["precision"] == pytest.approx(1.0)


def test_right_source_counts_missing_sources_as_agreeing():
    gold = [
        SpanAttribution(content=((0, 10),), source=((20, 25),)),
        SpanAttribution(content=((30, 40),), source=()),
        SpanAttribution(content=((50, 60),), source=((70, 75),)),
    ]
    pred = [
        SpanAttribution(content=((0, 10),), source=((21, 25),)),  # right
        SpanAttribution(content=((30, 40),), source=()),  # right: neither has one
        SpanAttribution(content=((50, 60),), source=()),  # wrong: the source is missing
        SpanAttribution(content=((80, 90),), source=((20, 25),)),  # content not found: not counted
    ]

    class Doc:
        name = "d"
        text = ""
        annotations = {"a": tuple(gold)}

    result = score({"d": pred}, [Doc()])
    assert result["found"] == 3
    assert result["right_source_on_found"] == pytest.approx(2 / 3)
    assert result["relation"]["tp"] == 2
    assert result["content_overlap"]["precision"] == pytest.approx(3 / 4)
    # sources are scored as distinct spans: (20, 25) is predicted twice but counts once
    assert result["source_overlap"]["pred"] == 2
