"""The serving benchmark: its generated corpus, its statistics, and one tiny real run."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.bench_serve import (
    Bare,
    Latency,
    ServeBenchOptions,
    ServeBenchResult,
    _percentile,
    corpus_files,
    format_report,
    queries,
    run_serve_benchmark,
)
from eval.synthetic import load_prose

ROOT = Path(__file__).resolve().parents[2]


def options(tmp_path: Path, **overrides: object) -> ServeBenchOptions:
    base = {
        "work_dir": tmp_path,
        "prose_dir": ROOT / "samples" / "src",
        "eval_set": ROOT / "eval" / "sets" / "sample_briefs.jsonl",
    }
    return ServeBenchOptions(**{**base, **overrides})  # type: ignore[arg-type]


def test_generated_briefs_are_cached_and_deterministic(tmp_path: Path) -> None:
    opts = options(tmp_path, chunks=200)
    prose = load_prose(opts.prose_dir)
    first = corpus_files(tmp_path, opts, prose)
    texts = [p.read_text() for p in first]
    again = corpus_files(tmp_path, opts, prose)
    assert first == again and [p.read_text() for p in again] == texts
    assert len(first) >= 4 and texts[0].startswith("---\ntitle: ")
    assert "series: Bench Policy Brief" in texts[0] and len(texts[0].split()) > 4000
    assert len(set(texts)) == len(texts)


def test_queries_are_distinct_and_start_with_the_sample_questions(tmp_path: Path) -> None:
    found = queries(options(tmp_path), 300)
    assert len(found) == 300 and len(set(found)) == 300
    assert found[0].startswith("According to the Northbridge brief")


def test_percentile_and_report() -> None:
    assert _percentile([float(i) for i in range(1, 101)], 50) in (50.0, 51.0)
    assert _percentile([1.0, 2.0, 3.0], 95) == 3.0
    result = ServeBenchResult(chunks=10_000, documents=260, index_dir="x", build_seconds=None)
    result.bare = Bare(10, "bf16", 1, 8.0, 0.3, 8.4, 9.0)
    result.runs.append(Latency("search hybrid", 1, 100, 0, 1.2, 11.0, 14.0))
    text = format_report(result)
    assert "search hybrid" in text and "1.31x the bare floor: meets" in text
    assert result.to_json()["runs"][0]["per_s"] == pytest.approx(83.33, abs=0.01)


@pytest.mark.slow
def test_a_tiny_real_run(tmp_path: Path) -> None:
    from service.settings import load_settings

    opts = options(tmp_path, chunks=120, requests=12, concurrency=(1, 2))
    result = run_serve_benchmark(opts, load_settings(), lambda _: None)
    assert result.chunks > 50 and result.bare and result.bare.total_p50_ms > 0
    names = {(r.name, r.concurrency) for r in result.runs}
    assert names == {
        (n, c) for n in ("search dense", "search hybrid", "ask hybrid") for c in (1, 2)
    }
    assert all(r.errors == 0 and r.requests > 0 and r.p95_ms >= r.p50_ms for r in result.runs)
