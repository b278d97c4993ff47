"""Browser test fixtures: a small real index, a real `briefqa serve` process, headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BRIEFS = Path(__file__).resolve().parents[2] / "samples" / "briefs"
INDEXED = (
    "01-china-russia-ukraine.pdf",
    "02-ecological-civilisation.pdf",
    "03-eu-technical-dependencies.pdf",
)
UPLOADED = "07-ev-battery-supply-chains.pdf"
API_KEY = "web-test-key"


@dataclass(frozen=True)
class Server:
    base: str  # ends with "/"
    api_key: str
    upload_file: Path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"browser tests need Debian's chromium at {CHROMIUM}")
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"`briefqa serve` exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"`briefqa serve` was not ready after {timeout:.0f} s")


@pytest.fixture(scope="session")
def web_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of three sample briefs, built with the real model."""
    from index.ingestion import ingest_paths
    from ingest.embed import load_embedder
    from service.settings import load_settings

    folder = tmp_path_factory.mktemp("web")
    briefs = folder / "briefs"
    briefs.mkdir()
    for name in INDEXED:
        shutil.copy(BRIEFS / name, briefs / name)
    settings = load_settings(folder / "index")
    report = ingest_paths(
        settings.index_dir,
        [briefs],
        load_embedder(settings.embedder_spec()),
        chunker=settings.chunker(),
        limits=settings.parse_limits(),
    )
    assert report.failed == 0, report
    return settings.index_dir


@pytest.fixture(scope="session")
def server(web_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`briefqa serve` on a free local port, with uploads on and an API key required."""
    port = _free_port()
    env = {
        **os.environ,
        "BRIEFQA_INDEX_DIR": str(web_index),
        "BRIEFQA_SERVER__HOST": "127.0.0.1",
        "BRIEFQA_SERVER__PORT": str(port),
        "BRIEFQA_SERVER__API_KEY": API_KEY,
        "BRIEFQA_SERVER__ALLOW_UPLOADS": "true",
        "BRIEFQA_SERVER__UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
    }
    briefqa = Path(sys.executable).with_name("briefqa")
    log = tmp_path_factory.mktemp("serve-log") / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(briefqa), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_ready(base, process)
    except RuntimeError as exc:
        process.kill()
        process.wait()
        pytest.fail(f"{exc}\n{log.read_text(errors='replace')[-4000:]}")
    yield Server(base=base, api_key=API_KEY, upload_file=BRIEFS / UPLOADED)
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium from the system (no downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
