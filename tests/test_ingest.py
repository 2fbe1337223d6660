import codecs

import pytest

from extractor.errors import InputError
from extractor.ingest import document_from_bytes, guess_title, read_document

TEXT = "Headline of the day here\n\nThe minister said “prices will fall” on Monday.\n"


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_utf8_and_content_hash_id(tmp_path):
    doc = read_document(write(tmp_path, "a.txt", TEXT.encode()))
    assert doc.text == TEXT
    assert doc.id.startswith("sha256:") and len(doc.id) == 7 + 64
    assert doc.title == "Headline of the day here"


def test_bom_crlf_utf16_latin1_all_decode_to_the_same_text(tmp_path):
    crlf = TEXT.replace("\n", "\r\n")
    variants = {
        "bom.txt": codecs.BOM_UTF8 + crlf.encode(),
        "utf16.txt": crlf.encode("utf-16"),
        "cr.txt": TEXT.replace("\n", "\r").encode(),
    }
    for name, data in variants.items():
        assert read_document(write(tmp_path, name, data)).text == TEXT, name
    latin = "Café owner José said prices rose.\n"
    assert read_document(write(tmp_path, "l1.txt", latin.encode("latin-1"))).text == latin


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t \n", "empty"),
        ("bin.txt", bytes(range(256)) * 4, "binary"),
        ("doc.pdf", b"%PDF-1.7 ...", ".pdf files are not supported"),
        ("doc.docx", b"PK\x03\x04", ".docx files are not supported"),
    ],
)
def test_bad_files_get_a_clear_error_naming_them(tmp_path, name, data, message):
    path = write(tmp_path, name, data)
    with pytest.raises(InputError, match=message) as info:
        read_document(path)
    assert path in info.value.one_line() and info.value.hint


def test_missing_directory_and_broken_symlink(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="is a directory"):
        read_document(str(tmp_path))
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")
    with pytest.raises(InputError, match="broken symbolic link"):
        read_document(str(link))


def test_size_limit(tmp_path):
    with pytest.raises(InputError, match="over the limit"):
        read_document(write(tmp_path, "big.txt", b"word " * 1000), max_chars=100)


def test_html_keeps_the_article_and_drops_scripts_and_navigation(tmp_path):
    html = (
        "<html><head><script>alert('x')</script><style>p{}</style></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        "<article><h1>Port strike ends after talks</h1>"
        "<p>The union said on Friday that its members had voted to accept the new pay offer after a week of talks.</p>"
        "<p>“This is a fair deal for the workers and for the port,” the union leader told reporters outside the hall.</p>"
        "</article><footer>Copyright</footer></body></html>"
    )
    doc = read_document(write(tmp_path, "a.html", html.encode()))
    assert "accept the new pay offer" in doc.text
    assert "alert" not in doc.text and "Home" not in doc.text and "<p>" not in doc.text


def test_stdin(tmp_path):
    doc = read_document("-", stdin_bytes=TEXT.encode())
    assert doc.source == "-" and doc.text == TEXT


def test_html_is_sniffed_without_a_suffix():
    doc = document_from_bytes(b"<!DOCTYPE html><html><body><p>Plain words here.</p></body></html>", "x")
    assert doc.text.strip() == "Plain words here."


def test_guess_title_skips_section_labels():
    assert guess_title("World\n\nBig Things Happen In The Capital Today\n\nBody.") == "Big Things Happen In The Capital Today"
