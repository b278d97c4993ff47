"""The ingest benchmark's whole-command comparison runs both real commands on the same files."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_files
from pdfs import generated_brief, render

from eval.bench_commands import time_commands
from eval.errors import BenchmarkError
from index.reader import IndexReader


@pytest.mark.slow  # two fresh processes load the model; one starts a local Ray
def test_both_commands_store_the_same_chunks_and_are_timed(tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="the ray extra is not installed")
    paths = write_files(
        tmp_path / "briefs", {f"b{n}.pdf": render(generated_brief(n)) for n in (1, 2)}
    )
    times = time_commands(paths, tmp_path / "work")
    single = IndexReader(tmp_path / "work" / "index-command")
    on_ray = IndexReader(tmp_path / "work" / "index-command-ray")
    assert len(single.documents()) == len(on_ray.documents()) == 2
    assert times.chunks == sum(d.n_chunks for d in single.documents()) > 0
    assert times.single_seconds > 0 and times.ray_seconds > 0
    assert times.ray_vs_single == pytest.approx(times.single_seconds / times.ray_seconds)


def test_a_failing_command_is_reported_with_its_last_line(tmp_path: Path) -> None:
    with pytest.raises(BenchmarkError, match=r"briefqa ingest failed \(exit status 1\)"):
        time_commands([tmp_path / "missing.pdf"], tmp_path / "work")
