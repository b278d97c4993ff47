"""Turn an Answer into an OpenAI chat reply: the cited answer, a sources list, streamed or whole."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence

from .answer import Answer, Citation
from .api_schemas import CitationOut, citation_out
from .chat_schemas import (
    ChatChunkOut,
    ChatCompletionIn,
    ChatCompletionOut,
    ChatMessageOut,
    ChoiceOut,
    ChunkChoiceOut,
    DeltaOut,
)
from .errors import ApiError


def question_of(request: ChatCompletionIn, max_chars: int) -> str:
    """The last user message's text, checked like /v1/ask checks a question."""
    users = [m for m in request.messages if m.role == "user"]
    if not users:
        raise ApiError(
            422, "invalid_request", "messages: include at least one message with role 'user'"
        )
    question = users[-1].text().strip()
    if not question:
        raise ApiError(
            422, "invalid_request", "messages: the last user message has no text: ask a question"
        )
    if len(question) > max_chars:
        raise ApiError(
            422,
            "invalid_request",
            f"messages: the last user message has {len(question)} characters; "
            f"keep it to {max_chars}",
        )
    if "\x00" in question:
        raise ApiError(
            422, "invalid_request", "messages: the question must not contain NUL characters"
        )
    return question


def source_label(citation: Citation) -> str:
    """'[1] Title — Series No. N, pp. 3-4, Section' for the sources list."""
    hit = citation.hit
    doc, chunk = hit.document, hit.chunk
    parts = []
    if doc.series and doc.number:
        parts.append(f"{doc.series} No. {doc.number}")
    elif doc.series:
        parts.append(doc.series)
    pages = (
        f"p. {chunk.page_start}"
        if chunk.page_start == chunk.page_end
        else f"pp. {chunk.page_start}-{chunk.page_end}"
    )
    parts.append(pages)
    if chunk.section:
        parts.append(chunk.section)
    return f"[{citation.n}] {doc.title} — " + ", ".join(parts)


def reply_pieces(answer: Answer) -> list[str]:
    """The reply in the pieces a stream sends: each cited sentence, then the sources list."""
    if not answer.answered:
        return [answer.text]
    pieces = [
        ("" if i == 0 else " ") + f"{s.text} [{s.citation}]" for i, s in enumerate(answer.sentences)
    ]
    pieces.append("\n\nSources:\n" + "\n".join(source_label(c) for c in answer.citations))
    return pieces


def citations_out(answer: Answer) -> list[CitationOut]:
    return [citation_out(c.n, c.hit, c.highlights) for c in answer.citations]


def completion(answer: Answer, model: str) -> ChatCompletionOut:
    return ChatCompletionOut(
        id=_completion_id(),
        created=int(time.time()),
        model=model,
        choices=[ChoiceOut(message=ChatMessageOut(content="".join(reply_pieces(answer))))],
        citations=citations_out(answer),
    )


def stream(answer: Answer, model: str) -> Iterator[str]:
    """Server-sent events: a role chunk, content chunks, a final chunk with citations, [DONE]."""
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
    yield "data: [DONE]\n\n"


def _completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"
