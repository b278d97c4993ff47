"""Reranking the best passages of a search with a cross-encoder, when one is configured."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ingest.context import indexed_text
from ingest.embed import PairScorer

from .types import Hit

# Passages rescored per question: the cross-encoder reads each one with the question, so the
# cost grows with this depth, and past it the first-stage order is rarely wrong enough to matter.
RERANK_DEPTH = 30


def rerank(query: str, hits: Sequence[Hit], scorer: PairScorer) -> list[Hit]:
    """`hits` in the cross-encoder's order (its score replaces the fused one; the first-stage
    ranks stay in `ranks`), renumbered from 1."""
    texts = [indexed_text(h.document.title, h.chunk.section, h.chunk.text) for h in hits]
    scores = scorer.score(query, texts)
    order = sorted(range(len(hits)), key=lambda i: -scores[i])
    return [
        replace(hits[i], score=scores[i], rank=n, ranks={**hits[i].ranks, "fused": hits[i].rank})
        for n, i in enumerate(order, start=1)
    ]
