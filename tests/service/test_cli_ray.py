"""`briefqa ingest --ray`: the same report and index as without it, on a local Ray."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write_files
from pdfs import generated_brief, png_bytes, render
from typer.testing import CliRunner

from index.reader import IndexReader
from service.cli.main import build_app

BRIEFQA = Path(sys.executable).parent / "briefqa"


@pytest.fixture
def briefs(tmp_path: Path) -> list[Path]:
    files = {f"brief-{n}.pdf": render(generated_brief(n)) for n in (11, 12)}
    return write_files(tmp_path / "briefs", {**files, "photo.pdf": png_bytes()})


@pytest.fixture(autouse=True)
def _no_index_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFQA_INDEX_DIR", raising=False)


@pytest.mark.slow  # the real model, in the command and in a Ray actor
def test_ingest_on_ray_reports_each_file_and_reingest_is_a_no_op(
    ray_local, tmp_path: Path, briefs: list[Path]
) -> None:
    """In process, the command uses the test run's Ray (a session it finds is used as it is)."""
    folder = tmp_path / "index"
    app = build_app()
    first = CliRunner().invoke(app, ["ingest", *map(str, briefs), "--index", str(folder), "--ray"])
    assert first.exit_code == 1, first.output  # the PNG named .pdf failed
    assert first.stdout.count("+ added") == 2
    assert "photo.pdf" in first.stdout and "unsupported_type:" in first.stdout
    assert "2 added, 0 replaced, 0 unchanged, 1 failed" in first.stdout
    again = CliRunner().invoke(
        app, ["ingest", *map(str, briefs[:2]), "--index", str(folder), "--ray"]
    )
    assert again.exit_code == 0, again.output
    assert "0 added, 0 replaced, 2 unchanged, 0 failed" in again.stdout
    assert len(IndexReader(folder).documents()) == 2


@pytest.mark.slow  # starts a second local Ray, loads the model in the command and in an actor
def test_ingest_ray_starts_and_stops_a_local_ray_for_the_command(
    tmp_path: Path, briefs: list[Path]
) -> None:
    env = {
        **os.environ,
        "BRIEFQA_INDEX_DIR": str(tmp_path / "index"),
        "RAY_AUTH_MODE": "disabled",
        "RAY_ADDRESS": "",  # a stray cluster address must not redirect the local run
    }
    ingest = subprocess.run(
        [str(BRIEFQA), "ingest", str(briefs[0]), "--ray", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert ingest.returncode == 0, ingest.stderr
    assert '"added": 1' in ingest.stdout
    search = subprocess.run(
        [str(BRIEFQA), "search", "rail links", "--mode", "bm25", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert search.returncode == 0, search.stderr
    assert "brief-11.pdf" in search.stdout


def test_ingest_on_an_unreachable_cluster_says_so_in_one_line(
    tmp_path: Path, briefs: list[Path]
) -> None:
    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{probe.getsockname()[1]}"
    ingest = subprocess.run(
        [str(BRIEFQA), "ingest", str(briefs[0]), "--ray-address", address],
        capture_output=True,
        text=True,
        env={**os.environ, "BRIEFQA_INDEX_DIR": str(tmp_path / "index")},
        timeout=120,
    )
    assert ingest.returncode == 2
    lines = ingest.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot reach the Ray cluster at {address}" in lines[0]
    assert not (tmp_path / "index").exists()  # nothing written
