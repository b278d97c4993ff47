"""OpenAI-compatible chat shapes: models list, chat completion request, completion and chunk."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from ..shapes import CitationOut

MODEL_ID = "briefqa"


class ModelOut(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "briefqa"


class ModelListOut(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelOut]


class ContentPart(BaseModel):
    """A part of a message's content; only text parts carry a question."""

    model_config = ConfigDict(extra="allow")

    type: Annotated[str, StringConstraints(max_length=64)]
    text: Annotated[str, StringConstraints(max_length=100_000)] | None = None


class ChatMessageIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: (
        Annotated[str, StringConstraints(max_length=100_000)]
        | Annotated[list[ContentPart], Field(max_length=100)]
        | None
    ) = None

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        if isinstance(self.content, list):
            return "\n".join(p.text for p in self.content if p.type == "text" and p.text)
        return ""


class ChatCompletionIn(BaseModel):
    """An OpenAI chat completion request: the last user message is the question."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "model": MODEL_ID,
                    "messages": [
                        {"role": "user", "content": "What does the brief recommend on gallium?"}
                    ],
                    "stream": False,
                }
            ]
        },
    )

    model: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description=f"Must be {MODEL_ID!r} (see GET /v1/models)."
    )
    messages: list[ChatMessageIn] = Field(min_length=1, max_length=200)
    stream: StrictBool | None = Field(
        False, description="Stream server-sent events in OpenAI chunks."
    )
    stream_options: StreamOptionsIn | None = None


class UsageOut(BaseModel):
    """Token counts by the embedding model's own tokenizer (BriefQA runs no language model)."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class StreamOptionsIn(BaseModel):
    include_usage: StrictBool | None = Field(
        None, description="Send a last chunk with `usage` (and no choices) before [DONE]."
    )


class ChatMessageOut(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class ChoiceOut(BaseModel):
    index: int = 0
    message: ChatMessageOut
    finish_reason: Literal["stop"] = "stop"


class ChatCompletionOut(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChoiceOut]
    usage: UsageOut
    citations: list[CitationOut] = Field(
        description="The passages cited as [n] in the reply (same shape as /v1/ask citations)."
    )


class DeltaOut(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoiceOut(BaseModel):
    index: int = 0
    delta: DeltaOut
    finish_reason: Literal["stop"] | None = None


class ChatChunkOut(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoiceOut]
    citations: list[CitationOut] | None = None
    usage: UsageOut | None = None

    def sse(self) -> str:
        data: dict[str, Any] = self.model_dump(exclude_none=False)
        if self.citations is None:
            data.pop("citations")
        if self.usage is None:
            data.pop("usage")
        for choice in data["choices"]:
            choice["delta"] = {k: v for k, v in choice["delta"].items() if v is not None}
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"
