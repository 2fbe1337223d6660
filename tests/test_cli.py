import json
import subprocess
import sys

from click.testing import CliRunner

from extractor.cli import main
from tests.conftest import SEEDS

SEED = str(SEEDS / "peskov-nato-red-line.txt")
CONTRACT_KEYS = {"document", "speakers", "claims", "stances", "run"}


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def check_contract(data: dict) -> None:
    assert CONTRACT_KEYS <= set(data)
    assert set(data["document"]) >= {"id", "source", "title", "text"}
    text = data["document"]["text"]
    spans = [m for s in data["speakers"] for m in s["mentions"]]
    spans += [c[k] for c in data["claims"] for k in ("evidence", "cue", "speaker_mention") if c[k]]
    for span in spans:
        assert set(span) == {"text", "start", "end", "alignment", "quoted_as"}
        assert text[span["start"] : span["end"]] == span["text"]
    for claim in data["claims"]:
        assert {"id", "speaker_id", "text", "evidence", "cue", "speaker_mention", "attribution", "type", "check_worthy"} <= set(claim)
    assert set(data["run"]) >= {"model", "prompt_version", "usage", "dropped_unaligned", "seconds"}
    assert set(data["run"]["usage"]) == {"requests", "prompt_tokens", "completion_tokens", "retries"}


def test_extract_json_rules_only():
    result = run("extract", SEED, "--model", "none", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    check_contract(data)
    assert data["document"]["source"] == SEED
    assert data["run"]["model"] == "none" and data["run"]["usage"]["requests"] == 0
    assert len(data["speakers"]) >= 5 and len(data["claims"]) >= 14


def test_several_inputs_default_to_jsonl_and_a_bad_one_does_not_stop_the_others(tmp_path):
    other = SEEDS / "city-council-bike-lanes.txt"
    result = run("extract", SEED, str(tmp_path / "missing.txt"), str(other), "--model", "none")
    assert result.exit_code == 1
    lines = result.stdout.strip().split("\n")
    assert len(lines) == 2
    for line in lines:
        check_contract(json.loads(line))
    [error] = result.stderr.strip().split("\n")
    assert "missing.txt" in error and "no such file" in error and "Traceback" not in error


def test_output_file_and_stdin(tmp_path):
    out = tmp_path / "out.json"
    text = (SEEDS / "peskov-nato-red-line.txt").read_text(encoding="utf-8")
    result = run("extract", "-", "--model", "none", "-o", str(out), input=text)
    assert result.exit_code == 0 and result.stdout == ""
    data = json.loads(out.read_text())
    assert data["document"]["source"] == "-" and data["document"]["text"] == text


def test_table_format():
    result = run("extract", SEED, "--model", "none", "--format", "table")
    assert result.exit_code == 0
    assert "Dmitry Peskov" in result.stdout and "Claims" in result.stdout
    assert "0 requests · 0+0 tokens · ~$0.0000 ·" in result.stdout  # no model: nothing spent


def test_targets_appear_in_output():
    result = run("extract", SEED, "--model", "none", "--target", "NATO expansion", "--target", "Mars colonisation")
    data = json.loads(result.stdout)
    assert [t["target"] for t in data["targets"]] == ["NATO expansion", "Mars colonisation"]
    # without a model, rules can only tell whether the article discusses the target at all
    assert [t["article_polarity"] for t in data["targets"]] == ["neutral", "unrelated"]


def test_usage_errors_exit_2_with_one_line():
    result = run("extract", SEED, "--model", "nonsense-provider/x")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "unknown provider" in result.stderr
    result = run("extract", SEED, "--format", "xml")
    assert result.exit_code == 2


def test_openai_without_key_is_a_clear_usage_error(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("EXTRACTOR_API_KEY", raising=False)
    result = run("extract", SEED, "--model", "openai/gpt-4o-mini")
    assert result.exit_code == 2 and "OPENAI_API_KEY" in result.stderr


def test_help_is_fast_and_imports_nothing_heavy():
    code = "import sys, extractor.cli; print(any(m in sys.modules for m in ('openai','instructor','llama_cpp','rapidfuzz')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
