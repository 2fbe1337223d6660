import json
import re
from html.parser import HTMLParser

from click.testing import CliRunner

from extractor.cli import main
from extractor.pipeline import extract
from extractor.report import render_article, render_batch, segments
from extractor.schema import Document, Stance
from extractor.settings import Settings

HOSTILE = (
    "Mayor Ana Ruiz spoke on Monday.\n"
    "\u201c<script>alert('pwned')</script> The tram will cut traffic,\u201d Ruiz said.\n"
    "Councilman Pete Long said the plan <img src=x onerror=alert(1)> would bankrupt the city.\n"
)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.imgs, self.marks = [], 0, []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        if tag == "img":
            self.imgs += 1
        if tag == "mark":
            self.marks.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def result_dict(text=HOSTILE, stances=True, **settings):
    result = extract(Document.from_text(text, source="t.txt"), Settings(model="none", **settings))
    if stances:
        ruiz = next(s for s in result.speakers if s.name == "Ana Ruiz")
        long_ = next(s for s in result.speakers if s.name == "Pete Long")
        result.stances = [
            Stance(holder_id=ruiz.id, target="the tram plan", polarity="favor", claim_ids=[result.claims[0].id]),
            Stance(holder_id=long_.id, target="the tram plan", polarity="against", claim_ids=[result.claims[1].id]),
        ]
    return result.to_json_dict()


def test_article_text_is_escaped_and_never_runs():
    page = render_article(result_dict())
    tags = Tags()
    tags.feed(page)
    assert len(tags.scripts) == 1, "only the page's own script"
    assert "\\u003cscript\\u003e" in tags.scripts[0], "the claim data is JSON with < escaped"
    assert "<script>alert" not in page
    assert tags.imgs == 0
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in page


def test_every_grounded_quote_is_highlighted_in_its_speakers_colour():
    data = result_dict()
    page = render_article(data)
    tags = Tags()
    tags.feed(page)
    highlighted = {cid for m in tags.marks for cid in m["data-claims"].split()}
    assert highlighted == {c["id"] for c in data["claims"] if c["evidence"]}
    speakers = {c["id"]: c["speaker_id"] for c in data["claims"]}
    for m in tags.marks:
        assert m["data-speaker"] == speakers[m["data-claims"].split()[0]]
    text = "".join(s.text for s in segments(data))
    assert text == data["document"]["text"], "segments rebuild the article exactly"


def test_stance_map_and_speaker_panel():
    page = render_article(result_dict())
    assert re.search(r'<td class="favor">favor</td>', page)
    assert re.search(r'<td class="against">against</td>', page)
    assert "Pete Long" in page and "claims</span>" in page


def test_unaligned_claims_are_listed_apart():
    data = result_dict()
    data["claims"].append(dict(data["claims"][0], id="c99", evidence=None, text="A quote the model invented"))
    data["run"]["dropped_unaligned"] = 1
    page = render_article(data)
    assert "Not found in the text" in page and "A quote the model invented" in page


def test_batch_pages_index_targets_and_failures(tmp_path):
    other = result_dict(text=HOSTILE.replace("Monday", "Tuesday"))  # another article, the same speakers
    written = render_batch([result_dict(), other], [{"source": "bad.txt", "reason": "empty", "attempts": 1}], tmp_path)
    assert {p.name for p in written} >= {"index.html", "targets.html"}
    pages = sorted(p.name for p in written if p.name.startswith("doc-"))
    assert len(pages) == 2
    index = (tmp_path / "index.html").read_text()
    assert sorted(re.findall(r'<a href="(doc-[^"]+)"', index)) == pages and "bad.txt" in index and "1 failed" in index
    targets = (tmp_path / "targets.html").read_text()
    (section,) = re.findall(r"<section><h2>(.*?)</h2>(.*?)</section>", targets, re.S)
    assert section[0] == "the tram plan"
    rows = re.findall(r'<tr><td>([^<]*)</td><td class="(\w+)">\w+</td>\s*<td>(\d+): (.*?)</td></tr>', section[1], re.S)
    assert [(who, polarity, n) for who, polarity, n, _ in rows] == [("Ana Ruiz", "favor", "2"), ("Pete Long", "against", "2")]
    for *_, links in rows:  # each stance links both articles that hold it
        assert sorted(re.findall(r'href="(doc-[^"]+)"', links)) == pages


def test_the_per_target_view_adds_up_one_topic_named_differently_across_articles(tmp_path):
    first = result_dict()
    second = result_dict(text=HOSTILE.replace("Monday", "Tuesday"))
    for stance in second["stances"]:
        stance["target"] = "The tram plans"  # the same topic in another article's words
    render_batch([first, second], [], tmp_path)
    page = (tmp_path / "targets.html").read_text()
    sections = re.findall(r"<h2>(.*?)</h2>", page)
    assert len(sections) == 1 and sections[0] in ("the tram plan", "The tram plans")
    assert page.count("2: ") == 2  # Ana Ruiz favor and Pete Long against, each in both articles


def test_report_command(tmp_path):
    result_file = tmp_path / "r.json"
    result_file.write_text(json.dumps(result_dict()))
    out = tmp_path / "r.html"
    run = CliRunner().invoke(main, ["report", str(result_file), "-o", str(out)])
    assert run.exit_code == 0 and out.exists()
    bad = tmp_path / "bad.json"
    bad.write_text("{\"not\": \"a result\"}")
    run = CliRunner().invoke(main, ["report", str(bad), "-o", str(out)])
    assert run.exit_code == 1 and "not an extraction result" in run.stderr
