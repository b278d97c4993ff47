"""Build the next index generation from the current one; nothing is visible until commit()."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from types import TracebackType

import numpy as np
import numpy.typing as npt

from ingest.chunk import ChunkerSettings
from ingest.types import Chunk, Document, Statement

from .bm25 import KeywordIndex
from .errors import DocumentNotFoundError, IndexFormatError, IndexNotFoundError
from .generations import current_generation, publish, staging_folder, writer_lock
from .manifest import Manifest, now_iso, read_manifest, write_manifest
from .storage import storage_guard
from .store import DB_NAME, Store
from .types import DocumentInfo
from .vectors import VECTOR_INDEXES, VectorIndex


class IndexWriter:
    """One writer at a time (a file lock); readers keep the published generation meanwhile.

    Use as a context manager: leaving the block without `commit()` (an error, Ctrl-C) discards
    the staged generation, and a killed process leaves only a staging folder the next writer
    removes. A folder that cannot be written (read-only, no permission, full) raises a
    StorageError saying what to fix, and the published generation stays as it was.
    """

    def __init__(
        self,
        index_dir: Path,
        *,
        model_id: str,
        dim: int,
        precision: str,
        chunker: ChunkerSettings,
        lock_timeout: float = 30.0,
        vector_index: str | None = None,
    ) -> None:
        self.index_dir = index_dir
        with storage_guard(index_dir):
            self._lock = writer_lock(index_dir, lock_timeout)
        try:
            with storage_guard(index_dir):
                self._open(model_id, dim, precision, chunker, vector_index)
        except BaseException:
            # A half-made staging folder goes at once: on a full disk it holds the space.
            staging: Path | None = getattr(self, "_staging", None)
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            self._lock.release()
            raise

    def _open(
        self,
        model_id: str,
        dim: int,
        precision: str,
        chunker: ChunkerSettings,
        vector_index: str | None,
    ) -> None:
        try:
            number, folder = current_generation(self.index_dir)
        except IndexNotFoundError:
            number, folder = 0, None
        previous = read_manifest(folder) if folder else None
        if previous:
            previous.check_embedder(model_id, precision)
        # None keeps the index's vector index; a new one starts flat (exact).
        kind = vector_index or (previous.vector_index if previous else "flat")
        if kind not in VECTOR_INDEXES:
            raise ValueError(
                f"vector index must be one of {', '.join(VECTOR_INDEXES)}, not {kind!r}"
            )
        self._manifest = Manifest(
            model_id=model_id,
            dim=dim,
            precision=precision,
            chunker=asdict(chunker),
            vector_index=kind,
            created_at=previous.created_at if previous else now_iso(),
        )
        self._number = number + 1
        self._staging = staging_folder(self.index_dir, self._number)
        if folder:
            Store.copy(folder / DB_NAME, self._staging / DB_NAME)
            self._vectors = VectorIndex.load(folder, probes=previous.ivf_probes if previous else 0)
        else:
            self._vectors = VectorIndex.empty(dim)
        if self._vectors.dim != dim:
            raise IndexFormatError(f"stored vectors have {self._vectors.dim} dimensions, not {dim}")
        self._store = Store.create_or_migrate(self._staging / DB_NAME)
        # Another vector index asked for: the next commit rebuilds the vectors even if no
        # document changes.
        self.changed = previous is not None and previous.vector_index != kind
        self._closed = False

    # -- queries the ingest loop needs ------------------------------------------------------------
    def contains(self, doc_id: str) -> bool:
        return self._store.document(doc_id) is not None

    def document_with_source(self, source: str) -> DocumentInfo | None:
        return self._store.document_by_source(source)

    # -- changes ----------------------------------------------------------------------------------
    def add(
        self,
        doc: Document,
        chunks: list[Chunk],
        vectors: npt.NDArray[np.float32],
        statements: Sequence[Statement] = (),
        statement_vectors: npt.NDArray[np.float32] | None = None,
    ) -> DocumentInfo | None:
        """Add a document (with its statements and their vectors); one with the same source is
        replaced. Returns the replaced one."""
        old = self._store.document_by_source(doc.source)
        if old:
            self.delete(old.id)
        with storage_guard(self.index_dir):
            rows = self._store.insert_document(doc, chunks, statements, statement_vectors)
        self._vectors.add(rows, vectors)
        self.changed = True
        return old

    def delete(self, doc_id: str) -> None:
        if not self.contains(doc_id):
            raise DocumentNotFoundError(f"no document with id {doc_id!r} in this index")
        with storage_guard(self.index_dir):
            rows = self._store.delete_document(doc_id)
        self._vectors.remove(rows)
        self.changed = True

    # -- finish -----------------------------------------------------------------------------------
    def commit(self) -> int | None:
        """Publish the staged generation; returns its number (None when nothing changed)."""
        if not self.changed:
            self.abort()
            return None
        try:
            with storage_guard(self.index_dir):
                rows_texts = list(self._store.chunk_texts())
                documents, chunks = self._store.counts()
                if chunks != self._vectors.size:
                    raise IndexFormatError(
                        f"{chunks} chunks but {self._vectors.size} vectors: refusing to publish"
                    )
                KeywordIndex.build([r for r, _ in rows_texts], [t for _, t in rows_texts]).save(
                    self._staging
                )
                self._vectors = self._vectors.arranged(self._manifest.vector_index)
                self._vectors.save(self._staging)
                self._store.close()
                manifest = Manifest(
                    **{
                        **asdict(self._manifest),
                        "generation": self._number,
                        "documents": documents,
                        "chunks": chunks,
                        "ivf_lists": self._vectors.lists,
                        "ivf_probes": self._vectors.probes,
                    }
                )
                write_manifest(self._staging, manifest)
                publish(self.index_dir, self._staging, self._number)
        except BaseException:
            self.abort()
            raise
        self._closed = True
        self._lock.release()
        return self._number

    def abort(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._store.close()
        finally:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._lock.release()

    def __enter__(self) -> IndexWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.abort()
