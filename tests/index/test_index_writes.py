"""Writing an index: idempotent re-ingest, replacement, deletion, failures that lose nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from helpers import FakeEmbedder, write_files
from pdfs import generated_brief, image_only_pdf, png_bytes, render

from index.errors import DocumentNotFoundError, IndexBusyError, ModelMismatchError
from index.generations import CURRENT_NAME, LOCK_NAME, writer_lock
from index.ingestion import delete_documents, ingest_paths
from index.reader import IndexReader
from index.store import DB_NAME
from index.types import FileStatus, SearchMode
from ingest.chunk import ChunkerSettings
from ingest.parse import ParseLimits

MODES = list(SearchMode)


def _brief(number: int) -> bytes:
    return render(generated_brief(number, sections=2, paragraphs=2))


def _sqlite_count(index_dir: Path, sql: str, *params: object) -> int:
    folder = index_dir / (index_dir / CURRENT_NAME).read_text().strip()
    with sqlite3.connect(f"file:{folder / DB_NAME}?mode=ro", uri=True) as conn:
        return int(conn.execute(sql, params).fetchone()[0])


def _doc_ids_found(reader: IndexReader, query: str) -> dict[str, set[str]]:
    return {
        mode.value: {hit.document.id for hit in reader.search(query, 50, mode)} for mode in MODES
    }


def _assert_consistent(index_dir: Path, embedder: FakeEmbedder) -> IndexReader:
    """SQLite, FAISS, BM25 and the manifest agree on what the index holds."""
    reader = IndexReader(index_dir, embedder)
    chunks = _sqlite_count(index_dir, "SELECT count(*) FROM chunks")
    documents = _sqlite_count(index_dir, "SELECT count(*) FROM documents")
    assert reader.generation.vectors.size == chunks
    assert reader.manifest.chunks == chunks
    assert reader.manifest.documents == documents == len(reader.documents())
    assert sum(d.n_chunks for d in reader.documents()) == chunks
    return reader


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "index"


def test_reingesting_unchanged_files_adds_nothing(folder, tmp_path, fake_embedder) -> None:
    paths = write_files(tmp_path / "in", {"a.pdf": _brief(1), "b.pdf": _brief(2)})
    first = ingest_paths(folder, paths, fake_embedder)
    assert [f.status for f in first.files] == [FileStatus.added, FileStatus.added]
    assert first.generation == 1
    listing = sorted(p.name for p in folder.iterdir())
    manifest = (folder / "gen-000001" / "manifest.json").read_text()

    again = ingest_paths(folder, paths, fake_embedder)
    assert [f.status for f in again.files] == [FileStatus.unchanged, FileStatus.unchanged]
    assert again.generation is None
    assert again.chunks == 0 and again.documents == 0
    assert (folder / CURRENT_NAME).read_text().strip() == "gen-000001"
    assert sorted(p.name for p in folder.iterdir()) == listing
    assert (folder / "gen-000001" / "manifest.json").read_text() == manifest


def test_same_bytes_under_two_names_are_stored_once(folder, tmp_path, fake_embedder) -> None:
    paths = write_files(tmp_path / "in", {"a.pdf": _brief(1), "copy-of-a.pdf": _brief(1)})
    report = ingest_paths(folder, paths, fake_embedder)
    assert [f.status for f in report.files] == [FileStatus.added, FileStatus.unchanged]
    assert "same content" in (report.files[1].reason or "")
    assert len(IndexReader(folder).documents()) == 1


def test_changed_bytes_replace_the_old_version_everywhere(folder, tmp_path, fake_embedder) -> None:
    old, new = _brief(12), _brief(13)  # topics: lighthouses, then icebreakers
    (path,) = write_files(tmp_path / "v1", {"brief.pdf": old})
    other = write_files(tmp_path / "other", {"other.pdf": _brief(5)})
    ingest_paths(folder, [path, *other], fake_embedder)
    reader = IndexReader(folder, fake_embedder)
    old_id = next(d.id for d in reader.documents() if d.source == "brief.pdf")
    assert old_id in _doc_ids_found(reader, "lighthouses")["bm25"]

    path.write_bytes(new)
    report = ingest_paths(folder, [path], fake_embedder)
    assert report.files[0].status is FileStatus.replaced
    assert old_id[:12] in (report.files[0].reason or "")
    new_id = report.files[0].doc_id
    assert new_id != old_id

    reader = _assert_consistent(folder, fake_embedder)
    assert sorted(d.source for d in reader.documents()) == ["brief.pdf", "other.pdf"]
    assert _sqlite_count(folder, "SELECT count(*) FROM chunks WHERE doc_id = ?", old_id) == 0
    assert _sqlite_count(folder, "SELECT count(*) FROM pages WHERE doc_id = ?", old_id) == 0
    with pytest.raises(DocumentNotFoundError):
        reader.document(old_id)
    for query in ("lighthouses", "icebreakers", "rail links to inland terminals"):
        for mode, ids in _doc_ids_found(reader, query).items():
            assert old_id not in ids, (query, mode)
    assert not _doc_ids_found(reader, "lighthouses")["bm25"]
    assert new_id in _doc_ids_found(reader, "icebreakers")["bm25"]


def test_deleted_documents_are_gone_everywhere(folder, tmp_path, fake_embedder) -> None:
    paths = write_files(tmp_path / "in", {f"b{n}.pdf": _brief(n) for n in (12, 13, 14)})
    ingest_paths(folder, paths, fake_embedder)
    reader = IndexReader(folder, fake_embedder)
    victim = next(d for d in reader.documents() if d.source == "b12.pdf")
    assert victim.id in _doc_ids_found(reader, "lighthouses")["hybrid"]

    generation = delete_documents(folder, [victim.id])
    assert generation == 2
    reader = _assert_consistent(folder, fake_embedder)
    assert victim.id not in {d.id for d in reader.documents()}
    assert len(reader.documents()) == 2
    assert not _doc_ids_found(reader, "lighthouses")["bm25"]
    for query in ("lighthouses", "This brief is about", "shore power at container berths"):
        for mode, ids in _doc_ids_found(reader, query).items():
            assert victim.id not in ids, (query, mode)
            assert ids or query == "lighthouses", (query, mode)  # the others are still found
    assert _sqlite_count(folder, "SELECT count(*) FROM chunks WHERE doc_id = ?", victim.id) == 0


def test_deleting_an_unknown_document_changes_nothing(folder, tmp_path, fake_embedder) -> None:
    ingest_paths(folder, write_files(tmp_path / "in", {"a.pdf": _brief(1)}), fake_embedder)
    with pytest.raises(DocumentNotFoundError):
        delete_documents(folder, ["0" * 64])
    assert (folder / CURRENT_NAME).read_text().strip() == "gen-000001"
    assert not list(folder.glob(".staging-*"))


def test_a_readers_generation_is_not_changed_by_a_later_write(
    folder, tmp_path, fake_embedder
) -> None:
    ingest_paths(folder, write_files(tmp_path / "a", {"a.pdf": _brief(1)}), fake_embedder)
    reader = IndexReader(folder, fake_embedder)
    before = [h.chunk.id for h in reader.search("rail links", 5, SearchMode.hybrid)]
    ingest_paths(folder, write_files(tmp_path / "b", {"b.pdf": _brief(2)}), fake_embedder)
    assert [h.chunk.id for h in reader.search("rail links", 5, SearchMode.hybrid)] == before
    assert reader.refresh() is True
    assert len(reader.documents()) == 2
    assert reader.refresh() is False


def test_bad_files_fail_alone_and_nothing_indexed_is_lost(folder, tmp_path, fake_embedder) -> None:
    first = ingest_paths(
        folder, write_files(tmp_path / "a", {"kept.pdf": _brief(1)}), fake_embedder
    )
    kept_id = first.files[0].doc_id
    good = _brief(2)
    files = {
        "corrupt.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 20,
        "truncated.pdf": good[: len(good) // 2],
        "locked.pdf": render(generated_brief(3), user_password="secret"),
        "no-print.pdf": render(generated_brief(4), user_password=""),
        "scan.pdf": image_only_pdf(),
        "photo.pdf": png_bytes(),
        "pdf-in-disguise.txt": _brief(6),
        "empty.pdf": b"",
        "huge.pdf": _brief(7) + b"\n%" + b"x" * 400_000,
        "long.pdf": render(generated_brief(8, sections=9, paragraphs=6)),
        "mojibake.txt": ("Ã©tÃ© â€œpolicyâ€ Ã¨ Ã  lâ€™Ã©conomie " * 40).encode(),
        "good.pdf": good,
    }
    paths = write_files(tmp_path / "batch", files)
    missing = tmp_path / "batch" / "missing.pdf"
    report = ingest_paths(
        folder,
        [*paths, missing],
        fake_embedder,
        limits=ParseLimits(max_bytes=300_000, max_pages=3),
    )
    outcome = {Path(f.path).name: f for f in report.files}
    codes = {name: (o.status.value, o.error_code) for name, o in outcome.items()}
    assert codes == {
        "corrupt.pdf": ("failed", "corrupt"),
        "truncated.pdf": ("failed", "corrupt"),
        "locked.pdf": ("failed", "encrypted"),
        "no-print.pdf": ("added", None),
        "scan.pdf": ("failed", "no_text"),
        "photo.pdf": ("failed", "unsupported_type"),
        "pdf-in-disguise.txt": ("failed", "unsupported_type"),
        "empty.pdf": ("failed", "empty_file"),
        "huge.pdf": ("failed", "too_large"),
        "long.pdf": ("failed", "too_large"),
        "mojibake.txt": ("failed", "garbled_text"),
        "good.pdf": ("added", None),
        "missing.pdf": ("failed", "unreadable"),
    }
    for o in report.files:
        if o.status is FileStatus.failed:
            assert o.reason and len(o.reason) > 10
    assert report.failed
    assert report.generation == 2
    reader = _assert_consistent(folder, fake_embedder)
    assert {d.source for d in reader.documents()} == {"kept.pdf", "no-print.pdf", "good.pdf"}
    assert reader.document(kept_id).n_chunks == first.files[0].chunks


def test_a_batch_where_every_file_fails_publishes_nothing(folder, tmp_path, fake_embedder) -> None:
    ingest_paths(folder, write_files(tmp_path / "a", {"kept.pdf": _brief(1)}), fake_embedder)
    paths = write_files(tmp_path / "b", {"x.pdf": b"", "y.pdf": png_bytes()})
    report = ingest_paths(folder, paths, fake_embedder)
    assert report.generation is None
    assert report.count(FileStatus.failed) == 2
    assert (folder / CURRENT_NAME).read_text().strip() == "gen-000001"
    assert len(IndexReader(folder).documents()) == 1


def test_folders_are_expanded_and_hidden_files_skipped(folder, tmp_path, fake_embedder) -> None:
    source = tmp_path / "briefs"
    write_files(source / "2024", {"a.pdf": _brief(1), "notes.md": b"# Notes\n\nPort notes.\n"})
    write_files(source / ".cache", {"hidden.pdf": _brief(2)})
    write_files(source, {"picture.png": png_bytes(), "c.txt": b"Ports move goods. " * 20})
    report = ingest_paths(folder, [source], fake_embedder)
    assert sorted(Path(f.path).name for f in report.files) == ["a.pdf", "c.txt", "notes.md"]


def test_model_mismatch_is_refused_with_a_clear_message(folder, tmp_path) -> None:
    built_with = FakeEmbedder(model_id="test/model-a")
    ingest_paths(folder, write_files(tmp_path / "a", {"a.pdf": _brief(1)}), built_with)
    other_model = FakeEmbedder(model_id="test/model-b")
    other_precision = FakeEmbedder(model_id="test/model-a", precision="bf16")
    paths = write_files(tmp_path / "b", {"b.pdf": _brief(2)})

    with pytest.raises(ModelMismatchError) as caught:
        ingest_paths(folder, paths, other_model)
    message = str(caught.value)
    assert "test/model-a" in message and "test/model-b" in message
    assert "BRIEFQA_EMBEDDING__MODEL" in message

    with pytest.raises(ModelMismatchError) as caught:
        ingest_paths(folder, paths, other_precision)
    assert "fp32" in str(caught.value) and "bf16" in str(caught.value)

    with pytest.raises(ModelMismatchError):
        IndexReader(folder, other_model)
    assert (folder / CURRENT_NAME).read_text().strip() == "gen-000001"
    assert not list(folder.glob(".staging-*"))
    IndexReader(folder, built_with)  # the right model still opens it


def test_real_model_on_an_index_built_with_another(folder, tmp_path, embedder) -> None:
    ingest_paths(folder, write_files(tmp_path / "a", {"a.pdf": _brief(1)}), FakeEmbedder())
    with pytest.raises(ModelMismatchError) as caught:
        IndexReader(folder, embedder)
    assert embedder.model_id in str(caught.value)
    manifest = json.loads((folder / "gen-000001" / "manifest.json").read_text())
    assert manifest["model_id"] == "test/hashed-words"


def test_chunks_larger_than_the_model_reads_are_refused(folder, tmp_path, fake_embedder) -> None:
    paths = write_files(tmp_path / "a", {"a.pdf": _brief(1)})
    with pytest.raises(ValueError, match="exceeds"):
        ingest_paths(folder, paths, fake_embedder, chunker=ChunkerSettings(max_tokens=300))
    assert not folder.exists() or not (folder / CURRENT_NAME).exists()


def test_a_generation_renamed_but_never_published_does_not_block_writes(
    folder, tmp_path, fake_embedder
) -> None:
    """A writer killed between renaming its staging folder and switching CURRENT."""
    ingest_paths(folder, write_files(tmp_path / "a", {"a.pdf": _brief(1)}), fake_embedder)
    orphan = folder / "gen-000002"
    orphan.mkdir()
    (orphan / "manifest.json").write_text("{half written")
    (folder / ".staging-gen-000009").mkdir()
    report = ingest_paths(folder, write_files(tmp_path / "b", {"b.pdf": _brief(2)}), fake_embedder)
    assert report.generation == 2
    _assert_consistent(folder, fake_embedder)
    assert not list(folder.glob(".staging-*"))


def test_one_writer_at_a_time(folder, tmp_path, fake_embedder) -> None:
    ingest_paths(folder, write_files(tmp_path / "a", {"a.pdf": _brief(1)}), fake_embedder)
    held = writer_lock(folder, timeout=1)
    try:
        with pytest.raises(IndexBusyError):
            writer_lock(folder, timeout=0.2)
    finally:
        held.release()
    writer_lock(folder, timeout=0.2).release()
    assert (folder / LOCK_NAME).exists()
