"""Service fixtures: real `briefqa serve` processes on free loopback ports over real indexes, and
the app in process (TestClient) over a small index built with the fake embedder."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fake_app import BRIEFS, OpenApp, app_settings, build_index, fake_state
from fastapi.testclient import TestClient
from helpers import ServeProcess, briefqa_command, start_serve

from ingest.types import content_id
from service.api.app import create_app

API_KEY = "service-test-key"
# Small enough that a test can send a file over it without moving megabytes around.
MAX_FILE_MB = "1"


@dataclass(frozen=True)
class Server:
    base: str  # http://127.0.0.1:PORT, no trailing slash
    index_dir: Path
    api_key: str | None
    log: Path
    pid: int  # the server's process (uvicorn runs in it)

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=60.0, **kwargs)  # type: ignore[arg-type]

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}


@pytest.fixture(scope="session")
def start_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A factory: start `briefqa serve` on an index folder with extra environment; all the
    servers started are stopped at the end of the session."""
    processes: list[ServeProcess] = []

    def start(index_dir: Path, api_key: str | None = None, **env: str) -> Server:
        log = tmp_path_factory.mktemp("server-log") / "serve.log"
        environment = {"BRIEFQA_LIMITS__MAX_FILE_MB": MAX_FILE_MB, **env}
        if api_key:
            environment["BRIEFQA_SERVER__API_KEY"] = api_key
        served = start_serve(index_dir, log, environment)
        processes.append(served)
        return Server(served.base_url, index_dir, api_key, log, served.process.pid)

    yield start
    for served in processes:
        served.stop()


@pytest.fixture(scope="session")
def server(start_server, samples_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Server:
    """The main test server: a private copy of the corpus index, an API key, uploads enabled."""
    folder = copy_tree(samples_index, tmp_path_factory.mktemp("served") / "index")
    return start_server(folder, api_key=API_KEY)


@pytest.fixture(scope="session")
def sample_brief() -> Path:
    path = (
        Path(__file__).resolve().parents[2]
        / "samples"
        / "briefs"
        / "09-semiconductor-export-controls.pdf"
    )
    assert path.exists(), path
    return path


@pytest.fixture
def scratch_index(tmp_path: Path) -> Path:
    folder = tmp_path / "index"
    folder.mkdir()
    return folder


def _run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFQA_")}
    environment.update(env or {})
    return subprocess.run(
        [*briefqa_command(), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def run_cli():
    """Run the real `briefqa` command in a subprocess (no BRIEFQA_* variables leak in)."""
    return _run_cli


def copy_tree(source: Path, target: Path) -> Path:
    """A private copy of an index folder (without the writer's lock file)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".lock"))
    return target


# -- the app in process, over an index built with the fake embedder ------------------------------


@pytest.fixture(scope="session")
def fake_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three briefs of `fake_app.BRIEFS`, indexed once. Read-only: copy it to change it."""
    return build_index(tmp_path_factory.mktemp("fake-index") / "index")


@pytest.fixture(scope="session")
def fake_doc_ids() -> dict[str, str]:
    """Source file name -> document id, computed from the bytes (not asked of the server)."""
    return {name: content_id(text.encode()) for name, text in BRIEFS.items()}


@pytest.fixture
def open_app() -> Iterator[OpenApp]:
    """A factory: `open_app(index_dir, **server_settings)` is a TestClient on `create_app` with
    the fake embedder, its lifespan entered; every client is closed at the end of the test."""
    with ExitStack() as stack:

        def open_(index_dir: Path, **server: object) -> TestClient:
            app = create_app(app_settings(index_dir, **server), start_state=fake_state)
            return stack.enter_context(TestClient(app))

        yield open_


@pytest.fixture(scope="session")
def api(fake_index: Path) -> Iterator[TestClient]:
    """A client for read-only requests, shared by the session: `fake_index`, no API key."""
    app = create_app(app_settings(fake_index), start_state=fake_state)
    with TestClient(app) as client:
        yield client
