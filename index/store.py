"""Documents, pages and chunks in SQLite (the only module that imports sqlite3)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ingest.context import indexed_text
from ingest.types import Chunk, Document, PageFailure, Statement

from .errors import IndexFormatError
from .generations import current_generation
from .manifest import now_iso
from .types import MIN_ID_PREFIX, DocumentInfo, SearchFilters

DB_NAME = "briefqa.sqlite"

# Numbered migrations: index i moves the schema from user_version i to i + 1.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY, source TEXT NOT NULL, title TEXT NOT NULL, series TEXT,
        number TEXT, date TEXT, authors TEXT NOT NULL DEFAULT '[]', url TEXT,
        kind TEXT NOT NULL, n_pages INTEGER NOT NULL, n_chunks INTEGER NOT NULL,
        sections TEXT NOT NULL DEFAULT '[]', added_at TEXT NOT NULL
    );
    CREATE INDEX documents_source ON documents(source);
    CREATE TABLE pages (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        page INTEGER NOT NULL, char_start INTEGER NOT NULL, text TEXT NOT NULL,
        PRIMARY KEY (doc_id, page)
    );
    CREATE TABLE chunks (
        row INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL, text TEXT NOT NULL, page_start INTEGER NOT NULL,
        page_end INTEGER NOT NULL, section TEXT, char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL
    );
    CREATE INDEX chunks_doc ON chunks(doc_id);
    """,
    # A brief's recommendations, positions and findings, with their vectors (float32 bytes):
    # a few dozen per brief, so they load into memory whole for answering.
    """
    CREATE TABLE statements (
        id TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
        page_start INTEGER NOT NULL, page_end INTEGER NOT NULL, section TEXT,
        char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
        actor TEXT, addressee TEXT, label TEXT, vector BLOB NOT NULL
    );
    CREATE INDEX statements_doc ON statements(doc_id);
    """,
    # Pages that could not be read (JSON [[page, reason], ...]); what each chunk's text is
    # (body, footnote, references, contents).
    """
    ALTER TABLE documents ADD COLUMN failed_pages TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE chunks ADD COLUMN role TEXT NOT NULL DEFAULT 'body';
    """,
    # The organisation that published a brief, and its acronym as the brief uses it.
    """
    ALTER TABLE documents ADD COLUMN publisher TEXT;
    ALTER TABLE documents ADD COLUMN publisher_acronym TEXT;
    """,
)

_DOC_COLUMNS = (
    "id, source, title, series, number, date, authors, url, kind, n_pages, n_chunks, added_at, "
    "failed_pages, publisher, publisher_acronym"
)
_MARKS_16 = ",".join("?" * 16)
_CHUNK_COLUMNS = (
    "id, doc_id, ordinal, text, page_start, page_end, section, char_start, char_end, role"
)
_STATEMENT_COLUMNS = (
    "id, doc_id, ordinal, kind, text, page_start, page_end, section, char_start, char_end, "
    "actor, addressee, label"
)
# Typed ids match as literal prefixes (MIN_ID_PREFIX characters or more); comparing with substr,
# not LIKE, keeps "_" and "%" from acting as wildcards.


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise IndexFormatError(f"{path} has schema version {version}, newer than this BriefQA")
    for number in range(version, len(MIGRATIONS)):
        conn.executescript(
            f"BEGIN; {MIGRATIONS[number]}; PRAGMA user_version = {number + 1}; COMMIT;"
        )


