"""Files parsed ahead of the embedding by a thread that drives the parse budget's child process.

The thread spends its time waiting on the child's pipe, which leaves the GIL to the model's
Python glue; each file is still parsed in the child, killed when over its budget. Results come
back in input order.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from typing import TypeVar

J = TypeVar("J")
R = TypeVar("R")

# Parsed files waiting for the embedding at most: enough to keep it fed, few enough that a
# stopped ingest does not parse much for nothing.
AHEAD = 4


class _Done:
    """Put last by the thread: nothing more comes."""


class _Failed:
    """An exception the thread met, to raise in the caller's thread."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def parsed_ahead(
    jobs: Sequence[J],
    parse: Callable[[J, Callable[[], bool]], R],
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[tuple[J, R]]:
    """(job, parse(job, withdrawn)) for each job in order, parsed up to AHEAD jobs ahead.

    `withdrawn` is true once the caller stops iterating (an error while embedding, or the end)
    or `cancelled()` is: `parse` hands it to the budget worker, which then kills its child."""
    results: queue.Queue[tuple[J, R] | _Failed | _Done] = queue.Queue(AHEAD)
    stop = threading.Event()

    def withdrawn() -> bool:
        return stop.is_set() or (cancelled is not None and cancelled())

    def produce() -> None:
        try:
            for job in jobs:
                if stop.is_set():
                    return
                results.put((job, parse(job, withdrawn)))
        except BaseException as exc:  # re-raised in the caller's thread
            results.put(_Failed(exc))
        finally:
            results.put(_Done())

    thread = threading.Thread(target=produce, name="parse-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = results.get()
            if isinstance(item, _Done):
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # take what it still puts, so it never waits on a full queue
            with suppress(queue.Empty):
                results.get(timeout=0.1)
        thread.join()
