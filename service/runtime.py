"""Open an index for reading with the embedder its manifest records."""

from __future__ import annotations

from dataclasses import replace

from index.generations import current_generation
from index.manifest import read_manifest
from index.reader import IndexReader
from ingest.embed import Embedder, canonical_model_id, load_embedder, resolve_precision

from .settings import Settings

# One intra-op thread on the query path: measured here, two threads let a busy neighbouring
# process push p95 query embedding from about 10 ms to 120-130 ms.
QUERY_THREADS = 1


def query_embedder(settings: Settings) -> Embedder:
    """The embedder for an existing index: its manifest's model and precision, checked against
    what the settings ask for so that a mismatch is an error rather than silent garbage."""
    _, folder = current_generation(settings.index_dir)
    manifest = read_manifest(folder)
    manifest.check_embedder(canonical_model_id(settings.embedding.model), _precision_for(settings, manifest.precision))
    spec = replace(settings.embedder_spec(threads=QUERY_THREADS), precision=manifest.precision)
    return load_embedder(spec)


def _precision_for(settings: Settings, recorded: str) -> str:
    # "auto" accepts what the index was built with; an explicit choice must match it.
    requested = settings.embedding.precision
    return recorded if requested == "auto" else resolve_precision(requested)


def open_reader(settings: Settings, with_embedder: bool = True) -> IndexReader:
    embedder = query_embedder(settings) if with_embedder else None
    return IndexReader(settings.index_dir, embedder)
