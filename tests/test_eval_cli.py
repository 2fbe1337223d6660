"""`extractor eval` end to end on small datasets the tests write: output, stored predictions
(no model request), saving and resuming, and one-line errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.evaluate.datasets import load_dataset
from extractor.evaluate.from_gold import gold_as_result
from tests.test_eval_fixtures import write_fnc1, write_gold, write_polnear


def run(*args):
    return CliRunner().invoke(main, ["eval", *map(str, args)])


@pytest.fixture
def no_model(monkeypatch):
    """Opening a model at all fails the test: scoring stored results must not."""

    def refuse(*a, **k):
        raise AssertionError("a model was opened")

    monkeypatch.setattr("extractor.llm.LanguageModel", refuse)


def write_gold_predictions(kind: str, dataset, path):
    cases, _ = load_dataset(kind, dataset)
    path.write_text("".join(json.dumps(gold_as_result(c).to_json_dict(), ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    return path


def test_rules_only_json_report(tmp_path):
    result = run("polnear", write_polnear(tmp_path), "--model", "none", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["dataset"] == "polnear" and report["split"] == "dev" and report["documents"] == 2
    assert report["model"] == "none" and report["run"]["requests"] == 0
    assert report["multi_annotator_documents"] == 1
    assert 0.0 < report["metrics"]["content_overlap"]["f1"] <= 1.0
    names = [d["name"] for d in report["documents_detail"]]
    assert names == ["paper_2016-01-01_story", "paper_2016-01-02_vote"]
    assert "content_overlap" in report["documents_detail"][1]


def test_text_report_has_the_table_and_the_worst_documents(tmp_path):
    result = run("polnear", write_polnear(tmp_path), "--model", "none")
    assert result.exit_code == 0, result.output
    assert "content overlap" in result.stdout and "documents, worst first" in result.stdout


@pytest.mark.parametrize("kind", ["polnear", "fnc1", "gold"])
def test_stored_gold_predictions_score_one_without_a_model(kind, tmp_path, no_model):
    dataset = {"polnear": write_polnear, "fnc1": lambda p: write_fnc1(p / "fnc"), "gold": lambda p: write_gold(p / "g.jsonl")}[kind](tmp_path)
    predictions = write_gold_predictions(kind, dataset, tmp_path / "pred.jsonl")
    result = run(kind, dataset, "--predictions", predictions, "--model", "openai/gpt-4o-mini", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["run"] == {**report["run"], "made": 0, "requests": 0, "models": ["gold"]}
    for name, value in report["metrics"].items():
        if isinstance(value, dict) and "f1" in value:
            assert value["f1"] == pytest.approx(1.0), name
    if kind == "fnc1":
        assert report["metrics"]["article_stance"]["accuracy"] == 1.0
        assert report["metrics"]["article_stance"]["fnc1"]["relative"] == 1.0


def test_predictions_for_other_documents_are_an_error_not_a_zero(tmp_path, no_model):
    other = write_gold_predictions("gold", write_gold(tmp_path / "g.jsonl"), tmp_path / "pred.jsonl")
    result = run("polnear", write_polnear(tmp_path / "p"), "--predictions", other)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"extractor: {other}: none of its 2 results is for any of the 2 documents chosen")
    assert result.stderr.count("\n") == 1


def test_partly_covering_predictions_score_what_they_cover(tmp_path, no_model):
    dataset = write_polnear(tmp_path)
    predictions = write_gold_predictions("polnear", dataset, tmp_path / "pred.jsonl")
    predictions.write_text(predictions.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")
    result = run("polnear", dataset, "--predictions", predictions, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["without_predictions"] == 1
    assert "has no results for 1 of the 2 documents chosen" in result.stderr


def test_a_malformed_predictions_line_is_named(tmp_path):
    bad = tmp_path / "pred.jsonl"
    bad.write_text('{"document": {}}\n', encoding="utf-8")
    result = run("polnear", write_polnear(tmp_path), "--predictions", bad)
    assert result.exit_code == 1
    assert f"extractor: {bad}:1: not an extraction result" in result.stderr


def test_save_predictions_writes_each_result_and_a_rerun_resumes(tmp_path):
    dataset = write_polnear(tmp_path)
    saved = tmp_path / "saved.jsonl"
    first = run("polnear", dataset, "--model", "none", "--save-predictions", saved, "--json")
    assert first.exit_code == 0, first.output
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["run"]["model"] == "none"
    # an interrupted run leaves half a line; the rerun drops it and makes only what is missing
    saved.write_text(lines[0] + "\n" + lines[1][:40], encoding="utf-8")
    again = run("polnear", dataset, "--model", "none", "--save-predictions", saved, "--json")
    assert again.exit_code == 0, again.output
    assert "resuming: 1 of 2 documents already have results" in again.stderr
    assert json.loads(again.stdout)["run"]["reused"] == 1 and json.loads(again.stdout)["run"]["made"] == 1
    assert len(saved.read_text(encoding="utf-8").splitlines()) == 2
    assert json.loads(again.stdout)["metrics"] == json.loads(first.stdout)["metrics"]


def test_limit_takes_the_same_seeded_sample_every_time(tmp_path):
    dataset = write_fnc1(tmp_path / "fnc")
    picks = [json.loads(run("fnc1", dataset, "--model", "none", "--limit", 2, "--json").stdout) for _ in range(2)]
    names = [[d["name"] for d in p["documents_detail"]] for p in picks]
    assert names[0] == names[1] and len(names[0]) == 2
    assert picks[0]["available"] == 4 and picks[0]["sample_seed"] == 0
    other = json.loads(run("fnc1", dataset, "--model", "none", "--limit", 2, "--sample-seed", 7, "--json").stdout)
    assert other["sample_seed"] == 7


def test_bad_input_is_one_line(tmp_path):
    missing = run("polnear", tmp_path / "nowhere", "--model", "none")
    assert missing.exit_code == 1 and missing.stderr == f"extractor: {tmp_path / 'nowhere'}: no such file or folder (pass the path to the polnear data)\n"
    both = run("gold", write_gold(tmp_path / "g.jsonl"), "--predictions", "a.jsonl", "--save-predictions", "b.jsonl")
    assert both.exit_code == 2 and "do not go together" in both.stderr
