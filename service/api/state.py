"""What a running server holds: the query model, the index reader, the answerer, the ingest path."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from index.backends import current_marker
from index.errors import IndexBusyError, IndexNotFoundError
from index.ingestion import delete_documents, ingest_bytes
from index.opening import index_embedder, matching_spec
from index.reader import IndexReader
from index.types import DocumentInfo, IngestReport
from ingest.budget import BudgetWorker
from ingest.embed import Embedder, load_embedder
from ingest.prepare import Payload

from ..answer.answerer import Answerer
from ..settings import QUERY_THREADS, Settings, reranker_of
from .errors import not_ready


@dataclass(frozen=True)
class IndexStatus:
    generation: str
    documents: int
    chunks: int


@dataclass(frozen=True)
class Snapshot:
    """What one request works with: the reader on the newest published generation and the
    answerer over it, handed out together so a request never mixes two states."""

    reader: IndexReader
    answerer: Answerer


class ServiceState:
    """Loaded once at start-up and shared by all requests; every method is safe across threads.

    The reader follows the index (folder or Milvus store): each request takes a `snapshot()`,
    which picks up a state published since (by this server or by `briefqa ingest` in another
    process, or by another server on the same Milvus).
    """

    def __init__(
        self, settings: Settings, embedder: Embedder, ingest_embedder: Embedder | None = None
    ) -> None:
        """`ingest_embedder` embeds uploads; None loads a model of its own at the first upload."""
        self.settings = settings
        self.location = settings.location()
        self.embedder = embedder
        self.started = int(time.time())
        self._snapshot: Snapshot | None = None
        self._open_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._ingest_embedder = ingest_embedder
        self._reranker = reranker_of(settings)
        # Parses uploads in a child process under the parse budget; started at the first upload.
        self._parse_worker = BudgetWorker(settings.parse_budget(), preload=("ingest.prepare",))
        self._open()

    @classmethod
    def start(cls, settings: Settings) -> ServiceState:
        """Load the query model (the index's own when there is an index) and open the index."""
        spec = settings.embedder_spec(threads=QUERY_THREADS)
        location = settings.location()
        if current_marker(location) is not None:
            embedder = index_embedder(location, spec)
        else:
            embedder = load_embedder(spec)
        return cls(settings, embedder)

    # -- reading ----------------------------------------------------------------------------------
    def _open(self) -> Snapshot | None:
        with self._open_lock:
            if self._snapshot is None and current_marker(self.location) is not None:
                try:
                    reader = IndexReader(
                        self.location,
                        self.embedder,
                        reranker=self._reranker,
                        fusion=self.settings.search.fusion,
                    )
                except IndexNotFoundError:
                    return None
                self._snapshot = Snapshot(reader, Answerer(reader, self.embedder))
            return self._snapshot

    def current_snapshot(self) -> Snapshot | None:
        """The snapshot if it is open and on the published generation (one small file read),
        else None: then call `snapshot()`, which may load a generation (slow: off the loop)."""
        snapshot = self._snapshot
        if snapshot is None:
            return None
        if current_marker(self.location) != snapshot.reader.generation.name:
            return None
        return snapshot

    def maybe_snapshot(self) -> Snapshot | None:
        """The snapshot on the newest published generation, or None when there is no index."""
        snapshot = self._snapshot or self._open()
        if snapshot is not None:
            snapshot.reader.refresh()
        return snapshot

    def snapshot(self) -> Snapshot:
        """Like `maybe_snapshot`, but a 503 saying how to build an index when there is none."""
        snapshot = self.maybe_snapshot()
        if snapshot is None:
            raise not_ready()
        return snapshot

    def status(self) -> IndexStatus | None:
        snapshot = self.maybe_snapshot()
        if snapshot is None:
            return None
        manifest = snapshot.reader.manifest
        return IndexStatus(snapshot.reader.generation.name, manifest.documents, manifest.chunks)

    def documents(self) -> list[DocumentInfo]:
        snapshot = self.maybe_snapshot()
        return snapshot.reader.documents() if snapshot is not None else []

    # -- writing ----------------------------------------------------------------------------------
    @contextmanager
    def _writing(self) -> Iterator[None]:
        """This server's one write at a time, waited for at most `write_wait_seconds`."""
        if not self._write_lock.acquire(timeout=self.settings.server.write_wait_seconds):
            raise IndexBusyError(
                "another upload or deletion is being written to the index: retry in a few seconds"
            )
        try:
            yield
        finally:
            self._write_lock.release()

    def ingest(
        self,
        inputs: Sequence[tuple[str, str, Payload]],
        cancelled: Callable[[], bool] | None = None,
    ) -> IngestReport:
        """Ingest uploaded files as one new generation; searches go on meanwhile on the old one.
        Each file is parsed under the parse budget; `cancelled()` true stops before publishing."""
        with self._writing():
            report = ingest_bytes(
                self.location,
                inputs,
                self._embedder_for_ingest(),
                chunker=self.settings.chunker(),
                limits=self.settings.parse_limits(),
                budget=self._parse_worker,
                cancelled=cancelled,
                lock_timeout=self.settings.server.write_wait_seconds,
                vector_index=self.settings.store.vectors,
            )
        self.maybe_snapshot()
        return report

    def delete(self, doc_id: str) -> DocumentInfo:
        """Remove a document (id or unique prefix) from every part of the index."""
        reader = self.snapshot().reader
        document = reader.document(doc_id)
        with self._writing():
            delete_documents(
                self.location,
                [document.id],
                lock_timeout=self.settings.server.write_wait_seconds,
            )
        reader.refresh()
        return document

    def close(self) -> None:
        """Stop the parse worker (at shutdown)."""
        self._parse_worker.close()

    def _embedder_for_ingest(self) -> Embedder:
        # A model instance of its own, so a long ingest never waits on, or holds up, queries.
        if self._ingest_embedder is None:
            spec = self.settings.embedder_spec(threads=QUERY_THREADS)
            if current_marker(self.location) is not None:
                spec = matching_spec(self.location, spec)
            self._ingest_embedder = load_embedder(spec)
        return self._ingest_embedder
