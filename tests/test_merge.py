from extractor.merge import find_speaker, merge_claims, merge_stances, merge_speaker, name_key, occurrences, same_evidence
from extractor.schema import Claim, Span, Speaker, Stance

TEXT = "Дмитрий Песков said no. Песков later said 北京 🙂 would wait. José Núñez agreed; Núñez smiled."


def span(text, piece, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return Span.at(text, start, start + len(piece))


def claim(cid, ev, **kw):
    return Claim(id=cid, speaker_id=kw.pop("speaker_id", None), text=kw.pop("text", ev.text), evidence=ev,
                 attribution=kw.pop("attribution", "indirect"), **kw)


def test_name_key_folds_case_accents_titles_and_possessives():
    assert name_key("José Núñez") == name_key("JOSE NUNEZ") == "jose nunez"
    assert name_key("President Joe Biden's") == "joe biden"
    assert name_key("Дмитрий Песков") == "дмитрии песков"  # й decomposes; the key only needs to be stable


def test_surname_finds_the_one_speaker_with_it():
    speakers = [Speaker(id="s1", name="Дмитрий Песков"), Speaker(id="s2", name="José Núñez")]
    assert find_speaker("Песков", speakers).id == "s1"
    assert find_speaker("Nunez", speakers).id == "s2"
    assert find_speaker("Someone Else", speakers) is None
    two = speakers + [Speaker(id="s3", name="Anna Песков")]
    assert find_speaker("Песков", two) is None, "ambiguous surname: no guess"


def test_merge_speaker_keeps_fullest_name_and_unions_mentions():
    old = Speaker(id="s1", name="Песков", mentions=[span(TEXT, "Песков", 1)])
    new = merge_speaker(old, "Дмитрий Песков", "spokesman", "Kremlin", [span(TEXT, "Дмитрий Песков")])
    assert new.name == "Дмитрий Песков" and new.role == "spokesman"
    assert [m.start for m in new.mentions] == sorted(m.start for m in new.mentions)
    assert len(new.mentions) == 2
    for m in new.mentions:
        assert TEXT[m.start : m.end] == m.text


def test_occurrences_are_whole_words_and_skip_pronouns():
    found = occurrences(TEXT, ["Песков", "Núñez", "he"])
    assert [m.text for m in found] == ["Песков", "Песков", "Núñez", "Núñez"]
    for m in found:
        assert TEXT[m.start : m.end] == m.text
    assert [m.start for m in occurrences("Peskovs and Peskov", ["Peskov"])] == [12]


def test_overlapping_evidence_is_one_claim_model_wins_on_text():
    finder = claim("f1", span(TEXT, "said no"), speaker_id="s1", origin="finder")
    model = claim("m1", span(TEXT, "Песков said no"), text="Peskov refused.", type="opinion", origin="model")
    other = claim("m2", span(TEXT, "北京 🙂 would wait"), origin="model")
    merged, absorbed = merge_claims([finder], [model, other])
    assert [c.id for c in merged] == ["f1", "m2"]
    assert merged[0].text == "Peskov refused." and merged[0].origin == "finder+model"
    assert merged[0].speaker_id == "s1" and merged[0].evidence == finder.evidence
    assert absorbed == {"m1": "f1"}


def test_same_evidence_needs_half_of_the_shorter_span():
    a = Span(text="x" * 10, start=0, end=10)
    assert same_evidence(a, Span(text="x" * 10, start=5, end=15))
    assert not same_evidence(a, Span(text="x" * 10, start=6, end=16))
    assert not same_evidence(a, None)


def test_stances_merge_by_holder_and_target_with_majority_polarity():
    merged = merge_stances([
        Stance(holder_id="s1", target="NATO expansion", polarity="against", claim_ids=["c2"]),
        Stance(holder_id="s1", target="nato expansion ", polarity="against", claim_ids=["c10"]),
        Stance(holder_id="s1", target="NATO expansion", polarity="neutral", claim_ids=["c1"]),
        Stance(holder_id="s2", target="NATO expansion", polarity="favor", claim_ids=["c3"]),
    ])
    assert [(s.holder_id, s.polarity, s.claim_ids) for s in merged] == [
        ("s1", "against", ["c1", "c2", "c10"]),
        ("s2", "favor", ["c3"]),
    ]
