"""A configured cross-encoder reorders the best passages; reference lists stay below body text.

No cross-encoder ships with BriefQA, so the test builds one from the bundled MiniLM weights with
a freshly initialised (seeded) scoring head: a real sentence-transformers CrossEncoder whose
scores are arbitrary but fixed, which is what ordering logic needs."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FakeEmbedder
from real_layouts import footnoted_paper

from index.ingestion import ingest_bytes
from index.reader import IndexReader
from index.rerank import RERANK_DEPTH
from index.roles import DEMOTED_ROLES
from index.types import SearchMode
from ingest.context import indexed_text
from ingest.embed import CrossEncoderScorer, ModelNotFoundError, model_location
from ingest.types import REFERENCES

pytestmark = pytest.mark.slow

QUESTION = "Who owns the crane in port governance after privatisation?"


@pytest.fixture(scope="module")
def scorer(tmp_path_factory: pytest.TempPathFactory) -> CrossEncoderScorer:
    import torch
    from sentence_transformers import CrossEncoder

    torch.manual_seed(7)
    folder = tmp_path_factory.mktemp("cross-encoder")
    CrossEncoder(model_location("all-MiniLM-L6-v2")[1], num_labels=1, device="cpu").save(
        str(folder)
    )
    return CrossEncoderScorer(str(folder))


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rerank")
    ingest_bytes(folder, [("w.pdf", "w.pdf", footnoted_paper())], FakeEmbedder())
    return folder


@pytest.mark.parametrize("mode", list(SearchMode))
def test_hits_follow_the_cross_encoders_scores(
    index_dir: Path, scorer: CrossEncoderScorer, mode: SearchMode
) -> None:
    plain = IndexReader(index_dir, FakeEmbedder())
    reranked = IndexReader(index_dir, FakeEmbedder(), reranker=scorer)
    first_stage = plain.search(QUESTION, k=RERANK_DEPTH, mode=mode)
    hits = reranked.search(QUESTION, k=4, mode=mode)
    assert [h.rank for h in hits] == [1, 2, 3, 4]
    body = [h for h in first_stage if h.chunk.role not in DEMOTED_ROLES]
    expected = scorer.score(
        QUESTION, [indexed_text(h.document.title, h.chunk.section, h.chunk.text) for h in body]
    )
    best = sorted(zip(expected, [h.chunk.id for h in body], strict=True), reverse=True)[:4]
    assert [h.chunk.id for h in hits] == [chunk for _, chunk in best]
    assert [round(h.score, 4) for h in hits] == [round(s, 4) for s, _ in best]
    # The first-stage rank stays visible.
    assert all("fused" in h.ranks for h in hits)


def test_reference_lists_stay_below_body_text(index_dir: Path, scorer: CrossEncoderScorer) -> None:
    reader = IndexReader(index_dir, FakeEmbedder(), reranker=scorer)
    roles = [h.chunk.role for h in reader.search(QUESTION, k=20, mode=SearchMode.bm25)]
    assert REFERENCES in roles
    assert all(role in DEMOTED_ROLES for role in roles[roles.index(REFERENCES) :])


def test_a_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="reranking model"):
        CrossEncoderScorer(str(tmp_path / "no-such-model"))
