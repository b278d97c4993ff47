"""The embedded store's published state: one generation folder (SQLite, FAISS, bm25s) in memory."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ingest.types import Chunk

from .bm25 import KeywordIndex
from .generations import current_generation
from .manifest import Manifest, read_manifest
from .metadata_match import MetadataIndex
from .published import Ranking
from .roles import DEMOTED_ROLES
from .statements import StatementIndex
from .store import DB_NAME, Store
from .types import DocumentInfo, SearchFilters
from .vectors import VectorIndex


@dataclass(frozen=True)
class Generation:
    """Everything of one published generation, swapped as a whole so a request sees one state."""

    name: str
    manifest: Manifest
    store: Store
    vectors: VectorIndex
    keywords: KeywordIndex
    statements: StatementIndex
    documents: tuple[DocumentInfo, ...]  # read once: a generation never changes
    demoted_rows: frozenset[int]  # reference lists and contents: ranked below body text
    metadata: MetadataIndex  # what questions may name a brief by

    def document(self, doc_id: str) -> DocumentInfo | None:
        return self.store.document(doc_id)

    def find_documents(self, prefix: str) -> list[DocumentInfo]:
        return self.store.find_documents(prefix)

    def pages(self, doc_id: str) -> list[str]:
        return self.store.pages(doc_id)

    def _allowed(self, filters: SearchFilters | None) -> list[int] | None:
        return self.store.allowed_rows(filters) if filters and filters.active else None

    def dense(
        self, vector: npt.NDArray[np.float32], k: int, filters: SearchFilters | None
    ) -> Ranking:
        return self.vectors.search(vector, k, self._allowed(filters))

    def keyword(self, query: str, k: int, filters: SearchFilters | None) -> Ranking:
        return self.keywords.search(query, k, self._allowed(filters))

    def chunks_by_rows(self, rows: Sequence[int]) -> dict[int, tuple[Chunk, DocumentInfo]]:
        return self.store.chunks_by_rows(rows)

    def demoted_among(self, rows: Collection[int]) -> frozenset[int]:
        return self.demoted_rows

    def rows_of_documents(self, rows: Collection[int], doc_ids: Collection[str]) -> frozenset[int]:
        wanted = SearchFilters(doc_ids=tuple(sorted(doc_ids)))
        return frozenset(self.store.allowed_rows(wanted))

    def similarities(self, vector: npt.NDArray[np.float32], rows: Sequence[int]) -> list[float]:
        return self.vectors.similarities(vector, rows)

    def unknown_words(self, words: Sequence[str]) -> list[str]:
        return self.keywords.unknown_words(words)


def load_generation(index_dir: Path) -> Generation:
    _, folder = current_generation(index_dir)
    manifest = read_manifest(folder)
    store = Store.open_readonly(folder / DB_NAME)
    documents = tuple(store.documents())
    return Generation(
        name=folder.name,
        manifest=manifest,
        store=store,
        vectors=VectorIndex.load(folder, mapped=True, probes=manifest.ivf_probes),
        keywords=KeywordIndex.load(folder),
        statements=StatementIndex.build(
            store.statements(), {d.id: d for d in documents}, manifest.dim
        ),
        documents=documents,
        demoted_rows=store.rows_with_roles(DEMOTED_ROLES),
        metadata=MetadataIndex.of(documents),
    )
