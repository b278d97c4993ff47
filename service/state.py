"""What a running server holds: the query model, the index reader, the answerer, the ingest path."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from index.errors import IndexNotFoundError
from index.generations import current_generation, current_marker
from index.ingestion import delete_documents, ingest_bytes
from index.manifest import read_manifest
from index.reader import IndexReader
from index.types import DocumentInfo, IngestReport
from ingest.embed import Embedder, load_embedder

from .answer import Answerer
from .errors import not_ready
from .runtime import QUERY_THREADS, query_embedder
from .settings import Settings


@dataclass(frozen=True)
class IndexStatus:
    generation: str
    documents: int
    chunks: int


class ServiceState:
    """Loaded once at start-up and shared by all requests; every method is safe across threads.

    The reader follows the index folder: each request calls `reader()`, which picks up a generation
    published since (by this server or by `briefqa ingest` in another process) before answering.
    """

    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self.started = int(time.time())
        self._reader: IndexReader | None = None
        self._answerer: Answerer | None = None
        self._open_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._ingest_embedder: Embedder | None = None
        self._try_open()

    @classmethod
    def start(cls, settings: Settings) -> ServiceState:
        """Load the query model (the index's own when there is an index) and open the index."""
        if current_marker(settings.index_dir) is not None:
            embedder = query_embedder(settings)
        else:
            embedder = load_embedder(settings.embedder_spec(threads=QUERY_THREADS))
        return cls(settings, embedder)

    # -- reading ----------------------------------------------------------------------------------
    def _try_open(self) -> IndexReader | None:
        with self._open_lock:
            if self._reader is None and current_marker(self.settings.index_dir) is not None:
                try:
                    reader = IndexReader(self.settings.index_dir, self.embedder)
                except IndexNotFoundError:
                    return None
                self._answerer = Answerer(reader, self.embedder)
                self._reader = reader
            return self._reader

    def loaded_reader(self) -> IndexReader | None:
        """The reader if it is open and its generation is still the published one (cheap: one
        small file read), else None: then call `reader()`, which may load a generation."""
        reader = self._reader
        if reader is None or current_marker(self.settings.index_dir) != reader.generation.name:
            return None
        return reader

    def maybe_reader(self) -> IndexReader | None:
        """The index reader on the newest published generation, or None when there is no index."""
        reader = self._reader or self._try_open()
        if reader is not None:
            reader.refresh()
        return reader

    def reader(self) -> IndexReader:
        """Like `maybe_reader`, but a 503 saying how to build an index when there is none."""
        reader = self.maybe_reader()
        if reader is None:
            raise not_ready()
        return reader

    def answerer(self) -> Answerer:
        self.reader()
        return self.answerer_now()

    def answerer_now(self) -> Answerer:
        """The answerer as it is (call `reader()` first to follow the index folder)."""
        if self._answerer is None:
            raise not_ready()
        return self._answerer

    def status(self) -> IndexStatus | None:
        reader = self.maybe_reader()
        if reader is None:
            return None
        manifest = reader.manifest
        return IndexStatus(reader.generation.name, manifest.documents, manifest.chunks)

    def documents(self) -> list[DocumentInfo]:
        reader = self.maybe_reader()
        return reader.documents() if reader is not None else []

    # -- writing ----------------------------------------------------------------------------------
    def ingest(self, inputs: Sequence[tuple[str, str, bytes]]) -> IngestReport:
        """Ingest uploaded files as one new generation; searches go on meanwhile on the old one."""
        with self._write_lock:
            report = ingest_bytes(
                self.settings.index_dir,
                inputs,
                self._embedder_for_ingest(),
                chunker=self.settings.chunker(),
                limits=self.settings.parse_limits(),
            )
        self._try_open()
        if self._reader is not None:
            self._reader.refresh()
        return report

    def delete(self, doc_id: str) -> DocumentInfo:
        """Remove a document (id or unique prefix) from every part of the index."""
        reader = self.reader()
        document = reader.document(doc_id)
        with self._write_lock:
            delete_documents(self.settings.index_dir, [document.id])
        reader.refresh()
        return document

    def _embedder_for_ingest(self) -> Embedder:
        # A model instance of its own, so a long ingest never waits on, or holds up, queries.
        if self._ingest_embedder is None:
            spec = self.settings.embedder_spec(threads=QUERY_THREADS)
            if current_marker(self.settings.index_dir) is not None:
                _, folder = current_generation(self.settings.index_dir)
                spec = replace(spec, precision=read_manifest(folder).precision)
            self._ingest_embedder = load_embedder(spec)
        return self._ingest_embedder
