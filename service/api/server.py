"""`briefqa serve`: process settings for a latency-bound server, then uvicorn."""

from __future__ import annotations

import os

from ..settings import Settings

# One OpenMP thread whose idle time is spent asleep, not spinning. The query path already embeds
# with one intra-op thread; with FAISS's default team (one thread per core, spinning after each
# search) the search of a second request and the neighbouring processes fought for the cores.
# Measured on 10,877 chunks, 2 cores: /v1/search p50 19 ms -> 15 ms, 49 -> 65 requests/s.
OPENMP_ENVIRONMENT = {"OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE"}


def configure_process() -> None:
    """Set the OpenMP environment (unless set already); must run before FAISS or torch load."""
    for name, value in OPENMP_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Run the app under uvicorn until interrupted."""
    configure_process()
    import uvicorn

    from .app import create_app

    uvicorn.run(
        create_app(settings),
        host=host or settings.server.host,
        port=port or settings.server.port,
        log_level="info",
        timeout_graceful_shutdown=5,
    )
