"""The FastAPI application: lifespan loading, routers, error handlers, middleware, static files."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from ..settings import Settings
from . import routes_chat, routes_documents, routes_ops, routes_query
from .body_limit import PART_OVERHEAD, BodyLimitMiddleware
from .errors import install_error_handlers
from .metrics import Metrics, MetricsMiddleware
from .state import ServiceState
from .uploads import MAX_FILES_PER_UPLOAD

DESCRIPTION = """\
Question answering over policy briefs. Every answer is made of sentences copied from the briefs,
each followed by [n] pointing at a cited passage with its brief, pages and section.

Errors are JSON: `{"error": {"code": "snake_case", "message": "what to fix", "details": ...}}`.
Write endpoints need `Authorization: Bearer <key>` when the server has an API key.
"""


def _version() -> str:
    try:
        return version("briefqa")
    except PackageNotFoundError:
        return "0"


def app_from_environment() -> FastAPI:
    """The app with settings from the environment: what each worker process of a multi-process
    `briefqa serve` builds (uvicorn imports it by name in every worker)."""
    from ..settings import load_settings

    return create_app(load_settings())


def create_app(
    settings: Settings, start_state: Callable[[Settings], ServiceState] = ServiceState.start
) -> FastAPI:
    """The app; the model and the index load in the lifespan, once, not per request.

    `start_state` builds the shared state in the lifespan: tests hand in one with a small
    deterministic embedder instead of loading the real model.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.briefqa = await anyio.to_thread.run_sync(start_state, settings)
        try:
            yield
        finally:
            app.state.briefqa.close()

    # /docs and /redoc with their scripts served from the installed package, not a CDN, so
    # they work on machines with no internet access.
    app = FastAPIOffline(
        title="BriefQA", version=_version(), description=DESCRIPTION, lifespan=lifespan
    )
    app.state.metrics = Metrics()
    install_error_handlers(app)
    for module in (routes_query, routes_documents, routes_chat, routes_ops):
        app.include_router(module.router)
    if routes_ops.STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=routes_ops.STATIC_DIR), name="static")
    # Every file at the limit, plus room for each part's multipart headers.
    max_upload = (settings.parse_limits().max_bytes + PART_OVERHEAD) * MAX_FILES_PER_UPLOAD
    app.add_middleware(BodyLimitMiddleware, max_upload_bytes=max_upload)
    if settings.server.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.server.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    return app
