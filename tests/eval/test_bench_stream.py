"""The ingest benchmark's start-up and settled rate, from when files reach the writer."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FakeEmbedder, write_files

from eval.bench_stream import StreamClock
from index.ingestion import ingest_paths, local_source


def test_the_settled_rate_leaves_out_the_first_half_and_its_batching() -> None:
    clock = StreamClock(local_source(FakeEmbedder()), started=100.0)
    # A slow start (5 s to the first file), then a batch of four arriving together, then a
    # file a second of 10 chunks each.
    clock.arrivals = [(105.0, 10), (105.0, 10), (105.0, 10), (105.0, 10)]
    clock.arrivals += [(106.0 + n, 10) for n in range(4)]
    times = clock.times()
    assert times is not None
    assert times.first_seconds == pytest.approx(5.0)
    # The second half (40 chunks) took from 105 s (end of the first half) to 109 s.
    assert times.steady_chunks_per_s == pytest.approx(10.0)


def test_a_single_file_has_no_settled_rate() -> None:
    clock = StreamClock(local_source(FakeEmbedder()))
    clock.arrivals = [(1.0, 3)]
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
    times = clock.times()
    assert times is not None and times.first_seconds >= 0
