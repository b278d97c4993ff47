"""Shared session fixtures: the real embedding model (loaded once), a fake one, built indexes."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from pdfs import generated_brief, harbour_brief, render

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_BRIEFS = ROOT / "samples" / "briefs"
_WORD = re.compile(r"\w+")


@dataclass
class FakeEmbedder:
    """Deterministic bag-of-hashed-words vectors: for unit tests of storage and fusion logic.

    Texts sharing words get similar vectors, so searches behave sensibly; a token is a word.
    """

    model_id: str = "test/hashed-words"
    dim: int = 64
    max_tokens: int = 254
    precision: str = "fp32"

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(_WORD.findall(text)) for text in texts]

    def embed_documents(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                vectors[row, int.from_bytes(digest, "little") % self.dim] += 1.0
            norm = np.linalg.norm(vectors[row])
            vectors[row] = vectors[row] / norm if norm else vectors[row]
            if not norm:
                vectors[row, 0] = 1.0
        return vectors

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


@pytest.fixture(scope="session")
def embedder():
    """The real model (all-MiniLM-L6-v2, bundled), loaded once for the whole run."""
    from ingest.embed import EmbedderSpec, load_embedder

    return load_embedder(EmbedderSpec())


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


def write_files(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write name -> bytes into `folder`; return the paths in the given order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def copy_index(source: Path, target: Path) -> Path:
    """A private copy of an index folder, for tests that change it."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".lock"))
    return target


@pytest.fixture(scope="session")
def harbour_pdf() -> bytes:
    return render(harbour_brief())


@pytest.fixture(scope="session")
def corpus_files(tmp_path_factory: pytest.TempPathFactory, harbour_pdf: bytes) -> list[Path]:
    """The reference brief, one without a metadata title, three generated briefs and the
    sample briefs of the repository (when present)."""
    folder = tmp_path_factory.mktemp("corpus")
    files = {
        "harbour-20.pdf": harbour_pdf,
        "harbour-untitled.pdf": render(
            harbour_brief(
                metadata_title=None,
                series_line="Meridian Policy Brief 21 | 03/06/2024",
                title="Harbour Pilots and the Shortage of Skilled Crews",
            )
        ),
        **{f"generated-{n}.pdf": render(generated_brief(n)) for n in (1, 2, 3)},
    }
    paths = write_files(folder, files)
    samples = sorted(SAMPLE_BRIEFS.glob("*.pdf"))
    return paths + samples


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory, corpus_files, embedder) -> Path:
    """An index of `corpus_files` built once with the real model. Treat as read-only:
    tests that change an index work on `copy_index(corpus_index, tmp_path / ...)`."""
    from index.ingestion import ingest_paths

    folder = tmp_path_factory.mktemp("corpus-index") / "index"
    report = ingest_paths(folder, corpus_files, embedder)
    failed = [f for f in report.files if f.status.value == "failed"]
    assert not failed, failed
    return folder
