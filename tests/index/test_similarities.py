"""What retrieval hands the answer layer besides the hits: each passage's cosine with the
question (stored vectors, nothing embedded again) and the words no indexed brief uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.reader import IndexReader
from index.types import SearchMode

# The real model over the small corpus (built once per test run).
pytestmark = pytest.mark.slow

QUESTION = "How should shore power tariffs for ships at berth be set?"


@pytest.fixture(scope="module")
def reader(small_index: Path, embedder) -> IndexReader:
    return IndexReader(small_index, embedder)


def test_dense_similarities_are_the_dense_scores(reader: IndexReader) -> None:
    retrieval = reader.retrieve(QUESTION, 5, SearchMode.dense)
    assert len(retrieval.similarities) == len(retrieval.hits) == 5
    for hit, similarity in zip(retrieval.hits, retrieval.similarities, strict=True):
        assert similarity == pytest.approx(hit.score, abs=1e-5)


def test_hybrid_and_bm25_hits_get_their_cosine_too(reader: IndexReader, embedder) -> None:
    hybrid = reader.retrieve(QUESTION, 5, SearchMode.hybrid)
    assert len(hybrid.similarities) == len(hybrid.hits)
    dense = dict(
        (h.chunk.id, h.score) for h in reader.retrieve(QUESTION, 100, SearchMode.dense).hits
    )
    for hit, similarity in zip(hybrid.hits, hybrid.similarities, strict=True):
        if hit.chunk.id in dense:
            assert similarity == pytest.approx(dense[hit.chunk.id], abs=1e-5)
    # BM25 embeds nothing unless the caller brings the question's vector.
    assert reader.retrieve(QUESTION, 5, SearchMode.bm25).similarities == ()
    vector = embedder.embed_query(QUESTION)
    bm25 = reader.retrieve(QUESTION, 5, SearchMode.bm25, query_vector=vector)
    assert len(bm25.similarities) == len(bm25.hits) > 0
    assert all(-1.0 <= s <= 1.0 for s in bm25.similarities)


def test_words_no_brief_uses(reader: IndexReader) -> None:
    assert reader.unknown_words(["shore", "Berth", "zeppelins", "ships"]) == ["zeppelins"]
    assert reader.unknown_words([]) == []
