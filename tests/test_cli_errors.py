"""The command line's one error path (extractor/console.py): a bad setting names itself in
every command, Ctrl-C is one line and 130, --debug keeps the traceback; and the command
modules import the console helpers, never cli.py (no import cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from extractor.console import EXIT_INTERRUPTED, boundary
from extractor.errors import ConfigError
from tests.batch_helpers import cli
from tests.conftest import ROOT, SEEDS

SEED = SEEDS / "peskov-nato-red-line.txt"
GOLD = ROOT / "tests" / "fixtures" / "gold" / "seeds.jsonl"
BAD_CHUNKS = {"EXTRACTOR_CHUNK_CHARS": "10"}
SAYS = "extractor: bad setting chunk_chars='10' (from EXTRACTOR_CHUNK_CHARS): Input should be greater than or equal to 500 (see chunk_chars in extractor/settings.py)\n"


@pytest.mark.parametrize(
    "command",
    [
        ["extract", SEED, "--model", "none"],
        ["batch", SEED, "--db", "{tmp}/r.sqlite", "--model", "none"],
        ["eval", "gold", GOLD, "--model", "none"],
    ],
    ids=["extract", "batch", "eval"],
)
def test_a_bad_environment_variable_names_the_setting_in_every_command(tmp_path, command):
    args = [str(a).replace("{tmp}", str(tmp_path)) for a in command]
    run = cli(*args, env=BAD_CHUNKS)
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", SAYS)
    assert not (tmp_path / "r.sqlite").exists(), "nothing is created before the settings are known to be good"


def test_a_bad_value_in_the_environment_of_a_batch_setting_names_it(tmp_path):
    run = cli("batch", SEED, "--db", tmp_path / "r.sqlite", "--model", "none", env={"EXTRACTOR_CONCURRENCY": "0"})
    assert run.exit_code == 2
    assert run.stderr.startswith("extractor: bad setting concurrency='0' (from EXTRACTOR_CONCURRENCY): ")


def test_the_boundary_turns_an_error_into_one_line_and_its_exit_code(capsys):
    def work() -> int:
        raise ConfigError("no inputs", "give files")

    assert boundary(work, debug=False) == 2
    assert capsys.readouterr().err == "extractor: no inputs (give files)\n"
    with pytest.raises(ConfigError):
        boundary(work, debug=True)  # --debug: the traceback, as raised


def test_the_boundary_turns_ctrl_c_into_130_and_says_what_was_kept(capsys):
    def work() -> int:
        raise KeyboardInterrupt

    assert boundary(work, debug=False, interrupted="interrupted; results are in out.jsonl") == EXIT_INTERRUPTED == 130
    assert capsys.readouterr().err == "extractor: interrupted; results are in out.jsonl\n"


def test_the_boundary_leaves_a_bug_its_traceback():
    def work() -> int:
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        boundary(work, debug=False)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def test_commands_never_import_the_cli_and_the_console_imports_neither():
    package = ROOT / "extractor"
    upward = {str(p.relative_to(package)): "extractor.cli" for p in (package / "commands").glob("*.py") if "extractor.cli" in _imports(p)}
    assert upward == {}
    console = _imports(package / "console.py")
    assert not {m for m in console if m == "extractor.cli" or m.startswith("extractor.commands")}, console


def test_output_into_a_missing_folder_makes_it_and_an_impossible_one_is_one_line(tmp_path):
    made = tmp_path / "new" / "deeper" / "out.json"
    run = cli("extract", SEED, "--model", "none", "-o", made)
    assert run.exit_code == 0 and made.is_file() and '"document"' in made.read_text(encoding="utf-8")
    page = tmp_path / "pages" / "seed.html"
    assert cli("report", made, "-o", page).exit_code == 0 and page.is_file()
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    run = cli("extract", SEED, "--model", "none", "-o", blocker / "out.json")
    assert run.exit_code == 2 and run.stderr.startswith(f"extractor: {blocker / 'out.json'}: cannot write there")
    assert "Traceback" not in run.output


@pytest.mark.parametrize("url", ["htp:/bad url", "localhost:8000/v1", "http://user:sk-SECRET@:99x/v1"])
def test_a_malformed_base_url_is_a_configuration_error_before_any_request(url):
    run = cli("extract", SEED, "--model", "qwen", "--base-url", url)
    assert run.exit_code == 2 and "is not an http(s) URL" in run.stderr
    assert "sk-SECRET" not in run.output and len(run.stderr.splitlines()) == 1
