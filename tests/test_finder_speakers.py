"""Speakers the finder can be trusted on: names the article's own, kinds, furniture, pronouns."""

from __future__ import annotations

from extractor.finder import find_attributions
from extractor.furniture import drop_furniture, is_furniture_line


def speakers_of(text: str) -> dict[str, str | None]:
    """content -> speaker name, for every attribution."""
    f = find_attributions(text)
    return {a.content.text: (f.speaker(a.speaker_key).name if a.speaker_key else None) for a in f.attributions}


def speaker(text: str, name: str):
    f = find_attributions(text)
    return next(s for s in f.speakers if s.name == name)


def test_a_title_of_several_words_stays_out_of_the_name():
    text = "Chief Executive Officer Priya Raman said demand was strong. Raman said prices would fall."
    assert set(speakers_of(text).values()) == {"Priya Raman"}
    assert speaker(text, "Priya Raman").role == "Chief Executive Officer"


def test_both_is_no_part_of_a_name():
    text = "Both Norvale and Kestrel said they expected prices to fall."
    names = {s.name for s in find_attributions(text).speakers}
    assert "Both Norvale" not in names and "Norvale" in names


def test_an_organisation_with_and_in_its_name_is_one_speaker():
    text = "The University and College Union said more than 600 members were taking part."
    [sp] = find_attributions(text).speakers
    assert sp.name == "University and College Union" and sp.kind == "organization"


def test_a_short_form_joins_the_organisation():
    text = "Ardent Energy will close the plant. Ardent said it would offer every worker a job."
    assert set(speakers_of(text).values()) == {"Ardent Energy"}
    assert speaker(text, "Ardent Energy").kind == "organization"


def test_kinds_of_outlets_and_reports():
    f = find_attributions("Euro News reported that talks had failed. A report by the Cloud Industry Forum found that costs rose.")
    kinds = {s.name: s.kind for s in f.speakers}
    assert kinds == {"Euro News": "media", "Cloud Industry Forum": "organization"}


def test_he_is_the_person_the_sentence_before_is_about_not_the_last_one_quoted():
    text = (
        '"I spent four months pretending to be lonely," Dominic Farrow said.\n'
        "Kaito Brandt, who plays his brother, won best supporting actor.\n"
        '"A man who shouts at seagulls gets a trophy," he said.'
    )
    got = speakers_of(text)
    assert got['"A man who shouts at seagulls gets a trophy,"'] == "Kaito Brandt"


def test_a_phrase_in_title_case_is_no_antecedent():
    text = '"We start again tomorrow," Dominic Farrow said.\nThe Quiet Harbour opens next month.\n"It was hard," he said.'
    assert speakers_of(text)['"It was hard,"'] == "Dominic Farrow"


def test_furniture_lines():
    for line in ("Author: Julia Hitz", "Feedback: Send us your feedback", "Left Image: Skarvik glacier. Northern Glacier Survey",
                 "Our Standards: The Meridian Trust Principles.", "Factbox", "By Anna Keller, Transport Correspondent",
                 "Reporting by Rafael Lindgren in San Mateo; Editing by Paul Osei",
                 "Commuters board the ferry at Ellis Quay. Photo: Jonas Berg/Coastline Courier"):
        assert is_furniture_line(line), line
    for line in ('"Nobody likes paying more," she said.', "Marsh said: the terminal is old.", "By June, fares will have risen."):
        assert not is_furniture_line(line), line
    assert drop_furniture("Julia Hitz\nThe film won.", ("Julia Hitz",)) == "The film won."


def test_someone_spoken_to_or_described_is_not_speaking():
    assert speakers_of("At a meeting last month she was told to read out notes prepared by managers.") == {}
    text = "Farrow dedicated his prize to Nadia Sorel, referring to the musician who finished the score."
    assert speakers_of(text) == {}
