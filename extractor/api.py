"""The Python API: an `Extractor` opens its model once and extracts from many texts.

    with Extractor(model="none") as ex:
        result = ex.extract(article_text, targets=["NATO expansion"])

Opening the bundled model starts a llama.cpp server (seconds); asking it a question takes
milliseconds. So the model is opened when the `Extractor` is made and reused by every call,
and `extract_text` keeps one shared `Extractor` per distinct settings (closed when the
interpreter exits) instead of starting the model again on every call.

Settings are keyword arguments named as in `extractor.settings.Settings`; a name it does not
know, or a value it refuses, is a `ConfigError` that names it (a misspelt option must never be
dropped without a word).
"""

from __future__ import annotations

import atexit
import threading
from collections import OrderedDict
from collections.abc import Iterable

from extractor.errors import ConfigError, ExtractorError, InputError
from extractor.schema import Document, ExtractionResult
from extractor.settings import Settings, load_settings

SHARED_LIMIT = 4  # extractors kept by extract_text; each may hold a model server's memory


class Extractor:
    """Extracts from many texts with one model. Use as a context manager, or call `close()`.

    `model` is as for the command line (`none` for no language model); other settings are
    keyword arguments (`strategy="full"`, `chunk_chars=4000`, ...) over the `EXTRACTOR_*`
    variables, or a whole `Settings` as `config`. `language_model` injects an already open
    model (any object with `name` and `ask()`), which the caller keeps ownership of."""

    def __init__(self, model: str | None = None, *, config: Settings | None = None, language_model=None, **settings):
        if config is not None and (model is not None or settings):
            raise ConfigError("give either config or settings as keywords, not both")
        self.settings: Settings = config or load_settings(model=model, **settings)
        self._owned = language_model is None
        self._model = language_model
        if self._model is None and not self.uses_no_model:
            from extractor.llm import LanguageModel

            self._model = LanguageModel(self.settings)
        self._closed = False

    @property
    def uses_no_model(self) -> bool:
        return self.settings.uses_no_model

    @property
    def model_name(self) -> str:
        return self._model.name if self._model is not None else "none"

    def extract(self, text: str, targets: str | Iterable[str] = (), source: str = "-", title: str | None = None) -> ExtractionResult:
        """One article's text. Newlines become `\\n` and a byte order mark is dropped, as when
        the command line reads a file, so the same text gets the same `document.id`."""
        from extractor.ingest import normalize_newlines

        if not isinstance(text, str):
            raise InputError(f"text must be a str, not {type(text).__name__}", "decode bytes first, or use extractor.ingest.read_document")
        text = normalize_newlines(text)
        limit = self.settings.max_input_chars
        if len(text) > limit:
            raise InputError(f"{len(text):,} characters is over the limit of {limit:,}", "split the text, or raise max_input_chars")
        return self.extract_document(Document.from_text(text, source=source, title=title), targets)

    def extract_document(self, document: Document, targets: str | Iterable[str] = ()) -> ExtractionResult:
        """A `Document` as it is: its text is the one every offset indexes into."""
        from extractor.pipeline import extract

        if self._closed:
            raise ExtractorError("this Extractor is closed", "make a new one")
        return extract(document, self.settings, self._model, as_targets(targets))

    def extract_many(self, texts: Iterable[str], targets: str | Iterable[str] = ()) -> list[ExtractionResult]:
        """Each text in turn, with the same targets."""
        wanted = as_targets(targets)
        return [self.extract(text, wanted) for text in texts]

    def close(self) -> None:
        if not self._closed and self._owned and self._model is not None:
            self._model.close()
        self._closed = True

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def as_targets(targets: str | Iterable[str] | None) -> tuple[str, ...]:
    """`"NATO"` is one target, not the four letters a tuple() of it would give."""
    if targets is None:
        return ()
    if isinstance(targets, str):
        targets = (targets,)
    found = tuple(targets)
    for t in found:
        if not isinstance(t, str) or not t.strip():
            raise ConfigError(f"target {t!r} is not a non-empty string", "pass targets as a string or a list of strings")
    return found


# ---------------------------------------------------------------- extract_text's shared extractors

_shared: OrderedDict[str, Extractor] = OrderedDict()
_lock = threading.Lock()


def shared_extractor(model: str | None = None, **settings) -> Extractor:
    """The `Extractor` for these settings, made on first use and kept (the least recently
    used is closed when more than SHARED_LIMIT differ)."""
    config = load_settings(model=model, **settings)
    key = _key(config)
    with _lock:
        found = _shared.get(key)
        if found is not None:
            _shared.move_to_end(key)
            return found
        made = Extractor(config=config)
        _shared[key] = made
        while len(_shared) > SHARED_LIMIT:
            _shared.popitem(last=False)[1].close()
        return made


def close_shared() -> None:
    """Close every shared extractor (done at interpreter exit; tests call it too)."""
    with _lock:
        while _shared:
            _shared.popitem()[1].close()


atexit.register(close_shared)


def _key(config: Settings) -> str:
    # by value, the API key included (two keys are two clients); kept in memory only
    values = config.model_dump(mode="json")
    if config.api_key is not None:
        values["api_key"] = config.api_key.get_secret_value()
    return repr(sorted(values.items()))
