"""Milvus through pymilvus's MilvusClient (the only module that imports pymilvus): connections,
the collections of one index, and row-level reads, writes and searches on them."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import IndexBusyError, IndexFormatError, IndexStoreError, StoreUnavailableError
from .location import MilvusLocation
from .milvus_schema import (
    BM25_PARAMS,
    CHUNKS,
    DOCUMENTS,
    DUMMY_DIM,
    FIELDS,
    ID_MAX,
    KINDS,
    META,
    SCALAR_INDEXES,
    STATEMENTS,
)

# The command-line ingest forks a parser while the store's gRPC channel is open; the child never
# calls gRPC, so gRPC's fork handlers (and their "skipping fork() handlers" notice) are not needed.
os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")

try:
    from pymilvus import DataType, Function, FunctionType, MilvusClient, MilvusException
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise StoreUnavailableError(
        "the Milvus store backend needs pymilvus: pip install 'briefqa[milvus]'"
    ) from exc

# Rows per request: a Milvus server caps a query's result window at 16,384.
BATCH = 4096


class _LiteTimestampNotice(logging.Filter):
    """Milvus Lite has no server timestamp for iterators; pymilvus logs that as a warning on
    every document listing, though the client-side timestamp it falls back to is what we want."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "mvccTs" not in record.getMessage()


class _LockedFileNotice(logging.Filter):
    """Milvus Lite logs a stack trace when another process holds a `.db` file, and pymilvus
    then raises without the cause: note it here (it is said in one line by `client_for`)."""

    seen = False

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and _locked_by_other_process(error):
            self.seen = True
            return False
        return True


_locked_notice = _LockedFileNotice()


logging.getLogger("pymilvus.client.iterator.query_iterator").addFilter(_LiteTimestampNotice())
logging.getLogger("milvus_lite.server_manager").addFilter(_locked_notice)

# Milvus Lite's in-process gRPC server accepts a keepalive ping at most every five minutes;
# pymilvus pings every 10 s, so a long embedding pause ended in a GOAWAY (`too_many_pings`)
# printed on stderr.
_LITE_CHANNEL = {"grpc.keepalive_time_ms": 600_000, "grpc.keepalive_permit_without_calls": False}
_clients: dict[tuple[str, str | None], Any] = {}
_shared: dict[MilvusLocation, Collections] = {}
_clients_lock = threading.Lock()


