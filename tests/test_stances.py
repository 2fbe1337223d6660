"""The stance layer that needs no language model: the trained classifier and its abstention,
the stated-stance rules, canonical topic targets, and the training script on a tiny fixture."""

from __future__ import annotations

import json

import pytest

from extractor import extract_text
from extractor.merge import merge_stances
from extractor.schema import Claim, Span, Speaker, Stance
from extractor.stance_rules import stated_stances
from extractor.stances import target_views
from extractor.topics import phrases_in, statement_topics, topic_key
from extractor.trained.stance import Judged, decide, default_model, stance_model


# -- abstention ---------------------------------------------------------------------------


def test_a_call_below_the_threshold_is_reported_as_neutral_with_its_low_confidence():
    assert decide((0.1, 0.2, 0.7), threshold=0.8) == Judged("neutral", 0.7, abstained=True)
    assert decide((0.1, 0.2, 0.7), threshold=0.6) == Judged("favor", 0.7)
    assert decide((0.75, 0.2, 0.05), threshold=0.8).polarity == "neutral"
    # a confident neutral is no abstention
    assert decide((0.1, 0.85, 0.05), threshold=0.9) == Judged("neutral", 0.85)


def test_the_shipped_threshold_is_calibrated_not_a_default():
    model = default_model()
    assert 0.5 < model.threshold < 1 and model.temperature > 0
    assert stance_model(0.3).threshold == 0.3 and stance_model(None) is model


@pytest.mark.parametrize(
    ("sentence", "mention", "expected"),
    [
        ("Critics slammed Senator Harlow as a corrupt liar who betrayed the voters and disgraced the office.", "Senator Harlow", "against"),
        ("Senator Harlow will travel to Ohio on Tuesday, her office said.", "Senator Harlow", "neutral"),
    ],
)
def test_the_shipped_classifier_reads_plain_sentences(sentence, mention, expected):
    start = sentence.index(mention)
    probabilities = default_model().probabilities(sentence, start, start + len(mention))
    labels = ("against", "neutral", "favor")
    assert labels[probabilities.index(max(probabilities))] == expected
    assert abs(sum(probabilities) - 1) < 1e-9


def test_praise_is_more_favourable_than_scorn_for_the_same_person():
    model = default_model()
    praised = "Voters praised Mayor Quint as an honest, brilliant and generous leader who helped everyone."
    scorned = "Voters scorned Mayor Quint as a dishonest, incompetent and cruel leader who hurt everyone."
    at = praised.index("Mayor Quint")
    p, s = model.probabilities(praised, at, at + 11), model.probabilities(scorned, at, at + 11)
    assert p[2] > s[2] and s[0] > p[0]


def test_the_article_view_of_a_target_abstains_unless_confident_and_says_unrelated_when_absent():
    text = "Critics slammed Senator Harlow as a corrupt liar who betrayed the voters.\nThe weather was mild."
    [harlow, mars] = target_views(text, ("Senator Harlow", "Mars colonies"), [])
    assert mars.article_polarity == "unrelated" and mars.confidence is None
    assert harlow.article_polarity in ("against", "neutral") and 0 < harlow.confidence <= 1
    if harlow.article_polarity == "neutral":  # abstained: the call it did not make was against
        [lenient] = target_views(text, ("Senator Harlow",), [], stance_model(0.0))
        assert lenient.article_polarity == "against"


def test_the_threshold_setting_reaches_the_pipeline():
    text = "Critics slammed Senator Harlow as a corrupt liar who betrayed the voters and disgraced the office."
    strict = extract_text(text, model="none", targets="Senator Harlow", stance_threshold=1.0)
    lenient = extract_text(text, model="none", targets="Senator Harlow", stance_threshold=0.0)
    assert strict.targets[0].article_polarity == "neutral"
    assert lenient.targets[0].article_polarity == "against"


# -- merging ------------------------------------------------------------------------------


