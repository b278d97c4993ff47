"""OpenAI-compatible routes: GET /v1/models and POST /v1/chat/completions (whole or streamed)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from ..answer.followup import follow_up
from .chat import completion, question_of, reply_pieces, stream, turns_of, usage
from .chat_schemas import MODEL_ID, ChatCompletionIn, ChatCompletionOut, ModelListOut, ModelOut
from .deps import SnapshotDep, StateDep
from .errors import ApiError
from .schemas import error_responses

router = APIRouter(prefix="/v1", tags=["openai"])
# Passages an answer draws from, as POST /v1/ask does by default.
DEFAULT_K = 5


@router.get("/models")
def list_models(state: StateDep) -> ModelListOut:
    """The one model this server offers, for chat front ends."""
    return ModelListOut(data=[ModelOut(id=MODEL_ID, created=state.started)])


@router.post(
    "/chat/completions",
    response_model=ChatCompletionOut,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "A chat.completion, or (stream=true) SSE chunks ending in [DONE].",
        },
        **error_responses(400, 404, 413, 422, 503),
    },
)
def chat_completions(
    body: ChatCompletionIn, snapshot: SnapshotDep, state: StateDep
) -> ChatCompletionOut | StreamingResponse:
    """The last user message is the question; a follow-up ("what should the EU do about it?")
    carries the earlier question's topic and cited briefs. The reply is the cited answer and a
    sources list (list answers as a Markdown list), the structured citations ride in the extra
    `citations` field, and `usage` counts tokens with the embedding model's tokenizer."""
    if body.model != MODEL_ID:
        raise ApiError(404, "model_not_found", f"unknown model {body.model!r}: use {MODEL_ID!r}")
    question = question_of(body)
    context = follow_up(turns_of(body), snapshot.reader.documents())
    answer = snapshot.answerer.ask(question, DEFAULT_K, context=context)
    reply = "".join(reply_pieces(answer))
    counted = usage(body, reply, state.embedder.count_tokens)
    if body.stream:
        wants_usage = bool(body.stream_options and body.stream_options.include_usage)
        return StreamingResponse(
            stream(answer, body.model, counted if wants_usage else None),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    return completion(answer, body.model, counted)
