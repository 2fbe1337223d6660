"""The pipeline with a hand-made FakeModel (unit-test fixtures, not recordings)."""

import pytest

from extractor.answers import ChunkAnswer, ModelClaim
from extractor.errors import ValidationFailed
from extractor.pipeline import extract
from extractor.schema import Document
from extractor.settings import Settings
from extractor.strategies.full import passage_chars
from tests.conftest import FakeModel, assert_spans_grounded

ARTICLE = (
    "Mayor Ana Ruiz unveiled the tram plan on Monday.\n"
    "\u201cThe tram will cut traffic by a third,\u201d Ruiz said.\n"
    "Councilman Pete Long said the plan would bankrupt the city.\n"
    "Ticket prices rose 4% last year.\n"
)
# the same article with a stance stated outright, for the tests of the stance layer
WITH_STANCE = ARTICLE + "Long said he opposes the tram plan.\n"


def doc(text=ARTICLE):
    return Document.from_text(text, source="test")


def test_rules_only_needs_no_model():
    result = extract(doc(WITH_STANCE), Settings(model="none"))
    assert_spans_grounded(result)
    assert result.run.model == "none" and result.run.strategy == "none"
    assert result.run.usage.requests == 0
    names = {s.name for s in result.speakers}
    assert {"Ana Ruiz", "Pete Long"} <= names
    for claim in result.claims:
        assert claim.text == claim.evidence.text
    long_claim = next(c for c in result.claims if "bankrupt" in c.evidence.text)
    assert long_claim.attribution == "indirect" and long_claim.cue.text == "said"
    # stances need no model: what the words state outright, each with its confidence
    long = next(s for s in result.speakers if s.name == "Pete Long")
    assert [(s.holder_id, s.target, s.polarity) for s in result.stances] == [(long.id, "tram plan", "against")]
    assert 0 < result.stances[0].confidence <= 1


def test_narrow_asks_the_tiny_model_nothing_and_the_trained_layer_judges():
    model = FakeModel("local/tiny")  # no answers queued: any question would fail the test
    result = extract(doc(WITH_STANCE), Settings(), model, targets=("tram plan",))
    assert_spans_grounded(result)
    assert result.run.strategy == "narrow" and result.run.usage.requests == 0
    tram = next(c for c in result.claims if "tram will cut" in c.evidence.text)
    assert tram.text.startswith("Ana Ruiz said")
    assert tram.type is None  # nothing judged it
    long = next(s for s in result.speakers if s.name == "Pete Long")
    [view] = result.targets
    assert view.article_polarity != "unrelated" and 0 <= view.confidence <= 1
    assert [(s.holder_id, s.polarity) for s in view.stances] == [(long.id, "against")]


def _full_answer():
    """Candidate 1 is the mayor's tram quote, candidate 2 Long's indirect claim (the finder's
    order); 3 and 4 are new, and 4 is not in the article."""
    return ChunkAnswer(
        claims=[
            ModelClaim(n=1, claim="Mayor Ana Ruiz said the tram will cut traffic by a third.", type="prediction",
                       target="the tram plan", stance="favor"),
            ModelClaim(n=3, quote="ticket prices rose 4%  last year.", claim="Ticket prices rose 4% last year."),
            ModelClaim(n=4, speaker="Ana Ruiz", quote="The tram is free for all children forever.", claim="invented"),
        ],
    )


def test_full_grounds_merges_and_drops_what_it_cannot_find():
    model = FakeModel("openai/capable").enqueue(_full_answer())
    result = extract(doc(), Settings(model="openai/capable"), model)
    assert_spans_grounded(result)
    assert result.run.strategy == "full"
    assert result.run.dropped_unaligned == 1
    assert all("invented" != c.text for c in result.claims)
    tram = next(c for c in result.claims if "tram will cut" in c.evidence.text)
    assert tram.origin == "finder+model" and tram.type == "prediction"
    assert tram.text == "Mayor Ana Ruiz said the tram will cut traffic by a third."
    assert tram.evidence.alignment == "exact"  # the finder's span stands; the model did not contest it
    author = next(c for c in result.claims if c.attribution == "author")
    assert author.speaker_id is None and author.evidence.text == "Ticket prices rose 4% last year."
    assert author.evidence.alignment == "normalized"  # case and spacing differed
    assert author.evidence.quoted_as == "ticket prices rose 4%  last year."
    ruiz = next(s for s in result.speakers if s.name == "Ana Ruiz")
    [stance] = result.stances
    assert stance.holder_id == ruiz.id and stance.claim_ids == [tram.id]
    assert (stance.target, stance.polarity) == ("the tram plan", "favor")