def _locked_by_other_process(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__name__ == "DataDirLockedError" or "holds the lock" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def client_for(location: MilvusLocation) -> Any:
    """The process's one client for `location`'s deployment (Milvus Lite allows one process
    per file, and one client per process serves all threads)."""
    key = (location.uri, location.token)
    with _clients_lock:
        if key in _clients:
            return _clients[key]
        if location.is_local:
            Path(location.uri).expanduser().parent.mkdir(parents=True, exist_ok=True)
        _locked_notice.seen = False
        try:
            options = {"grpc_options": _LITE_CHANNEL} if location.is_local else {}
            client = MilvusClient(uri=location.uri, token=location.token or "", **options)
        except Exception as exc:
            if _locked_notice.seen or _locked_by_other_process(exc):
                raise IndexBusyError(
                    f"{location.uri} is open in another process (a running `briefqa serve`?): "
                    "Milvus Lite lets one process use a .db file at a time. Stop that process, "
                    "upload through its HTTP API, or use a Milvus server URI "
                    "(http://host:19530)"
                ) from None
            raise StoreUnavailableError(
                f"cannot open the Milvus store at {location.uri}: {exc}"
            ) from None
        _clients[key] = client
        return client


def shared_collections(location: MilvusLocation) -> Collections:
    """One Collections per location for this process, for what is asked often (a server polls
    the published revision on every request)."""
    with _clients_lock:
        found = _shared.get(location)
    if found is None:
        found = Collections(location)
        with _clients_lock:
            found = _shared.setdefault(location, found)
    return found


def release(location: MilvusLocation) -> None:
    """Close this process's client for `location` (a Milvus Lite file is then free for others)."""
    with _clients_lock:
        client = _clients.pop((location.uri, location.token), None)
        _shared.pop(location, None)
    if client is not None:
        client.close()
    if location.is_local:
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(location.uri)


@contextmanager
def milvus_errors(location: MilvusLocation) -> Iterator[None]:
    """Milvus's own exceptions as a StoreUnavailableError that names the store."""
    try:
        yield
    except IndexStoreError:
        raise
    except MilvusException as exc:
        raise StoreUnavailableError(f"the Milvus store {location} failed: {exc}") from exc


class Collections:
    """The five collections of one index: chunks, documents, pages, statements and meta."""

    def __init__(self, location: MilvusLocation) -> None:
        self.location = location
        self._client = client_for(location)
        self._loaded: set[str] = set()
        self._exist = False  # once they exist they stay: we never drop them

    def name(self, kind: str) -> str:
        return f"{self.location.collection}_{kind}"

    def exist(self) -> bool:
        if not self._exist:
            with milvus_errors(self.location):
                self._exist = all(self._client.has_collection(self.name(k)) for k in KINDS)
        return self._exist

    def create(self, dim: int) -> None:
        """Create what is missing; an existing chunk collection must have `dim` dimensions."""
        with milvus_errors(self.location):
            for kind in KINDS:
                if not self._client.has_collection(self.name(kind)):
                    schema, indexes = _schema(kind, dim)
                    name = self.name(kind)
                    self._client.create_collection(name, schema=schema, consistency_level="Strong")
                    # On an empty collection the indexes are ready at once: pymilvus's wait
                    # for them polls every half second (9 s for our 18 indexes).
                    self._client.create_index(name, indexes, sync=False)
            stored = self.dense_dim()
        if stored != dim:
            raise IndexFormatError(
                f"the Milvus store {self.location} holds {stored}-dimensional vectors, not {dim}"
            )

    def dense_dim(self) -> int:
        description = self._client.describe_collection(self.name(CHUNKS))
        for field in description["fields"]:
            if field["name"] == "vector":
                return int(field["params"]["dim"])
        raise IndexFormatError(f"the Milvus store {self.location} has no chunk vectors")

    def _ready(self, kind: str) -> str:
        name = self.name(kind)
        if name not in self._loaded:
            self._client.load_collection(name)
            self._loaded.add(name)
        return name

    # -- rows -------------------------------------------------------------------------------------
    def insert(self, kind: str, rows: Sequence[dict[str, Any]]) -> None:
        with milvus_errors(self.location):
            name = self._ready(kind)
            for start in range(0, len(rows), BATCH):
                self._client.insert(name, list(rows[start : start + BATCH]))

    def upsert(self, kind: str, rows: Sequence[dict[str, Any]]) -> None:
        with milvus_errors(self.location):
            name = self._ready(kind)
            for start in range(0, len(rows), BATCH):
                self._client.upsert(name, list(rows[start : start + BATCH]))

    def seal(self, kind: str) -> None:
        """Seal what was written into indexed segments: searches of freshly inserted rows were
        4-6 times slower until then (Milvus Lite, 1,600 chunks: dense 151 ms, BM25 428 ms,
        against 39 and 71 ms sealed)."""
        with milvus_errors(self.location):
            self._client.flush(self._ready(kind))

    def delete(self, kind: str, expression: str) -> None:
        with milvus_errors(self.location):
            self._client.delete(self._ready(kind), filter=expression)

    def query(
        self, kind: str, expression: str, fields: Sequence[str], limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Rows matching `expression` (at most BATCH: for lookups of a few rows)."""
        with milvus_errors(self.location):
            rows = self._client.query(
                self._ready(kind),
                filter=expression,
                output_fields=list(fields),
                limit=limit or BATCH,
            )
        return [dict(row) for row in rows]

    def count(self, kind: str, expression: str) -> int:
        """How many rows match `expression`, counted by Milvus (no rows are sent)."""
        with milvus_errors(self.location):
            rows = self._client.query(
                self._ready(kind), filter=expression, output_fields=["count(*)"]
            )
        return int(rows[0]["count(*)"])

    def query_all(self, kind: str, expression: str, fields: Sequence[str]) -> list[dict[str, Any]]:
        """Every row matching `expression`, in batches (beyond a server's result window)."""
        return [row for batch in self.batches(kind, expression, fields) for row in batch]

    def batches(
        self, kind: str, expression: str, fields: Sequence[str]
    ) -> Iterator[list[dict[str, Any]]]:
        """`query_all` a batch at a time, for passes that keep little of what they read."""
        with milvus_errors(self.location):
            iterator = self._client.query_iterator(
                self._ready(kind), batch_size=BATCH, filter=expression, output_fields=list(fields)
            )
            try:
                while batch := iterator.next():
                    yield [dict(row) for row in batch]
            finally:
                iterator.close()

    # -- searches ---------------------------------------------------------------------------------
    def search(
        self,
        field: str,
        data: list[Any],
        k: int,
        expression: str,
        fields: Sequence[str] = (),
        kind: str = CHUNKS,
    ) -> list[tuple[int, float, dict[str, Any]]]:
        """(row, score, requested fields) of the best `k` rows of `kind` (chunks unless told)
        by `field` ("vector": inner product; "sparse": BM25 over the query's terms), best
        first."""
        return self.search_each(field, data, k, expression, fields, kind)[0]

    def search_each(
        self,
        field: str,
        data: list[Any],
        k: int,
        expression: str,
        fields: Sequence[str] = (),
        kind: str = CHUNKS,
    ) -> list[list[tuple[int, float, dict[str, Any]]]]:
        """`search` for each query of `data`, in one request."""
        metric = "IP" if field == "vector" else "BM25"
        with milvus_errors(self.location):
            results = self._client.search(
                self._ready(kind),
                data=data,
                anns_field=field,
                limit=k,
                filter=expression,
                output_fields=list(fields),
                search_params={"metric_type": metric},
            )
        return [
            [(int(hit["id"]), float(hit["distance"]), dict(hit.get("entity", {}))) for hit in hits]
            for hits in results
        ]


def _schema(kind: str, dim: int) -> tuple[Any, Any]:
    schema = MilvusClient.create_schema(auto_id=False)
    indexes = MilvusClient.prepare_index_params()
    if kind == DOCUMENTS:
        schema.add_field("doc_id", DataType.VARCHAR, max_length=ID_MAX, is_primary=True)
    elif kind == META:
        schema.add_field("key", DataType.VARCHAR, max_length=ID_MAX, is_primary=True)
    else:
        schema.add_field("id", DataType.INT64, is_primary=True)
    if kind != META:
        schema.add_field("revision", DataType.INT64)
        indexes.add_index("revision", index_type="INVERTED")
    if kind != DOCUMENTS and kind != META:
        schema.add_field("doc_id", DataType.VARCHAR, max_length=ID_MAX)
        indexes.add_index("doc_id", index_type="INVERTED")
    for field, datatype, options in FIELDS[kind]:
        schema.add_field(field, getattr(DataType, datatype), **options)
    for field in SCALAR_INDEXES.get(kind, ()):
        indexes.add_index(field, index_type="INVERTED")
    if kind in (CHUNKS, STATEMENTS):
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    else:
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=DUMMY_DIM)
    indexes.add_index("vector", index_type="FLAT", metric_type="IP")
    if kind == CHUNKS:
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_function(
            Function(
                name="terms_bm25",
                function_type=FunctionType.BM25,
                input_field_names=["terms"],
                output_field_names=["sparse"],
            )
        )
        indexes.add_index(
            "sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params=BM25_PARAMS
        )
    return schema, indexes
