"""Routes that query the index: POST /v1/search (passages) and POST /v1/ask (a cited answer)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ..shapes import AskOut, HitOut, SearchOut
from .deps import SnapshotDep
from .schemas import AskIn, SearchIn, error_responses, json_response

router = APIRouter(prefix="/v1", tags=["query"])


@router.post("/search", response_model=SearchOut, responses=error_responses(400, 413, 422, 503))
def search(body: SearchIn, snapshot: SnapshotDep) -> Response:
    """The passages that best match the query, each with its brief, pages, section and score."""
    filters = body.filters.to_filters() if body.filters else None
    hits = snapshot.reader.search(body.query, body.k, body.mode, filters)
    out = SearchOut(
        query=body.query, mode=body.mode.value, k=body.k, hits=[HitOut.of(h) for h in hits]
    )
    return json_response(out)


@router.post("/ask", response_model=AskOut, responses=error_responses(400, 413, 422, 503))
def ask(body: AskIn, snapshot: SnapshotDep) -> Response:
    """A short answer made only of sentences copied from the briefs, each followed by [n], with
    the cited passages; `answered` is false (and no text is made up) when the briefs do not
    answer the question."""
    filters = body.filters.to_filters() if body.filters else None
    answer = snapshot.answerer.ask(body.question, body.k, body.mode, filters)
    return json_response(AskOut.of(answer, body.mode))