def test_a_holder_both_for_and_against_one_topic_is_neutral_without_confidence():
    merged = merge_stances(
        [
            Stance(holder_id="s1", target="sanctions", polarity="favor", confidence=0.8, claim_ids=["f1"]),
            Stance(holder_id="s1", target="Sanctions", polarity="against", confidence=0.9, claim_ids=["f2"]),
            Stance(holder_id="s2", target="the sanction", polarity="against", confidence=0.7, claim_ids=["f3"]),
            Stance(holder_id="s2", target="sanctions", polarity="against", confidence=0.95, claim_ids=["f4"]),
        ]
    )
    by_holder = {s.holder_id: s for s in merged}
    assert (by_holder["s1"].polarity, by_holder["s1"].confidence) == ("neutral", None)
    assert (by_holder["s2"].polarity, by_holder["s2"].confidence, by_holder["s2"].claim_ids) == ("against", 0.95, ["f3", "f4"])


# -- stated stances -----------------------------------------------------------------------


def _speakers(text: str, *names: str) -> list[Speaker]:
    out = []
    for n, name in enumerate(names, 1):
        spans = []
        at = text.find(name)
        while at >= 0:
            spans.append(Span.at(text, at, at + len(name)))
            at = text.find(name, at + 1)
        out.append(Speaker(id=f"s{n}", name=name, mentions=spans))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Councillor Ruth Obi opposes the harbour tunnel plan.", [("Ruth Obi", "harbour tunnel plan", "against")]),
        ("Ruth Obi said she would vote against the harbour tunnel plan.", [("Ruth Obi", "harbour tunnel plan", "against")]),
        ("Ruth Obi urged the council to approve the harbour tunnel plan.", [("Ruth Obi", "harbour tunnel plan", "favor")]),
        ("Ruth Obi, who chairs the transport committee, said she would vote against the harbour tunnel plan.",
         [("Ruth Obi", "harbour tunnel plan", "against")]),
        ("Ruth Obi did not support the harbour tunnel plan.", []),  # negated: no stance claimed
        ("Ruth Obi, who was endorsed by the union, spoke on Monday.", []),  # passive: the holder is the union
        ("Ruth Obi declined to say whom she would support in the runoff.", []),
        ("Ruth Obi rejected the idea outright.", []),  # a vague object compares with nothing
        ("Ruth Obi said she had voted for Tom Reyes four years ago but switched this time.", []),  # given up
        ("Ruth Obi said the union supported the harbour tunnel plan.", []),  # the union's stance, not hers
        ("The firm will buy back shares, Ruth Obi said.", []),  # 'back' as a particle
        ("Nobody is against safety, Ruth Obi said.", []),  # 'Nobody' is no speaker
    ],
)
def test_stated_stances(text, expected):
    speakers = _speakers(text, "Ruth Obi", "she")
    speakers = [speakers[0].model_copy(update={"mentions": speakers[0].mentions + speakers[1].mentions})]
    found = stated_stances(text, speakers, [], ())
    assert [("Ruth Obi", s.target, s.polarity) for s in found] == expected
    assert all(0 < s.confidence <= 1 for s in found)


def test_we_inside_a_quote_is_the_quoted_speaker():
    text = "\u201cWe oppose the harbour tunnel plan,\u201d Ruth Obi said."
    speakers = _speakers(text, "Ruth Obi")
    start, end = text.index("We"), text.index("plan") + 4
    claim = Claim(id="f1", speaker_id="s1", text="q", evidence=Span.at(text, start, end), attribution="direct")
    [stance] = stated_stances(text, speakers, [claim], ())
    assert (stance.holder_id, stance.target, stance.polarity, stance.claim_ids) == ("s1", "harbour tunnel plan", "against", ["f1"])


def test_a_given_target_is_used_by_name_when_it_is_the_object():
    text = "Ruth Obi opposes the new harbour tunnel plan."
    [stance] = stated_stances(text, _speakers(text, "Ruth Obi"), [], ("harbour tunnel plan",))
    assert stance.target == "harbour tunnel plan"


# -- topics -------------------------------------------------------------------------------


