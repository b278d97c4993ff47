"""Pick the store backend for a location: the embedded folder, or Milvus (imported only then)."""

from __future__ import annotations

from pathlib import Path

from ingest.chunk import ChunkerSettings

from . import generations
from .embedded import load_generation
from .errors import IndexNotFoundError
from .location import Location
from .manifest import Manifest, read_manifest
from .published import PublishedIndex, StoreWriter
from .writer import IndexWriter


def load_published(location: Location) -> PublishedIndex:
    """The published state at `location` (IndexNotFoundError when nothing was published)."""
    if isinstance(location, Path):
        return load_generation(location)
    from .milvus_state import load_milvus

    return load_milvus(location)


def current_marker(location: Location) -> str | None:
    """The name of the published state, or None: cheap to poll for a newer one."""
    if isinstance(location, Path):
        return generations.current_marker(location)
    from .milvus_state import milvus_marker

    return milvus_marker(location)


def published_manifest(location: Location) -> Manifest:
    """The manifest of the published state (IndexNotFoundError when there is none)."""
    if isinstance(location, Path):
        _, folder = generations.current_generation(location)
        return read_manifest(folder)
    from .milvus_state import milvus_manifest

    manifest = milvus_manifest(location)
    if manifest is None:
        raise IndexNotFoundError(
            f"no index in {location}: build one with `briefqa ingest PATH --store-uri "
            f"{location.uri}`"
        )
    return manifest


def open_writer(
    location: Location,
    *,
    model_id: str,
    dim: int,
    precision: str,
    chunker: ChunkerSettings,
    lock_timeout: float = 30.0,
    vector_index: str | None = None,
) -> StoreWriter:
    """The one writer of `location` (IndexBusyError after `lock_timeout` seconds of waiting).
    `vector_index` is the embedded store's ("flat" or "ivf"; None keeps the index's own)."""
    if isinstance(location, Path):
        return IndexWriter(
            location,
            model_id=model_id,
            dim=dim,
            precision=precision,
            chunker=chunker,
            lock_timeout=lock_timeout,
            vector_index=vector_index,
        )
    from .milvus_writer import MilvusWriter

    return MilvusWriter(
        location,
        model_id=model_id,
        dim=dim,
        precision=precision,
        chunker=chunker,
        lock_timeout=lock_timeout,
    )
