"""The pipeline with a hand-made FakeModel (unit-test fixtures, not recordings)."""

from extractor.answers import ChunkAnswer, ModelClaim
from extractor.errors import ValidationFailed
from extractor.pipeline import extract
from extractor.schema import Document
from extractor.settings import Settings
from tests.conftest import FakeModel, assert_spans_grounded

ARTICLE = (
    "Mayor Ana Ruiz unveiled the tram plan on Monday.\n"
    "\u201cThe tram will cut traffic by a third,\u201d Ruiz said.\n"
    "Councilman Pete Long said the plan would bankrupt the city.\n"
    "Ticket prices rose 4% last year.\n"
    "Long said he opposes the tram plan.\n"
)


def doc(text=ARTICLE):
    return Document.from_text(text, source="test")


def test_rules_only_needs_no_model():
    result = extract(doc(), Settings(model="none"))
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
    result = extract(doc(), Settings(), model, targets=("tram plan",))
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
    return ChunkAnswer(
        speakers=[{"name": "Ana Ruiz", "role": "mayor", "kind": "person", "mentions": ["the mayor", "Ruiz"]}],
        claims=[
            ModelClaim(speaker="Ana Ruiz", quote='"The tram will cut traffic by a third,"', cue="said",
                       claim="Mayor Ana Ruiz said the tram will cut traffic by a third.",
                       attribution="direct", type="prediction", check_worthy=True),
            ModelClaim(speaker=None, quote="ticket prices rose 4%  last year.", cue=None,
                       claim="Ticket prices rose 4% last year.", attribution="author", check_worthy=True),
            ModelClaim(speaker="Ana Ruiz", quote="The tram is free for all children forever.", cue=None,
                       claim="invented", attribution="direct"),
        ],
        stances=[{"holder": "Ruiz", "target": "the tram plan", "polarity": "favor", "claim_numbers": [1]}],
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
    assert tram.evidence.alignment == "exact"  # the finder's span stands; the model did not contest it
    author = next(c for c in result.claims if c.attribution == "author")
    assert author.speaker_id is None and author.evidence.text == "Ticket prices rose 4% last year."
    assert author.evidence.alignment == "normalized"  # case and spacing differed
    assert author.evidence.quoted_as == "ticket prices rose 4%  last year."
    ruiz = next(s for s in result.speakers if s.name == "Ana Ruiz")
    assert ruiz.role.casefold() == "mayor"  # the article says "Mayor", the model "mayor": either will do
    [stance] = result.stances
    assert stance.holder_id == ruiz.id and stance.claim_ids == [tram.id]


def test_keep_unaligned_keeps_the_claim_without_evidence():
    model = FakeModel("openai/capable").enqueue(_full_answer())
    result = extract(doc(), Settings(model="openai/capable", keep_unaligned=True), model)
    assert_spans_grounded(result)
    kept = [c for c in result.claims if c.evidence is None]
    assert [c.text for c in kept] == ["invented"]
    assert result.run.dropped_unaligned == 1


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
    answers = []
    from extractor.chunking import chunk_text

    chunks = chunk_text(text, 1500, 400)
    for chunk in chunks:
        inside = chunk.start <= text.index(quote) and text.index(quote) + len(quote) <= chunk.end
        claims = [ModelClaim(speaker="Officials", quote=quote[15:], claim="The harbour bridge will reopen in March.",
                             attribution="indirect")] if inside else []
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
