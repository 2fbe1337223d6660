"""Dataset loaders on files the tests write: what becomes a case, and bad input named by file
and line."""

from __future__ import annotations

import json

import pytest

from extractor.errors import ConfigError, InputError
from extractor.evaluate.datasets import load_dataset
from extractor.schema import Document
from tests.test_eval_fixtures import (
    FNC_BODIES,
    FNC_STANCES,
    GOLD_LINE,
    GOLD_TEXT,
    POLNEAR_ANN,
    clef_tsv,
    write_clef,
    write_fnc1,
    write_gold,
    write_polnear,
)


def test_polnear_articles_keep_every_annotator(tmp_path):
    cases, split = load_dataset("polnear", write_polnear(tmp_path))
    assert split == "dev"
    assert [c.name for c in cases] == ["paper_2016-01-01_story", "paper_2016-01-02_vote"]
    assert sorted(cases[0].golds) == ["4b22", "ef2d"]
    assert cases[0].id == Document.id_for(cases[0].text)


def test_polnear_bad_annotation_names_file_and_line(tmp_path):
    root = write_polnear(tmp_path)
    ann = root / "data" / "dev" / "attributions" / "paper_2016-01-01_story_4b22.ann"
    ann.write_text(POLNEAR_ANN.replace("T3\tSource", "T3 Source"), encoding="utf-8")
    with pytest.raises(InputError, match=r"story_4b22\.ann:3: not a brat annotation line"):
        load_dataset("polnear", root)


def test_polnear_missing_split(tmp_path):
    with pytest.raises(InputError, match="no PolNeAR split 'train'"):
        load_dataset("polnear", write_polnear(tmp_path), "train")


def test_fnc1_pairs_take_the_headline_as_target(tmp_path):
    cases, split = load_dataset("fnc1", write_fnc1(tmp_path))
    assert split == "test" and len(cases) == 4
    first = cases[0]
    assert first.name == "1:body1" and first.targets == ("Bridge to reopen in May",)
    assert first.text == "Officials said the bridge will reopen in May.\n\nThe mayor agreed."
    assert [c.golds["fnc1"].article_polarity for c in cases] == [("favor",), ("against",), ("neutral",), ("unrelated",)]
    # one body, several headlines: the same text, told apart by the target
    assert cases[0].id == cases[1].id and cases[0].key != cases[1].key


def test_fnc1_bad_rows_name_the_line(tmp_path):
    root = write_fnc1(tmp_path)
    (root / "competition_test_stances.csv").write_text(FNC_STANCES.replace("disagree", "maybe"), encoding="utf-8")
    with pytest.raises(InputError, match=r"competition_test_stances\.csv:3: unknown stance 'maybe'"):
        load_dataset("fnc1", root)
    (root / "competition_test_stances.csv").write_text(FNC_STANCES.replace(",2,unrelated", ",9,unrelated"), encoding="utf-8")
    with pytest.raises(InputError, match=r"stances\.csv:5: Body ID '9' is not in competition_test_bodies\.csv"):
        load_dataset("fnc1", root)
    # the line number counts the lines of a quoted body that spans several
    (root / "competition_test_bodies.csv").write_text(FNC_BODIES + "3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bodies\.csv:6: expected 2 fields"):
        load_dataset("fnc1", root)


def test_fnc1_missing_file(tmp_path):
    (tmp_path / "fnc").mkdir()
    with pytest.raises(InputError, match=r"competition_test_bodies\.csv: no such file"):
        load_dataset("fnc1", tmp_path / "fnc")
    with pytest.raises(ConfigError, match="no split 'dev'"):
        load_dataset("fnc1", tmp_path / "fnc", "dev")


