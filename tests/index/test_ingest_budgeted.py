"""Ingest as the server runs it: files given by path (read one at a time), parsed in the budget
worker, stopped before publishing when the caller withdraws, and a bounded wait for the lock."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import FakeEmbedder
from pdfs import page_bomb_pdf

from index.errors import IndexBusyError
from index.generations import current_marker, writer_lock
from index.ingestion import ingest_bytes
from index.types import FileStatus
from ingest.budget import BudgetWorker, ParseBudget
from ingest.errors import IngestCancelledError
from ingest.types import content_id

DUES = b"# Harbour dues\n\nPort dues rose by a fifth in 2024 while traffic fell.\n"
DREDGING = b"# Dredging\n\nDredging keeps the access channels deep enough for ships.\n"


@pytest.fixture
def worker() -> Iterator[BudgetWorker]:
    worker = BudgetWorker(ParseBudget(cpu_seconds=1, wall_seconds=5), preload=("ingest.prepare",))
    yield worker
    worker.close()


def test_files_by_path_in_the_budget_worker(tmp_path: Path, worker: BudgetWorker) -> None:
    (tmp_path / "dues.md").write_bytes(DUES)
    (tmp_path / "bomb.pdf").write_bytes(page_bomb_pdf(40, 3_800_000))
    inputs = [(p, p, tmp_path / p) for p in ("dues.md", "bomb.pdf")]
    report = ingest_bytes(tmp_path / "index", inputs, FakeEmbedder(), budget=worker)
    dues, bomb = report.files
    assert (dues.status, dues.doc_id) == (FileStatus.added, content_id(DUES)) and dues.chunks
    assert (bomb.status, bomb.error_code) == (FileStatus.failed, "too_slow")
    assert bomb.doc_id == content_id((tmp_path / "bomb.pdf").read_bytes())
    assert report.generation == 1


def test_a_withdrawn_ingest_publishes_nothing(tmp_path: Path, worker: BudgetWorker) -> None:
    index = tmp_path / "index"
    ingest_bytes(index, [("dues.md", "dues.md", DUES)], FakeEmbedder())
    asked: list[float] = []

    def cancelled() -> bool:
        asked.append(time.monotonic())
        return len(asked) > 1  # withdrawn after the first look, while the file is parsed

    with pytest.raises(IngestCancelledError):
        ingest_bytes(
            index,
            [("dredging.md", "dredging.md", DREDGING)],
            FakeEmbedder(),
            budget=worker,
            cancelled=cancelled,
        )
    assert current_marker(index) == "gen-000001" and not list(index.glob(".staging-*"))
    # Without a budget worker the check before publishing still holds.
    with pytest.raises(IngestCancelledError):
        ingest_bytes(index, [("d.md", "d.md", DREDGING)], FakeEmbedder(), cancelled=lambda: True)
    assert current_marker(index) == "gen-000001"


def test_the_wait_for_another_writer_is_bounded(tmp_path: Path) -> None:
    index = tmp_path / "index"
    lock = writer_lock(index, timeout=1)
    try:
        started = time.monotonic()
        with pytest.raises(IndexBusyError):
            ingest_bytes(index, [("d.md", "d.md", DUES)], FakeEmbedder(), lock_timeout=0.3)
        assert time.monotonic() - started < 2
    finally:
        lock.release()


def test_files_parsed_ahead_in_the_budget_worker_keep_their_order(
    tmp_path: Path, worker: BudgetWorker
) -> None:
    """A thread parses ahead in the budget's child: the same outcomes, in input order, as one
    file at a time, the pathological file refused and the rest ingested."""
    notes = {
        f"note-{n}.md": f"# Note {n}\n\nPort dues rose {n} times.\n".encode() for n in range(5)
    }
    for name, data in notes.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "bomb.pdf").write_bytes(page_bomb_pdf(40, 3_800_000))
    names = [*list(notes)[:2], "bomb.pdf", *list(notes)[2:]]
    inputs = [(name, name, tmp_path / name) for name in names]

    ahead = ingest_bytes(
        tmp_path / "ahead", inputs, FakeEmbedder(), budget=worker, parse_ahead=True
    )
    one_by_one = ingest_bytes(tmp_path / "one", inputs, FakeEmbedder(), budget=worker)

    def summary(report):
        return [(f.path, f.status, f.error_code, f.chunks) for f in report.files]

    assert summary(ahead) == summary(one_by_one)
    assert [f.path for f in ahead.files] == names
    assert ahead.files[2].error_code == "too_slow"
    assert ahead.documents == len(notes)


class _FailingEmbedder(FakeEmbedder):
    def embed_documents(self, texts, progress=False):
        raise RuntimeError("the model ran out of memory")


def test_an_error_while_embedding_stops_the_parsing_thread(
    tmp_path: Path, worker: BudgetWorker
) -> None:
    inputs = [(f"n{n}.md", f"n{n}.md", DUES + str(n).encode()) for n in range(8)]
    with pytest.raises(RuntimeError, match="out of memory"):
        ingest_bytes(
            tmp_path / "index", inputs, _FailingEmbedder(), budget=worker, parse_ahead=True
        )
    assert not any(t.name == "parse-ahead" for t in threading.enumerate())
    assert current_marker(tmp_path / "index") is None  # nothing published
    # The worker still parses (a fresh child if the old one was stopped mid-file).
    report = ingest_bytes(tmp_path / "index", inputs[:1], FakeEmbedder(), budget=worker)
    assert report.documents == 1