def test_keep_unaligned_keeps_the_claim_without_evidence():
    model = FakeModel("openai/capable").enqueue(_full_answer())
    result = extract(doc(), Settings(model="openai/capable", keep_unaligned=True), model)
    assert_spans_grounded(result)
    kept = [c for c in result.claims if c.evidence is None]
    assert [c.text for c in kept] == ["invented"]
    assert result.run.dropped_unaligned == 1


def test_the_model_sees_candidates_by_number_and_never_retypes_a_confirmed_quote():
    model = FakeModel("openai/capable").enqueue(_full_answer())
    extract(doc(), Settings(model="openai/capable"), model)
    [(user, _)] = model.asked
    passage = user.split("<article>\n", 1)[1]
    assert "[1]\u201cThe tram will cut traffic by a third,\u201d[/] Ruiz said." in passage
    assert "said [2]the plan would bankrupt the city[/]." in passage
    assert "1 Ruiz; 2 Long" in user  # who the finder says speaks each, by surname
    assert "from n=3" in user


def test_a_confirmed_candidate_is_not_grounded_again(monkeypatch):
    from extractor.grounding import TextIndex

    grounded = []
    real = TextIndex.ground
    monkeypatch.setattr(TextIndex, "ground", lambda self, quote, *a, **k: grounded.append(quote) or real(self, quote, *a, **k))
    answer = ChunkAnswer(claims=[ModelClaim(n=1, claim="Ruiz said the tram cuts traffic.", type="prediction"),
                                 ModelClaim(n=2, claim="Long said the plan would bankrupt the city.", type="opinion")])
    result = extract(doc(), Settings(model="openai/capable"), FakeModel("openai/capable").enqueue(answer))
    assert grounded == []
    assert_spans_grounded(result)
    by_text = {c.text: c for c in result.claims}
    long_claim = by_text["Long said the plan would bankrupt the city."]
    assert long_claim.evidence.text == "the plan would bankrupt the city" and long_claim.cue.text == "said"
    assert long_claim.origin == "finder+model" and long_claim.type == "opinion"


def test_candidates_can_be_rejected_and_corrected():
    answer = ChunkAnswer(
        claims=[ModelClaim(n=1, claim="Ana Ruiz said the tram will cut traffic by a third.", quote="The tram will cut traffic",
                           speaker="Ana Ruiz", type="prediction")],
        rejected=[2],
    )
    result = extract(doc(), Settings(model="openai/capable"), FakeModel("openai/capable").enqueue(answer))
    assert_spans_grounded(result)
    assert all("bankrupt" not in c.evidence.text for c in result.claims)
    tram = next(c for c in result.claims if "tram" in c.evidence.text)
    assert tram.evidence.text == "The tram will cut traffic"  # the corrected span, grounded
    assert tram.speaker_id == next(s.id for s in result.speakers if s.name == "Ana Ruiz")


def test_a_new_claim_must_quote_the_article():
    from pydantic import ValidationError

    context = {"text": ARTICLE, "start": 0, "end": len(ARTICLE), "candidates": 2}
    with pytest.raises(ValidationError, match="give its quote"):
        ChunkAnswer.model_validate({"claims": [{"n": 3, "claim": "Prices rose."}]}, context=context)
    ok = ChunkAnswer.model_validate({"claims": [{"n": 2, "claim": "Long spoke."}]}, context=context)
    assert ok.claims[0].quote is None


def test_a_new_claim_gets_its_cue_and_attribution_from_the_text():
    text = "The port was busy. \u201cWe will hire 200 people,\u201d the harbour master Ida Berg told reporters on Friday.\n"
    answer = ChunkAnswer(claims=[ModelClaim(n=9, speaker="Ida Berg", quote="We will hire 200 people,", claim="Berg said the port will hire 200 people.")])
    model = FakeModel("openai/capable").enqueue(answer)
    result = extract(Document.from_text(text), Settings(model="openai/capable"), model)
    assert_spans_grounded(result)
    hire = next(c for c in result.claims if "hire" in c.evidence.text)
    assert hire.attribution == "direct" and hire.cue is not None and hire.cue.text == "told"


