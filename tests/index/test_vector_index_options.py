"""The approximate vector index (BRIEFQA_STORE__VECTORS=ivf): recall against exact search on
clustered vectors, filters, deletions, small corpora kept exact, and the manifest that tells a
reader what the writer built. Real FAISS throughout; the size threshold is lowered so a small
corpus gets a real IVF index."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

import index.vectors as vectors_module
from index.generations import current_generation
from index.manifest import read_manifest
from index.reader import IndexReader
from index.types import SearchFilters, SearchMode
from index.vectors import VectorIndex, ivf_lists
from index.writer import IndexWriter
from ingest.chunk import ChunkerSettings
from ingest.types import Chunk, Document, chunk_id

DIM = 48
SIZE = 8_000


def clustered(size: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """`size` unit vectors around 150 centres, and 60 queries near centres: structure like real
    embeddings have (uniform random vectors have none, and no ANN index does well on them)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((400, DIM)).astype(np.float32)
    picks = rng.integers(0, len(centres), size)
    points = centres[picks] + 1.0 * rng.standard_normal((size, DIM)).astype(np.float32)
    queries = centres[rng.integers(0, len(centres), 60)] + 1.0 * rng.standard_normal(
        (60, DIM)
    ).astype(np.float32)
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    return points, queries


def exact_top(points: np.ndarray, rows: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    scores = points @ query
    return [int(rows[i]) for i in np.argsort(-scores, kind="stable")[:k]]


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    points, queries = clustered(SIZE)
    rows = np.arange(1, SIZE + 1, dtype=np.int64) * 3  # rows need not be dense
    return points, queries, rows


@pytest.fixture
def ivf(data) -> VectorIndex:
    points, _, rows = data
    flat = VectorIndex.empty(DIM)
    flat.add(list(rows), points)
    approximate = flat.arranged("ivf", min_vectors=1_000)
    assert approximate.lists == ivf_lists(SIZE)
    assert 0 < approximate.probes < approximate.lists  # a real approximation
    return approximate


def test_ivf_recall_at_10_against_exact_search(ivf: VectorIndex, data) -> None:
    points, queries, rows = data
    found = [
        len({r for r, _ in ivf.search(q, 10)} & set(exact_top(points, rows, q, 10)))
        for q in queries
    ]
    assert np.mean(found) / 10 >= 0.95
    # ...and fewer probes do lose neighbours: the check can fail.
    ivf.probes = 1
    fewer = [
        len({r for r, _ in ivf.search(q, 10)} & set(exact_top(points, rows, q, 10)))
        for q in queries
    ]
    assert np.mean(fewer) / 10 < 0.95


def test_filters_are_honoured(ivf: VectorIndex, data, monkeypatch) -> None:
    points, queries, rows = data
    allowed = rows[::7]
    kept = np.isin(rows, allowed)
    # A small allowed set is searched exactly among its rows.
    for q in queries[:10]:
        hits = [r for r, _ in ivf.search(q, 10, allowed)]
        assert hits == exact_top(points[kept], rows[kept], q, 10)
    # A large one goes through the IVF lists with a selector (more probes): only allowed rows.
    monkeypatch.setattr(vectors_module, "EXACT_FILTER_ROWS", 0)
    for q in queries[:10]:
        hits = [r for r, _ in ivf.search(q, 10, allowed)]
        assert len(hits) == 10
        assert set(hits) <= set(allowed.tolist())
    assert ivf.search(queries[0], 10, []) == []


def test_removed_rows_are_gone_and_stored_vectors_read_back(ivf: VectorIndex, data) -> None:
    points, queries, rows = data
    top = [r for r, _ in ivf.search(queries[0], 10)]
    ivf.remove(top[:5])
    assert ivf.size == SIZE - 5
    assert not set(top[:5]) & {r for r, _ in ivf.search(queries[0], 10)}
    wanted = [int(rows[0]), int(rows[100])]
    similarities = ivf.similarities(queries[1], wanted)
    assert similarities == pytest.approx(
        [float(points[0] @ queries[1]), float(points[100] @ queries[1])], abs=1e-5
    )


def test_small_corpora_stay_exact_and_flat_converts_back(ivf: VectorIndex, data) -> None:
    points, queries, rows = data
    small = VectorIndex.empty(DIM)
    small.add(list(rows[:500]), points[:500])
    assert small.arranged("ivf").lists == 0  # under IVF_MIN_VECTORS: exact
    flat = ivf.arranged("flat")
    assert flat.lists == 0 and flat.size == SIZE
    assert [r for r, _ in flat.search(queries[0], 10)] == exact_top(points, rows, queries[0], 10)
    with pytest.raises(ValueError, match="flat, ivf"):
        flat.arranged("hnsw")


# -- through the writer, the manifest and the reader ---------------------------------------------
def _documents(points: np.ndarray, per_document: int = 50):
    for start in range(0, len(points), per_document):
        doc_id = hashlib.sha256(f"doc-{start}".encode()).hexdigest()
        texts = [f"passage {start + i} about tariffs number {i}" for i in range(per_document)]
        document = Document(
            id=doc_id,
            source=f"doc-{start}.md",
            title=f"Brief {start}",
            pages=("\n".join(texts),),
            kind="md",
        )
        chunks, offset = [], 0
        for ordinal, text in enumerate(texts):
            chunks.append(
                Chunk(
                    chunk_id(doc_id, ordinal),
                    doc_id,
                    ordinal,
                    text,
                    1,
                    1,
                    None,
                    offset,
                    offset + len(text),
                )
            )
            offset += len(text) + 1
        yield document, chunks, points[start : start + per_document]


def _write(index_dir: Path, points: np.ndarray | None, vector_index: str | None) -> None:
    with IndexWriter(
        index_dir,
        model_id="test-model",
        dim=DIM,
        precision="fp32",
        chunker=ChunkerSettings(),
        vector_index=vector_index,
    ) as writer:
        for document, chunks, vectors in _documents(points) if points is not None else ():
            writer.add(document, chunks, vectors)
        writer.commit()


def test_manifest_records_the_index_and_a_reader_opens_it(
    tmp_path: Path, data, monkeypatch
) -> None:
    points, queries, _ = data
    monkeypatch.setattr(vectors_module, "IVF_MIN_VECTORS", 1_000)
    index_dir = tmp_path / "index"
    _write(index_dir, points, "ivf")
    manifest = read_manifest(current_generation(index_dir)[1])
    assert (manifest.vector_index, manifest.ivf_lists) == ("ivf", ivf_lists(SIZE))
    assert 0 < manifest.ivf_probes < manifest.ivf_lists

    reader = IndexReader(index_dir)  # no model: the caller brings the query vector
    vectors = reader.generation.vectors  # type: ignore[attr-defined]
    assert (vectors.lists, vectors.probes) == (manifest.ivf_lists, manifest.ivf_probes)
    hits = reader.retrieve("tariffs", 10, SearchMode.dense, query_vector=queries[0]).hits
    assert len(hits) == 10
    one = SearchFilters(doc_ids=(hits[0].document.id,))
    filtered = reader.retrieve("tariffs", 10, SearchMode.hybrid, one, query_vector=queries[0]).hits
    assert filtered and {h.document.id for h in filtered} == {hits[0].document.id}

    # No setting keeps what the index has; "flat" rebuilds it exact even with no new document.
    _write(index_dir, None, None)
    assert read_manifest(current_generation(index_dir)[1]).vector_index == "ivf"
    _write(index_dir, None, "flat")
    manifest = read_manifest(current_generation(index_dir)[1])
    assert (manifest.vector_index, manifest.ivf_lists, manifest.ivf_probes) == ("flat", 0, 0)
    assert reader.refresh()
    assert reader.generation.vectors.lists == 0  # type: ignore[attr-defined]
    dense = reader.retrieve("tariffs", 10, SearchMode.dense, query_vector=queries[0]).hits
    assert [h.chunk.id for h in dense][:1] == [hits[0].chunk.id] or len(dense) == 10


def test_ingest_applies_the_setting(tmp_path: Path, fake_embedder, monkeypatch) -> None:
    """BRIEFQA_STORE__VECTORS reaches the writer through ingest (here with the size threshold
    lowered to the handful of chunks of three small text briefs)."""
    from index.ingestion import ingest_bytes

    monkeypatch.setattr(vectors_module, "IVF_MIN_VECTORS", 2)
    words = [
        "tariffs",
        "ports",
        "berth",
        "shore",
        "power",
        "ships",
        "emissions",
        "levy",
        "grid",
        "harbour",
    ]
    inputs = [
        (f"brief-{n}.txt", f"brief-{n}.txt", " ".join(words[n:] + words[:n]).encode() * 40)
        for n in range(3)
    ]
    index_dir = tmp_path / "index"
    ingest_bytes(index_dir, inputs, fake_embedder, vector_index="ivf")
    manifest = read_manifest(current_generation(index_dir)[1])
    assert manifest.vector_index == "ivf" and manifest.ivf_lists > 0
    assert IndexReader(index_dir).search("berth", 3, SearchMode.bm25)
