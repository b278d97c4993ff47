"""Routes that query the index: POST /v1/search (passages) and POST /v1/ask (a cited answer)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from .api_schemas import AskIn, AskOut, SearchIn, error_responses, json_response
from .deps import AnswererDep, ReaderDep
from .schemas import HitOut, SearchOut

router = APIRouter(prefix="/v1", tags=["query"])


@router.post("/search", response_model=SearchOut, responses=error_responses(400, 413, 422, 503))
def search(body: SearchIn, reader: ReaderDep) -> Response:
    """The passages that best match the query, each with its brief, pages, section and score."""
    filters = body.filters.to_filters() if body.filters else None
    hits = reader.search(body.query, body.k, body.mode, filters)
    out = SearchOut(
        query=body.query, mode=body.mode.value, k=body.k, hits=[HitOut.of(h) for h in hits]
    )
    return json_response(out)


@router.post("/ask", response_model=AskOut, responses=error_responses(400, 413, 422, 503))
def ask(body: AskIn, answerer: AnswererDep) -> Response:
    """A short answer made only of sentences copied from the briefs, each followed by [n], with
    the cited passages; `answered` is false (and no text is made up) when the briefs do not
    answer the question."""
    filters = body.filters.to_filters() if body.filters else None
    answer = answerer.ask(body.question, body.k, body.mode, filters)
    return json_response(AskOut.of(answer, body.mode))
