"""One exception tree for the whole tool; the CLI turns these into one-line messages.

    ExtractorError                  every error the tool raises on purpose
    ├── InputError                  a file, URL or stdin that cannot be read as an article
    ├── ConfigError                 a bad option, setting, model name or missing key
    ├── StorageError                the results database cannot be read or written (corrupt,
    │                               disk full, read-only, no lock file): a setup error
    ├── PromptError                 a prompt template that is missing or uses an unknown variable
    └── ModelError                  the model could not give a usable answer
        ├── TransportError          network, timeout, 429 or 5xx, after bounded retries
        └── ValidationFailed        answers kept failing the schema after bounded re-asks

Each carries a `hint` saying what the user can do. Errors from openai or instructor are
wrapped with the original attached (`raise ... from e`) and never reach a prompt.
"""

from __future__ import annotations


class ExtractorError(Exception):
    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(ExtractorError):
    pass


class ConfigError(ExtractorError):
    exit_code = 2


class StorageError(ExtractorError):
    exit_code = 2


class PromptError(ExtractorError):
    pass


class ModelError(ExtractorError):
    pass


class TransportError(ModelError):
    pass


class ValidationFailed(ModelError):
    pass
