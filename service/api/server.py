"""`briefqa serve`: process settings for a latency-bound server, then uvicorn."""

from __future__ import annotations

import logging
import os
import sys

from ..settings import Settings
from .origin import is_loopback

# One OpenMP thread whose idle time is spent asleep, not spinning. The query path already embeds
# with one intra-op thread; with FAISS's default team (one thread per core, spinning after each
# search) the search of a second request and the neighbouring processes fought for the cores.
# Measured on 10,877 chunks, 2 cores: /v1/search p50 19 ms -> 15 ms, 49 -> 65 requests/s.
OPENMP_ENVIRONMENT = {"OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "PASSIVE"}


def configure_process() -> None:
    """Set the OpenMP environment (unless set already); must run before FAISS or torch load."""
    for name, value in OPENMP_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def exposure_warning(host: str, settings: Settings) -> str | None:
    """What to say at start-up when the server is reachable from other machines with no key."""
    if settings.server.api_key is not None or is_loopback(host):
        return None
    return (
        f"listening on {host}, beyond this machine, with no API key: anyone who reaches the "
        "port can upload and delete briefs. Set BRIEFQA_SERVER__API_KEY (write routes then "
        "need `Authorization: Bearer <key>`), or listen on 127.0.0.1"
    )


def worker_count(settings: Settings, requested: int | None = None) -> int:
    """Server processes to run: as requested, else as configured; 0 means one per CPU core.
    One, whatever was asked, when the index is a Milvus Lite file (one process may open it)."""
    if settings.single_process_store():
        return 1
    count = requested if requested is not None else settings.server.workers
    return count or len(os.sched_getaffinity(0))


SINGLE_PROCESS_NOTICE = (
    "the index is a Milvus Lite file, which one process at a time may open: serving with one "
    "worker (for more, use a Milvus server: BRIEFQA_STORE__URI=http://host:19530)"
)


def serve(
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
) -> None:
    """Run the app under uvicorn until interrupted, in `workers` processes (see worker_count)."""
    configure_process()
    import uvicorn

    from .app import create_app

    bind = host or settings.server.host
    count = worker_count(settings, workers)
    warning = exposure_warning(bind, settings)
    if count > 1:
        # Each worker process imports the app by name and reads its settings from the
        # environment, so the index folder and store given on the command line go there.
        os.environ["BRIEFQA_INDEX_DIR"] = str(settings.index_dir)
        os.environ["BRIEFQA_STORE__BACKEND"] = settings.store.backend
        if settings.store.uri is not None:
            os.environ["BRIEFQA_STORE__URI"] = settings.store.uri
        if warning is not None:
            logging.basicConfig(format="%(levelname)s:     %(message)s")
            logging.getLogger("briefqa.serve").warning(warning)
        uvicorn.run(
            "service.api.app:app_from_environment",
            factory=True,
            host=bind,
            port=port or settings.server.port,
            workers=count,
            log_level="info",
            timeout_graceful_shutdown=5,
        )
        return
    config = uvicorn.Config(
        create_app(settings),
        host=bind,
        port=port or settings.server.port,
        log_level="info",
        timeout_graceful_shutdown=5,
    )
    if warning is not None:  # uvicorn's logger: configured by now, printed with its lines
        logging.getLogger("uvicorn.error").warning(warning)
    if settings.single_process_store():
        logging.getLogger("uvicorn.error").info(SINGLE_PROCESS_NOTICE)
    server = uvicorn.Server(config)
    server.run()
    if not server.started:
        sys.exit(3)  # as uvicorn.run does when start-up fails
