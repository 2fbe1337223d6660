"""extractor: grounded speaker, claim and stance extraction from news articles.

    from extractor import Extractor, extract_text
    result = extract_text(article_text, model="none")
    with Extractor(model="none") as ex:          # many texts, one model
        results = [ex.extract(t, targets=["NATO expansion"]) for t in texts]
"""

from __future__ import annotations

from collections.abc import Iterable

from extractor.errors import ConfigError, ExtractorError
from extractor.schema import Claim, Document, ExtractionResult, Span, Speaker, Stance

__all__ = [
    "Claim",
    "ConfigError",
    "Document",
    "ExtractionResult",
    "Extractor",
    "ExtractorError",
    "Span",
    "Speaker",
    "Stance",
    "extract_text",
]


def __getattr__(name: str):
    # imported on first use, so `extractor --help` does not load the settings machinery
    if name == "Extractor":
        from extractor.api import Extractor

        return Extractor
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")


def extract_text(text: str, model: str | None = None, targets: str | Iterable[str] = (), **settings) -> ExtractionResult:
    """Extract from one article's text. `model="none"`: no language model.

    The model is opened on the first call with given settings and reused by later calls with
    the same settings (see `extractor.api`); for explicit control use `Extractor`."""
    from extractor.api import shared_extractor

    return shared_extractor(model, **settings).extract(text, targets)
