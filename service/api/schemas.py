"""HTTP request bodies and the status and error shapes, documented with examples."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Response
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
)

from index.types import SearchFilters, SearchMode

from ..answer.question import MAX_ASK_K, MAX_QUESTION_CHARS, MAX_SEARCH_K, question_problem
from ..shapes import DocumentOut


def _askable(value: str) -> str:
    problem = question_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _iso_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD") from None
    return value


QueryText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_QUESTION_CHARS),
    WithJsonSchema(
        {"type": "string", "minLength": 1, "maxLength": MAX_QUESTION_CHARS, "pattern": r"\S"}
    ),
    AfterValidator(_askable),
]
IsoDate = Annotated[
    str | None,
    Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2024-01-01"]),
    AfterValidator(_iso_date),
]


class FiltersIn(BaseModel):
    """Restrict retrieval to some documents, one series or a date range (all optional)."""

    model_config = ConfigDict(extra="forbid")

    doc_ids: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(
        default_factory=list, max_length=100, description="Only these document ids (full sha256)."
    )
    series: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        None, description="Only briefs of this series (case-insensitive)."
    )
    date_from: IsoDate = None
    date_to: IsoDate = None

    def to_filters(self) -> SearchFilters:
        return SearchFilters(
            doc_ids=tuple(self.doc_ids),
            series=self.series or None,
            date_from=self.date_from,
            date_to=self.date_to,
        )


class SearchIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"query": "rare earth export controls", "k": 5, "mode": "hybrid"}]
        },
    )

    query: QueryText = Field(description="Question or keywords.")
    # Strict: "5" and true are refused, not read as 5 and 1.
    k: StrictInt = Field(5, ge=1, le=MAX_SEARCH_K, description="Passages to return.")
    mode: SearchMode = Field(SearchMode.hybrid, description="dense, bm25 or hybrid (fused).")
    filters: FiltersIn | None = None


class AskIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"question": "What should the EU do about Chinese solar panel imports?", "k": 5},
                {
                    "question": "Which export controls did China impose on gallium?",
                    "k": 5,
                    "mode": "hybrid",
                    "filters": {"date_from": "2024-01-01"},
                },
            ]
        },
    )

    question: QueryText = Field(description="A question in words (1-1000 characters).")
    k: StrictInt = Field(
        5, ge=1, le=MAX_ASK_K, description="Passages to retrieve and draw sentences from."
    )
    mode: SearchMode = Field(SearchMode.hybrid, description="dense, bm25 or hybrid (fused).")
    filters: FiltersIn | None = None


class DocumentListOut(BaseModel):
    documents: list[DocumentOut]


class DeletedOut(BaseModel):
    deleted: str = Field(description="Full id of the removed document.")


class HealthOut(BaseModel):
    status: str = Field(examples=["ok"])


class ReadyOut(BaseModel):
    status: str = Field(examples=["ready"])
    generation: str = Field(examples=["gen-000003"])
    documents: int
    chunks: int


class PublicConfigOut(BaseModel):
    uploads_enabled: bool
    auth_required: bool
    modes: list[str]
    default_mode: str


class ErrorBody(BaseModel):
    code: str = Field(description="Stable snake_case code.", examples=["invalid_request"])
    message: str = Field(description="What went wrong and what to fix.")
    details: Any = None


class ErrorOut(BaseModel):
    error: ErrorBody


def json_response(model: BaseModel) -> Response:
    """The model as JSON, sent as is: hot routes skip FastAPI's second validation pass."""
    return Response(model.model_dump_json(), media_type="application/json")


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the error statuses a route can return."""
    return {s: {"model": ErrorOut, "description": "Error"} for s in statuses}