class Store:
    """One SQLite file of a generation. Writable while a generation is built, then read-only."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()  # one connection shared by a server's worker threads

    @classmethod
    def create_or_migrate(cls, path: Path) -> Store:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        # Generation files are built by one writer then frozen: no WAL files to carry around.
        conn.execute("PRAGMA journal_mode = DELETE")
        _migrate(conn, path)
        return cls(conn)

    @classmethod
    def open_readonly(cls, path: Path) -> Store:
        if not path.exists():
            raise IndexFormatError(f"{path} is missing")
        conn = sqlite3.connect(
            f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version < len(MIGRATIONS):
            # A generation written by an older BriefQA is never changed on disk: it is upgraded
            # in a copy in memory (the next ingest writes the new schema).
            memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            conn.backup(memory)
            conn.close()
            conn = memory
        _migrate(conn, path)
        return cls(conn)

    @staticmethod
    def copy(source: Path, target: Path) -> None:
        """A consistent copy through SQLite's backup API."""
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        src.close()
        dst.close()

    def close(self) -> None:
        self._conn.close()

    # -- writes (generation builder only) --------------------------------------------------------
    def insert_document(
        self,
        doc: Document,
        chunks: Sequence[Chunk],
        statements: Sequence[Statement] = (),
        statement_vectors: npt.NDArray[np.float32] | None = None,
    ) -> list[int]:
        """Insert a document with its pages, chunks and statements in one transaction; return
        the chunk rows."""
        c = self._conn
        c.execute("BEGIN")
        try:
            c.execute(
                f"INSERT INTO documents ({_DOC_COLUMNS}, sections) VALUES ({_MARKS_16})",
                (
                    doc.id,
                    doc.source,
                    doc.title,
                    doc.series,
                    doc.number,
                    doc.date,
                    json.dumps(list(doc.authors)),
                    doc.url,
                    doc.kind,
                    len(doc.pages),
                    len(chunks),
                    now_iso(),
                    json.dumps([[f.page, f.reason] for f in doc.failed_pages]),
                    doc.publisher,
                    doc.publisher_acronym,
                    json.dumps([[s.heading, s.start] for s in doc.sections]),
                ),
            )
            c.executemany(
                "INSERT INTO pages (doc_id, page, char_start, text) VALUES (?,?,?,?)",
                [(doc.id, i + 1, doc.page_offsets[i], text) for i, text in enumerate(doc.pages)],
            )
            rows = []
            for ch in chunks:
                cur = c.execute(
                    f"INSERT INTO chunks ({_CHUNK_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        ch.id,
                        ch.doc_id,
                        ch.ordinal,
                        ch.text,
                        ch.page_start,
                        ch.page_end,
                        ch.section,
                        ch.char_start,
                        ch.char_end,
                        ch.role,
                    ),
                )
                rows.append(int(cur.lastrowid or 0))
            if statements:
                if statement_vectors is None or len(statement_vectors) != len(statements):
                    raise ValueError("every statement needs its vector")
                c.executemany(
                    f"INSERT INTO statements ({_STATEMENT_COLUMNS}, vector) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        (
                            st.id,
                            st.doc_id,
                            st.ordinal,
                            st.kind,
                            st.text,
                            st.page_start,
                            st.page_end,
                            st.section,
                            st.char_start,
                            st.char_end,
                            st.actor,
                            st.addressee,
                            st.label,
                            np.ascontiguousarray(vector, dtype=np.float32).tobytes(),
                        )
                        for st, vector in zip(statements, statement_vectors, strict=True)
                    ],
                )
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        return rows

    def delete_document(self, doc_id: str) -> list[int]:
        """Delete a document everywhere in SQLite; return the chunk rows it had."""
        rows = [
            r for (r,) in self._conn.execute("SELECT row FROM chunks WHERE doc_id = ?", (doc_id,))
        ]
        self._conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        return rows

    # -- reads ------------------------------------------------------------------------------------
    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return list(self._conn.execute(sql, params))

    def document(self, doc_id: str) -> DocumentInfo | None:
        rows = self._query(f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = ?", (doc_id,))
        return _document(rows[0]) if rows else None

    def document_by_source(self, source: str) -> DocumentInfo | None:
        rows = self._query(f"SELECT {_DOC_COLUMNS} FROM documents WHERE source = ?", (source,))
        return _document(rows[0]) if rows else None

    def documents(self) -> list[DocumentInfo]:
        rows = self._query(
            f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY date IS NULL, date, source"
        )
        return [_document(r) for r in rows]

    def find_documents(self, prefix: str) -> list[DocumentInfo]:
        """Documents whose id starts with `prefix` (users type the short form, in any case)."""
        rows = self._query(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE substr(id, 1, ?) = ?",
            (len(prefix), prefix.lower()),
        )
        return [_document(r) for r in rows]

    def pages(self, doc_id: str) -> list[str]:
        return [
            str(t)
            for (t,) in self._query(
                "SELECT text FROM pages WHERE doc_id = ? ORDER BY page", (doc_id,)
            )
        ]

    def sections(self, doc_id: str) -> list[tuple[str, int]]:
        rows = self._query("SELECT sections FROM documents WHERE id = ?", (doc_id,))
        return [(str(h), int(s)) for h, s in json.loads(str(rows[0][0]))] if rows else []

    def chunks_by_rows(self, rows: Sequence[int]) -> dict[int, tuple[Chunk, DocumentInfo]]:
        if not rows:
            return {}
        marks = ",".join("?" * len(rows))
        sql = (
            f"SELECT c.row, {', '.join('c.' + c for c in _CHUNK_COLUMNS.split(', '))}, "
            f"{', '.join('d.' + c for c in _DOC_COLUMNS.split(', '))} "
            f"FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.row IN ({marks})"
        )
        found = {}
        for r in self._query(sql, list(rows)):
            chunk = Chunk(
                id=str(r[1]),
                doc_id=str(r[2]),
                ordinal=int(r[3]),
                text=str(r[4]),
                page_start=int(r[5]),
                page_end=int(r[6]),
                section=r[7],
                char_start=int(r[8]),
                char_end=int(r[9]),
                role=str(r[10]),
            )
            found[int(r[0])] = (chunk, _document(r[11:]))
        return found

    def rows_with_roles(self, roles: Sequence[str]) -> frozenset[int]:
        """Rows of the chunks whose role is one of `roles`."""
        marks = ",".join("?" * len(roles))
        rows = self._query(f"SELECT row FROM chunks WHERE role IN ({marks})", list(roles))
        return frozenset(int(r) for (r,) in rows)

    def chunk_texts(self) -> Iterator[tuple[int, str]]:
        """Every chunk's row and indexed text (its text led by the brief's title and the
        section), in row order: what the keyword index holds and what was embedded."""
        sql = (
            "SELECT c.row, d.title, c.section, c.text FROM chunks c "
            "JOIN documents d ON d.id = c.doc_id ORDER BY c.row"
        )
        for row, title, section, text in self._query(sql):
            yield int(row), indexed_text(str(title), section, str(text))

    def allowed_rows(self, filters: SearchFilters) -> list[int]:
        where: list[str] = []
        params: list[object] = []
        if filters.doc_ids:
            typed = [d.lower() for d in filters.doc_ids if len(d) >= MIN_ID_PREFIX]
            matches = " OR ".join(["substr(d.id, 1, ?) = ?"] * len(typed)) or "0"
            where.append(f"({matches})")
            for prefix in typed:
                params.extend([len(prefix), prefix])
        if filters.series:
            where.append("lower(d.series) = lower(?)")
            params.append(filters.series)
        if filters.date_from:
            where.append("d.date >= ?")
            params.append(filters.date_from)
        if filters.date_to:
            where.append("d.date <= ?")
            params.append(filters.date_to)
        sql = "SELECT c.row FROM chunks c JOIN documents d ON d.id = c.doc_id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [int(r) for (r,) in self._query(sql, params)]

    def statements(self) -> list[tuple[Statement, npt.NDArray[np.float32]]]:
        """Every statement with its vector, by document and in each brief's order."""
        rows = self._query(
            f"SELECT {_STATEMENT_COLUMNS}, vector FROM statements ORDER BY doc_id, ordinal"
        )
        return [
            (
                Statement(
                    id=str(r[0]),
                    doc_id=str(r[1]),
                    ordinal=int(r[2]),
                    kind=str(r[3]),
                    text=str(r[4]),
                    page_start=int(r[5]),
                    page_end=int(r[6]),
                    section=r[7],
                    char_start=int(r[8]),
                    char_end=int(r[9]),
                    actor=r[10],
                    addressee=r[11],
                    label=r[12],
                ),
                np.frombuffer(r[13], dtype=np.float32),
            )
            for r in rows
        ]

    def counts(self) -> tuple[int, int]:
        docs = self._query("SELECT count(*) FROM documents")[0][0]
        chunks = self._query("SELECT count(*) FROM chunks")[0][0]
        return int(docs), int(chunks)


def published_chunk_texts(index_dir: Path) -> list[str]:
    """The indexed text of every chunk of the index's published generation, in row order
    (benchmarks encode the same texts again with the bare library)."""
    _, folder = current_generation(index_dir)
    store = Store.open_readonly(folder / DB_NAME)
    try:
        return [text for _, text in store.chunk_texts()]
    finally:
        store.close()


def _document(r: Sequence[Any]) -> DocumentInfo:
    return DocumentInfo(
        id=str(r[0]),
        source=str(r[1]),
        title=str(r[2]),
        series=r[3],
        number=r[4],
        date=r[5],
        authors=tuple(json.loads(str(r[6]))),
        url=r[7],
        kind=str(r[8]),
        n_pages=int(r[9]),
        n_chunks=int(r[10]),
        added_at=str(r[11]),
        failed_pages=tuple(PageFailure(int(p), str(why)) for p, why in json.loads(str(r[12]))),
        publisher=r[13],
        publisher_acronym=r[14],
    )
