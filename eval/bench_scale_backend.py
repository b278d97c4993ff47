"""One store backend at one size: build it from the corpus through its own writer, open it,
time dense, BM25 and hybrid retrieval, and measure its recall and memory."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from index.backends import open_writer
from index.embedded import Generation
from index.location import Location
from index.reader import IndexReader
from index.types import SearchMode
from ingest.chunk import ChunkerSettings
from ingest.embed import Embedder

from .bench_ingest import peak_rss
from .bench_scale_meters import disk_mb, release_memory, rss, timed
from .bench_scale_recall import dense_recall, probe_sweep
from .bench_scale_types import MILVUS_QUERIES, K, ScaleCorpus, ScaleResult, ScaleRow
from .scale_corpus import CHUNKS_PER_DOCUMENT, Floats, documents

BACKEND_NAMES = {"flat": "embedded", "ivf": "embedded", "milvus": "milvus"}


def build(location: Location, backend: str, corpus: ScaleCorpus, model: Embedder) -> float:
    """Write the corpus's briefs into `backend` at `location`; the seconds it took."""
    if backend != "milvus" and not isinstance(location, Path):
        raise TypeError(f"the {backend} backend is a folder, not {location}")
    writer = open_writer(
        location,
        model_id=model.model_id,
        dim=model.dim,
        precision=model.precision,
        chunker=ChunkerSettings(),
        vector_index=None if backend == "milvus" else backend,
    )
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
    backend: str, location: Location, corpus: ScaleCorpus, model: Embedder, result: ScaleResult
) -> ScaleRow:
    """Build `backend` at `location` from `corpus`, open it, time the three modes, check recall."""
    release_memory()
    before = rss()
    with peak_rss() as peak:
        build_s = build(location, backend, corpus, model)
    build_peak = (peak[0] - before) / 2**20
    release_memory()
    before = rss()
    reader = IndexReader(location)
    # Milvus Lite answers in about a second here: fewer queries keep the run in minutes.
    count = min(len(corpus.questions), MILVUS_QUERIES) if backend == "milvus" else None
    pairs = list(zip(corpus.questions, corpus.query_vectors, strict=True))[:count]

    def call(mode: SearchMode, text: str, vector: Floats | None) -> Callable[[], object]:
        return lambda: reader.retrieve(text, K, mode, query_vector=vector)

    dense = timed([call(SearchMode.dense, t, v) for t, v in pairs], f"{backend} dense")
    bm25 = timed([call(SearchMode.bm25, t, None) for t, _ in pairs], f"{backend} bm25")
    hybrid = timed([call(SearchMode.hybrid, t, v) for t, v in pairs], f"{backend} hybrid")
    serve_rss = (rss() - before) / 2**20
    generation = reader.generation
    recall_at_10 = dense_recall(reader, corpus, [v for _, v in pairs])
    index_type = index_type_of(backend, generation)
    if isinstance(generation, Generation):
        result.sweeps += probe_sweep(generation, corpus)
    disk = location if isinstance(location, Path) else Path(location.uri)
    return ScaleRow(
        backend=BACKEND_NAMES[backend],
        index_type=index_type,
        chunks=len(corpus.texts),
        build_s=round(build_s, 1),
        build_peak_mb=round(build_peak),
        serve_rss_mb=round(serve_rss),
        disk_mb=round(disk_mb(disk)),
        dense=dense,
        bm25=bm25,
        hybrid=hybrid,
        recall_at_10=round(recall_at_10, 4),
    )


def index_type_of(backend: str, generation: object) -> str:
    if backend == "milvus":
        return "Milvus Lite: FLAT (IP) + BM25 sparse"
    if isinstance(generation, Generation) and generation.vectors.lists:
        v = generation.vectors
        return f"IVF {v.lists} lists, {v.probes} probes"
    return "flat (exact)" if backend == "flat" else "flat (ivf asked; under the IVF size)"
