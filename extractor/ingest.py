"""Turn a path or stdin into a `Document`: decoded text, newlines normalized to `\\n`.

All offsets index into `Document.text`, so this is the only place the text may change.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from pathlib import Path

from extractor.errors import InputError
from extractor.schema import Document

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
REFUSED_SUFFIXES = {".pdf", ".docx", ".doc", ".odt", ".rtf", ".xlsx", ".pptx", ".zip", ".gz", ".epub"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
# Files that are not what their names say: formats known by their first bytes, whatever the
# suffix. A PDF can be plain ASCII, and would otherwise be "extracted" as an article.
SIGNATURES = {
    b"%PDF-": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (DOCX, ODT, EPUB and XLSX files are ZIP archives)",
    b"\x1f\x8b": "a gzip-compressed file",
    b"{\\rtf": "an RTF document",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file",
}
BYTES_PER_CHAR = 4  # at most, in UTF-8 or UTF-16: a text file this many times over the limit is too long
# HTML carries markup around its text: a page may be this many bytes per character of the
# limit before it is refused unread (a 200 MB page was once parsed whole, at 11x its size).
HTML_BYTES_PER_CHAR = 10


def byte_limit(max_chars: int, html: bool) -> int:
    """The most bytes read for an article of at most `max_chars` characters."""
    return (HTML_BYTES_PER_CHAR if html else BYTES_PER_CHAR) * max_chars + len(codecs.BOM_UTF8)


def read_document(
    source: str, max_chars: int = 2_000_000, stdin_bytes: bytes | None = None, path: str | os.PathLike | None = None
) -> Document:
    """Read one article from a path, or from stdin when `source` is '-'. `source` names the
    input in messages and in the result; `path`, when given, is the file to read (a name that
    is not valid UTF-8 is shown escaped but opened as it is)."""
    if source == "-":
        if stdin_bytes is not None:
            raw = stdin_bytes
        else:
            raw = sys.stdin.buffer.read(byte_limit(max_chars, html=True) + 1)
        return document_from_bytes(raw, "-", max_chars=max_chars)
    path = Path(path if path is not None else source)
    suffix = path.suffix.lower()
    if path.is_symlink() and not path.exists():
        raise InputError(f"{source}: broken symbolic link", "point it at an existing file")
    if not path.exists():
        raise InputError(f"{source}: no such file", "check the path")
    if path.is_dir():
        raise InputError(f"{source}: is a directory", "pass the article files inside it")
    if suffix in REFUSED_SUFFIXES:
        raise InputError(
            f"{source}: {suffix} files are not supported",
            "convert it to .txt, .md or .html first",
        )
    if suffix in JSONL_SUFFIXES:
        raise InputError(f"{source}: a JSONL file holds many articles", "use extractor batch for JSONL files")
    html = suffix in HTML_SUFFIXES
    with open_regular(path, source, byte_limit(max_chars, html), max_chars) as f:
        raw = read_at_most(f, byte_limit(max_chars, html), source, max_chars)
    return document_from_bytes(raw, source, html=html, max_chars=max_chars)


_SPECIAL = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
            (stat.S_ISSOCK, "a socket"))


def open_regular(path: str | os.PathLike, source: str, limit: int, max_chars: int):
    """Open a regular file for reading, refusing anything else before it is read.

    A named pipe would block the read forever (and a signal cannot end a blocked read), and a
    device like /dev/zero never ends; their st_size is 0, so a size check alone passes them.
    The file is checked before it is opened (opening some devices has effects) and again
    after (it may have been swapped in between); O_NONBLOCK keeps opening a pipe from waiting
    for a writer. A file already over `limit` bytes is refused unread."""
    try:
        kind = _special(os.stat(path).st_mode)
        if kind is None:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
            try:
                info = os.fstat(fd)
            except OSError:
                os.close(fd)
                raise
            kind = _special(info.st_mode)
            if kind is not None:
                os.close(fd)
    except OSError as e:
        raise InputError(f"{source}: cannot read ({e.strerror})", "check the file's permissions") from e
    if kind is not None:
        raise InputError(f"{source}: is {kind}, not a regular file", "pass article files; pipes and devices are not read")
    if info.st_size > limit:
        os.close(fd)
        raise InputError(
            f"{source}: {info.st_size:,} bytes is over the limit of {max_chars:,} characters",
            "split the file, or raise EXTRACTOR_MAX_INPUT_CHARS",
        )
    return os.fdopen(fd, "rb")


def _special(mode: int) -> str | None:
    for test, kind in _SPECIAL:
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "a special file"


def read_at_most(f, limit: int, source: str, max_chars: int) -> bytes:
    """Read the whole file, but never more than `limit` bytes: a file that grows while it is
    read (a log being written) cannot take the memory."""
    try:
        raw = f.read(limit + 1)
    except OSError as e:
        raise InputError(f"{source}: cannot read ({e.strerror})", "check the file and its disk") from e
    if len(raw) > limit:
        raise InputError(
            f"{source}: over {limit:,} bytes, more than the limit of {max_chars:,} characters",
            "split the file, or raise EXTRACTOR_MAX_INPUT_CHARS",
        )
    return raw


def document_from_bytes(
    raw: bytes, source: str, html: bool | None = None, max_chars: int = 2_000_000
) -> Document:
    text = decode(raw, source)
    if html is None:
        html = looks_like_html(text)
    warnings: tuple[str, ...] = ()
    if html:
        size = len(text)
        text = html_to_text(text)
        thin = thin_text_warning(size, len(text.strip()))
        warnings = (thin,) if thin else ()
    text = article_text(text, source, max_chars, "pass a file with text in it", "the file")
    return Document.from_text(text, source=source, title=guess_title(text)).with_warnings(*warnings)


def article_text(text: str, label: str, max_chars: int, empty_hint: str, what: str) -> str:
    """`text` with "\n" newlines; InputError naming `label` when it is empty or over the limit
    (`what` is what to split: 'the file', 'it')."""
    text = normalize_newlines(text)
    if not text.strip():
        raise InputError(f"{label}: the article is empty", empty_hint)
    if len(text) > max_chars:
        raise InputError(
            f"{label}: {len(text):,} characters is over the limit of {max_chars:,}",
            f"split {what}, or raise EXTRACTOR_MAX_INPUT_CHARS",
        )
    return text


def decode(raw: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with a BOM, or mostly-Latin text without one);
    Latin-1 for 8-bit text; refuse binary and known non-text formats."""
    for signature, kind in SIGNATURES.items():
        if raw.startswith(signature):
            raise InputError(f"{source}: is {kind}, not text", "convert it to .txt, .md or .html first")
    if raw.startswith(codecs.BOM_UTF8):
        return _decode(raw[len(codecs.BOM_UTF8) :], "utf-8", source)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(raw, "utf-16", source)
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        return _not_binary(_decode(raw, utf16, source), source)
    if b"\x00" in raw[:4096]:
        raise InputError(f"{source}: looks like a binary file, not text", _BINARY_HINT)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _not_binary(raw.decode("latin-1"), source)


