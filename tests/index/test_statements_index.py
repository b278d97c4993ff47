"""Statements are stored with their brief: embedded once, searchable, replaced, removed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from helpers import write_files

from index.ingestion import delete_documents, ingest_paths
from index.reader import IndexReader
from index.types import FileStatus

PORTS = """\
# Recommendations

- The Commission should publish a common tariff for shore power every year.
- Member states should fund grid connections at berths.

# Analysis

Beijing argues that its ports are commercial ventures.
"""
RAIL = """\
# Policy recommendations

- Governments should electrify the rail links to inland terminals.
"""


def _ingest(index_dir: Path, folder: Path, files: dict[str, str], embedder) -> None:
    paths = write_files(folder, {name: text.encode() for name, text in files.items()})
    report = ingest_paths(index_dir, paths, embedder)
    assert not report.failed, report.files


def test_statements_are_stored_with_vectors_and_counted(tmp_path, fake_embedder) -> None:
    index_dir = tmp_path / "index"
    _ingest(index_dir, tmp_path / "in", {"ports.md": PORTS, "rail.md": RAIL}, fake_embedder)
    reader = IndexReader(index_dir, fake_embedder)
    ports = next(d for d in reader.documents() if d.source == "ports.md")
    listed = reader.statements.of_documents({ports.id})
    assert [(h.statement.kind, h.statement.actor) for h in listed] == [
        ("recommendation", "the authors"),
        ("recommendation", "the authors"),
        ("position", "Beijing"),
    ]
    # Each statement was embedded once at ingest with the index's model: its stored vector is
    # the model's vector of its words.
    query = fake_embedder.embed_query("grid connections at berths")
    best = reader.statements.search(query, 1)[0]
    assert best.statement.text.startswith("Member states should fund grid connections")
    expected = fake_embedder.embed_documents([best.statement.text])[0]
    assert np.isclose(best.score, float(expected @ query), atol=1e-5)


def test_statement_search_keeps_to_kinds_and_briefs(tmp_path, fake_embedder) -> None:
    index_dir = tmp_path / "index"
    _ingest(index_dir, tmp_path / "in", {"ports.md": PORTS, "rail.md": RAIL}, fake_embedder)
    reader = IndexReader(index_dir, fake_embedder)
    rail = next(d for d in reader.documents() if d.source == "rail.md")
    query = fake_embedder.embed_query("ports commercial ventures")
    positions = reader.statements.search(query, 10, kinds=("position",))
    assert [h.statement.actor for h in positions] == ["Beijing"]
    only_rail = reader.statements.search(query, 10, doc_ids={rail.id})
    assert only_rail and {h.document.id for h in only_rail} == {rail.id}


def test_statements_are_replaced_on_reingest_and_removed_with_the_brief(
    tmp_path, fake_embedder
) -> None:
    index_dir = tmp_path / "index"
    _ingest(index_dir, tmp_path / "v1", {"ports.md": PORTS}, fake_embedder)
    changed = PORTS.replace("every year", "every quarter")
    paths = write_files(tmp_path / "v2", {"ports.md": changed.encode()})
    report = ingest_paths(index_dir, paths, fake_embedder)
    assert report.files[0].status is FileStatus.replaced
    reader = IndexReader(index_dir, fake_embedder)
    (document,) = reader.documents()
    texts = [h.statement.text for h in reader.statements.of_documents({document.id})]
    assert any("every quarter" in t for t in texts)
    assert not any("every year" in t for t in texts)
    assert len(reader.statements) == len(texts) == 3

    delete_documents(index_dir, [document.id])
    reader.refresh()
    assert len(reader.statements) == 0
