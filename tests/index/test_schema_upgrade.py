"""An index written by an older BriefQA (schema 2) opens and searches; its file is not changed."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from helpers import FakeEmbedder

from index.generations import current_generation
from index.ingestion import ingest_bytes
from index.reader import IndexReader
from index.store import DB_NAME
from index.types import SearchMode

BRIEF = b"""# Shore Power for Ships at Berth

Port authorities should publish a common tariff for shore power every year.
"""


def _as_schema_2(db: Path) -> None:
    conn = sqlite3.connect(db)
    for statement in (
        "ALTER TABLE documents DROP COLUMN publisher",
        "ALTER TABLE documents DROP COLUMN publisher_acronym",
        "ALTER TABLE documents DROP COLUMN failed_pages",
        "ALTER TABLE chunks DROP COLUMN role",
        "PRAGMA user_version = 2",
    ):
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_an_older_index_is_upgraded_in_memory_only(tmp_path: Path) -> None:
    ingest_bytes(tmp_path, [("shore.md", "shore.md", BRIEF)], FakeEmbedder())
    _, folder = current_generation(tmp_path)
    db = folder / DB_NAME
    _as_schema_2(db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()

    reader = IndexReader(tmp_path, FakeEmbedder())
    (hit,) = reader.search("shore power tariff", k=1, mode=SearchMode.hybrid)
    assert hit.chunk.role == "body" and hit.document.failed_pages == ()
    assert hit.document.publisher is None
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    finally:
        conn.close()
