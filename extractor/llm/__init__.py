"""The language-model layer: the only package that imports openai, instructor and tenacity.

Every model, remote or bundled, is reached the same way: the OpenAI chat API through
instructor. `local/...` models are served by `local_model.LocalServer` on a loopback port.

Two retry layers, kept apart on purpose:
- transport errors (429 honouring Retry-After, 5xx, timeouts, dropped connections) are
  retried with tenacity, exponential back-off with jitter, a bounded number of times;
- answers that fail the schema, or quote text that is not in the article, are re-asked by
  instructor with the validation error, a bounded number of times.
An HTTP error never reaches a prompt. `usage` counts every attempt, failed ones included.

    client.py       LanguageModel: asking, live (sync and async), and its two retry layers
    batch_files.py  the Batch API: request lines, uploads, batch state, answers read back
    adapter.py      instructor glue: messages, tool definitions, validation, usage hooks
    failures.py     what an SDK error means: retry it, a configuration error, or our error
Model naming and API keys are in extractor/models.py (no SDK import).
"""

from __future__ import annotations

from extractor.llm.adapter import load_client_libraries, warm_up
from extractor.llm.client import LanguageModel
from extractor.llm.failures import waiting as _waiting  # noqa: F401 (tests read the wait policy)
from extractor.models import BUNDLED, ModelSpec, _bundled_gguf, api_key_for, resolve  # noqa: F401 (their home was here)

__all__ = ["BUNDLED", "LanguageModel", "ModelSpec", "api_key_for", "load_client_libraries", "resolve", "warm_up"]