def test_clef_transcript_becomes_one_document_of_speaker_turns(tmp_path):
    cases, split = load_dataset("clef2019", write_clef(tmp_path))
    assert split == "test" and [c.name for c in cases] == ["20200101_debate", "20200102_speech"]
    debate = cases[0]
    assert debate.text == (
        "MODERATOR: Good evening and welcome.\n"
        "SMITH: Unemployment fell to 4 percent last year. I am proud of that.\n"
        "(APPLAUSE)\n"
        "SEN. ANN JONES (D-VT), CANDIDATE: We spent 2 billion dollars on roads.\n"
        "JONES: That is a fact.\n"
    )
    gold = debate.golds["clef2019"]
    assert [debate.text[u.start : u.end] for u in gold.check_worthy if u.positive] == [
        "Unemployment fell to 4 percent last year.",
        "We spent 2 billion dollars on roads.",
    ]
    assert len(gold.check_worthy) == 6
    # MODERATOR names no one; JONES is the senator already listed
    assert [s.name for s in gold.speakers] == ["SMITH", "SEN. ANN JONES"]


def test_clef_bad_line_names_file_and_line(tmp_path):
    root = write_clef(tmp_path)
    bad = root / "data" / "test_annotated" / "20200101_debate.tsv"
    bad.write_bytes(clef_tsv() + b"\r\n7\tSMITH\tno label here")
    with pytest.raises(InputError, match=r"20200101_debate\.tsv:7: expected 4 tab-separated fields"):
        load_dataset("clef2019", root)
    bad.write_bytes(clef_tsv([("1", "SMITH", "Yes.", "2")]))
    with pytest.raises(InputError, match=r"\.tsv:1: label '2' is not 0 or 1"):
        load_dataset("clef2019", root)


def test_gold_lines_become_cases(tmp_path):
    cases, split = load_dataset("gold", write_gold(tmp_path / "g.jsonl"))
    assert split is None and [c.name for c in cases] == ["grain", "quiet"]
    grain = cases[0].golds["gold"]
    assert len(grain.attributions) == 2  # the outlet's own claim is not an attribution
    assert [u.positive for u in grain.check_worthy] == [True, False, True]
    assert grain.stances[0].holder.aliases == ("Олександр Кубраков",)
    assert cases[0].targets == ("keeping the grain corridor open",) and grain.article_polarity == ("favor",)
    quiet = cases[1].golds["gold"]
    assert quiet.attributions == () and quiet.check_worthy is None and quiet.stances is None


def _gold_error(tmp_path, line) -> str:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(GOLD_LINE, ensure_ascii=False) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_dataset("gold", path)
    assert str(caught.value).startswith(f"{path}:2: ")
    return str(caught.value)


def _line(**changes) -> str:
    return json.dumps({**GOLD_LINE, "id": "second", **changes}, ensure_ascii=False)


def _claim(**changes) -> dict:
    return {**GOLD_LINE["claims"][0], **changes}


def test_gold_errors_name_file_line_and_field(tmp_path):
    assert "not valid JSON" in _gold_error(tmp_path, "{nope")
    assert "claims.0.speeker: Extra inputs are not permitted" in _gold_error(tmp_path, _line(claims=[_claim(speeker="x")]))
    assert "claims[0].evidence: 'tonnes of rice' is not in the text" in _gold_error(tmp_path, _line(claims=[_claim(evidence="tonnes of rice")]))
    assert "claims[0].evidence: 'said' occurs 2 times" in _gold_error(tmp_path, _line(claims=[_claim(evidence="said")]))
    wrong_start = {"text": "said", "start": 3}
    assert "claims[0].cue: the text at 3 is" in _gold_error(tmp_path, _line(claims=[_claim(cue=wrong_start)]))
    assert "claims[0]: speaker 'Someone Else' is not in \"speakers\"" in _gold_error(tmp_path, _line(claims=[_claim(speaker="Someone Else")]))
    assert "id 'grain' is used by an earlier line" in _gold_error(tmp_path, _line(id="grain"))
    assert "text holds \\r" in _gold_error(tmp_path, _line(text=GOLD_TEXT.replace("\n", "\r\n")))


def test_a_path_that_is_not_there(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        load_dataset("polnear", tmp_path / "missing")
