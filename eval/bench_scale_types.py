"""The scale benchmark's records: the corpus one size is measured on, and what is measured."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .scale_corpus import Floats

K = 10
MILVUS_QUERIES = 50


@dataclass(frozen=True)
class ScaleCorpus:
    """One size's texts and vectors, the queries, and their exact top K over those vectors."""

    texts: list[str]
    vectors: Floats
    questions: list[str]
    query_vectors: Floats
    exact: npt.NDArray[np.int64]
    ids: dict[str, int]  # chunk id -> position in texts


@dataclass(frozen=True)
class Percentiles:
    p50_ms: float
    p95_ms: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Percentiles:
        ordered = sorted(seconds)
        p95 = ordered[max(0, min(len(ordered) - 1, round(0.95 * (len(ordered) - 1))))]
        return cls(round(statistics.median(ordered) * 1000, 3), round(p95 * 1000, 3))


@dataclass(frozen=True)
class ScaleRow:
    """One backend at one size."""

    backend: str
    index_type: str
    chunks: int
    build_s: float
    build_peak_mb: float  # peak resident memory while building, over the process before it
    serve_rss_mb: float  # resident memory added by opening the index and querying it
    disk_mb: float
    dense: Percentiles
    bm25: Percentiles
    hybrid: Percentiles
    recall_at_10: float  # dense top 10 against exact top 10, same vectors and queries


@dataclass(frozen=True)
class ProbeSweep:
    """Dense search alone (VectorIndex.search, no SQLite): the flat index (0 lists, 0 probes)
    and the IVF index at several probe counts."""

    chunks: int
    lists: int
    probes: int
    recall_at_10: float
    latency: Percentiles


@dataclass(frozen=True)
class Skipped:
    backend: str
    chunks: int
    reason: str


@dataclass
class ScaleResult:
    cpu: str
    cores: int
    queries: int
    vectors: str
    load_before: float
    rows: list[ScaleRow] = field(default_factory=list)
    sweeps: list[ProbeSweep] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    load_after: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
