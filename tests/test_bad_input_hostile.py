"""Hostile articles in a batch: markup in an article's text, in a JSONL line's id and title, and
in the name of a file that fails, is shown as text on the pages `extractor report --db`
writes, and never becomes a tag, an event handler or a link. tests/test_hostile.py and
tests/test_report.py cover one article's page from `extract`."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from tests.batch_helpers import cli
from tests.fault_server import FaultServer

ARTICLE = (
    "Mayor Ana Ruiz spoke on Monday.\n"
    "\u201c<script>alert('article')</script> The tram will cut traffic,\u201d Ruiz said.\n"
    "Councilman Pete Long said the plan <img src=x onerror=alert('img')> would bankrupt the city.\n"
    "\u201cClose the tag </script><script>alert('breakout')</script> now,\u201d Long told reporters.\n"
)
LINE = {
    "id": "<script>alert('id')</script>",
    "url": "javascript:alert('url')",
    "title": "<script>alert('title')</script> Budget <b onmouseover=alert('title2')>news</b>",
    "text": "The treasurer said \u201c<svg onload=alert('svg')> the budget is balanced\u201d on Friday.\n",
}
FAILING_NAME = "<img src=x onerror=alert('filename')>.txt"


class Page(HTMLParser):
    """What a browser would run or follow: scripts, event handlers, links."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.links: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        self.links += [value or "" for name, value in attrs if name in ("href", "src")]
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def test_a_batch_report_shows_hostile_text_and_runs_none_of_it(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "hostile.txt").write_text(ARTICLE, encoding="utf-8")
    (inputs / "feed.jsonl").write_text(json.dumps(LINE) + "\n", encoding="utf-8")
    (inputs / FAILING_NAME).write_text("", encoding="utf-8")  # empty: fails, and the report lists its name
    db, out = tmp_path / "r.sqlite", tmp_path / "report"
    with FaultServer() as server:  # the stand-in's answers quote the article, so model text reaches the page too
        batch = cli("batch", inputs, inputs / "feed.jsonl", "--db", db, "--model", "x", "--base-url", server.base_url,
                    "--strategy", "full", env={"OPENAI_API_KEY": None})
    assert batch.exit_code == 1 and "2 done, 1 failed" in batch.stdout, batch.output
    report = cli("report", "--db", db, "-o", out)
    assert report.exit_code == 0, report.output

    pages = sorted(out.glob("*.html"))
    assert len(pages) == 4  # index, targets, and one per document
    shown = ""
    for path in pages:
        html = path.read_text(encoding="utf-8")
        page = Page()
        page.feed(html)
        assert not page.handlers, (path.name, page.handlers)
        assert not {"img", "svg", "b"} & set(page.tags), (path.name, page.tags)
        assert all(link.endswith(".html") for link in page.links), (path.name, page.links)
        assert len(page.scripts) <= 1, path.name  # the page's own, and no other
        for script in page.scripts:  # article text in it only as JSON data, whose strings cannot end the script
            data = re.search(r"const CLAIMS = (.*?);\n", script)
            code = script.replace(data.group(1), "{}") if data else script
            assert "alert(" not in code and "<" not in (data.group(1) if data else ""), path.name
            shown += json.dumps(json.loads(data.group(1))) if data else ""
        shown += html
    for marker in ("alert('article')", "alert('breakout')", "alert('img')", "alert('id')", "alert('title')",
                   "alert('svg')", "alert('filename')"):
        assert marker.replace("'", "&#39;") in shown, f"{marker} should be shown, as text"
