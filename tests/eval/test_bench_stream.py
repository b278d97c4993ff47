"""The ingest benchmark's start-up and settled rate, from when files reach the writer."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FakeEmbedder, write_files

from eval.bench_stream import StreamClock
from index.ingestion import ingest_paths, local_source


def test_the_settled_rate_starts_after_the_first_batch() -> None:
    clock = StreamClock(local_source(FakeEmbedder()), started=100.0)
    # A slow start (5 s to the first file), a first batch of four files written 10 ms apart,
    # then a second batch of two files 4 s later and a third of two 4 s after that.
    clock.arrivals = [(105.0 + n / 100, 10) for n in range(4)]
    clock.arrivals += [(109.03, 20), (109.04, 20), (113.03, 20), (113.04, 20)]
    times = clock.times()
    assert times is not None
    assert times.first_seconds == pytest.approx(5.0)
    # 80 chunks after the first batch, from its end (105.03 s) to the last file (113.04 s).
    assert times.steady_chunks_per_s == pytest.approx(80 / 8.01)


def test_files_all_in_the_first_batch_have_no_settled_rate() -> None:
    clock = StreamClock(local_source(FakeEmbedder()))
    clock.arrivals = [(1.0, 3), (1.01, 4)]
    assert clock.times() is None


def test_the_clock_passes_every_file_through_to_the_writer(tmp_path: Path) -> None:
    paths = write_files(
        tmp_path / "notes",
        {
            f"n{i}.md": f"# Note {i}\n\nThe port raised its dues {i} times.\n".encode()
            for i in range(5)
        },
    )
    clock = StreamClock(local_source(FakeEmbedder()))
    report = ingest_paths(tmp_path / "index", paths, FakeEmbedder(), source=clock)
    assert report.documents == 5
    assert len(clock.arrivals) == 5
    assert sum(chunks for _, chunks in clock.arrivals) == report.chunks
    assert all(a[0] <= b[0] for a, b in zip(clock.arrivals, clock.arrivals[1:], strict=False))
