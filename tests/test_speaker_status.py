"""A claim whose speaker the text does not settle says so, as data: speaker_id null,
speaker_status 'unresolved' and the why (ambiguous / no_antecedent / no_source), in the JSON,
the table view and the review page; never a guessed name."""

from __future__ import annotations

import io
import json

from extractor.merge import renumber
from extractor.pipeline import extract
from extractor.render import print_table
from extractor.report import render_article
from extractor.schema import Claim, Document, ExtractionResult, Span, Unresolved
from extractor.settings import Settings

AMBIGUOUS = (
    "Tom Reid met Sam Dale in Leeds on Tuesday. \"We agreed nothing,\" he said.\n"
    "Mayor Ana Ruiz said the tram would cut traffic by a third.\n"
)


def _result(text: str = AMBIGUOUS, **settings) -> ExtractionResult:
    return extract(Document.from_text(text, source="t.txt"), Settings(model="none", **settings))


def test_an_ambiguous_he_is_unresolved_in_the_json_with_the_reason():
    data = json.loads(json.dumps(_result().to_json_dict()))
    he = next(c for c in data["claims"] if "We agreed nothing" in c["evidence"]["text"])
    assert he["speaker_id"] is None and he["speaker_status"] == "unresolved"
    assert he["speaker_mention"]["text"] == "he"  # the mention stays, with its offsets
    assert he["unresolved"]["reason"] == "ambiguous"
    assert set(he["unresolved"]["candidates"]) == {"Tom Reid", "Sam Dale"}
    assert "could be" in he["unresolved"]["note"]
    ruiz = next(c for c in data["claims"] if "tram" in c["evidence"]["text"])
    assert ruiz["speaker_status"] == "resolved" and ruiz["unresolved"] is None
    assert {s["name"] for s in data["speakers"]} == {"Ana Ruiz"}  # neither man was guessed


def test_the_narrow_strategy_restates_no_unresolved_claim_with_a_name():
    from extractor.strategies.narrow import narrow_steps
    from extractor.steps import Draft

    result = _result()
    draft = Draft(list(result.speakers), list(result.claims))
    for _ in narrow_steps(result.document, draft, ()):
        pass
    he = next(c for c in draft.claims if "We agreed nothing" in c.evidence.text)
    assert he.text == he.evidence.text and "said" not in he.text.split(":")[0]


def test_status_always_follows_the_speaker():
    text = "Tom Reid said it would rain."
    ev = Span.at(text, 13, 27)
    why = Unresolved(reason="ambiguous", note="'he' could be A or B", candidates=["A", "B"])
    named = Claim(id="c1", speaker_id="s1", text="x", evidence=ev, attribution="indirect", unresolved=why)
    assert (named.speaker_status, named.unresolved) == ("resolved", None)
    author = Claim(id="c2", speaker_id=None, text="x", evidence=ev, attribution="author", speaker_status="unresolved")
    assert (author.speaker_status, author.unresolved) == ("author", None)
    bare = Claim(id="c3", speaker_id=None, text="x", evidence=ev, attribution="indirect")
    assert bare.speaker_status == "unresolved" and bare.unresolved.reason == "no_source"
    mentioned = Claim(id="c4", speaker_id=None, text="x", evidence=ev, attribution="indirect",
                      speaker_mention=Span.at(text, 0, 8))
    assert mentioned.unresolved.reason == "no_antecedent" and "Tom Reid" in mentioned.unresolved.note
    # a model naming the speaker later (model_copy does not validate): renumbering settles it
    open_ = Claim(id="f1", speaker_id=None, text="x", evidence=ev, attribution="indirect", unresolved=why)
    [settled], _ = renumber([open_.model_copy(update={"speaker_id": "s9"})])
    assert (settled.speaker_status, settled.unresolved, settled.id) == ("resolved", None, "c1")


def test_a_result_stored_before_the_status_existed_still_reads():
    data = _result().to_json_dict()
    for c in data["claims"]:
        del c["speaker_status"], c["unresolved"]
    again = ExtractionResult.model_validate(data)
    he = next(c for c in again.claims if "We agreed nothing" in c.evidence.text)
    assert he.speaker_status == "unresolved" and he.unresolved.reason == "no_antecedent"


def test_the_table_and_the_review_page_say_unresolved_not_the_outlet():
    result = _result()
    out = io.StringIO()
    print_table(result, out)
    assert "(unresolved: 'he' could be" in " ".join(out.getvalue().split())
    page = render_article(result.to_json_dict())
    assert 'data-speaker="unresolved"' in page and 'class="q unresolved"' in page
    assert 'value="unresolved"' in page  # its own filter in the speaker panel
    # the selected claim's speaker line (JSON in the page's script, quotes escaped)
    assert "unresolved: \\u0027he\\u0027 could be Tom Reid or Sam Dale" in page
    assert 'data-speaker="outlet"' not in page  # nothing here is the outlet's own voice
