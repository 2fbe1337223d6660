"""`extractor eval newsmtsc`: the loader, the metrics on a predictions file whose right answers
are worked out by hand, and the shape of a rules-only run. The fixture is written for these
tests (six sentences in NewsMTSC's format), not taken from NewsMTSC."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.errors import InputError
from extractor.evaluate.datasets import load_dataset
from extractor.schema import ExtractionResult, RunInfo, TargetStances
from tests.conftest import ROOT

MINI = ROOT / "tests" / "fixtures" / "newsmtsc" / "mini.jsonl"

# what the predictions file says toward each target, sentence by sentence
PREDICTED = {
    "own_1": {"Mary Holt": "neutral", "Tom Reyes": "favor"},
    "own_2": {"Lin Park": "unrelated"},  # counts as neutral
    "own_3": {"Dan Cole": "neutral", "Priya Shah": "against"},
    "own_4": {"Rob Meyer": "against", "Ana Voss": "neutral"},
    "own_5": {"Reyes": "against", "Holt": "against"},  # Holt twice in gold: against, then neutral
    "own_6": {"Sam Ortiz": "favor"},
}


def run(*args):
    return CliRunner().invoke(main, ["eval", "newsmtsc", *map(str, args)])


def write_predictions(path):
    cases, _ = load_dataset("newsmtsc", MINI)
    with path.open("w", encoding="utf-8") as f:
        for case in cases:
            from extractor.schema import Document

            result = ExtractionResult(
                document=Document.from_text(case.text),
                targets=[TargetStances(target=t, article_polarity=PREDICTED[case.name][t]) for t in case.targets],
                run=RunInfo(model="hand", prompt_version="-"),
            )
            f.write(json.dumps(result.to_json_dict()) + "\n")
    return path


def test_loader_maps_polarities_and_keeps_every_pair():
    cases, split = load_dataset("newsmtsc", MINI)
    assert split is None and [c.name for c in cases] == [f"own_{n}" for n in range(1, 7)]
    five = cases[4]
    assert five.targets == ("Reyes", "Holt")  # asked once per mention text
    assert five.golds["newsmtsc"].target_polarity == (("Reyes", "against"), ("Holt", "against"), ("Holt", "neutral"))
    assert cases[0].golds["newsmtsc"].target_polarity == (("Mary Holt", "neutral"), ("Tom Reyes", "favor"))


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"primary_gid": "x", "sentence_normalized": "Ann won.", "targets": [{"mention": "Ann", "from": 0, "to": 3, "polarity": 5.0}]}', "polarity 5.0 is not 2.0, 4.0 or 6.0"),
        ('{"primary_gid": "x", "sentence_normalized": "Ann won.", "targets": [{"mention": "Ann", "from": 1, "to": 4, "polarity": 4.0}]}', "the sentence at 1:4 is 'nn ', not 'Ann'"),
        ('{"primary_gid": "x", "sentence_normalized": "Ann won.", "targets": []}', "targets must be a non-empty list"),
        ("{not json", "not valid JSON"),
    ],
)
def test_malformed_lines_name_the_file_and_line(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"primary_gid": "ok", "sentence_normalized": "Bo ran.", "targets": [{"mention": "Bo", "polarity": 4.0}]}\n' + line + "\n")
    with pytest.raises(InputError) as caught:
        load_dataset("newsmtsc", path)
    assert caught.value.message.startswith(f"{path}:2: ") and message in caught.value.message


def test_known_predictions_give_the_hand_worked_figures(tmp_path):
    result = run(MINI, "--predictions", write_predictions(tmp_path / "pred.jsonl"), "--json")
    assert result.exit_code == 0, result.output
    m = json.loads(result.stdout)["metrics"]["target_polarity"]
    # 11 (sentence, target) pairs; right: 7. favor P 2/2 R 2/3; against P 3/5 R 3/4; neutral P 2/4 R 2/4
    assert m["n"] == 11 and m["accuracy"] == pytest.approx(7 / 11)
    assert m["per_label"]["favor"]["f1"] == pytest.approx(0.8)
    assert m["per_label"]["against"]["precision"] == pytest.approx(0.6) and m["per_label"]["against"]["recall"] == pytest.approx(0.75)
    assert m["per_label"]["neutral"]["f1"] == pytest.approx(0.5)
    assert m["macro_f1"] == pytest.approx((0.8 + 2 * 0.6 * 0.75 / 1.35 + 0.5) / 3)
    assert m["polar_precision"] == pytest.approx(5 / 7) and m["polar_coverage"] == pytest.approx(7 / 11)
    assert m["confusion"]["against"] == {"against": 3, "neutral": 1}
    assert m["confusion"]["neutral"] == {"neutral": 2, "against": 2}
    assert m["missing"] == 0


def test_text_report_shows_classes_and_confusion(tmp_path):
    result = run(MINI, "--predictions", write_predictions(tmp_path / "pred.jsonl"))
    assert result.exit_code == 0, result.output
    assert "target polarity: macro-F1 0.656, accuracy 0.636 over 11" in result.stdout
    assert "favor/against precision 0.714 on 7 calls (coverage 0.636)" in result.stdout
    assert "gold / predicted" in result.stdout and "own_5" in result.stdout


def test_rules_only_run_shape_saves_and_resumes(tmp_path):
    saved = tmp_path / "saved.jsonl"
    first = run(MINI, "--model", "none", "--json", "--save-predictions", saved)
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["dataset"] == "newsmtsc" and report["documents"] == 6 and report["run"]["made"] == 6
    m = report["metrics"]["target_polarity"]
    assert m["n"] == 11 and m["missing"] == 0  # every pair got a verdict through the API
    assert set(m["per_label"]) <= {"favor", "against", "neutral"} and 0.0 <= m["macro_f1"] <= 1.0
    assert len(saved.read_text().splitlines()) == 6
    again = run(MINI, "--model", "none", "--json", "--save-predictions", saved, "--limit", "3")
    assert again.exit_code == 0, again.output
    resumed = json.loads(again.stdout)
    assert resumed["documents"] == 3 and resumed["run"]["reused"] == 3 and resumed["run"]["made"] == 0
    assert resumed["metrics"]["target_polarity"]["n"] == sum(len(d["target_polarity"]) for d in resumed["documents_detail"])


def test_split_is_refused():
    result = run(MINI, "--split", "train", "--model", "none")
    assert result.exit_code == 2 and "--split does not apply to newsmtsc" in result.stderr