def test_full_chunk_failure_keeps_finder_results_and_says_so():
    model = FakeModel("openai/capable").enqueue(ValidationFailed("cut off"))
    result = extract(doc(), Settings(model="openai/capable"), model)
    assert result.claims and all(c.origin == "finder" for c in result.claims)
    assert result.run.warnings and "cut off" in result.run.warnings[0]


def test_long_article_is_chunked_and_overlap_duplicates_merge():
    paragraph = "Filler sentence about the weather and the harbour. " * 12
    quote = "Officials said the harbour bridge will reopen in March."
    text = "\n".join([paragraph] * 6 + [quote] + [paragraph] * 6)
    settings = Settings(model="openai/capable", chunk_chars=1500, chunk_overlap=400)
    assert passage_chars(settings) == 1500
    answers = []
    from extractor.chunking import chunk_text

    chunks = chunk_text(text, 1500, 400)
    for chunk in chunks:
        inside = chunk.start <= text.index(quote) and text.index(quote) + len(quote) <= chunk.end
        claims = [ModelClaim(n=1, speaker="Officials", quote=quote[15:], claim="The harbour bridge will reopen in March.")] if inside else []
        answers.append(ChunkAnswer(claims=claims))
    model = FakeModel("openai/capable").enqueue(*answers)
    result = extract(Document.from_text(text), settings, model)
    assert len(chunks) > 2 and result.run.usage.requests == len(chunks)
    assert_spans_grounded(result)
    bridge = [c for c in result.claims if c.evidence and "bridge" in c.evidence.text]
    assert len(bridge) == 1


def test_unrelated_targets_are_decided_by_rules():
    result = extract(doc(), Settings(model="none"), targets=("the tram plan", "Mars colonisation missions"))
    assert [t.target for t in result.targets] == ["the tram plan", "Mars colonisation missions"]
    assert result.targets[0].article_polarity != "unrelated"
    assert result.targets[1].article_polarity == "unrelated" and result.targets[1].confidence is None


def test_a_passage_follows_the_models_context_window():
    assert passage_chars(Settings(model="openai/x")) == 16000  # the default: one request for 99% of news articles
    assert passage_chars(Settings(model="openai/x", context_window=4096, max_tokens=1024)) == (4096 - 1024 - 600) * 3
    assert passage_chars(Settings(model="local/smollm2-135m", local_context=2048, max_tokens=512)) == (2048 - 512 - 600) * 3
    # the answer's room is at most a quarter of the window
    assert passage_chars(Settings(model="local/smollm2-135m", local_context=4096)) == (4096 - 1024 - 600) * 3
    assert passage_chars(Settings(model="openai/x", chunk_chars=2000)) == 2000


def test_an_empty_answer_leaves_the_finders_proposals_and_says_so():
    model = FakeModel("openai/capable").enqueue(ChunkAnswer())
    result = extract(doc(), Settings(model="openai/capable"), model)
    assert result.claims and all(c.origin == "finder" for c in result.claims)
    assert "judged none of the 2 candidates" in result.run.warnings[0]


def test_targets_are_asked_in_the_same_request_with_their_verdicts():
    from extractor.answers import TargetsChunkAnswer

    answer = TargetsChunkAnswer(
        claims=[ModelClaim(n=1, claim="Ruiz said the tram will cut traffic by a third.", target="tram plan", stance="favor")],
        verdicts=[{"target": "tram plan", "polarity": "favor"}],
    )
    model = FakeModel("openai/capable").enqueue(answer)
    result = extract(doc(), Settings(model="openai/capable"), model, targets=("tram plan",))
    [(user, response_model)] = model.asked
    assert response_model is TargetsChunkAnswer and "tram plan" in user.split("<article>")[0]
    [view] = result.targets
    assert view.article_polarity == "favor"
    assert [s.polarity for s in view.stances] == ["favor"]


def test_a_new_claim_number_given_twice_is_one_claim():
    answer = ChunkAnswer(claims=[
        ModelClaim(n=3, quote="Ticket prices rose 4% last year.", claim="Ticket prices rose 4% last year."),
        ModelClaim(n=3, quote="Mayor Ana Ruiz unveiled the tram plan on Monday.", claim="Ruiz unveiled the tram plan."),
    ])
    result = extract(doc(), Settings(model="openai/capable"), FakeModel("openai/capable").enqueue(answer))
    assert_spans_grounded(result)
    assert len({c.id for c in result.claims}) == len(result.claims)
    assert [c.text for c in result.claims if c.origin == "model"] == ["Ticket prices rose 4% last year."]
