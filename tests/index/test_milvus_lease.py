"""One writer per collection prefix on a Milvus server: the writer lease in the meta collection.

A Milvus Lite server stands in for a Milvus server. In this process the two addresses of the
same server (127.0.0.1 and localhost) act as two machines: each has its own client and its own
process lock, so only the lease keeps their writers apart. Other processes are real ones.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import FakeEmbedder, milvus_lite_server, stage_brief

from index.errors import IndexBusyError
from index.ingestion import ingest_bytes
from index.location import MilvusLocation
from index.milvus_lease import read_lease
from index.milvus_store import release, shared_collections
from index.milvus_writer import MilvusWriter
from index.reader import IndexReader
from ingest.chunk import ChunkerSettings

CHILD = Path(__file__).resolve().parents[1] / "milvus_writer_child.py"
PORTS = """# Shore power in northern ports

## Findings

Shore power lets ships at berth switch off their engines, cutting soot and noise.
"""
FAKE = FakeEmbedder()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with milvus_lite_server(tmp_path_factory.mktemp("milvus") / "data") as uri:
        yield uri


@pytest.fixture
def pair(server: str) -> Iterator[tuple[MilvusLocation, MilvusLocation]]:
    """One collection prefix of the server through two addresses, as two machines see it."""
    prefix = f"lease_{uuid.uuid4().hex[:10]}"
    here = MilvusLocation(server, collection=prefix)
    there = MilvusLocation(server.replace("127.0.0.1", "localhost"), collection=prefix)
    yield here, there
    release(here)
    release(there)


def open_writer(location: MilvusLocation, **options: Any) -> MilvusWriter:
    return MilvusWriter(
        location,
        model_id=FAKE.model_id,
        dim=FAKE.dim,
        precision=FAKE.precision,
        chunker=ChunkerSettings(),
        **options,
    )


def sources(location: MilvusLocation) -> list[str]:
    return sorted(d.source for d in IndexReader(location).documents())


def test_a_second_writer_is_refused_while_the_first_holds_the_lease(
    pair: tuple[MilvusLocation, MilvusLocation],
) -> None:
    here, there = pair
    first = open_writer(here)
    stage_brief(first, "ports.md", PORTS, FAKE)
    with pytest.raises(IndexBusyError) as refused:
        open_writer(there, lock_timeout=0)
    message = str(refused.value)
    assert f"another ingest is writing the collection prefix {here.collection!r}" in message
    assert f"host {socket.gethostname()}, pid {os.getpid()}, since " in message
    assert "try again when it finishes" in message
    assert "If that writer died, its lease expires at " in message
    assert first.commit() == 1
    assert read_lease(shared_collections(here)) is None  # released with the commit

    second = open_writer(there, lock_timeout=0)
    assert sources(there) == ["ports.md"]
    second.abort()
    open_writer(here, lock_timeout=0).abort()  # an abort releases the lease too
    assert read_lease(shared_collections(here)) is None


def test_a_waiting_writer_opens_when_the_holder_finishes(
    pair: tuple[MilvusLocation, MilvusLocation],
) -> None:
    here, there = pair
    first = open_writer(here)
    stage_brief(first, "ports.md", PORTS, FAKE)
    finishing = threading.Timer(1.0, first.commit)
    finishing.start()
    started = time.monotonic()
    second = open_writer(there, lock_timeout=30)
    waited = time.monotonic() - started
    finishing.join()
    assert waited >= 1.0
    stage_brief(second, "ferries.md", PORTS.replace("Shore power", "Ferry subsidies"), FAKE)
    assert second.commit() == 2  # it read the revision the first one published
    assert sources(here) == ["ferries.md", "ports.md"]


def test_renewal_keeps_the_lease_past_its_ttl(
    pair: tuple[MilvusLocation, MilvusLocation],
) -> None:
    here, there = pair
    first = open_writer(here, lease_ttl=0.6)
    time.sleep(1.5)  # more than twice the lease's time to live, with nothing written
    held = read_lease(shared_collections(here))
    assert held is not None and held.expires > time.time()
    with pytest.raises(IndexBusyError):
        open_writer(there, lock_timeout=0)
    stage_brief(first, "ports.md", PORTS, FAKE)
    assert first.commit() == 1
    assert sources(there) == ["ports.md"]


def test_an_expired_lease_is_taken_over_and_the_dead_writers_rows_cleared(
    pair: tuple[MilvusLocation, MilvusLocation], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    here, _ = pair
    ingest_bytes(here, [("ports.md", "ports.md", PORTS.encode())], FAKE)
    died = subprocess.run(
        [sys.executable, str(CHILD), here.uri, here.collection, "crash", "1.5"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (died.returncode, died.stdout) == (1, "ready\n"), died.stderr
    collections = shared_collections(here)
    dead = read_lease(collections)
    assert dead is not None and dead.pid != os.getpid()
    assert collections.query("chunks", "revision > 1", ["id"])  # what it staged is still there

    with caplog.at_level("WARNING", logger="index.milvus_lease"):
        writer = open_writer(here, lock_timeout=20)  # waits for the lease to expire
    assert f"taking over the writer lease of host {dead.host}, pid {dead.pid}" in caplog.text
    assert time.time() >= dead.expires
    taken = read_lease(collections)
    assert taken is not None and taken.pid == os.getpid()
    assert not collections.query("chunks", "revision > 1", ["id"])
    assert not collections.query("documents", "revision > 1", ["doc_id"])
    writer.abort()
    assert sources(here) == ["ports.md"]


def test_a_writer_in_another_process_keeps_this_one_out_until_it_exits(
    pair: tuple[MilvusLocation, MilvusLocation], tmp_path: Path
) -> None:
    here, _ = pair
    with open(tmp_path / "child.log", "w") as log:
        child = subprocess.Popen(
            [sys.executable, str(CHILD), here.uri, here.collection, "hold"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
            with pytest.raises(IndexBusyError) as refused:
                open_writer(here, lock_timeout=0)
            assert f"pid {child.pid}, since" in str(refused.value)
            child.communicate("commit\n", timeout=120)
        finally:
            if child.poll() is None:
                child.kill()
                child.communicate()
    assert child.returncode == 0, (tmp_path / "child.log").read_text()
    writer = open_writer(here, lock_timeout=0)
    assert sources(here) == ["ferries.md"]
    writer.abort()
