"""manifest.json: what built an index generation, checked whenever the index is opened."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .errors import IndexFormatError, ModelMismatchError

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class Manifest:
    model_id: str
    dim: int
    precision: str
    chunker: dict[str, int]
    normalized: bool = True
    metric: str = "inner_product"
    # The vector index asked for (BRIEFQA_STORE__VECTORS) and what was built: IVF lists and
    # lists searched per query, 0 and 0 for exact search (an "ivf" index under 50k is exact).
    vector_index: str = "flat"
    ivf_lists: int = 0
    ivf_probes: int = 0
    format_version: int = FORMAT_VERSION
    generation: int = 0
    documents: int = 0
    chunks: int = 0
    created_at: str = field(default_factory=lambda: now_iso())
    updated_at: str = field(default_factory=lambda: now_iso())

    def check_embedder(self, model_id: str, precision: str) -> None:
        """Vectors from another model (or precision) would search as silent garbage: refuse."""
        if model_id != self.model_id:
            raise ModelMismatchError(
                f"this index was built with the embedding model {self.model_id!r}, but "
                f"{model_id!r} is configured: set BRIEFQA_EMBEDDING__MODEL={self.model_id} or "
                "use a new index folder"
            )
        if precision != self.precision:
            raise ModelMismatchError(
                f"this index was built with {self.precision} embeddings, but {precision} is "
                f"configured: set BRIEFQA_EMBEDDING__PRECISION={self.precision}"
            )


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def write_manifest(folder: Path, manifest: Manifest) -> None:
    (folder / MANIFEST_NAME).write_text(json.dumps(asdict(manifest), indent=2) + "\n")


def read_manifest(folder: Path) -> Manifest:
    try:
        raw = json.loads((folder / MANIFEST_NAME).read_text())
    except (OSError, ValueError) as exc:
        raise IndexFormatError(f"cannot read {folder / MANIFEST_NAME}: {exc}") from exc
    if raw.get("format_version") != FORMAT_VERSION:
        raise IndexFormatError(
            f"index format version {raw.get('format_version')} is not supported by this BriefQA "
            f"(it reads version {FORMAT_VERSION}); rebuild the index with `briefqa ingest`"
        )
    try:
        return Manifest(**raw)
    except TypeError as exc:
        raise IndexFormatError(f"{folder / MANIFEST_NAME} has unexpected fields: {exc}") from exc
