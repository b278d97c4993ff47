"""Operational routes: health, readiness, Prometheus metrics, public config and the web page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, PlainTextResponse

from index.types import SearchMode

from .deps import StateDep
from .errors import ApiError, not_ready
from .metrics import Metrics
from .schemas import HealthOut, PublicConfigOut, ReadyOut, error_responses

STATIC_DIR = Path(__file__).parent / "static"
PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8"

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> HealthOut:
    """The process is up."""
    return HealthOut(status="ok")


@router.get("/readyz", responses=error_responses(503))
def readyz(state: StateDep) -> ReadyOut:
    """An index is loaded and queries can be answered."""
    status = state.status()
    if status is None:
        raise not_ready()
    return ReadyOut(
        status="ready",
        generation=status.generation,
        documents=status.documents,
        chunks=status.chunks,
    )


@router.get(
    "/metrics",
    response_class=PlainTextResponse,
    responses={200: {"content": {PROMETHEUS_TYPE: {}}}},
)
def metrics(request: Request, state: StateDep) -> PlainTextResponse:
    """Request counts and latencies per route, and the index's size, in Prometheus text format."""
    registry: Metrics = request.app.state.metrics
    status = state.status()
    gauges = {
        "briefqa_index_ready": ("1 when an index is loaded.", float(status is not None)),
        "briefqa_index_documents": (
            "Documents in the loaded index.",
            float(status.documents if status else 0),
        ),
        "briefqa_index_chunks": (
            "Chunks in the loaded index.",
            float(status.chunks if status else 0),
        ),
        "briefqa_index_generation": (
            "Number of the loaded index generation.",
            float(status.generation.removeprefix("gen-")) if status else 0.0,
        ),
    }
    return PlainTextResponse(registry.render(gauges), media_type=PROMETHEUS_TYPE)


@router.get("/v1/config/public")
def public_config(state: StateDep) -> PublicConfigOut:
    """What the web page needs to know about this server."""
    server = state.settings.server
    return PublicConfigOut(
        uploads_enabled=server.allow_uploads,
        auth_required=server.api_key is not None,
        modes=[SearchMode.hybrid.value, SearchMode.dense.value, SearchMode.bm25.value],
        default_mode=SearchMode.hybrid.value,
    )


@router.get("/", include_in_schema=False)
def web_page() -> FileResponse:
    page = STATIC_DIR / "index.html"
    if not page.is_file():
        raise ApiError(
            404, "not_found", "the web page is not installed: use the HTTP API under /v1"
        )
    return FileResponse(page, media_type="text/html")
