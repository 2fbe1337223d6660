"""The learned attribution tagger: its decoding, its merge with the rules, and its training
script run end to end on a tiny PolNeAR-shaped corpus written here (no PolNeAR text)."""

from __future__ import annotations

import json

import pytest

from extractor.finder import find_attributions
from extractor.finder.article import rule_attributions
from extractor.finder.learned import learned_attributions, link, runs
from extractor.finder.tag_features import C, O, Q, S
from extractor.finder.text import layout
from extractor.trained.tagger import CrfModel, load, viterbi

NAMES = ["Maria Lopez", "Tom Baker", "The mayor", "Union leaders", "Ann Smith", "The senator"]
CLAUSES = [
    "the budget would hurt schools",
    "the bridge was never safe",
    "the vote had been rigged",
    "taxes will rise next year",
    "the plan ignores rural towns",
    "the deal was a mistake",
]
FILLER = [
    "The meeting began at noon in the old hall.",
    "Rain fell on the city for most of the week.",
    "The report runs to forty pages.",
]


def article(cue: str, k: int) -> tuple[str, list[tuple[tuple[int, int], tuple[int, int], tuple[int, int]]]]:
    """An article of filler and 'NAME CUE that CLAUSE.' sentences, with (source, cue, content) offsets."""
    text, gold = "", []
    for i in range(3):
        text += FILLER[(k + i) % 3] + " "
        name, clause = NAMES[(k + i) % 6], CLAUSES[(k * 2 + i) % 6]
        s = len(text)
        text += f"{name} {cue} that {clause}.\n"
        src = (s, s + len(name))
        cue_span = (src[1] + 1, src[1] + 1 + len(cue))
        content = (cue_span[1] + 1, cue_span[1] + 1 + len("that ") + len(clause))
        gold.append((src, cue_span, content))
    return text, gold


