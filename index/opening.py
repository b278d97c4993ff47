"""Open an index: its published state, its manifest, and the embedder that matches it.

The one place that goes from a location (a folder or a Milvus store) to its manifest, model and
precision; the server, the command line, the writers and the benchmarks all come through here.
"""

from __future__ import annotations

from dataclasses import replace

from ingest.embed import (
    CrossEncoderScorer,
    Embedder,
    EmbedderSpec,
    canonical_model_id,
    load_embedder,
    resolve_precision,
)

from .backends import published_manifest
from .location import Location
from .manifest import Manifest
from .reader import IndexReader


def current_manifest(index_dir: Location) -> Manifest:
    """The manifest of the published state (IndexNotFoundError when there is none)."""
    return published_manifest(index_dir)


def matching_spec(index_dir: Location, requested: EmbedderSpec) -> EmbedderSpec:
    """`requested` adjusted to the index: the model must be the one that built it, precision
    "auto" takes the recorded one and an explicit precision must match it, so a mismatch is a
    clear error rather than vectors that search as silent garbage."""
    manifest = current_manifest(index_dir)
    precision = (
        manifest.precision
        if requested.precision == "auto"
        else resolve_precision(requested.precision)
    )
    manifest.check_embedder(canonical_model_id(requested.model), precision)
    return replace(requested, precision=manifest.precision)


def index_embedder(index_dir: Location, requested: EmbedderSpec) -> Embedder:
    """The embedding model for an existing index, checked against its manifest."""
    return load_embedder(matching_spec(index_dir, requested))


def open_index(
    index_dir: Location,
    requested: EmbedderSpec | None = None,
    *,
    fusion: str = "rrf",
    reranker: str | None = None,
) -> IndexReader:
    """A reader on the published generation. With `requested`, it embeds queries with the
    index's own model (dense and hybrid search); without, no model is loaded (keyword search and
    document listing start in well under a second). `reranker` is the folder of a cross-encoder
    that reorders the best passages; `fusion` is "rrf" or "minmax"."""
    embedder = index_embedder(index_dir, requested) if requested is not None else None
    scorer = CrossEncoderScorer(reranker) if reranker else None
    return IndexReader(index_dir, embedder, reranker=scorer, fusion=fusion)
