"""When an ingest's files reach its writer: the start-up before the first, the rate after it."""

from __future__ import annotations

import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field

from index.ingestion import Embedded, EmbedSource, FileJob
from ingest.errors import IngestError


@dataclass(frozen=True)
class StreamTimes:
    """`first_seconds`: from the ingest's start until its first embedded file reached the
    writer (parsing, and on Ray starting the actors and loading the model in them).
    `steady_chunks_per_s`: the chunks of the second half of the files over the time between the
    last file of the first half and the last file, the rate a long ingest settles at. (Files
    arrive in batches, so a rate from the first file on would count a batch's other files as
    if they had taken no time.)"""

    first_seconds: float
    steady_chunks_per_s: float


@dataclass
class StreamClock:
    """Wraps an embed source and notes when each embedded file comes out of it."""

    source: EmbedSource
    started: float = field(default_factory=time.perf_counter)
    arrivals: list[tuple[float, int]] = field(default_factory=list)  # (time, chunks)

    def __call__(
        self, jobs: Sequence[FileJob]
    ) -> Generator[tuple[FileJob, Embedded | IngestError], None, None]:
        self.started = time.perf_counter()
        for job, result in self.source(jobs):
            if isinstance(result, Embedded):
                self.arrivals.append((time.perf_counter(), len(result.prepared.chunks)))
            yield job, result

    def times(self) -> StreamTimes | None:
        """None with fewer than two files: no second half to time."""
        if len(self.arrivals) < 2:
            return None
        half = len(self.arrivals) // 2
        since, last = self.arrivals[half - 1][0], self.arrivals[-1][0]
        later = sum(chunks for _, chunks in self.arrivals[half:])
        rate = later / (last - since) if last > since else 0.0
        return StreamTimes(self.arrivals[0][0] - self.started, rate)
