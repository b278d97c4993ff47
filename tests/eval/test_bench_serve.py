"""The serving benchmark: its generated corpus, its statistics, and one tiny real run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

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
from eval.errors import BenchmarkError
from eval.questions import SAMPLE_SET
from eval.synthetic import SAMPLE_SOURCES, load_prose

# What `briefqa bench serve` has in a folder that is not a checkout: no sample sources, and
# (in a wheel without package data) no evaluation set. Only the built-in prose is left.
BARE = {"prose_dir": None, "eval_set": None}


def options(tmp_path: Path, **overrides: object) -> ServeBenchOptions:
    base = {"work_dir": tmp_path, "prose_dir": SAMPLE_SOURCES, "eval_set": SAMPLE_SET}
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


def test_default_inputs_do_not_depend_on_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    defaults = ServeBenchOptions()
    assert defaults.eval_set is not None and defaults.eval_set.is_file()
    assert defaults.eval_set == SAMPLE_SET and defaults.prose_dir == SAMPLE_SOURCES


@pytest.mark.parametrize("requests", [12, 200, 2000])
def test_the_built_in_prose_gives_every_run_its_own_questions(
    tmp_path: Path, requests: int
) -> None:
    """The default run needs requests + 2 ask runs of requests/4 + 20 warm-up questions; the
    built-in prose has far fewer sentences than that (the /v1/ask runs used to get none)."""
    count = requests + 2 * max(8, requests // 4) + 20
    found = queries(options(tmp_path, **BARE), count)
    assert len(found) == count and len(set(found)) == count
    assert all(q.endswith("?") and len(q.split()) >= 6 for q in found)


def test_too_little_prose_for_the_questions_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BenchmarkError, match="use fewer --requests"):
        queries(options(tmp_path, **BARE), 10**6)


def test_bench_commands_end_in_one_line_on_a_domain_error(tmp_path: Path) -> None:
    from service.cli.main import build_app

    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    for command in (["serve", "--chunks", "100"], ["ingest", "--quick"]):
        result = CliRunner().invoke(
            build_app(), ["bench", *command, "--work-dir", str(not_a_folder)]
        )
        assert result.exit_code == 2, result.output
        assert result.stderr.splitlines()[-1].startswith("error: ")
        assert "Traceback" not in result.output


def test_percentile_and_report() -> None:
    assert _percentile([float(i) for i in range(1, 101)], 50) in (50.0, 51.0)
    assert _percentile([1.0, 2.0, 3.0], 95) == 3.0
    result = ServeBenchResult(chunks=10_000, documents=260, index_dir="x", build_seconds=None)
    result.bare = Bare(10, "bf16", 1, 8.0, 0.3, 8.4, 9.0)
    result.runs.append(Latency("search hybrid", 1, 100, 0, 1.2, 11.0, 14.0))
    text = format_report(result)
    assert "search hybrid" in text and "1.31x the bare floor: meets" in text
    assert result.to_json()["runs"][0]["per_s"] == pytest.approx(83.33, abs=0.01)
    result.runs.append(Latency("search hybrid", 8, 100, 0, 2.0, 90.0, 120.0))
    result.runs.append(Latency("search hybrid", 8, 100, 0, 1.25, 60.0, 80.0, workers=2))
    assert result.workers_gain(2) == pytest.approx(1.6)
    assert "with 2 server processes: 1.60x the requests per second of one" in format_report(result)


@pytest.mark.slow
def test_a_tiny_real_run(tmp_path: Path) -> None:
    """With the built-in prose only, as in a fresh folder outside a checkout: 48 questions are
    needed, the prose's sentences give fewer (this run used to end in StatisticsError)."""
    from service.settings import load_settings

    opts = options(tmp_path, chunks=120, requests=12, concurrency=(1, 2), **BARE)
    result = run_serve_benchmark(opts, load_settings(), lambda _: None)
    assert result.chunks > 50 and result.bare and result.bare.total_p50_ms > 0
    names = {(r.name, r.concurrency) for r in result.runs}
    assert names == {
        (n, c) for n in ("search dense", "search hybrid", "ask hybrid") for c in (1, 2)
    }
    assert all(r.errors == 0 and r.requests > 0 and r.p95_ms >= r.p50_ms for r in result.runs)
    assert json.loads(json.dumps(result.to_json()))["runs"]
    # The same search load on a server with two processes.
    (two,) = [r for r in result.runs if r.workers == 2]
    assert (two.name, two.concurrency) == ("search hybrid", 2)
    assert result.workers_gain(2) is not None
