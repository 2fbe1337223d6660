"""Check-worthiness: the shipped classifier, its training script (on four tiny transcripts
written for this test, not CLEF data), and claims whose type and check-worthiness are null
when nothing judged them."""

from __future__ import annotations

import json

import pytest

from extractor import extract_text
from extractor.schema import Claim
from extractor.trained import checkworthy
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "checkworthy"


def test_shipped_parameters_are_small_and_judge_sensibly():
    assert checkworthy.PARAMS.stat().st_size < 400_000
    classifier = checkworthy.load()
    factual = classifier.probability("Unemployment fell to 3.7 percent in 2019, the lowest in 50 years.")
    chatter = classifier.probability("Thank you very much, it is great to be here.")
    assert 0.0 <= chatter < factual <= 1.0
    assert classifier.judge("Unemployment fell to 3.7 percent in 2019, the lowest in 50 years.")[1] is True
    assert classifier.judge("Thank you very much, it is great to be here.")[1] is False
    assert classifier.judge("...") == (None, None)  # nothing to judge: not judged


def test_training_reproduces_parameters_from_the_data(tmp_path):
    pytest.importorskip("sklearn")
    from extractor.trained.train_checkworthy import main

    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert main([str(FIXTURE), "--out", str(first)]) == 0
    assert main([str(FIXTURE), "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()  # deterministic: the same data, the same file
    params = json.loads(first.read_text())
    assert params["held_out"] == ["debate4.tsv"] and params["trained_on"] == ["debate1.tsv", "debate2.tsv", "debate3.tsv"]
    assert params["dev"]["sentences"] == 13 and params["dev"]["positives"] == 3  # the stage direction is left out
    classifier = checkworthy.CheckWorthiness.from_dict(params)
    assert classifier.probability("Taxes went up 20 percent in 2016.") > classifier.probability("Thank you, everyone.")


def test_the_shipped_file_records_how_it_was_measured():
    params = json.loads(checkworthy.PARAMS.read_text())
    assert not set(params["trained_on"]) & set(params["held_out"])
    assert params["dev"]["positives"] > 0 and 0.0 < params["dev"]["average_precision"] <= 1.0
    assert 0.0 < params["threshold"] < 1.0


def test_unjudged_claims_say_so():
    claim = Claim(id="c1", speaker_id=None, text="x", evidence=None, attribution="author")
    assert claim.type is None and claim.check_worthy is None and claim.check_worthiness is None


def test_a_claim_with_no_word_to_judge_has_no_probability():
    claims = [Claim(id=f"c{n}", speaker_id=None, text=t, evidence=None, attribution="author") for n, t in enumerate(["Нет.", "…"])]
    for claim in checkworthy.judge_claims(claims):
        assert claim.check_worthiness is None and claim.check_worthy is None


def test_rules_only_claims_carry_the_classifiers_judgement():
    text = 'The mayor said unemployment fell to 3.7 percent in 2019.\n"Thank you all," she said.\n'
    result = extract_text(text, model="none")
    assert result.claims
    for claim in result.claims:
        probability, worthy = checkworthy.load().judge(claim.evidence.text)
        assert (claim.check_worthiness, claim.check_worthy) == (probability, worthy)
    by_text = {c.text: c for c in result.claims}
    numbers = next(c for t, c in by_text.items() if "3.7 percent" in t)
    thanks = next(c for t, c in by_text.items() if "Thank you" in t)
    assert numbers.check_worthiness > thanks.check_worthiness


def test_the_probability_does_not_depend_on_the_hash_seed():
    """The features are a set, ordered by the hash seed: the sum over them must not be, or two
    runs of the same corpus store different scores."""
    import os
    import subprocess
    import sys

    texts = [
        "Unemployment fell to 3.9% in 2019, the lowest rate since 1969, and wages rose $1,200 a year.",
        "We will cut taxes for every family in this country, and we will build more homes than ever before.",
        "I am standing on the shoulders of my favorite actor.",
    ]
    code = (
        "import sys; from extractor.trained.checkworthy import load; "
        "print([repr(load().probability(t)) for t in sys.argv[1:]])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code, *texts], env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True, text=True, check=True,
        ).stdout
        for seed in (0, 1, 2, 3, 5, 8, 9, 13)
    }
    assert len(outputs) == 1, outputs
