"""extractor: grounded speaker, claim and stance extraction from news articles.

    from extractor import extract_text
    result = extract_text(article_text, model="none")
"""

from __future__ import annotations

from extractor.errors import ExtractorError
from extractor.schema import Claim, Document, ExtractionResult, Span, Speaker, Stance

__all__ = ["Claim", "Document", "ExtractionResult", "ExtractorError", "Span", "Speaker", "Stance", "extract_text"]


def extract_text(text: str, model: str | None = None, targets: tuple[str, ...] = (), **settings) -> ExtractionResult:
    """Extract from one article's text. `model="none"` runs the rules only."""
    from extractor.pipeline import extract
    from extractor.settings import Settings

    config = Settings().with_overrides(model=model, **settings)
    document = Document.from_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    if config.model.strip().lower() == "none":
        return extract(document, config, None, targets)
    from extractor.llm import LanguageModel

    with LanguageModel(config) as lm:
        return extract(document, config, lm, targets)
