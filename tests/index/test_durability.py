"""Killing an ingest with SIGKILL at any moment leaves the last published generation intact."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from helpers import write_files
from pdfs import generated_brief, render

from index.generations import CURRENT_NAME, writer_lock
from index.ingestion import ingest_paths
from index.reader import IndexReader
from index.types import FileStatus, SearchMode

BRIEFQA = Path(sys.executable).parent / "briefqa"
BATCH = 40


@dataclass(frozen=True)
class State:
    generation: str
    chunks_by_doc: dict[str, int]
    bm25_top: list[str]


def _state(index_dir: Path, embedder) -> State:
    reader = IndexReader(index_dir, embedder)
    assert reader.search("rail links to inland terminals", 5, SearchMode.dense)
    assert reader.search("rail links to inland terminals", 5, SearchMode.hybrid)
    return State(
        generation=(index_dir / CURRENT_NAME).read_text().strip(),
        chunks_by_doc={d.id: d.n_chunks for d in reader.documents()},
        bm25_top=[
            h.chunk.id for h in reader.search("dredging of access channels", 10, SearchMode.bm25)
        ],
    )


def _start(batch: Path, index_dir: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BRIEFQA), "ingest", str(batch), "--index", str(index_dir), "--no-progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait_for(condition, proc: subprocess.Popen[bytes], timeout: float = 180.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.02)
    raise AssertionError("the ingest neither reached the moment nor finished")


def _staged_seconds(batch: Path, index_dir: Path) -> float:
    """Seconds from the staging folder's appearance to the end of a whole ingest of `batch`."""
    proc = _start(batch, index_dir)
    try:
        assert _wait_for(lambda: bool(_staging(index_dir)), proc), "the timing ingest failed"
        started = time.monotonic()
        proc.wait(timeout=900)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=60)
        if proc.stdout is not None:
            proc.stdout.close()
    assert proc.returncode == 0
    return time.monotonic() - started


def _staging(index_dir: Path) -> list[Path]:
    return list(index_dir.glob(".staging-*"))


def _survivors(index_dir: Path, wait: float = 5.0) -> list[int]:
    deadline = time.monotonic() + wait
    while True:
        alive = [
            p.pid
            for p in psutil.process_iter(["cmdline"])
            if str(index_dir) in " ".join(p.info["cmdline"] or [])
        ]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


@pytest.mark.slow
def test_sigkill_at_any_moment_keeps_the_last_generation(tmp_path, embedder) -> None:
    assert BRIEFQA.exists(), BRIEFQA
    index_dir = tmp_path / "index"
    seed_files = write_files(tmp_path / "seed", {"seed.pdf": render(generated_brief(900))})
    ingest_paths(index_dir, seed_files, embedder)
    batch = tmp_path / "batch"
    write_files(
        batch, {f"brief-{n:03d}.pdf": render(generated_brief(n)) for n in range(100, 100 + BATCH)}
    )
    rng = random.Random(2025)
    staging = lambda: bool(_staging(index_dir))  # noqa: E731
    writing = lambda: any((s / "bm25").exists() for s in _staging(index_dir))  # noqa: E731
    # Kill moments are fractions of how long this machine takes to stage the batch, so they
    # land inside the work however fast or slow the machine is.
    work = _staged_seconds(batch, tmp_path / "timing")
    moments = [
        ("while loading the model", None, 1.0),
        ("while parsing", staging, rng.uniform(0.0, 0.05) * work),
        ("while parsing or embedding", staging, rng.uniform(0.2, 0.4) * work),
        ("while embedding", staging, rng.uniform(0.5, 0.75) * work),
        ("while writing the generation's files", writing, 0.0),
    ]
    killed_while_staging = 0
    completed = False
    for round_number, (label, moment, delay) in enumerate(moments, start=1):
        before = _state(index_dir, embedder)
        proc = _start(batch, index_dir)
        try:
            if moment is None or _wait_for(moment, proc):
                time.sleep(delay)
            had_staging = bool(_staging(index_dir))
            proc.kill()
        finally:
            proc.wait(timeout=60)
            proc.stdout.close()  # never read; left open it is a ResourceWarning (an error here)
        after = _state(index_dir, embedder)
        if after.generation != before.generation:
            # The ingest published before the kill landed (it may have been killed while
            # exiting): the new generation must be complete.
            assert proc.returncode in (0, -signal.SIGKILL), label
            assert len(after.chunks_by_doc) == len(before.chunks_by_doc) + BATCH, label
            completed = True
            break
        assert proc.returncode == -signal.SIGKILL, label
        assert after == before, label
        # No helper process of the killed ingest lives on (it would hold the inherited lock).
        assert not _survivors(index_dir), label
        if had_staging and _staging(index_dir):
            killed_while_staging += 1

        # The lock is free; the next writer removes the leftovers and succeeds.
        writer_lock(index_dir, timeout=2).release()
        extra = write_files(
            tmp_path / f"extra-{round_number}",
            {f"extra-{round_number}.pdf": render(generated_brief(800 + round_number))},
        )
        report = ingest_paths(index_dir, extra, embedder)
        assert report.files[0].status is FileStatus.added, label
        assert not _staging(index_dir), label
        assert len(_state(index_dir, embedder).chunks_by_doc) == len(before.chunks_by_doc) + 1

    assert killed_while_staging >= 2
    if completed:
        return
    # Left alone, the same batch goes in completely.
    before = _state(index_dir, embedder)
    done = subprocess.run(
        [str(BRIEFQA), "ingest", str(batch), "--index", str(index_dir), "--no-progress"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{BATCH} added" in done.stdout
    after = _state(index_dir, embedder)
    assert len(after.chunks_by_doc) == len(before.chunks_by_doc) + BATCH
    assert not _staging(index_dir)
