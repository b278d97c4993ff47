"""Evaluation fixtures: a small BM25-ready index, a subset of the sample set, a live server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import start_serve

from eval.questions import SAMPLE_SET, load_questions

BRIEFS = {
    "pilots.md": "# Harbour pilots\n\nHarbour pilots guide large ships into port. A shortage of "
    "skilled pilots delays container traffic along the coast, and training takes years.\n",
    "solar.md": "# Solar trade defence\n\nSolar module prices fell as factories expanded "
    "capacity. Anti-dumping duties on imported modules followed within a year.\n",
    "batteries.md": "# Battery supply chains\n\nLithium refining is concentrated in few places, "
    "so battery makers look for new cathode and refining partners abroad.\n",
}
QUESTIONS = [
    {
        "id": "p",
        "question": "Why is there a shortage of harbour pilots?",
        "relevant": [{"source": "pilots.md", "pages": [1]}],
    },
    {
        "id": "s",
        "question": "anti-dumping duties on solar modules",
        "relevant": [{"source": "solar.md", "pages": [1]}],
        "answer": "Duties followed.",
    },
    {
        "id": "b",
        "question": "where is lithium refined for batteries",
        "relevant": [{"source": "batteries.md"}],
    },
]


@pytest.fixture
def small_index(tmp_path: Path, fake_embedder) -> Path:
    """Three one-page Markdown briefs indexed with the fake embedder (BM25 needs no model)."""
    from index.ingestion import ingest_paths

    folder = tmp_path / "briefs"
    folder.mkdir()
    for name, text in BRIEFS.items():
        (folder / name).write_text(text)
    index = tmp_path / "index"
    report = ingest_paths(index, [folder], fake_embedder)
    assert not report.failed
    return index


@pytest.fixture
def small_set(tmp_path: Path) -> Path:
    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS))
    return path


@pytest.fixture(scope="session")
def sample_subset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every third question of the sample-briefs set: all briefs, a shorter run."""
    questions = load_questions(SAMPLE_SET)[::3]
    path = tmp_path_factory.mktemp("sets") / "sample_subset.jsonl"
    path.write_text("".join(q.model_dump_json(exclude_none=True) + "\n" for q in questions))
    return path


@pytest.fixture(scope="session")
def briefqa_server(corpus_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`briefqa serve` over the shared corpus index on a free local port; yields its base URL."""
    log = tmp_path_factory.mktemp("eval-serve") / "serve.log"
    served = start_serve(corpus_index, log, ready_path="/readyz")
    try:
        yield served.base_url
    finally:
        served.stop()
