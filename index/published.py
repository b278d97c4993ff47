"""What every store backend offers: a published state to read, and a writer to change it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from types import TracebackType
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ingest.types import Chunk, Document, Statement

from .manifest import Manifest
from .metadata_match import MetadataIndex
from .statements import Statements
from .types import DocumentInfo, SearchFilters

Ranking = list[tuple[int, float]]


class PublishedIndex(Protocol):
    """One published state of an index; it never changes (a new state is loaded whole).

    Chunks are addressed by an integer row. The reader fuses, favours, demotes and reranks on
    top of these rankings, so every backend ranks and cites the same way.
    """

    @property
    def name(self) -> str:
        """The state's marker ("gen-000012"); `current_marker` changes when another is published."""

    @property
    def manifest(self) -> Manifest: ...

    @property
    def documents(self) -> tuple[DocumentInfo, ...]:
        """The published briefs, by date then source (held in memory)."""

    @property
    def statements(self) -> Statements:
        """The recommendations, positions and findings of the published briefs."""

    @property
    def metadata(self) -> MetadataIndex: ...

    def document(self, doc_id: str) -> DocumentInfo | None: ...

    def find_documents(self, prefix: str) -> list[DocumentInfo]:
        """Documents whose id starts with `prefix` (any case)."""

    def pages(self, doc_id: str) -> list[str]: ...

    def dense(
        self, vector: npt.NDArray[np.float32], k: int, filters: SearchFilters | None
    ) -> Ranking:
        """(row, cosine) of the `k` nearest chunks that pass `filters`, best first."""

    def keyword(self, query: str, k: int, filters: SearchFilters | None) -> Ranking:
        """(row, BM25 score > 0) of the best `k` chunks that pass `filters`, best first."""

    def chunks_by_rows(self, rows: Sequence[int]) -> dict[int, tuple[Chunk, DocumentInfo]]: ...

    def demoted_among(self, rows: Collection[int]) -> frozenset[int]:
        """Those of `rows` that are reference lists, contents or cover pages."""

    def rows_of_documents(self, rows: Collection[int], doc_ids: Collection[str]) -> frozenset[int]:
        """Those of `rows` whose chunk belongs to one of `doc_ids`."""

    def similarities(self, vector: npt.NDArray[np.float32], rows: Sequence[int]) -> list[float]:
        """Cosine of `vector` with each row's stored vector, in order."""

    def unknown_words(self, words: Sequence[str]) -> list[str]:
        """The words no published chunk uses (compared as keyword search compares them)."""


class StoreWriter(Protocol):
    """One writer at a time; nothing it does is visible to readers before `commit()`.

    Use as a context manager: leaving the block without `commit()` discards what was staged.
    """

    changed: bool

    def contains(self, doc_id: str) -> bool: ...

    def document_with_source(self, source: str) -> DocumentInfo | None: ...

    def add(
        self,
        doc: Document,
        chunks: list[Chunk],
        vectors: npt.NDArray[np.float32],
        statements: Sequence[Statement] = (),
        statement_vectors: npt.NDArray[np.float32] | None = None,
    ) -> DocumentInfo | None:
        """Stage a document; one with the same source is replaced. Returns the replaced one."""

    def delete(self, doc_id: str) -> None: ...

    def commit(self) -> int | None:
        """Publish what was staged; the new state's number (None when nothing changed)."""

    def abort(self) -> None: ...

    def __enter__(self) -> StoreWriter: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
