"""The statements of a published state: what readers ask of them, and the in-memory version
(listed per brief, or ranked against a query vector)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ingest.types import Statement

from .types import DocumentInfo


@dataclass(frozen=True)
class StatementHit:
    """A statement, the brief it comes from, and its cosine to the query (0 when listed)."""

    statement: Statement
    document: DocumentInfo
    score: float


class Statements(Protocol):
    """The statements of one published state, however a backend keeps them: in memory
    (`StatementIndex`) or searched where they are stored (`index.milvus_statements`)."""

    @property
    def actors(self) -> frozenset[str]:
        """Who holds the positions the briefs report, as printed ("the EDPB", "Beijing")."""

    def __len__(self) -> int: ...

    def of_documents(
        self,
        doc_ids: Collection[str],
        kinds: Collection[str] = (),
        query_vector: npt.NDArray[np.float32] | None = None,
    ) -> list[StatementHit]:
        """The statements of these briefs (of these kinds), by brief id then the brief's own
        order, scored against `query_vector` when one is given (else 0)."""

    def search(
        self,
        query_vector: npt.NDArray[np.float32],
        k: int,
        kinds: Collection[str] = (),
        doc_ids: Collection[str] | None = None,
    ) -> list[StatementHit]:
        """The `k` statements closest to the query, best first (ties by brief id, then the
        brief's order), optionally of some kinds and briefs only."""


class StatementIndex:
    """All statements of one generation with their unit vectors (exact inner product).

    Briefs state a few dozen recommendations and positions each, so even 100k briefs fit in
    memory and a matrix product ranks them in milliseconds.
    """

    def __init__(
        self,
        statements: Sequence[Statement],
        vectors: npt.NDArray[np.float32],
        documents: dict[str, DocumentInfo],
    ) -> None:
        self._statements = list(statements)
        self._vectors = vectors
        self._documents = documents
        # Who holds the positions the briefs report, as printed ("the EDPB", "NMFS", "Beijing").
        self.actors = frozenset(
            s.actor for s in self._statements if s.kind == "position" and s.actor
        )

    @classmethod
    def build(
        cls,
        rows: Sequence[tuple[Statement, npt.NDArray[np.float32]]],
        documents: dict[str, DocumentInfo],
        dim: int,
    ) -> StatementIndex:
        kept = [(s, v) for s, v in rows if s.doc_id in documents]
        vectors = (
            np.stack([v for _, v in kept]).astype(np.float32)
            if kept
            else np.zeros((0, dim), dtype=np.float32)
        )
        return cls([s for s, _ in kept], vectors, documents)

    def __len__(self) -> int:
        return len(self._statements)

    def of_documents(
        self,
        doc_ids: Collection[str],
        kinds: Collection[str] = (),
        query_vector: npt.NDArray[np.float32] | None = None,
    ) -> list[StatementHit]:
        """The statements of these briefs (of these kinds), each brief's in its own order,
        scored against `query_vector` when one is given (else 0)."""
        rows = [
            i
            for i, s in enumerate(self._statements)
            if s.doc_id in doc_ids and (not kinds or s.kind in kinds)
        ]
        scores = (
            self._vectors[rows] @ query_vector.astype(np.float32)
            if query_vector is not None and rows
            else np.zeros(len(rows), dtype=np.float32)
        )
        return [
            StatementHit(
                self._statements[i], self._documents[self._statements[i].doc_id], float(sc)
            )
            for i, sc in zip(rows, scores, strict=True)
        ]

    def search(
        self,
        query_vector: npt.NDArray[np.float32],
        k: int,
        kinds: Collection[str] = (),
        doc_ids: Collection[str] | None = None,
    ) -> list[StatementHit]:
        """The `k` statements closest to the query, best first, optionally of some kinds and
        briefs only."""
        if not self._statements:
            return []
        scores = self._vectors @ query_vector.astype(np.float32)
        order = np.argsort(-scores, kind="stable")
        hits: list[StatementHit] = []
        for i in order:
            s = self._statements[int(i)]
            if kinds and s.kind not in kinds:
                continue
            if doc_ids is not None and s.doc_id not in doc_ids:
                continue
            hits.append(StatementHit(s, self._documents[s.doc_id], float(scores[int(i)])))
            if len(hits) == k:
                break
        return hits
