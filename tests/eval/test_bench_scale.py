"""The scale benchmark: its generated corpus, and one tiny real run of `briefqa bench scale`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import index.vectors as vectors_module
from eval.scale_corpus import (
    CHUNKS_PER_DOCUMENT,
    chunk_positions,
    clustered_vectors,
    documents,
    exact_top,
)


def test_clustered_vectors_are_unit_and_near_their_bases() -> None:
    rng = np.random.default_rng(0)
    bases = rng.standard_normal((20, 384)).astype(np.float32)
    bases /= np.linalg.norm(bases, axis=1, keepdims=True)
    vectors = clustered_vectors(bases, 500, seed=1)
    assert vectors.shape == (500, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Each vector is close to some base (uniform random vectors in 384-d would score ~0.05).
    assert float(np.median((vectors @ bases.T).max(axis=1))) > 0.6
    assert np.array_equal(vectors, clustered_vectors(bases, 500, seed=1))


def test_exact_top_agrees_with_a_full_sort() -> None:
    rng = np.random.default_rng(2)
    vectors = rng.standard_normal((450, 16)).astype(np.float32)
    queries = rng.standard_normal((5, 16)).astype(np.float32)
    expected = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    assert np.array_equal(exact_top(vectors, queries, 10), expected)
    assert np.array_equal(exact_top(vectors, queries, 10, block=100), expected)  # merged blocks


def test_documents_cite_their_chunks_and_ids_map_back() -> None:
    texts = [f"paragraph {i} on tariffs" for i in range(CHUNKS_PER_DOCUMENT + 7)]
    vectors = np.zeros((len(texts), 4), dtype=np.float32)
    made = list(documents(texts, vectors))
    assert [len(chunks) for _, chunks, _ in made] == [CHUNKS_PER_DOCUMENT, 7]
    positions = chunk_positions(len(texts))
    for document, chunks, part in made:
        assert len(part) == len(chunks)
        for chunk in chunks:
            assert texts[positions[chunk.id]] == chunk.text
            page_text = document.pages[chunk.page_start - 1]
            start = chunk.char_start - document.page_offsets[chunk.page_start - 1]
            assert page_text[start : start + len(chunk.text)] == chunk.text


@pytest.mark.slow
def test_tiny_scale_run_prints_every_backend(tmp_path: Path, monkeypatch) -> None:
    """2,000 chunks, the IVF size threshold lowered so the ivf row is a real IVF index; Milvus
    is over --milvus-max here, so it is reported as skipped with its reason."""
    from eval.bench import app

    monkeypatch.setattr(vectors_module, "IVF_MIN_VECTORS", 500)
    for name in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY"):  # the command sets them if unset
        monkeypatch.setenv(
            name, os.environ.get(name, "1" if name == "OMP_NUM_THREADS" else "PASSIVE")
        )
    args = ["scale", "--sizes", "2000", "--queries", "20", "--bases", "12"]
    args += ["--work-dir", str(tmp_path), "--milvus-max", "1000"]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = {row["index_type"].split()[0]: row for row in data["rows"]}
    assert set(rows) == {"flat", "IVF"}
    assert rows["flat"]["recall_at_10"] == 1.0  # exact search is its own reference
    for row in rows.values():
        assert row["chunks"] == 2000 and row["disk_mb"] >= 0
        for mode in ("dense", "bm25", "hybrid"):
            assert 0 < row[mode]["p50_ms"] <= row[mode]["p95_ms"]
    assert 0.0 < rows["IVF"]["recall_at_10"] <= 1.0
    assert {s["probes"] for s in data["sweeps"] if s["lists"]}  # the probe sweep ran
    assert [(s["backend"], s["chunks"]) for s in data["skipped"]] == [("milvus", 2000)]
    assert not list(tmp_path.glob("scale-flat-*"))  # scratch indexes are removed

    text = CliRunner().invoke(app, [*args, "--backends", "flat"])
    assert text.exit_code == 0, text.output
    assert "flat (exact)" in text.stdout and "recall@10" in text.stdout

    bad = CliRunner().invoke(app, ["scale", "--backends", "hnsw"])
    assert bad.exit_code != 0 and "hnsw" in bad.output
