"""Read the published state of any store backend and retrieve from it: dense, BM25 or hybrid."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.embed import Embedder, PairScorer, Vectors

from .backends import current_marker, load_published
from .embedded import Generation, load_generation
from .errors import DocumentNotFoundError, EmbedderRequiredError
from .fusion import FUSIONS, fuse
from .location import Location
from .manifest import Manifest
from .metadata_match import favour
from .published import PublishedIndex
from .rerank import RERANK_DEPTH, rerank
from .roles import below_body
from .statements import Statements
from .types import MIN_ID_PREFIX, DocumentInfo, Hit, SearchFilters, SearchMode

__all__ = ["FUSION_DEPTH", "Generation", "IndexReader", "Retrieval", "load_generation"]

# Each retriever contributes this many candidates (at least) to hybrid fusion.
FUSION_DEPTH = 100


@dataclass(frozen=True)
class Retrieval:
    """The hits of one search and the query vector that found them (None for bm25 alone)."""

    hits: list[Hit]
    query_vector: Vectors | None
    # Cosine of each hit's passage with the query vector, in hit order (empty without a vector).
    similarities: tuple[float, ...] = ()


class IndexReader:
    """Searches an index (a folder or a Milvus store); `refresh()` picks up a state published
    since."""

    def __init__(
        self,
        location: Location,
        embedder: Embedder | None = None,
        reranker: PairScorer | None = None,
        fusion: str = "rrf",
    ) -> None:
        if fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {', '.join(FUSIONS)}, not {fusion!r}")
        self.location = location
        self._embedder = embedder
        self._fusion = fusion
        self._reranker = reranker  # a cross-encoder reordering the best passages, if configured
        self._reload_lock = threading.Lock()
        self._generation = self._load()

    @property
    def index_dir(self) -> Path:
        """The index folder (embedded store only)."""
        if not isinstance(self.location, Path):
            raise TypeError(f"{self.location} is not an index folder")
        return self.location

    def _load(self) -> PublishedIndex:
        generation = load_published(self.location)
        if self._embedder is not None:
            generation.manifest.check_embedder(self._embedder.model_id, self._embedder.precision)
        return generation

    @property
    def generation(self) -> PublishedIndex:
        return self._generation

    @property
    def manifest(self) -> Manifest:
        return self._generation.manifest

    @property
    def statements(self) -> Statements:
        """The recommendations, positions and findings of the published briefs."""
        return self._generation.statements

    def refresh(self) -> bool:
        """Load the newest published state if there is a newer one; True when there was."""
        if current_marker(self.location) == self._generation.name:
            return False
        with self._reload_lock:
            if current_marker(self.location) == self._generation.name:
                return False
            self._generation = self._load()
            return True

    # -- documents --------------------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        """The published briefs, by date then source (held in memory per generation, so the
        answer path does not query SQLite for them on every question)."""
        return list(self._generation.documents)

    def document(self, doc_id: str) -> DocumentInfo:
        """A document by id or by an unambiguous id prefix (at least 6 characters)."""
        state = self._generation
        found = state.document(doc_id)
        if found:
            return found
        matches = state.find_documents(doc_id) if len(doc_id) >= MIN_ID_PREFIX else []
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise DocumentNotFoundError(
                f"document id prefix {doc_id!r} is ambiguous: give more characters"
            )
        raise DocumentNotFoundError(f"no document with id {doc_id!r} in this index")

    def pages(self, doc_id: str) -> list[str]:
        return self._generation.pages(self.document(doc_id).id)

    def unknown_words(self, words: Sequence[str]) -> list[str]:
        """The words no published brief uses (compared on stems, as keyword search does)."""
        return self._generation.unknown_words(words)

    # -- retrieval --------------------------------------------------------------------------------
    def _favoured_rows(
        self, generation: PublishedIndex, query: str, rows: list[int]
    ) -> frozenset[int]:
        """Those of `rows` in the briefs the question names by publisher, series, author or
        year."""
        favoured = generation.metadata.favoured(query)
        if not favoured:
            return frozenset()
        return generation.rows_of_documents(rows, favoured)

    def search(
        self,
        query: str,
        k: int = 10,
        mode: SearchMode = SearchMode.hybrid,
        filters: SearchFilters | None = None,
    ) -> list[Hit]:
        """The best `k` passages for `query` (see `retrieve`, which also returns its vector)."""
        return self.retrieve(query, k, mode, filters).hits

    def retrieve(
        self,
        query: str,
        k: int = 10,
        mode: SearchMode = SearchMode.hybrid,
        filters: SearchFilters | None = None,
        query_vector: Vectors | None = None,
    ) -> Retrieval:
        """The best `k` passages, the query's vector (None in bm25 mode unless the caller gives
        `query_vector`, its own embedding of `query`) and each passage's cosine with it, so a
        caller that scores passages against the query does not embed anything again."""
        generation = self._generation
        keep = max(k, RERANK_DEPTH) if self._reranker else k
        depth = max(keep, FUSION_DEPTH) if mode is SearchMode.hybrid else keep
        rankings: dict[str, list[tuple[int, float]]] = {}
        if mode in (SearchMode.dense, SearchMode.hybrid):
            if query_vector is None:
                if self._embedder is None:
                    raise EmbedderRequiredError(f"{mode.value} search needs the embedding model")
                query_vector = self._embedder.embed_query(query)
            rankings["dense"] = generation.dense(query_vector, depth, filters)
        if mode in (SearchMode.bm25, SearchMode.hybrid):
            rankings["bm25"] = generation.keyword(query, depth, filters)
        candidates = list(dict.fromkeys(row for r in rankings.values() for row, _ in r))
        demoted = generation.demoted_among(candidates)
        if mode is SearchMode.hybrid:
            favoured = self._favoured_rows(generation, query, candidates)
            fused = favour(fuse(self._fusion, rankings), favoured)
            fused = below_body(fused, lambda item: item[0], demoted, query)
            scored = [(row, score, ranks) for row, score, ranks in fused[:keep]]
        else:
            ((name, ranking),) = rankings.items()
            ranked = [(row, score, {name: i + 1}) for i, (row, score) in enumerate(ranking)]
            scored = below_body(ranked, lambda item: item[0], demoted, query)[:keep]
        records = generation.chunks_by_rows([row for row, _, _ in scored])
        hits: list[Hit] = []
        for row, score, ranks in scored:
            if row in records:
                chunk, document = records[row]
                hits.append(Hit(chunk, document, score=score, rank=len(hits) + 1, ranks=ranks))
        rows = [row for row, _, _ in scored if row in records]
        if self._reranker is not None:
            hits, rows = _reranked(self._reranker, query, hits, rows, demoted)
        hits, rows = hits[:k], rows[:k]
        if query_vector is None:
            return Retrieval(hits, None)
        similarities = tuple(generation.similarities(query_vector, rows))
        return Retrieval(hits, query_vector, similarities)


def _reranked(
    scorer: PairScorer, query: str, hits: list[Hit], rows: list[int], demoted: frozenset[int]
) -> tuple[list[Hit], list[int]]:
    """The cross-encoder's order, reference lists and contents still below body text."""
    row_of = {hit.chunk.id: row for hit, row in zip(hits, rows, strict=True)}
    reordered = rerank(query, hits, scorer)
    reordered = below_body(reordered, lambda hit: row_of[hit.chunk.id], demoted, query)
    numbered = [replace(hit, rank=n) for n, hit in enumerate(reordered, start=1)]
    return numbered, [row_of[hit.chunk.id] for hit in numbered]
