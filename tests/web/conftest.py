"""Browser test fixtures: a small real index, a real `briefqa serve` process, headless Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers import start_serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

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
    "08-critical-raw-materials-export-controls.pdf",
)
UPLOADED = "07-ev-battery-supply-chains.pdf"
API_KEY = "web-test-key"
TIMEOUT_MS = 60_000


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


@pytest.fixture(scope="session")
def web_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of four sample briefs, built with the real model."""
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
    env = {
        "BRIEFQA_SERVER__API_KEY": API_KEY,
        "BRIEFQA_SERVER__ALLOW_UPLOADS": "true",
        "BRIEFQA_SERVER__UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
    }
    log = tmp_path_factory.mktemp("serve-log") / "serve.log"
    try:
        served = start_serve(web_index, log, env, ready_path="/readyz")
    except RuntimeError as exc:
        pytest.fail(str(exc)[-4000:])
    yield Server(base=served.base_url + "/", api_key=API_KEY, upload_file=BRIEFS / UPLOADED)
    served.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium from the system (no downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Browser, server: Server) -> Iterator[Page]:
    """A fresh desktop-sized tab; the test fails if the page raised a JavaScript error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"