def test_topics_take_one_canonical_form():
    assert [p.text for p in phrases_in("the expansion of NATO")] == ["NATO expansion"]
    assert topic_key("NATO's expansion") == topic_key("NATO expansion") == topic_key("the expansion of NATO".replace("the expansion of NATO", "NATO expansion"))
    assert topic_key("sanctions") == topic_key("the sanction")
    assert topic_key("casual contracts") == topic_key("Casual contract")


def test_a_statement_is_about_its_specific_topic_not_a_bare_name():
    content = "Russia cannot accept NATO's expansion into Ukraine"
    topics = statement_topics(content, {"nato expansion": 3, "russia": 9, "ukraine": 5, "expansion": 3, "nato": 8})
    assert topics[0].text == "NATO expansion"


def test_one_off_phrases_are_no_topics_when_the_article_is_known():
    topics = statement_topics("The weather was mild in the valley", {"weather": 1, "valley": 1})
    assert topics == []


# -- the seed article ---------------------------------------------------------------------


def test_no_reversed_stance_on_the_seed_article(seed_text):
    result = extract_text(seed_text, model="none", targets=("NATO expansion", "sanctions"))
    peskov = next(s for s in result.speakers if s.name == "Dmitry Peskov")
    favored = {s.target.casefold() for s in result.stances if s.holder_id == peskov.id and s.polarity == "favor"}
    assert not favored & {"nato", "nato expansion", "sanctions", "american sanctions", "military support"}
    assert all(s.polarity in ("favor", "against") for s in result.stances)  # neutral is left out
    assert ("security guarantees", "favor") in {(s.target, s.polarity) for s in result.stances if s.holder_id == peskov.id}


# -- training -----------------------------------------------------------------------------

_GOOD = ["praised", "thanked", "celebrated", "admired", "honoured"]
_BAD = ["attacked", "mocked", "condemned", "insulted", "blamed"]
_PEOPLE = ["Ada Brook", "Leo Marsh", "Ines Vale", "Omar Teel", "Rosa Kent", "Hugo Penn"]


def _fixture(path):
    """A tiny NewsMTSC-format file written for this test: who is praised, attacked or merely
    scheduled, in sentences with one or two people."""
    lines = []
    for i, person in enumerate(_PEOPLE):
        for j, (good, bad) in enumerate(zip(_GOOD, _BAD)):
            other = _PEOPLE[(i + j + 1) % len(_PEOPLE)]
            for verb, label in ((good, 6.0), (bad, 2.0)):
                sentence = f"Critics {verb} {person} on Monday."
                lines.append({"sentence_normalized": sentence, "targets": [{"from": sentence.index(person), "to": sentence.index(person) + len(person), "mention": person, "polarity": label}]})
            sentence = f"{person} will meet {other} in Leeds next week."
            lines.append({"sentence_normalized": sentence, "targets": [{"from": 0, "to": len(person), "mention": person, "polarity": 4.0}]})
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")


def test_the_training_script_reproduces_working_parameters_from_a_data_path(tmp_path):
    pytest.importorskip("sklearn")
    from extractor.trained.stance import StanceModel
    from extractor.trained.train_stance import main

    data = tmp_path / "train.jsonl"
    _fixture(data)
    out = tmp_path / "stance.json"
    assert main([str(data), "--out", str(out), "--c", "1.0"]) == 0
    params = json.loads(out.read_text(encoding="utf-8"))
    assert params["labels"] == ["against", "neutral", "favor"] and params["weights"]
    model = StanceModel.from_dict(params)
    sentence = "Critics honoured Nadia Fell on Monday."
    p = model.probabilities(sentence, 16, 26)
    assert p[2] > p[0]  # a name it never saw, praised: favor over against
    again = tmp_path / "again.json"
    main([str(data), "--out", str(again), "--c", "1.0"])
    assert again.read_bytes() == out.read_bytes()  # the same data gives the same parameters


def test_the_training_script_refuses_an_evaluation_split(tmp_path, capsys):
    from extractor.trained.train_stance import main

    held_out = tmp_path / "devtest_mt.jsonl"
    held_out.write_text("", encoding="utf-8")
    assert main([str(held_out)]) == 2
    assert "evaluation split" in capsys.readouterr().err
