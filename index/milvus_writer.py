"""Write a Milvus store: stage rows under the next revision, publish by writing the meta row.

Rows are written with the revision they belong to; readers only look at rows of revisions up to
the published one, so staged rows stay invisible. A document is removed by marking its row with
the revision that retires it; after the meta row names the new revision, the retired documents'
rows are purged. An interrupted writer is rolled back (staged rows) or forward (purges) by the
next one. One writer per store: a lock in this process and, on a server, a lease against
other processes (index.milvus_lease). See docs/decisions/0004-milvus-store.md for what holds
and what does not.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict
from types import TracebackType

import numpy as np
import numpy.typing as npt

from ingest.chunk import ChunkerSettings
from ingest.context import indexed_text
from ingest.types import Chunk, Document, Statement

from .bm25 import keyword_terms
from .errors import DocumentNotFoundError, IndexBusyError, StoreUnavailableError
from .location import MilvusLocation
from .manifest import Manifest, now_iso
from .milvus_lease import DEFAULT_TTL, SERVER_SETTLE, WriterLease
from .milvus_rows import (
    chunk_rows,
    document_info,
    document_row,
    in_list,
    info_of,
    live_documents,
    page_rows,
    statement_rows,
)
from .milvus_schema import CHUNKS, DOCUMENTS, DUMMY_VECTOR, META, PAGES, STATEMENTS
from .milvus_state import META_KEY, read_meta
from .milvus_store import shared_collections
from .types import DocumentInfo

_log = logging.getLogger(__name__)
_ROW_KINDS = (CHUNKS, PAGES, STATEMENTS)
_PURGE_BATCH = 256  # document ids per delete expression
# One writer per store in this process; across processes the lease (index.milvus_lease).
_writer_locks: dict[tuple[str, str], threading.Lock] = {}
_writer_locks_guard = threading.Lock()


def _writer_lock(location: MilvusLocation) -> threading.Lock:
    with _writer_locks_guard:
        return _writer_locks.setdefault((location.uri, location.collection), threading.Lock())


class MilvusWriter:
    """The StoreWriter of a Milvus store; nothing it stages is visible before `commit()`."""

    def __init__(
        self,
        location: MilvusLocation,
        *,
        model_id: str,
        dim: int,
        precision: str,
        chunker: ChunkerSettings,
        lock_timeout: float = 30.0,
        lease_ttl: float = DEFAULT_TTL,
        lease_settle: float = SERVER_SETTLE,
    ) -> None:
        """`lock_timeout`: seconds to wait for another writer (in this process or, through the
        lease on a Milvus server, any other) before IndexBusyError. `lease_ttl`: how long the
        lease lasts unrenewed, so how long a crashed writer keeps others out. `lease_settle`:
        seconds between writing the lease and reading it back (see index.milvus_lease)."""
        self.location = location
        started = time.monotonic()
        self._lock = _writer_lock(location)
        if not self._lock.acquire(timeout=lock_timeout):
            raise IndexBusyError(
                f"another writer is changing {location}; try again when it finishes"
            )
        self._closed = False
        try:
            self._collections = shared_collections(location)
        except BaseException:
            self._closed = True
            self._lock.release()
            raise
        self._lease = WriterLease(self._collections, ttl=lease_ttl, settle=lease_settle)
        try:
            self._open(
                model_id, dim, precision, chunker, lock_timeout - (time.monotonic() - started)
            )
        except BaseException:
            self._closed = True
            self._finish()
            raise

    def _open(
        self, model_id: str, dim: int, precision: str, chunker: ChunkerSettings, wait: float
    ) -> None:
        meta = read_meta(self._collections)
        if meta is not None:
            meta.manifest.check_embedder(model_id, precision)
        self._collections.create(dim)
        self._lease.acquire(timeout=wait)
        # Read again under the lease: the writer it waited for may have published.
        meta = read_meta(self._collections)
        if meta is not None:
            meta.manifest.check_embedder(model_id, precision)
        published = meta.revision if meta else 0
        self._next_row = meta.next_row if meta else 1
        self._revision = published + 1
        self._manifest = Manifest(
            model_id=model_id,
            dim=dim,
            precision=precision,
            chunker=asdict(chunker),
            created_at=meta.manifest.created_at if meta else now_iso(),
        )
        self._recover(published)
        rows = self._collections.query_all(DOCUMENTS, live_documents(published), ["info"])
        self._live = {d.id: d for d in (info_of(r) for r in rows)}
        self._live_sources = {d.source: d.id for d in self._live.values()}
        self._added_sources: dict[str, str] = {}
        self._added: dict[str, DocumentInfo] = {}
        self._retired: dict[str, DocumentInfo] = {}
        self.changed = False

    def _finish(self) -> None:
        """Give up the lease, then the lock of this process."""
        try:
            self._lease.release()
        finally:
            self._lock.release()

    def _recover(self, published: int) -> None:
        """Finish the purge of an interrupted commit, drop what an interrupted writer staged."""
        c = self._collections
        done = c.query_all(DOCUMENTS, f"retired > 0 and retired <= {published}", ["doc_id"])
        self._purge([str(r["doc_id"]) for r in done])
        for kind in (*_ROW_KINDS, DOCUMENTS):
            c.delete(kind, f"revision > {published}")
        pending = c.query_all(DOCUMENTS, f"retired > {published}", ["info", "revision"])
        c.upsert(DOCUMENTS, [document_row(info_of(r), int(r["revision"]), 0) for r in pending])

    def _purge(self, doc_ids: Sequence[str]) -> None:
        ids = list(doc_ids)
        for start in range(0, len(ids), _PURGE_BATCH):
            expression = in_list("doc_id", ids[start : start + _PURGE_BATCH])
            for kind in (*_ROW_KINDS, DOCUMENTS):
                self._collections.delete(kind, expression)

    # -- queries the ingest loop needs ------------------------------------------------------------
    def contains(self, doc_id: str) -> bool:
        return doc_id in self._added or (doc_id in self._live and doc_id not in self._retired)

    def document_with_source(self, source: str) -> DocumentInfo | None:
        for doc_id in (self._added_sources.get(source), self._live_sources.get(source)):
            if doc_id is not None and self.contains(doc_id):
                return self._added.get(doc_id) or self._live[doc_id]
        return None

    # -- changes ----------------------------------------------------------------------------------
    def add(
        self,
        doc: Document,
        chunks: list[Chunk],
        vectors: npt.NDArray[np.float32],
        statements: Sequence[Statement] = (),
        statement_vectors: npt.NDArray[np.float32] | None = None,
    ) -> DocumentInfo | None:
        """Stage a document with its pages, chunks and statements; one with the same source is
        replaced. Returns the replaced one."""
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk")
        self._lease.ensure()
        old = self.document_with_source(doc.source)
        if old:
            self.delete(old.id)
        terms = keyword_terms([indexed_text(doc.title, c.section, c.text) for c in chunks])
        rows = list(range(self._next_row, self._next_row + len(chunks)))
        self._next_row += len(chunks)
        w = self._revision
        statement_part = statement_rows(self._next_row, statements, statement_vectors, w)
        self._next_row += len(statement_part)
        page_part = page_rows(self._next_row, doc, w)
        self._next_row += len(page_part)
        c = self._collections
        c.insert(CHUNKS, chunk_rows(rows, chunks, terms, vectors, doc, w))
        c.insert(STATEMENTS, statement_part)
        c.insert(PAGES, page_part)
        info = document_info(doc, len(chunks), now_iso())
        c.insert(DOCUMENTS, [document_row(info, w, 0)])
        self._added[doc.id] = info
        self._added_sources[doc.source] = doc.id
        self.changed = True
        return old

    def delete(self, doc_id: str) -> None:
        if not self.contains(doc_id):
            raise DocumentNotFoundError(f"no document with id {doc_id!r} in this index")
        self._lease.ensure()
        if doc_id in self._added:
            del self._added[doc_id]
            self._purge([doc_id])
        else:
            info = self._live[doc_id]
            self._collections.upsert(DOCUMENTS, [document_row(info, 0, self._revision)])
            self._retired[doc_id] = info
        self.changed = True

    # -- finish -----------------------------------------------------------------------------------
    def commit(self) -> int | None:
        """Publish the staged revision (one write of the meta row), then purge what it retired;
        returns the revision (None when nothing changed)."""
        if not self.changed:
            self.abort()
            return None
        try:
            kept = [d for i, d in self._live.items() if i not in self._retired]
            documents = [*kept, *self._added.values()]
            manifest = Manifest(
                **{
                    **asdict(self._manifest),
                    "generation": self._revision,
                    "documents": len(documents),
                    "chunks": sum(d.n_chunks for d in documents),
                }
            )
            meta = {
                "key": META_KEY,
                "revision": self._revision,
                "next_row": self._next_row,
                "manifest": json.dumps(asdict(manifest)),
                "vector": DUMMY_VECTOR,
            }
            for kind in (*_ROW_KINDS, DOCUMENTS):
                self._collections.seal(kind)
            # Still ours just before publishing (a paused writer may have lost it).
            self._lease.renew()
            self._collections.upsert(META, [meta])
        except BaseException:
            self.abort()
            raise
        self._closed = True
        try:
            self._purge(list(self._retired))
        except StoreUnavailableError as exc:
            # Published already: the retired rows are filtered out of every result, and the
            # next writer finishes the purge.
            _log.warning(
                "revision %d is published; its purge did not finish: %s", self._revision, exc
            )
        finally:
            self._finish()
        return self._revision

    def abort(self) -> None:
        """Drop the staged rows and un-retire the documents marked for removal."""
        if self._closed:
            return
        self._closed = True
        try:
            # A writer that lost its lease leaves the rows to the one that took it over.
            if not self._lease.lost:
                self._recover(self._revision - 1)
        finally:
            self._finish()

    def __enter__(self) -> MilvusWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.abort()
