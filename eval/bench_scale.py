"""Scale benchmark: build time, memory, size and query latency per store backend at 100k-1M chunks.

The corpus (`eval.scale_corpus`): generated briefs' paragraphs as texts, clustered vectors
derived from real embeddings, and real embeddings of question-like sentences as queries.
Recall@10 is measured against exact search over the same vectors, for the same queries, in the
same run.

This module runs the sizes and backends; one backend at one size is measured by
`eval.bench_scale_backend` (its recall by `eval.bench_scale_recall`, its memory and latency by
`eval.bench_scale_meters`), the records are in `eval.bench_scale_types` and the text report is
`eval.bench_scale_report`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.location import Location, MilvusLocation
from ingest.embed import Embedder

from .bench_ingest import cpu_model
from .bench_scale_backend import BACKEND_NAMES, measure
from .bench_scale_meters import release_memory
from .bench_scale_report import format_report, format_row
from .bench_scale_types import (
    MILVUS_QUERIES,
    K,
    Percentiles,
    ProbeSweep,
    ScaleCorpus,
    ScaleResult,
    ScaleRow,
    Skipped,
)
from .bench_serve import ServeBenchOptions, queries
from .scale_corpus import (
    MIX,
    NOISE,
    base_vectors,
    chunk_positions,
    clustered_vectors,
    corpus_texts,
    exact_top,
)
from .synthetic import SAMPLE_SOURCES, load_prose

__all__ = [
    "BACKENDS",
    "BACKEND_NAMES",
    "MILVUS_QUERIES",
    "K",
    "Percentiles",
    "ProbeSweep",
    "ScaleCorpus",
    "ScaleOptions",
    "ScaleResult",
    "ScaleRow",
    "Skipped",
    "format_report",
    "measure",
    "run_scale_benchmark",
]

BACKENDS = ("flat", "ivf", "milvus")


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
        corpus = ScaleCorpus(
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
                say(f"measured: {format_row(result.rows[-1])}")
            except Exception as exc:  # a backend that cannot run here is reported, not fatal
                if backend != "milvus":
                    raise
                result.skipped.append(Skipped(backend, size, f"failed: {exc}"))
            finally:
                if not options.keep:
                    _remove(location)
        del corpus, texts, vectors
        release_memory()
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
