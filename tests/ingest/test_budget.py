"""The parse budget: a child process killed when over its CPU or wall-time budget, replaced for
the next call, with the child's own errors raised in the caller."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from pdfs import page_bomb_pdf

from ingest.budget import BudgetWorker, ParseBudget
from ingest.chunk import ChunkerSettings
from ingest.errors import IngestCancelledError, TooSlowError, UnsupportedFileError
from ingest.parse import ParseLimits
from ingest.prepare import Prepared, prepare


def count_words(texts: list[str]) -> list[int]:
    return [len(t.split()) for t in texts]


@pytest.fixture
def worker() -> Iterator[BudgetWorker]:
    worker = BudgetWorker(ParseBudget(cpu_seconds=1, wall_seconds=3), preload=("ingest.prepare",))
    yield worker
    worker.close()


def test_a_call_within_budget_returns_its_result() -> None:
    # A budget a small brief stays well within even on a busy machine (the child is niced).
    worker = BudgetWorker(ParseBudget(cpu_seconds=10, wall_seconds=60), preload=("ingest.prepare",))
    brief = b"# Port dues\n\nPort dues rose by a fifth in 2024. Shipping lines complained.\n"
    try:
        prepared = worker.run(
            prepare, "dues.md", brief, ParseLimits(), ChunkerSettings(), count_words
        )
    finally:
        worker.close()
    assert isinstance(prepared, Prepared)
    assert prepared.document.title == "Port dues" and prepared.chunks


def test_over_the_cpu_budget_the_child_is_killed() -> None:
    # A wall budget far away, so that the kernel's CPU limit is what stops the call (the child
    # runs niced: on a busy machine its CPU second can take several seconds on the clock).
    worker = BudgetWorker(ParseBudget(cpu_seconds=1, wall_seconds=60))
    try:
        started = time.monotonic()
        with pytest.raises(TooSlowError) as caught:
            worker.run(sum, range(10**13))  # hours of CPU
        assert "1 s of CPU time" in str(caught.value) and caught.value.code == "too_slow"
        assert time.monotonic() - started < 60
        assert worker.run(sum, range(10)) == 45  # a fresh child answers the next call
    finally:
        worker.close()


def test_over_the_wall_budget_the_child_is_killed(worker: BudgetWorker) -> None:
    started = time.monotonic()
    with pytest.raises(TooSlowError) as caught:
        worker.run(time.sleep, 60)  # waits without using CPU
    assert "took more than 3 s" in str(caught.value)
    assert 3 <= time.monotonic() - started < 3 + 1
    assert worker.run(sum, range(10)) == 45


def test_a_page_bomb_is_refused_within_the_budget(worker: BudgetWorker) -> None:
    started = time.monotonic()
    with pytest.raises(TooSlowError):
        worker.run(
            prepare,
            "bomb.pdf",
            page_bomb_pdf(40, 3_800_000),
            ParseLimits(),
            ChunkerSettings(),
            count_words,
        )
    assert time.monotonic() - started < 3 + 1


def test_the_childs_errors_are_raised_here(worker: BudgetWorker) -> None:
    with pytest.raises(UnsupportedFileError, match="not a PDF"):
        worker.run(prepare, "x.pdf", b"just text", ParseLimits(), ChunkerSettings(), count_words)
    assert worker.run(sum, range(10)) == 45  # the child survives its callee's errors


def test_a_cancelled_call_stops_at_once(worker: BudgetWorker) -> None:
    started = time.monotonic()
    with pytest.raises(IngestCancelledError):
        worker.run(time.sleep, 60, cancelled=lambda: time.monotonic() - started > 0.5)
    assert time.monotonic() - started < 1.5
    assert worker.run(sum, range(10)) == 45
