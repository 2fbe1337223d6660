"""Files that are not what a nightly job hoped for, end to end through the command line: each
gets a correct result or one line naming it and saying what to do, never a traceback, and the
good inputs of the same run are unaffected. Run as real processes, so every line the tool
writes (logging from libraries included) is seen. tests/test_ingest.py has the unit level.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys

import pytest

from tests.batch_helpers import query, without_seconds

FIVE_MB = 5 * 1024 * 1024
PARAGRAPH = "The council met on Tuesday. \u201cThe tram will cut traffic,\u201d Mayor Ana Ruiz said after the vote.\n\n"
SCRIPTED_PAGE = (
    "<!doctype html><html><head><script>var tracker = 'SCRIPT-NOISE';</script><style>p {color: red}</style></head>"
    "<body><nav><a href='/'>Home</a> | <a href='/world'>NAV-NOISE World</a></nav>"
    + "<script>document.write('MORE-SCRIPT-NOISE')</script>" * 50
    + "<article><h1>Port strike ends after talks</h1>"
    "<p>The union said on Friday that its members had voted to accept the new pay offer after a week of talks.</p>"
    "<p>\u201cThis is a fair deal for the workers and for the port,\u201d the union leader told reporters.</p>"
    "</article><footer>FOOTER-NOISE Copyright</footer></body></html>"
)

# name -> (bytes, what the run must say about it: None for a result)
CORPUS: dict[str, tuple[bytes, str | None]] = {
    "empty.txt": (b"", "the article is empty (pass a file with text in it)"),
    "whitespace.txt": (b" \n\t\r\n   \n", "the article is empty (pass a file with text in it)"),
    "binary.txt": (bytes(range(256)) * 16, "looks like a binary file, not text"),
    "latin1.txt": ("Caf\u00e9 owner Jos\u00e9 Mu\u00f1oz said prices rose.\n".encode("latin-1"), None),
    "utf16.txt": ("Ministre Z\u00e9lie Dubois a dit \u00ab non \u00bb.\n".encode("utf-16"), None),
    "utf16-no-bom.txt": ("\u041f\u0435\u0441\u043a\u043e\u0432 said the talks would go on.\n".encode("utf-16-le"), None),
    "bom.txt": (codecs.BOM_UTF8 + "The governor said the bridge would reopen.\n".encode(), None),
    "five-mb.txt": ((PARAGRAPH * (FIVE_MB // len(PARAGRAPH.encode()) + 1)).encode(), "over the limit of 2,000,000"),
    "one-line.txt": (b"x" * 200_000, None),
    "page.html": (SCRIPTED_PAGE.encode(), None),
    "report.pdf": (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", ".pdf files are not supported"),
    "letter.docx": (b"PK\x03\x04" + bytes(26) + b"word/document.xml", ".docx files are not supported"),
    "pdf-named.txt": (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n", "is a PDF file, not text"),
    "good.txt": (PARAGRAPH.encode(), None),
}
DECODED = {
    "latin1.txt": "Caf\u00e9 owner Jos\u00e9 Mu\u00f1oz said prices rose.\n",
    "utf16.txt": "Ministre Z\u00e9lie Dubois a dit \u00ab non \u00bb.\n",
    "utf16-no-bom.txt": "\u041f\u0435\u0441\u043a\u043e\u0432 said the talks would go on.\n",
    "bom.txt": "The governor said the bridge would reopen.\n",
    "one-line.txt": "x" * 200_000,
    "good.txt": PARAGRAPH,
}
FEED = [
    json.dumps({"id": "feed-1", "text": "The treasurer said the budget is balanced."}),
    '{"id": "feed-2", "text": "a line cut off in the midd',
    json.dumps({"id": "feed-3", "html": "<p>The mayor said the parks would stay open.</p>"}),
]


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (data, _) in CORPUS.items():
        (folder / name).write_bytes(data)
    (folder / "a-folder").mkdir()
    (folder / "a-folder" / "inside.md").write_text("The minister said the school would open in May.\n", encoding="utf-8")
    (folder / "a-folder" / "notes.csv").write_text("not,an,article\n", encoding="utf-8")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "feed.jsonl").write_text("\n".join(FEED) + "\n", encoding="utf-8")
    return folder


def run(*args, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXTRACTOR_") and k != "OPENAI_API_KEY"}
    return subprocess.run([sys.executable, "-m", "extractor.cli", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def assert_no_traceback(process):
    for stream in (process.stdout, process.stderr):
        assert "Traceback" not in stream, stream[-2000:]


def test_extract_many_bad_inputs_in_one_call(corpus):
    names = [*CORPUS, "missing.txt", "a-folder", "dangling.txt", "feed.jsonl"]
    done = run("extract", *names, "--model", "none", "--format", "jsonl", cwd=corpus)
    assert_no_traceback(done)
    assert done.returncode == 1
    results = {r["document"]["source"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert set(results) == {name for name, (_, says) in CORPUS.items() if says is None}
    for name, text in DECODED.items():
        assert results[name]["document"]["text"] == text, name
    page = results["page.html"]["document"]["text"]
    assert "accept the new pay offer" in page and "fair deal" in page
    assert not any(noise in page for noise in ("SCRIPT-NOISE", "NAV-NOISE", "FOOTER-NOISE", "<"))

    lines = [line for line in done.stderr.splitlines() if ": warning: " not in line]
    warnings = [line for line in done.stderr.splitlines() if ": warning: " in line]
    # the one French article is read, in a language the rules cover; only the English-trained
    # judgements are said to be left out
    assert results["utf16.txt"]["document"]["language"] == "fr"
    assert [w.split(": warning: ")[0] for w in warnings] == ["extractor: utf16.txt"] and "trained on English" in warnings[0]
    expected = {name: says for name, (_, says) in CORPUS.items() if says is not None}
    expected.update({
        "missing.txt": "no such file (check the path)",
        "a-folder": "is a directory (pass the article files inside it)",
        "dangling.txt": "broken symbolic link (point it at an existing file)",
        "feed.jsonl": "a JSONL file holds many articles (use extractor batch for JSONL files)",
    })
    assert len(lines) == len(expected), lines
    for line, (name, says) in zip(lines, expected.items()):  # in the order given, one line each
        assert line.startswith(f"extractor: {name}: ") and says in line and line.endswith(")"), line

    alone = run("extract", "good.txt", "latin1.txt", "--model", "none", "--format", "jsonl", cwd=corpus)
    for result in map(json.loads, alone.stdout.splitlines()):
        assert without_seconds(result) == without_seconds(results[result["document"]["source"]])


def test_batch_of_bad_inputs_records_each_failure_and_does_the_rest(corpus, tmp_path):
    db = tmp_path / "r.sqlite"
    inputs = [*CORPUS, "missing.txt", "a-folder", "dangling.txt", "feed.jsonl"]
    done = run("batch", *inputs, "--db", db, "--model", "none", cwd=corpus)
    assert_no_traceback(done)
    assert done.returncode == 1
    failures = {row[0]: row[1:] for row in query(db, "SELECT source, kind, reason FROM failures")}
    expected = {name: says for name, (_, says) in CORPUS.items() if says is not None}
    expected.update({
        "missing.txt": "no such file (check the path)",
        "dangling.txt": "broken symbolic link (point it at an existing file)",
        "feed.jsonl:2": "not a JSON line",
    })
    assert set(failures) == set(expected)
    for source, (kind, reason) in failures.items():
        assert kind == "input" and reason.startswith(f"{source}: ") and expected[source] in reason, reason
    stored = dict(query(db, "SELECT source, text FROM documents"))
    good = {name for name, (_, says) in CORPUS.items() if says is None}
    assert set(stored) == good | {"a-folder/inside.md", "feed-1", "feed-3"}
    for name, text in DECODED.items():
        assert stored[name] == text, name
    assert query(db, "SELECT COUNT(*) FROM extractions") == [(len(stored),)]
    assert f"{len(stored)} done, {len(failures)} failed" in done.stdout

    again = run("batch", *inputs, "--db", db, "--model", "none", cwd=corpus)  # a rerun leaves both alone
    assert again.returncode == 1 and f"{len(stored)} unchanged, {len(failures)} failed before" in again.stdout