def ann(text: str, gold) -> str:
    lines = []
    for n, (src, cue, content) in enumerate(gold):
        t = 3 * n
        lines += [
            f"T{t + 1}\tSource {src[0]} {src[1]}\t{text[src[0]:src[1]]}",
            f"T{t + 2}\tCue {cue[0]} {cue[1]}\t{text[cue[0]:cue[1]]}",
            f"T{t + 3}\tContent {content[0]} {content[1]}\t{text[content[0]:content[1]]}",
            f"E{n + 1}\tAttribution:T{t + 2} Source:T{t + 1} Cue:T{t + 2} Content:T{t + 3}",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def corpus(tmp_path):
    # 'bemoaned' and 'griped' are outside the finder's lexicon: only the tagger can learn them
    for split, cues in (("train", ["bemoaned", "griped"] * 4), ("dev", ["bemoaned"])):
        (tmp_path / "data" / split / "text").mkdir(parents=True)
        (tmp_path / "data" / split / "attributions").mkdir()
        for k, cue in enumerate(cues):
            text, gold = article(cue, k)
            (tmp_path / "data" / split / "text" / f"paper_{k}.txt").write_text(text, encoding="utf-8")
            (tmp_path / "data" / split / "attributions" / f"paper_{k}_ab12.ann").write_text(ann(text, gold), encoding="utf-8")
    return tmp_path


def test_training_script_learns_cues_outside_the_lexicon(corpus, tmp_path):
    from extractor.trained import train_tagger

    pytest.importorskip("pycrfsuite")
    out = tmp_path / "tagger.json"
    assert train_tagger.main([str(corpus), "--out", str(out), "--c1", "0.01", "--iterations", "60"]) == 0
    params = json.loads(out.read_text(encoding="utf-8"))
    assert params["labels"] == ["O", "S", "C", "Q"]
    assert params["features"]["w"]["bemoaned"][C] > 0  # the cue's own word votes for C
    # rules alone find nothing in the dev article; rules plus tagger find all three
    assert params["dev"]["rules"]["content_overlap"]["recall"] == 0.0
    assert params["dev"]["rules+tagger"]["content_overlap"]["f1"] == 1.0

    model = CrfModel.from_dict(params)
    text = "Ann Smith bemoaned that the bridge was never safe.\n"
    lay = layout(text)
    assert rule_attributions(text, lay) == []
    (raw,) = learned_attributions(text, lay, [], model)
    assert text[slice(*raw.source)] == "Ann Smith"
    assert text[slice(*raw.cue)] == "bemoaned"
    assert [text[s:e] for s, e in raw.parts] == ["that the bridge was never safe"]
    assert raw.kind == "indirect"


def test_viterbi_follows_transitions_over_weak_emissions():
    # label 1 may only follow itself or 0; a weak preference for 2 in the middle loses to that
    trans = [[0.0, 0.0, 0.0], [0.0, 1.0, -5.0], [0.0, -5.0, 0.0]]
    emissions = [[0.0, 2.0, 0.0], [0.0, 1.0, 1.5], [0.0, 2.0, 0.0]]
    assert viterbi(emissions, trans) == [1, 1, 1]
    assert viterbi([[0.0, 0.0, 3.0]], trans) == [2]


def test_runs_are_linked_to_the_nearest_cue_and_its_source():
    labels = [S, S, C, Q, Q, Q, O, O, Q, Q, C, S]
    found = runs(labels)
    assert found == [(S, 0, 2), (C, 2, 3), (Q, 3, 6), (Q, 8, 10), (C, 10, 11), (S, 11, 12)]
    linked = link(found)
    assert linked == [((C, 2, 3), [(Q, 3, 6)], (S, 0, 2)), ((C, 10, 11), [(Q, 8, 10)], (S, 11, 12))]


def test_a_content_run_without_any_cue_is_not_an_attribution():
    assert link(runs([O, Q, Q, Q, O])) == []


@pytest.mark.skipif(load() is None, reason="no shipped tagger parameters")
def test_shipped_tagger_adds_what_the_rules_miss_and_keeps_what_they_find():
    text = (
        'The governor bemoaned that the state had lost thousands of jobs to its neighbours.\n'
        '"We will not give up," said Dmitry Peskov.\n'
    )
    finding = find_attributions(text)
    got = {(a.source.text if a.source else None, a.cue.text if a.cue else None) for a in finding.attributions}
    assert ("Dmitry Peskov", "said") in got  # the rules' attribution is unchanged
    assert ("The governor", "bemoaned") in got
    bemoaned = next(a for a in finding.attributions if a.cue and a.cue.text == "bemoaned")
    assert bemoaned.content.text.startswith("that the state had lost")


@pytest.mark.skipif(load() is None, reason="no shipped tagger parameters")
def test_learned_attributions_never_touch_the_rules_spans():
    text = (
        "Senator Jane Ortiz said the bill was dead, and aides griped that leadership had "
        "abandoned it. Critics have long railed against the measure as a giveaway.\n"
    )
    lay = layout(text)
    rules = rule_attributions(text, lay)
    covered = {i for r in rules for s, e in (*r.parts, r.cue, *([r.source] if r.source else [])) for i in range(s, e)}
    for r in learned_attributions(text, lay, rules):
        spans = (*r.parts, r.cue, *([r.source] if r.source else []))
        assert not covered & {i for s, e in spans for i in range(s, e)}


def test_batched_viterbi_gives_each_sequence_its_own_best_path():
    import numpy as np

    from extractor.trained.tagger import viterbi_batch

    rng = np.random.default_rng(7)
    trans = rng.normal(size=(4, 4))
    seqs = [rng.normal(size=(n, 4)) for n in (5, 1, 9, 3)]
    padded = np.zeros((4, 9, 4))
    for i, s in enumerate(seqs):
        padded[i, : len(s)] = s
    paths = viterbi_batch(padded, np.array([len(s) for s in seqs]), trans)
    for s, p in zip(seqs, paths):
        assert p[: len(s)].tolist() == viterbi(s.tolist(), trans.tolist())


def test_fast_feature_rows_are_the_training_features():
    """The inference path (rows cached per word) reads exactly the features training wrote."""
    import numpy as np

    from extractor.finder.tag_features import TEMPLATES, char_labels, document_inputs, quote_chars
    from extractor.finder.tag_ids import RowLookup

    text = (
        '"We will not back down," Mayor Karen Whitfield said on Monday. Critics griped that the '
        "plan, which “nobody asked for,” would cost $4 million.\n"
        "Asked about it, she said: “It's done.” Aides, however, were less sure.\n"
    )
    lay = layout(text)
    rules = rule_attributions(text, lay)
    assert rules  # the rules' labels are among the features
    paras, values = document_inputs(text, lay, rules)
    # a row for every value seen (some left out, to check unknown values too)
    rows = [{} for _ in TEMPLATES]
    for vals in values:
        for tok in vals:
            for k, v in enumerate(tok):
                if (k + len(v)) % 7:
                    rows[k].setdefault(v, 1 + k * 1000 + len(rows[k]))
    lookup = RowLookup(rows, unknown=0)
    taken = char_labels(len(text), rules)
    inside = quote_chars(len(text), lay)
    has_rule = [taken.count(0, s, e) < e - s for s, e in lay.sentences]
    arrays = (np.frombuffer(taken, dtype=np.uint8), np.frombuffer(inside, dtype=np.uint8), np.array(has_rule))
    slow = [[rows[k].get(v, 0) for k, v in enumerate(tok)] for vals in values for tok in vals]
    assert lookup.rows_of(paras, *arrays).tolist() == slow
    assert lookup.rows_of(paras[1:], *arrays).tolist() == slow[len(paras[0].toks) :]


def test_a_paragraphs_tokens_are_its_sentences_tokens():
    """The tagger reads a paragraph as the rules' sentence tokens, one sentence after another:
    the same tokens as reading the paragraph whole."""
    from extractor.finder.tag_features import paragraphs
    from extractor.finder.tokens import tokenize

    text = (
        "WASHINGTON — Sanders' aides said it's over. “We lost,” he said... Then: 'no.' U.S. "
        "officials (and others) agreed!\nA second paragraph?  Yes ''quoted'' here.\n"
    )
    lay = layout(text)
    paras = paragraphs(text, lay)
    assert len(paras) == 2
    for para in paras:
        got = [(t.text, t.start, t.end) for t in para.toks]
        assert got == [(t.text, t.start, t.end) for t in tokenize(text, *para.span)]
        assert len(set(para.sentence_of)) >= 2  # several sentences were joined


def test_long_sequences_decode_alone_to_the_labels_the_batch_gives(monkeypatch):
    """A paragraph longer than tagger.LONG is decoded in plain Python: the same sums in the
    same order as the NumPy batch, so the same labels, ties included."""
    import numpy as np

    from extractor.trained import tagger

    rng = np.random.default_rng(7)
    trans = rng.integers(-1, 2, size=(4, 4)).astype(float).tolist()  # small whole numbers: many ties
    weights = rng.integers(-1, 2, size=(50, 4)).astype(float)
    model = CrfModel(("O", "S", "C", "Q"), ("w",), ({},), weights, tuple(map(tuple, trans)), (0.0,) * 4)
    lengths = [1, 5, 400, 3, 370, 0, 120, 2, 250]
    ids = rng.integers(0, 50, size=(sum(lengths), 1))
    monkeypatch.setattr(tagger, "LONG", 10**9)
    batched = model.decode_ids(ids, lengths)
    monkeypatch.setattr(tagger, "LONG", 4)
    assert model.decode_ids(ids, lengths) == batched
    monkeypatch.setattr(tagger, "LONG", 0)
    assert model.decode_ids(ids, lengths) == batched
    three = [r[:3] for r in trans[:3]]  # other label counts take the general loop
    em = rng.integers(-1, 2, size=(300, 3)).astype(float)
    assert viterbi(em.tolist(), three) == tagger.viterbi_batch(em[None], np.array([300]), np.array(three))[0].tolist()
