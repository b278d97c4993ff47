"""Chunk vectors in FAISS (the only module that imports it): exact inner product keyed by row."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt

VECTORS_NAME = "vectors.faiss"


class VectorIndex:
    """Normalised vectors searched by inner product (cosine), addressed by SQLite chunk rows."""

    def __init__(self, index: Any) -> None:
        self._index = index

    @classmethod
    def empty(cls, dim: int) -> VectorIndex:
        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)))

    @classmethod
    def load(cls, folder: Path, *, mapped: bool = False) -> VectorIndex:
        """The saved index; `mapped` maps the vectors from the file instead of copying them, so
        server processes on one machine share one copy in the page cache (read-only use)."""
        flags = faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY if mapped else 0
        return cls(faiss.read_index(str(folder / VECTORS_NAME), flags))

    def save(self, folder: Path) -> None:
        faiss.write_index(self._index, str(folder / VECTORS_NAME))

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def add(self, rows: Sequence[int], vectors: npt.NDArray[np.float32]) -> None:
        if len(rows) != len(vectors):
            raise ValueError("one vector per row")
        if len(rows):
            self._index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(rows, dtype=np.int64)
            )

    def remove(self, rows: Sequence[int]) -> None:
        if len(rows):
            self._index.remove_ids(np.asarray(rows, dtype=np.int64))

    def similarities(self, query: npt.NDArray[np.float32], rows: Sequence[int]) -> list[float]:
        """Cosine of the query with the stored vector of each row, in order: how close each
        passage a retriever found (BM25's too) is to the question, without embedding it again."""
        if not len(rows):
            return []
        stored = self._index.reconstruct_batch(np.asarray(rows, dtype=np.int64))
        return [float(s) for s in stored @ query.reshape(-1).astype(np.float32)]

    def search(
        self, query: npt.NDArray[np.float32], k: int, allowed_rows: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """(row, similarity) of the k nearest vectors, optionally only among `allowed_rows`."""
        if self.size == 0 or k <= 0 or (allowed_rows is not None and not len(allowed_rows)):
            return []
        params = None
        if allowed_rows is not None:
            params = faiss.SearchParameters(  # type: ignore[call-arg]
                sel=faiss.IDSelectorBatch(np.asarray(allowed_rows, dtype=np.int64))
            )
        scores, ids = self._index.search(
            np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32),
            min(k, self.size),
            params=params,
        )
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
