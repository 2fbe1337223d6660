"""Turn a path or stdin into a `Document`: decoded text, newlines normalized to `\\n`.

All offsets index into `Document.text`, so this is the only place the text may change.
"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

from extractor.errors import InputError
from extractor.schema import Document

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
REFUSED_SUFFIXES = {".pdf", ".docx", ".doc", ".odt", ".rtf", ".xlsx", ".pptx", ".zip", ".gz", ".epub"}


def read_document(source: str, max_chars: int = 2_000_000, stdin_bytes: bytes | None = None) -> Document:
    """Read one article from a path, or from stdin when `source` is '-'."""
    if source == "-":
        raw = stdin_bytes if stdin_bytes is not None else sys.stdin.buffer.read()
        return document_from_bytes(raw, "-", max_chars=max_chars)
    path = Path(source)
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
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(f"{source}: cannot read ({e.strerror})", "check the file's permissions") from e
    return document_from_bytes(raw, source, html=suffix in HTML_SUFFIXES, max_chars=max_chars)


def document_from_bytes(
    raw: bytes, source: str, html: bool | None = None, max_chars: int = 2_000_000
) -> Document:
    text = decode(raw, source)
    if html is None:
        html = looks_like_html(text)
    if html:
        text = html_to_text(text)
    text = normalize_newlines(text)
    if not text.strip():
        raise InputError(f"{source}: the article is empty", "pass a file with text in it")
    if len(text) > max_chars:
        raise InputError(
            f"{source}: {len(text):,} characters is over the limit of {max_chars:,}",
            "split the file, or raise EXTRACTOR_MAX_INPUT_CHARS",
        )
    return Document.from_text(text, source=source, title=guess_title(text))


def decode(raw: bytes, source: str) -> str:
    """UTF-8 (with or without BOM) and UTF-16 with a BOM; Latin-1 for 8-bit text; refuse binary."""
    if raw.startswith(codecs.BOM_UTF8):
        return _decode(raw[len(codecs.BOM_UTF8) :], "utf-8", source)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(raw, "utf-16", source)
    if b"\x00" in raw[:4096]:
        raise InputError(f"{source}: looks like a binary file, not text", "pass a .txt, .md or .html article")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 8:
        raise InputError(f"{source}: looks like a binary file, not text", "pass a .txt, .md or .html article")
    return text


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
    """Readable article text; trafilatura when installed, else a plain tag stripper."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - trafilatura is a dependency
        trafilatura = None
    if trafilatura is not None:
        extracted = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
        if extracted and extracted.strip():
            return extracted
    from extractor.html_text import strip_tags

    return strip_tags(html)


def guess_title(text: str) -> str | None:
    """The first short line of several words near the top that does not end a sentence."""
    for line in [ln.strip() for ln in text.split("\n") if ln.strip()][:3]:
        line = line.lstrip("# ").strip()
        if 3 <= len(line.split()) <= 30 and len(line) <= 250 and not line.endswith((".", ":", '"', "”")):
            return line
    return None