_BINARY_HINT = "pass a .txt, .md or .html article; if it is text, save it as UTF-8"


def _not_binary(text: str, source: str) -> str:
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 8:
        raise InputError(f"{source}: looks like a binary file, not text", _BINARY_HINT)
    return text


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 saved without a byte order mark shows itself in text that is partly ASCII
    (spaces, digits, punctuation): one byte of each pair is often zero, the other never."""
    sample = raw[:4096]
    if len(raw) % 2 or len(sample) < 8:
        return None
    first, second = sample[0::2].count(0), sample[1::2].count(0)
    if first == 0 and second >= len(sample) // 16:
        return "utf-16-le"
    if second == 0 and first >= len(sample) // 16:
        return "utf-16-be"
    return None


def _decode(raw: bytes, encoding: str, source: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(f"{source}: not valid {encoding.upper()} text", "re-save it as UTF-8") from e


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def html_to_text(html: str) -> str:
    """The article's text: trafilatura in precision mode when it imports, else a tag stripper
    that skips navigation and furniture; then the furniture lines left (bylines, credits,
    'Read more:', 'Our Standards: ...') are dropped, the page's own author named in them."""
    try:
        import trafilatura
    except ImportError:  # a broken install (lxml without lxml_html_clean) must not stop a run
        trafilatura = None
    text, authors = None, ()
    if trafilatura is not None:
        found = trafilatura.bare_extraction(
            html, include_comments=False, include_tables=False, favor_precision=True, with_metadata=True
        )
        if found is not None and (found.text or "").strip():
            text = found.text
            authors = tuple(a.strip() for a in re.split(r"[;,]|\band\b", found.author or "") if a.strip())
    if text is None:
        from extractor.html_text import strip_tags

        text = strip_tags(html)
    from extractor.furniture import drop_furniture

    return drop_furniture(text, authors)


# A page this big whose text is this short is mostly something else: a page built by scripts,
# a consent wall, a paywall. The text is still extracted, and the run says so.
THIN_PAGE_CHARS = 20_000  # characters of HTML: the smallest real news page is larger
THIN_TEXT_CHARS = 1_500  # characters of text: shorter than a news story worth such a page
THIN_RATIO = 30


def thin_text_warning(html_chars: int, text_chars: int) -> str | None:
    """A warning when the text found is implausibly short for the page's size."""
    if html_chars >= THIN_PAGE_CHARS and text_chars < THIN_TEXT_CHARS and html_chars >= THIN_RATIO * text_chars:
        return (
            f"only {text_chars:,} characters of text found in {html_chars:,} characters of HTML: "
            "the page may need JavaScript (save it from a browser, or pass its text)"
        )
    return None


def guess_title(text: str) -> str | None:
    """The first short line of several words near the top that does not end a sentence."""
    for line in [ln.strip() for ln in text.split("\n") if ln.strip()][:3]:
        line = line.lstrip("# ").strip()
        if 3 <= len(line.split()) <= 30 and len(line) <= 250 and not line.endswith((".", ":", '"', "”")):
            return line
    return None
