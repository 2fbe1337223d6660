"""The OpenAI Batch API side of a LanguageModel: the same requests, answered later at half the
price. A question becomes a request line (`request_body`), lines are uploaded and run as one
batch (`submit_batch`), its state and output file are read back (`batch_status`,
`batch_file`), and each answer is validated exactly as a live one (`parse_answer`).

A mixin of LanguageModel (client.py): it uses the model's settings, its SDK client and its
transport retry policy, and adds nothing to its state.
"""

from __future__ import annotations

from typing import TypeVar

import openai
import tenacity
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from extractor.errors import ValidationFailed
from extractor.llm.adapter import Meter, messages, tool_body, validated
from extractor.llm.failures import is_rate_limited

T = TypeVar("T", bound=BaseModel)


class BatchFiles:
    def request_body(self, system: str, user: str, response_model: type[BaseModel]) -> dict:
        """The chat request `ask()` would send first for this question, as a JSON body."""
        body = dict(self._body_for(response_model))
        body["messages"] = messages(system, user)
        return body

    def _body_for(self, response_model) -> dict:
        s = self.settings
        return tool_body(response_model, self.spec.api_model, s.temperature, s.max_tokens, s.seed)

    def parse_answer(self, completion: dict, response_model: type[T], context: dict | None = None) -> T:
        """Validate a chat completion (a batch output line's body) exactly as a live answer is
        validated, grounding context included. Raises ValidationFailed."""
        try:
            reply = ChatCompletion.model_validate(completion)
        except ValidationError as e:
            raise ValidationFailed("the batch answer is not a chat completion") from e
        return validated(reply, response_model, context)

    def submit_batch(self, jsonl: bytes, metadata: dict[str, str]) -> tuple[str, str]:
        """Upload request lines and start a batch over them; returns (batch id, file id).

        Transient errors are retried as for questions, except that creating the batch is
        retried only after a 429: after a 5xx or a broken connection the batch may exist
        already, and a second one would be paid for twice. (The upload is retried: a second
        copy of the file costs nothing.)"""
        files, batches = self._client.client.files, self._client.client.batches
        uploaded = self._managed(files.create, file=("requests.jsonl", jsonl), purpose="batch")
        batch = self._managed(
            batches.create,
            input_file_id=uploaded.id,
            endpoint="/v1/chat/completions",
            completion_window="24h",
            metadata=metadata,
            retry_if=is_rate_limited,
        )
        return batch.id, uploaded.id

    def batch_status(self, batch_id: str) -> dict:
        batch = self._managed(self._client.client.batches.retrieve, batch_id)
        counts = batch.request_counts
        return {
            "status": batch.status,
            "output_file_id": batch.output_file_id,
            "error_file_id": batch.error_file_id,
            "completed": counts.completed if counts else 0,
            "failed": counts.failed if counts else 0,
            "total": counts.total if counts else 0,
        }

    def batch_file(self, file_id: str) -> bytes:
        return self._managed(lambda: self._client.client.files.content(file_id).read())

    def _managed(self, call, *args, retry_if=None, **kwargs):
        """A Batch API management call (no question in it), with transport retries."""
        policy = self._transport_policy(Meter())
        if retry_if is not None:
            policy["retry"] = tenacity.retry_if_exception(retry_if)
        try:
            return tenacity.Retrying(**policy)(call, *args, **kwargs)
        except openai.APIError as e:
            raise self._translate(e) from e
