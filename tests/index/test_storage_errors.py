"""Writes to folders that refuse them (immutable, read-only, full) raise a StorageError that
says what to fix, leave no staging folder behind, and the last generation stays readable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import FakeEmbedder
from storage_faults import fill, immutable, make_read_only, tmpfs

from index.errors import (
    StorageError,
    StorageFullError,
    StorageNotWritableError,
    StorageReadOnlyError,
)
from index.ingestion import delete_documents, ingest_bytes
from index.reader import IndexReader
from index.storage import storage_problem
from ingest.types import content_id

FIRST = b"# Harbour dues\n\nPort dues rose by a fifth in 2024 while traffic fell.\n"
# Big enough that its generation cannot fit in the space a full disk leaves.
SECOND = b"# Dredging\n\n" + b"Dredging keeps the access channels deep enough for ships. " * 2000


def build(folder: Path) -> Path:
    ingest_bytes(folder, [("dues.md", "dues.md", FIRST)], FakeEmbedder())
    return folder


def assert_unchanged(folder: Path) -> None:
    reader = IndexReader(folder, FakeEmbedder())
    assert reader.generation.name == "gen-000001"
    assert [d.source for d in reader.documents()] == ["dues.md"]
    assert not list(folder.glob(".staging-*"))


def add_second(folder: Path) -> StorageError:
    with pytest.raises(StorageError) as caught:
        ingest_bytes(folder, [("dredging.md", "dredging.md", SECOND)], FakeEmbedder())
    return caught.value


def test_an_immutable_folder_is_not_writable(tmp_path: Path) -> None:
    folder = build(tmp_path / "index")
    with immutable(folder):
        error = add_second(folder)
        assert isinstance(error, StorageNotWritableError)
        assert "write permission" in str(error) and str(folder) in str(error)
        with pytest.raises(StorageNotWritableError):
            delete_documents(folder, [content_id(FIRST)])
        assert_unchanged(folder)


def test_a_read_only_file_system(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "mnt", 4096) as mount:
        folder = build(mount / "index")
        make_read_only(mount)
        error = add_second(folder)
        assert isinstance(error, StorageReadOnlyError) and error.code == "storage_read_only"
        assert "read-only file system" in str(error) and "remount" in str(error)
        assert_unchanged(folder)


def test_a_full_disk(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "mnt", 2048) as mount:
        folder = build(mount / "index")
        fill(mount, 48 * 1024)
        error = add_second(folder)
        assert isinstance(error, StorageFullError) and error.code == "storage_full"
        assert "free disk space" in str(error)
        assert_unchanged(folder)
        (mount / "filler").unlink()  # with space again, the same ingest succeeds
        report = ingest_bytes(folder, [("dredging.md", "dredging.md", SECOND)], FakeEmbedder())
        assert report.generation == 2


def test_a_file_where_the_folder_should_be(tmp_path: Path) -> None:
    (tmp_path / "index").write_text("not a folder")
    with pytest.raises(StorageNotWritableError):
        ingest_bytes(tmp_path / "index" / "inner", [("d.md", "d.md", FIRST)], FakeEmbedder())


def test_other_errors_are_not_passed_off_as_storage_errors(tmp_path: Path) -> None:
    folder = build(tmp_path / "index")
    assert storage_problem(folder, ValueError("a bug")) is None
    assert storage_problem(folder, RuntimeError("faiss: wrong dimension")) is None
    shutil.rmtree(folder)
