"""The ingest benchmark runs end to end on a tiny generated corpus and reports its figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from eval.synthetic import CorpusSpec, build_corpus, load_prose
from service.cli.main import build_app


def test_generated_briefs_have_the_asked_page_count_and_are_cached(tmp_path: Path) -> None:
    prose = load_prose(None)  # the built-in fallback text
    spec = CorpusSpec(briefs=2, pages=3)
    paths = build_corpus(tmp_path, spec, prose)
    assert [len(PdfReader(p).pages) for p in paths] == [3, 3]
    first_text = PdfReader(paths[0]).pages[1].extract_text()
    assert "Meridian Policy Brief No. 1" in first_text  # the running header
    assert "Page 2 of 3" in first_text  # the footer
    stamps = [p.stat().st_mtime_ns for p in paths]
    again = build_corpus(tmp_path, CorpusSpec(briefs=3, pages=3), prose)
    assert again[:2] == paths
    assert [p.stat().st_mtime_ns for p in paths] == stamps  # not rendered again
    assert paths[0].read_bytes() != paths[1].read_bytes()


def test_sample_prose_is_recombined_when_the_sources_exist() -> None:
    source = Path(__file__).resolve().parents[2] / "samples" / "src"
    if not source.is_dir():
        pytest.skip("no sample sources in this checkout")
    prose = load_prose(source)
    assert len(prose.paragraphs) > 50
    assert prose.digest != load_prose(None).digest


@pytest.mark.slow
def test_quick_benchmark_prints_every_figure(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        build_app(), ["bench", "ingest", "--quick", "--json", "--work-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    ours = report["ours"]
    assert report["briefs"] == 3 and report["pages"] == 6
    assert ours["chunks"] == report["chunks"] > 10
    assert ours["chunks_per_s"] > 0 and ours["pages_per_s"] > 0
    assert report["peak_rss_mb"] >= report["rss_before_mb"] > 0
    assert report["bare_fp32"]["chunks"] == ours["chunks"]
    assert report["bare_fp32"]["chunks_per_s"] > 0
    ratios = report["ratios"]
    assert ratios["ours_vs_bare_fp32"] > 0 and ratios["ours_vs_bare_same_precision"] > 0
    if ours["precision"] == "bf16":
        assert report["cosine_min"] > 0.99
        assert report["agreement"]["queries"] > 0
        assert 0.9 <= ratios["top10_overlap"] <= 1.0


@pytest.mark.slow
def test_quick_benchmark_compares_ray_with_the_single_process(ray_local, tmp_path: Path) -> None:
    args = ["bench", "ingest", "--quick", "--ray", "--skip-fp32", "--skip-agreement", "--json"]
    result = CliRunner().invoke(build_app(), [*args, "--work-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    ray = report["ray"]
    assert ray["throughput"]["chunks"] == report["ours"]["chunks"] == report["chunks"]
    assert ray["throughput"]["chunks_per_s"] > 0 and ray["throughput"]["cpu_ms_per_chunk"] > 0
    assert ray["cpus"] == 2 and ray["actors"] == 1
    assert report["ratios"]["ray_vs_single_process"] > 0
