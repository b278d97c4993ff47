"""Ingest a BEIR corpus into an index in a work folder, once: later runs reuse it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from index.ingestion import ingest_bytes
from index.types import FileStatus
from ingest.chunk import ChunkerSettings
from ingest.embed import Embedder
from ingest.parse import ParseLimits
from ingest.types import content_id

from .beir import BeirDocument, BeirSet, iter_corpus

CACHE_NAME = "beir-cache.json"
# Documents per ingest call: each call publishes one generation (bounded memory, resumable).
INGEST_BATCH = 10_000


@dataclass(frozen=True)
class BeirIndex:
    """An index of a BEIR corpus and how its documents map back to BEIR ids."""

    index_dir: Path
    doc_keys: dict[str, tuple[str, ...]]  # index document id -> BEIR ids with that exact content
    documents: int
    failed: dict[str, str]  # BEIR id -> why it could not be indexed (e.g. empty text)
    reused: bool

    def summary(self) -> dict[str, object]:
        duplicates = sum(len(ids) - 1 for ids in self.doc_keys.values())
        return {
            "documents": self.documents,
            "indexed": len(self.doc_keys),
            "same_content_merged": duplicates,
            "failed": len(self.failed),
            "index_dir": str(self.index_dir),
            "reused_cached_index": self.reused,
        }


def document_bytes(doc: BeirDocument) -> bytes:
    """A BEIR document as a text file: the title as its first paragraph, then the text."""
    text = f"{doc.title.strip()}\n\n{doc.text}" if doc.title.strip() else doc.text
    return text.encode("utf-8")


def document_name(doc: BeirDocument) -> str:
    """File name given to ingest; the index keeps it as the document's source."""
    return f"{doc.id}.txt"


def build_beir_index(
    beir: BeirSet,
    work_dir: Path,
    make_embedder: Callable[[], Embedder],
    *,
    model_id: str,
    precision: str,
    chunker: ChunkerSettings,
    limits: ParseLimits | None = None,
    progress: bool = False,
) -> BeirIndex:
    """Index the corpus under work_dir/<name>-<fingerprint>, or reuse it when already built
    (the model is loaded only to ingest).

    The fingerprint covers the corpus bytes, the model id and precision, and the chunker
    settings, so a changed corpus or setting gets a fresh folder instead of a mix.
    """
    fingerprint = _fingerprint(beir.corpus_path, model_id, precision, chunker)
    folder = work_dir / f"{beir.name}-{fingerprint[:12]}"
    cache = folder / CACHE_NAME
    index_dir = folder / "index"
    if cache.is_file():
        saved = json.loads(cache.read_text())
        if saved.get("fingerprint") == fingerprint:
            return BeirIndex(
                index_dir,
                {k: tuple(v) for k, v in saved["doc_keys"].items()},
                saved["documents"],
                saved["failed"],
                reused=True,
            )
    folder.mkdir(parents=True, exist_ok=True)
    embedder = make_embedder()
    doc_keys: dict[str, list[str]] = {}
    failed: dict[str, str] = {}
    total = 0
    for batch in _batches(iter_corpus(beir.corpus_path), INGEST_BATCH):
        total += len(batch)
        inputs = []
        for doc in batch:
            data = document_bytes(doc)
            doc_keys.setdefault(content_id(data), []).append(doc.id)
            inputs.append((document_name(doc), doc.id, data))
        report = ingest_bytes(
            index_dir, inputs, embedder, chunker=chunker, limits=limits, progress=progress
        )
        for outcome in report.files:
            if outcome.status is FileStatus.failed:
                failed[outcome.path] = f"{outcome.error_code}: {outcome.reason}"
                doc_keys.pop(outcome.doc_id or "", None)
    result = BeirIndex(index_dir, {k: tuple(v) for k, v in doc_keys.items()}, total, failed, False)
    staged = cache.with_suffix(".tmp")
    staged.write_text(
        json.dumps(
            {
                "fingerprint": fingerprint,
                "documents": total,
                "failed": failed,
                "doc_keys": doc_keys,
            }
        )
    )
    staged.replace(cache)  # written last and atomically: a half-built index is never reused
    return result


def _fingerprint(corpus: Path, model_id: str, precision: str, chunker: ChunkerSettings) -> str:
    digest = hashlib.sha256()
    digest.update(
        json.dumps(
            {"model": model_id, "precision": precision, "chunker": asdict(chunker)},
            sort_keys=True,
        ).encode()
    )
    with corpus.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _batches(docs: Iterator[BeirDocument], size: int) -> Iterator[Sequence[BeirDocument]]:
    batch: list[BeirDocument] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
