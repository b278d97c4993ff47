"""Shared session fixtures: the real embedding model (loaded once), a fake one, built indexes."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from helpers import FakeEmbedder, write_files
from pdfs import UNTITLED_TITLE, generated_brief, harbour_brief, render

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_BRIEFS = ROOT / "samples" / "briefs"


@pytest.fixture(scope="session")
def embedder():
    """The real model (all-MiniLM-L6-v2, bundled), loaded once for the whole run."""
    from ingest.embed import EmbedderSpec, load_embedder

    return load_embedder(EmbedderSpec())


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def ray_local():
    """One local Ray of 2 CPUs for the whole run, started on first use (about 4 s; 1.5 s to stop).

    Its workers find the tests folder on their import path, so a FakeEmbedder pickles into them.
    Token authentication is off: the cluster listens on loopback and lives for this run only.
    """
    ray = pytest.importorskip("ray", reason="the ray extra is not installed")
    previous = os.environ.get("RAY_AUTH_MODE")
    os.environ["RAY_AUTH_MODE"] = "disabled"
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        object_store_memory=256 * 2**20,
        logging_level=logging.WARNING,
        runtime_env={"env_vars": {"PYTHONPATH": str(ROOT / "tests")}},
    )
    yield ray
    ray.shutdown()
    if previous is None:
        os.environ.pop("RAY_AUTH_MODE", None)
    else:
        os.environ["RAY_AUTH_MODE"] = previous


@pytest.fixture(scope="session")
def harbour_pdf() -> bytes:
    return render(harbour_brief())


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory, harbour_pdf: bytes) -> list[Path]:
    """The reference brief (Meridian Policy Brief 20, 2025-12-12), a variant without a metadata
    title (No. 21, 2024-06-03) and three generated briefs (Harbour Policy Brief 1-3, 2024)."""
    folder = tmp_path_factory.mktemp("corpus")
    untitled = harbour_brief(
        metadata_title=None,
        series_line="Meridian Policy Brief 21 | 03/06/2024",
        title=UNTITLED_TITLE,
    )
    files = {
        "harbour-20.pdf": harbour_pdf,
        "harbour-21.pdf": render(untitled),
        **{f"generated-{n}.pdf": render(generated_brief(n)) for n in (1, 2, 3)},
    }
    return write_files(folder, files)


def _build(folder: Path, paths: list[Path], embedder) -> Path:
    from index.ingestion import ingest_paths

    report = ingest_paths(folder, paths, embedder)
    failed = [f for f in report.files if f.status.value == "failed"]
    assert not failed, failed
    return folder


@pytest.fixture(scope="session")
def small_index(tmp_path_factory: pytest.TempPathFactory, small_corpus, embedder) -> Path:
    """An index of `small_corpus` built once with the real model. Treat as read-only: tests
    that change an index work on `copy_index(small_index, tmp_path / "index")`."""
    return _build(tmp_path_factory.mktemp("small-index") / "index", small_corpus, embedder)


@pytest.fixture(scope="session")
def sample_briefs() -> list[Path]:
    briefs = sorted(SAMPLE_BRIEFS.glob("*.pdf"))
    if not briefs:
        pytest.skip("no sample briefs in samples/briefs")
    return briefs


@pytest.fixture(scope="session")
def samples_index(tmp_path_factory: pytest.TempPathFactory, sample_briefs, embedder) -> Path:
    """The repository's sample briefs indexed with the real model (slow: for slow tests)."""
    return _build(tmp_path_factory.mktemp("samples-index") / "index", sample_briefs, embedder)


@pytest.fixture(scope="session")
def corpus_index(samples_index: Path) -> Path:
    """The sample-briefs index under the name other test packages first used for it."""
    return samples_index
