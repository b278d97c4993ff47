"""The scale benchmark's figures as text: the table of backends and sizes, and the probe sweep."""

from __future__ import annotations

import os

from .bench_scale_types import MILVUS_QUERIES, K, Percentiles, ScaleResult, ScaleRow


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
    lines += [format_row(r) for r in result.rows]
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


def format_row(r: ScaleRow) -> str:
    """One backend at one size, as a line of the table."""
    return (
        f"{r.backend:<9} {r.index_type:<38} {r.chunks:>9,} {r.build_s:>8.1f} "
        f"{r.build_peak_mb:>8.0f} {r.serve_rss_mb:>7.0f} {r.disk_mb:>8.0f} "
        f"{_pair(r.dense):>14} {_pair(r.bm25):>14} {_pair(r.hybrid):>15} {r.recall_at_10:>9.3f}"
    )


def _pair(p: Percentiles) -> str:
    return f"{p.p50_ms:.1f}/{p.p95_ms:.1f}"
