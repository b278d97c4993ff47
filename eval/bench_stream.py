"""When an ingest's files reach its writer: the start-up before the first, the rate after it."""

from __future__ import annotations

import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field

from index.ingestion import Embedded, EmbedSource, FileJob
from ingest.errors import IngestError

# Files of one batch reach the writer one write apart (milliseconds); the next batch comes
# an embedding call later (seconds).
BATCH_GAP_SECONDS = 0.5


@dataclass(frozen=True)
class StreamTimes:
    """`first_seconds`: from the ingest's start until its first embedded file reached the
    writer (parsing, and on Ray starting the actors and loading the model in them).
    `steady_chunks_per_s`: the chunks of every file after the first batch over the time from
    the end of that batch to the last file, the rate a long ingest settles at. Files come out
    in batches (groups of chunks embedded together here, an actor's call on Ray), so a rate
    from the first file on would count the rest of its batch as if it had taken no time."""

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
        """None when every file came out in the first batch: no later rate to measure."""
        if not self.arrivals:
            return None
        end = 0  # the first batch: the first file and those right behind it
        while (
            end + 1 < len(self.arrivals)
            and self.arrivals[end + 1][0] - self.arrivals[end][0] <= BATCH_GAP_SECONDS
        ):
            end += 1
        if end + 1 == len(self.arrivals):
            return None
        since, last = self.arrivals[end][0], self.arrivals[-1][0]
        later = sum(chunks for _, chunks in self.arrivals[end + 1 :])
        return StreamTimes(self.arrivals[0][0] - self.started, later / (last - since))
