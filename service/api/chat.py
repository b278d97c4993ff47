"""Turn an Answer into an OpenAI chat reply: the cited answer, a sources list, streamed or whole."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Sequence

from ..answer.followup import Turn
from ..answer.labels import source_label
from ..answer.question import question_problem
from ..answer.types import Answer
from ..shapes import CitationOut, citation_out
from .chat_schemas import (
    ChatChunkOut,
    ChatCompletionIn,
    ChatCompletionOut,
    ChatMessageOut,
    ChoiceOut,
    ChunkChoiceOut,
    DeltaOut,
    UsageOut,
)
from .errors import ApiError

TokenCounter = Callable[[Sequence[str]], list[int]]


def question_of(request: ChatCompletionIn) -> str:
    """The last user message's text, checked as every front end checks a question."""
    users = [m for m in request.messages if m.role == "user"]
    if not users:
        raise ApiError(
            422, "invalid_request", "messages: include at least one message with role 'user'"
        )
    text = users[-1].text()
    problem = question_problem(text)
    if problem is not None:
        raise ApiError(422, "invalid_request", f"messages: the last user message: {problem}")
    return text.strip()


def reply_pieces(answer: Answer) -> list[str]:
    """The reply in the pieces a stream sends: each cited sentence (a list answer: each item,
    one Markdown list line), then the sources list."""
    if not answer.answered:
        return [answer.text]
    if answer.items:
        lines = answer.text.split("\n")
        pieces = [("" if i == 0 else "\n") + line for i, line in enumerate(lines)]
        pieces.append(
            "\n\nSources:\n" + "\n".join(source_label(c.n, c.hit) for c in answer.citations)
        )
        return pieces
    pieces = [
        ("" if i == 0 else " ") + f"{s.text} [{s.citation}]" for i, s in enumerate(answer.sentences)
    ]
    pieces.append("\n\nSources:\n" + "\n".join(source_label(c.n, c.hit) for c in answer.citations))
    return pieces


def citations_out(answer: Answer) -> list[CitationOut]:
    return [citation_out(c.n, c.hit, c.highlights) for c in answer.citations]


def turns_of(request: ChatCompletionIn) -> list[Turn]:
    """The conversation as (role, text) turns, for follow-up questions."""
    return [Turn(m.role, m.text()) for m in request.messages]


def usage(request: ChatCompletionIn, reply: str, count_tokens: TokenCounter) -> UsageOut:
    """Token counts of the messages and the reply, by the embedding model's tokenizer."""
    prompt, completion_tokens = count_tokens(["\n".join(m.text() for m in request.messages), reply])
    return UsageOut(
        prompt_tokens=prompt,
        completion_tokens=completion_tokens,
        total_tokens=prompt + completion_tokens,
    )


def completion(answer: Answer, model: str, usage_out: UsageOut) -> ChatCompletionOut:
    return ChatCompletionOut(
        id=_completion_id(),
        created=int(time.time()),
        model=model,
        choices=[ChoiceOut(message=ChatMessageOut(content="".join(reply_pieces(answer))))],
        usage=usage_out,
        citations=citations_out(answer),
    )


def stream(answer: Answer, model: str, usage_out: UsageOut | None) -> Iterator[str]:
    """Server-sent events: a role chunk, content chunks, a final chunk with citations, then
    (when the client asked for it) a chunk with the usage and no choices, then [DONE]."""
    ident, created = _completion_id(), int(time.time())

    def chunk(
        delta: DeltaOut, finish: bool = False, citations: Sequence[CitationOut] | None = None
    ) -> str:
        return ChatChunkOut(
            id=ident,
            created=created,
            model=model,
            choices=[ChunkChoiceOut(delta=delta, finish_reason="stop" if finish else None)],
            citations=list(citations) if citations is not None else None,
        ).sse()

    yield chunk(DeltaOut(role="assistant", content=""))
    for piece in reply_pieces(answer):
        yield chunk(DeltaOut(content=piece))
    yield chunk(DeltaOut(), finish=True, citations=citations_out(answer))
    if usage_out is not None:
        yield ChatChunkOut(
            id=ident, created=created, model=model, choices=[], usage=usage_out
        ).sse()
    yield "data: [DONE]\n\n"


def _completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"
