"""FastAPI dependencies: the shared state, a per-request snapshot of the index, write access."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .errors import ApiError
from .origin import cross_origin_problem
from .state import ServiceState, Snapshot


async def get_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.briefqa
    return state


StateDep = Annotated[ServiceState, Depends(get_state)]


async def get_snapshot(state: StateDep) -> Snapshot:
    # The common case costs one small file read on the event loop; loading a new generation
    # (or opening the index for the first time) runs in a worker thread.
    snapshot = state.current_snapshot()
    if snapshot is not None:
        return snapshot
    return await run_in_threadpool(state.snapshot)


SnapshotDep = Annotated[Snapshot, Depends(get_snapshot)]

_bearer = HTTPBearer(
    auto_error=False, description="Needed by write endpoints when the server has an API key."
)


def require_same_origin(request: Request, state: StateDep) -> None:
    """403 for a write request sent by a web page on another origin (see `origin.py`)."""
    server = request.scope.get("server")
    problem = cross_origin_problem(
        request.headers.get("origin"),
        request.headers.get("host"),
        request.url.scheme,
        str(server[0]) if server else None,
        state.settings.server.cors_origins,
    )
    if problem is not None:
        raise ApiError(403, "cross_origin", problem)


def require_write_access(
    state: StateDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    _: Annotated[None, Depends(require_same_origin)],
) -> None:
    """403 for a page on another origin, then 401 unless the request carries the configured
    API key (no key configured: open to any client that is not such a page)."""
    key = state.settings.server.api_key
    if key is None:
        return
    given = credentials.credentials if credentials is not None else ""
    if not secrets.compare_digest(given.encode(), key.get_secret_value().encode()):
        raise ApiError(
            401,
            "unauthorized",
            "this endpoint needs the server's API key: send `Authorization: Bearer <key>`",
            headers={"WWW-Authenticate": "Bearer"},
        )


def require_uploads(state: StateDep) -> None:
    if not state.settings.server.allow_uploads:
        raise ApiError(
            403,
            "uploads_disabled",
            "uploads are disabled on this server: ingest with `briefqa ingest` instead",
        )


WriteAccess = Depends(require_write_access)
UploadsEnabled = Depends(require_uploads)
