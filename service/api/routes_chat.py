"""OpenAI-compatible routes: GET /v1/models and POST /v1/chat/completions (whole or streamed)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from .chat import completion, question_of, stream
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
    body: ChatCompletionIn, snapshot: SnapshotDep
) -> ChatCompletionOut | StreamingResponse:
    """The last user message is the question; the reply is the cited answer and a sources list,
    and the structured citations ride in the extra `citations` field."""
    if body.model != MODEL_ID:
        raise ApiError(404, "model_not_found", f"unknown model {body.model!r}: use {MODEL_ID!r}")
    question = question_of(body)
    answer = snapshot.answerer.ask(question, DEFAULT_K)
    if body.stream:
        return StreamingResponse(
            stream(answer, body.model),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    return completion(answer, body.model)
