"""Chunk vectors in FAISS (the only module that imports it): exact inner product keyed by row,
or an inverted-file index (IVF) for large corpora where exact search gets slow."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt

from .errors import IndexFormatError

VECTORS_NAME = "vectors.faiss"
# What BRIEFQA_STORE__VECTORS may ask for: "flat" searches every vector (exact); "ivf" searches
# the lists nearest the query, once the corpus has IVF_MIN_VECTORS vectors.
VECTOR_INDEXES = ("flat", "ivf")
# Below this an "ivf" index stays exact: k-means needs data to train on, and exact search costs
# well under 7 ms per query at this size (6.8 ms at 100k vectors on our 2-core machines).
IVF_MIN_VECTORS = 50_000
# Training points per list (FAISS asks for at least 39); k-means time grows with lists x points.
IVF_TRAIN_PER_LIST = 40
IVF_TRAIN_ITERATIONS = 10
# Lists searched per query: a share of all lists, at least IVF_MIN_PROBES. Chosen with `briefqa
# bench scale`, which measures recall@10 against exact search on the same queries: on clustered
# vectors, 632 lists (100k) needed 64-96 probes for 0.95-0.97, 2,000 lists (1M) 32-64 for
# 0.97-0.99 (docs/benchmarks.md, "Scale").
IVF_PROBE_SHARE = 1 / 32
IVF_MIN_PROBES = 96
# A filter leaving at most this many rows is searched exactly over those rows' vectors: the IVF
# lists nearest the query may hold none of them.
EXACT_FILTER_ROWS = 20_000


def ivf_lists(size: int) -> int:
    """Lists for `size` vectors: 2 sqrt(N). Training costs lists squared (at 1M vectors, 2,000
    lists trained in 31 s and filled in 42 s on 2 cores), and recall held with few probes."""
    return max(1, round(2 * math.sqrt(size)))


def ivf_probes(lists: int) -> int:
    """Lists searched per query for an index of `lists` lists."""
    return min(lists, max(IVF_MIN_PROBES, math.ceil(lists * IVF_PROBE_SHARE)))


class VectorIndex:
    """Normalised vectors searched by inner product (cosine), addressed by SQLite chunk rows.

    Flat (exact) indexes are an IndexIDMap2 over IndexFlatIP; IVF indexes are an IndexIVFFlat
    that keeps the rows as its ids, with a hash table from row to list so stored vectors can be
    read back (`similarities`) and removed.
    """

    def __init__(self, index: Any, probes: int = 0) -> None:
        self._index = index
        self._ivf = isinstance(index, faiss.IndexIVF)
        self.probes = (probes or ivf_probes(index.nlist)) if self._ivf else 0

    @classmethod
    def empty(cls, dim: int) -> VectorIndex:
        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)))

    @classmethod
    def load(cls, folder: Path, *, mapped: bool = False, probes: int = 0) -> VectorIndex:
        """The saved index; `mapped` maps the vectors from the file instead of copying them, so
        server processes on one machine share one copy in the page cache (read-only use).
        `probes` (from the manifest) says the file is an IVF index searched with that many lists.
        """
        flags = 0
        if mapped:
            mapping = faiss.IO_FLAG_MMAP if probes else faiss.IO_FLAG_MMAP_IFC
            flags = mapping | faiss.IO_FLAG_READ_ONLY
        index = faiss.read_index(str(folder / VECTORS_NAME), flags)
        if isinstance(index, faiss.IndexIVF) != bool(probes):
            kind = "an IVF" if probes else "a flat"
            raise IndexFormatError(
                f"{folder / VECTORS_NAME} is not {kind} index as its manifest says"
            )
        return cls(index, probes)

    def save(self, folder: Path) -> None:
        faiss.write_index(self._index, str(folder / VECTORS_NAME))

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    @property
    def lists(self) -> int:
        """IVF lists (0 for an exact index)."""
        return int(self._index.nlist) if self._ivf else 0

    def add(self, rows: Sequence[int], vectors: npt.NDArray[np.float32]) -> None:
        if len(rows) != len(vectors):
            raise ValueError("one vector per row")
        if len(rows):
            self._index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(rows, dtype=np.int64)
            )

    def remove(self, rows: Sequence[int]) -> None:
        if len(rows):
            ids = np.asarray(rows, dtype=np.int64)
            # IVF's row-to-list hash table removes only by an explicit array of ids.
            self._index.remove_ids(faiss.IDSelectorArray(ids) if self._ivf else ids)

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
        vector = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        k = min(k, self.size)
        if not self._ivf:
            params = None
            if allowed_rows is not None:
                params = faiss.SearchParameters(  # type: ignore[call-arg]
                    sel=faiss.IDSelectorBatch(np.asarray(allowed_rows, dtype=np.int64))
                )
            scores, ids = self._index.search(vector, k, params=params)
        elif allowed_rows is not None and len(allowed_rows) <= EXACT_FILTER_ROWS:
            return self._exact_among(vector, k, allowed_rows)
        else:
            probes = self.probes
            if allowed_rows is not None:  # as many allowed rows scanned as without a filter
                probes = math.ceil(probes * self.size / len(allowed_rows))
            params = faiss.SearchParametersIVF(nprobe=min(probes, self.lists))  # type: ignore[call-arg]
            if allowed_rows is not None:
                params.sel = faiss.IDSelectorBatch(np.asarray(allowed_rows, dtype=np.int64))
            scores, ids = self._index.search(vector, k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def _exact_among(
        self, vector: npt.NDArray[np.float32], k: int, rows: Sequence[int]
    ) -> list[tuple[int, float]]:
        ids = np.asarray(rows, dtype=np.int64)
        scores = self._index.reconstruct_batch(ids) @ vector[0]
        best = np.argsort(-scores, kind="stable")[:k]
        return [(int(ids[i]), float(scores[i])) for i in best]

    # -- the index type --------------------------------------------------------------------------
    def arranged(self, kind: str, min_vectors: int | None = None) -> VectorIndex:
        """This index as `kind` asks at its current size: exact below `min_vectors` (or for
        "flat"); for "ivf", the IVF index kept while its list count is within a factor of two
        of `ivf_lists(size)`, else retrained on the current vectors."""
        if kind not in VECTOR_INDEXES:
            raise ValueError(
                f"vector index must be one of {', '.join(VECTOR_INDEXES)}, not {kind!r}"
            )
        if kind == "flat" or self.size < (IVF_MIN_VECTORS if min_vectors is None else min_vectors):
            return self._as_flat() if self._ivf else self
        lists = ivf_lists(self.size)
        if self._ivf and self.lists / 2 < lists < self.lists * 2:
            return self
        rows, vectors = self._contents()
        return VectorIndex(_trained_ivf(vectors, lists), ivf_probes(lists))._filled(rows, vectors)

    def _as_flat(self) -> VectorIndex:
        rows, vectors = self._contents()
        return VectorIndex.empty(self.dim)._filled(rows, vectors)

    def _filled(self, rows: npt.NDArray[np.int64], vectors: npt.NDArray[np.float32]) -> VectorIndex:
        self.add(rows, vectors)  # type: ignore[arg-type]
        return self

    def _contents(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """Every (row, vector) held, in storage order."""
        if not self._ivf:
            rows = faiss.vector_to_array(self._index.id_map).astype(np.int64)
            return rows, self._index.index.reconstruct_n(0, self.size)
        lists = self._index.invlists
        all_rows, all_vectors = [], []
        for number in range(self.lists):
            count = lists.list_size(number)
            if count:
                ids = faiss.rev_swig_ptr(lists.get_ids(number), count)
                codes = faiss.rev_swig_ptr(lists.get_codes(number), count * self._index.code_size)
                all_rows.append(np.array(ids, dtype=np.int64))
                all_vectors.append(np.frombuffer(codes, dtype=np.float32).reshape(count, -1))
        if not all_rows:
            return np.empty(0, np.int64), np.empty((0, self.dim), np.float32)
        return np.concatenate(all_rows), np.concatenate(all_vectors)


def _trained_ivf(vectors: npt.NDArray[np.float32], lists: int, seed: int = 1234) -> Any:
    """An empty IVF index (rows as ids, with a row-to-list hash table) trained by k-means on a
    sample of `vectors`."""
    dim = vectors.shape[1]
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, lists, faiss.METRIC_INNER_PRODUCT)
    index.cp.niter = IVF_TRAIN_ITERATIONS
    index.cp.seed = seed
    sample = min(len(vectors), IVF_TRAIN_PER_LIST * lists)
    picked = np.random.default_rng(seed).choice(len(vectors), sample, replace=False)
    index.train(np.ascontiguousarray(vectors[np.sort(picked)]))
    index.set_direct_map_type(faiss.DirectMap.Hashtable)  # type: ignore[attr-defined]
    return index
