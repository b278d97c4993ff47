"""Scale benchmark: build time, memory, size and query latency per store backend at 100k-1M chunks.

The corpus (`eval.scale_corpus`): generated briefs' paragraphs as texts, clustered vectors
derived from real embeddings, and real embeddings of question-like sentences as queries.
Recall@10 is measured against exact search over the same vectors, for the same queries, in the
same run.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import math
import os
import shutil
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import psutil
from tqdm import tqdm

from index.backends import open_writer
from index.embedded import Generation
from index.location import Location, MilvusLocation
from index.reader import IndexReader
from index.types import SearchMode
from index.writer import IndexWriter
from ingest.chunk import ChunkerSettings
from ingest.embed import Embedder

from .bench_ingest import cpu_model, peak_rss
from .bench_serve import ServeBenchOptions, queries
from .scale_corpus import (
    CHUNKS_PER_DOCUMENT,
    MIX,
    NOISE,
    Floats,
    base_vectors,
    chunk_positions,
    clustered_vectors,
    corpus_texts,
    documents,
    exact_top,
)
from .synthetic import SAMPLE_SOURCES, load_prose

BACKENDS = ("flat", "ivf", "milvus")
BACKEND_NAMES = {"flat": "embedded", "ivf": "embedded", "milvus": "milvus"}
WARM_UP = 10
K = 10
PROBE_SWEEP = (16, 32, 64, 96, 128, 192)
MILVUS_QUERIES = 50


@dataclass(frozen=True)
class ScaleOptions:
    sizes: tuple[int, ...] = (100_000, 1_000_000)
    backends: tuple[str, ...] = BACKENDS
    queries: int = 200
    work_dir: Path = Path("data/bench")
    prose_dir: Path | None = SAMPLE_SOURCES
    bases: int = 3_000  # generated paragraphs embedded once (cached); vectors derive from them
    milvus_max: int = 100_000  # Milvus Lite is skipped above this size (memory of one machine)
    keep: bool = False  # keep the built indexes after measuring them
    seed: int = 17


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


# -- measuring ----------------------------------------------------------------------------------
def _rss() -> int:
    """Resident bytes of this process and its children (Milvus Lite runs a server process)."""
    process = psutil.Process()
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            total += child.memory_info().rss
    return int(total)


def _release_memory() -> None:
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _disk_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def _timed(calls: Sequence[Callable[[], object]], label: str) -> Percentiles:
    for call in calls[:WARM_UP]:
        call()
    seconds = []
    for call in tqdm(calls, desc=label, leave=False):
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    return Percentiles.of(seconds)


def _positions(reader: IndexReader, rows: Sequence[int], ids: dict[str, int]) -> list[int]:
    records = reader.generation.chunks_by_rows(rows)
    return [ids[records[r][0].id] for r in rows if r in records]


def _recall(found: Sequence[Sequence[int]], exact: npt.NDArray[np.int64]) -> float:
    hits = [len(set(f) & set(e.tolist())) for f, e in zip(found, exact, strict=True)]
    return sum(hits) / (K * len(hits)) if hits else 0.0


@dataclass(frozen=True)
class _Corpus:
    texts: list[str]
    vectors: Floats
    questions: list[str]
    query_vectors: Floats
    exact: npt.NDArray[np.int64]
    ids: dict[str, int]  # chunk id -> position in texts


def _build(location: Location, backend: str, corpus: _Corpus, model: Embedder) -> float:
    chunker = ChunkerSettings()
    writer: Any
    if backend == "milvus":
        writer = open_writer(
            location,
            model_id=model.model_id,
            dim=model.dim,
            precision=model.precision,
            chunker=chunker,
        )
    elif isinstance(location, Path):
        writer = IndexWriter(
            location,
            model_id=model.model_id,
            dim=model.dim,
            precision=model.precision,
            chunker=chunker,
            vector_index=backend,
        )
    else:
        raise TypeError(f"the {backend} backend is a folder, not {location}")
    started = time.perf_counter()
    with writer:
        total = math.ceil(len(corpus.texts) / CHUNKS_PER_DOCUMENT)
        for document, chunks, vectors in tqdm(
            documents(corpus.texts, corpus.vectors),
            total=total,
            desc=f"build {backend}",
            leave=False,
        ):
            writer.add(document, chunks, vectors)
        writer.commit()
    return time.perf_counter() - started


def measure(
    backend: str, location: Location, corpus: _Corpus, model: Embedder, result: ScaleResult
) -> ScaleRow:
    """Build `backend` at `location` from `corpus`, open it, time the three modes, check recall."""
    _release_memory()
    before = _rss()
    with peak_rss() as peak:
        build_s = _build(location, backend, corpus, model)
    build_peak = (peak[0] - before) / 2**20
    _release_memory()
    before = _rss()
    reader = IndexReader(location)
    # Milvus Lite answers in about a second here: fewer queries keep the run in minutes.
    count = min(len(corpus.questions), MILVUS_QUERIES) if backend == "milvus" else None
    pairs = list(zip(corpus.questions, corpus.query_vectors, strict=True))[:count]

    def call(mode: SearchMode, text: str, vector: Floats | None) -> Callable[[], object]:
        return lambda: reader.retrieve(text, K, mode, query_vector=vector)

    dense = _timed([call(SearchMode.dense, t, v) for t, v in pairs], f"{backend} dense")
    bm25 = _timed([call(SearchMode.bm25, t, None) for t, _ in pairs], f"{backend} bm25")
    hybrid = _timed([call(SearchMode.hybrid, t, v) for t, v in pairs], f"{backend} hybrid")
    serve_rss = (_rss() - before) / 2**20
    generation = reader.generation
    found = [
        _positions(reader, [r for r, _ in generation.dense(v, K, None)], corpus.ids)
        for _, v in pairs
    ]
    exact = corpus.exact[: len(found)]
    index_type = _index_type(backend, generation)
    if isinstance(generation, Generation):
        result.sweeps += _sweep(generation, corpus)
    disk = location if isinstance(location, Path) else Path(location.uri)
    row = ScaleRow(
        backend=BACKEND_NAMES[backend],
        index_type=index_type,
        chunks=len(corpus.texts),
        build_s=round(build_s, 1),
        build_peak_mb=round(build_peak),
        serve_rss_mb=round(serve_rss),
        disk_mb=round(_disk_mb(disk)),
        dense=dense,
        bm25=bm25,
        hybrid=hybrid,
        recall_at_10=round(_recall(found, exact), 4),
    )
    return row


def _index_type(backend: str, generation: object) -> str:
    if backend == "milvus":
        return "Milvus Lite: FLAT (IP) + BM25 sparse"
    if isinstance(generation, Generation) and generation.vectors.lists:
        v = generation.vectors
        return f"IVF {v.lists} lists, {v.probes} probes"
    return "flat (exact)" if backend == "flat" else "flat (ivf asked; under the IVF size)"


def _sweep(generation: Generation, corpus: _Corpus) -> list[ProbeSweep]:
    """Recall and latency of dense search alone: the flat index, or the IVF one at several
    probe counts."""
    vectors = generation.vectors
    chosen = vectors.probes
    rows_to_positions = {
        row: corpus.ids[chunk.id]
        for row, (chunk, _) in generation.chunks_by_rows(
            [r for q in corpus.query_vectors for r, _ in vectors.search(q, K)]
        ).items()
    }
    sweeps = []
    for probes in sorted({*PROBE_SWEEP, chosen}) if vectors.lists else [0]:
        if probes > vectors.lists:
            continue
        vectors.probes = probes
        found, seconds = [], []
        for q in corpus.query_vectors:
            started = time.perf_counter()
            ranking = vectors.search(q, K)
            seconds.append(time.perf_counter() - started)
            found.append([r for r, _ in ranking])
        missing = {r for f in found for r in f} - rows_to_positions.keys()
        rows_to_positions.update(
            {
                row: corpus.ids[c.id]
                for row, (c, _) in generation.chunks_by_rows(list(missing)).items()
            }
        )
        positions = [[rows_to_positions[r] for r in f] for f in found]
        sweeps.append(
            ProbeSweep(
                len(corpus.texts),
                vectors.lists,
                probes,
                round(_recall(positions, corpus.exact), 4),
                Percentiles.of(seconds),
            )
        )
    vectors.probes = chosen
    return sweeps


# -- the run ------------------------------------------------------------------------------------
def run_scale_benchmark(
    options: ScaleOptions, embedder: Embedder, say: Callable[[str], None] = lambda _: None
) -> ScaleResult:
    prose = load_prose(options.prose_dir)
    say(f"embedding {options.bases} generated paragraphs (cached) and {options.queries} questions")
    bases = base_vectors(options.bases, options.work_dir, prose, embedder, options.seed)
    questions = queries(ServeBenchOptions(prose_dir=options.prose_dir), options.queries)
    query_vectors = np.stack([embedder.embed_query(q).reshape(-1) for q in questions])
    result = ScaleResult(
        cpu=cpu_model(),
        cores=os.cpu_count() or 1,
        queries=len(questions),
        load_before=os.getloadavg()[0],
        vectors=(
            f"clustered: normalise(a + w b + noise), a and b from {len(bases)} real embeddings "
            f"of generated paragraphs, w in [0, {MIX}], noise norm {NOISE}; queries: real "
            f"embeddings of {len(questions)} question-like sentences"
        ),
    )
    for size in options.sizes:
        say(f"{size:,} chunks: generating texts and vectors")
        texts = corpus_texts(size, prose, options.seed)
        vectors = clustered_vectors(bases, size, options.seed)
        corpus = _Corpus(
            texts=texts,
            vectors=vectors,
            questions=questions,
            query_vectors=query_vectors,
            exact=exact_top(vectors, query_vectors, K),
            ids=chunk_positions(size),
        )
        for backend in options.backends:
            if backend == "milvus" and size > options.milvus_max:
                result.skipped.append(Skipped("milvus", size, _milvus_reason(result, size)))
                continue
            say(f"{size:,} chunks: {backend}")
            location = _location(options.work_dir, backend, size)
            try:
                result.rows.append(measure(backend, location, corpus, embedder, result))
                say(f"measured: {_row(result.rows[-1])}")
            except Exception as exc:  # a backend that cannot run here is reported, not fatal
                if backend != "milvus":
                    raise
                result.skipped.append(Skipped(backend, size, f"failed: {exc}"))
            finally:
                if not options.keep:
                    _remove(location)
        del corpus, texts, vectors
        _release_memory()
    result.load_after = os.getloadavg()[0]
    return result


def _milvus_reason(result: ScaleResult, size: int) -> str:
    """Why Milvus Lite is not run at `size`: its memory, scaled from a smaller size measured."""
    measured = [r for r in result.rows if r.backend == "milvus"]
    if not measured:
        return "over --milvus-max: Milvus Lite keeps its whole collection in memory"
    last = max(measured, key=lambda r: r.chunks)
    factor = size / last.chunks
    return (
        f"over --milvus-max: at {last.chunks:,} chunks Milvus Lite took {last.build_peak_mb:,.0f} "
        f"MB at peak while building and {last.serve_rss_mb:,.0f} MB serving; scaled to "
        f"{size:,}: about {last.build_peak_mb * factor / 1024:.0f} and "
        f"{last.serve_rss_mb * factor / 1024:.0f} GB on a machine shared with other work"
    )


def _location(work_dir: Path, backend: str, size: int) -> Location:
    if backend == "milvus":
        folder = work_dir / f"scale-milvus-{size}"
        _remove(folder)
        folder.mkdir(parents=True)
        return MilvusLocation(uri=str(folder / "milvus.db"))
    folder = work_dir / f"scale-{backend}-{size}"
    _remove(folder)
    return folder


def _remove(location: Location) -> None:
    path = location if isinstance(location, Path) else Path(location.uri).parent
    shutil.rmtree(path, ignore_errors=True)


def format_report(result: ScaleResult) -> str:
    lines = [
        f"CPU: {result.cpu} ({result.cores} cores); {result.queries} queries, k={K}",
        f"vectors: {result.vectors}",
        "latency: one query at a time through IndexReader.retrieve with the query vector given "
        "(query embedding not included); build: the store's writer from documents with vectors; "
        f"OpenMP threads: {os.environ.get('OMP_NUM_THREADS', 'all')}",
        "",
        f"{'backend':<9} {'index':<38} {'N':>9} {'build s':>8} {'peak MB':>8} {'RSS MB':>7} "
        f"{'disk MB':>8} {'dense p50/p95':>14} {'bm25 p50/p95':>14} {'hybrid p50/p95':>15} "
        f"{'recall@10':>9}",
    ]
    lines += [_row(r) for r in result.rows]
    if result.sweeps:
        lines += [
            "",
            "dense search alone (VectorIndex.search; lists 0: flat): N, lists, probes, "
            "recall@10, p50/p95 ms",
        ]
        lines += [
            f"  {s.chunks:>9,} {s.lists:>6} {s.probes:>6} {s.recall_at_10:>9.3f} "
            f"{_pair(s.latency):>14}"
            for s in result.sweeps
        ]
    lines.append(
        f"load average: {result.load_before:.2f} before, {result.load_after:.2f} after "
        f"({result.cores} cores); milvus rows use the first "
        f"{min(result.queries, MILVUS_QUERIES)} queries"
    )
    for s in result.skipped:
        lines.append(f"skipped: {s.backend} at {s.chunks:,}: {s.reason}")
    lines.append(
        "peak MB: resident memory over the process before the build; RSS MB: added by opening "
        "the index and running the queries (mapped vector pages included once touched)"
    )
    return "\n".join(lines)


def _row(r: ScaleRow) -> str:
    return (
        f"{r.backend:<9} {r.index_type:<38} {r.chunks:>9,} {r.build_s:>8.1f} "
        f"{r.build_peak_mb:>8.0f} {r.serve_rss_mb:>7.0f} {r.disk_mb:>8.0f} "
        f"{_pair(r.dense):>14} {_pair(r.bm25):>14} {_pair(r.hybrid):>15} {r.recall_at_10:>9.3f}"
    )


def _pair(p: Percentiles) -> str:
    return f"{p.p50_ms:.1f}/{p.p95_ms:.1f}"
