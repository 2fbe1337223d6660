from extractor.chunking import chunk_text


def test_short_text_is_one_chunk():
    assert [(c.start, c.end) for c in chunk_text("abc", size=600)] == [(0, 3)]


def test_chunks_cover_text_on_paragraph_boundaries_with_overlap():
    paragraphs = [f"Paragraph {i} says something. " * 6 for i in range(40)]
    text = "\n".join(paragraphs)
    chunks = chunk_text(text, size=1000, overlap=200)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for a, b in zip(chunks, chunks[1:]):
        assert b.start < a.end, "consecutive chunks overlap"
        assert b.start > a.start
        assert text[a.end - 1] == "\n" or a.end == len(text)
        assert a.end - a.start <= 1000


def test_text_without_breaks_still_chunks():
    text = "x" * 5000
    chunks = chunk_text(text, size=1000, overlap=100)
    assert chunks[-1].end == len(text)
    assert all(c.end - c.start <= 1000 for c in chunks)
