"""Ingest files into an index folder: parse, chunk and embed new briefs, publish one generation."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from ingest.chunk import ChunkerSettings, chunk_document
from ingest.embed import Embedder
from ingest.errors import IngestError
from ingest.parse import ParseLimits, parse_bytes
from ingest.sniff import SUPPORTED_EXTENSIONS
from ingest.types import Chunk, Document, content_id

from .generations import current_generation
from .manifest import read_manifest
from .types import FileOutcome, FileStatus, IngestReport
from .writer import IndexWriter

# Chunks embedded together: big enough for length-sorted batches, small enough for memory.
EMBED_GROUP = 1024


@dataclass
class _Parsed:
    path: str
    document: Document
    chunks: list[Chunk]


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, plus supported files found (recursively, sorted) in given folders."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_EXTENSIONS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            files.extend(found)
        else:
            files.append(path)
    return files


def ingest_paths(
    index_dir: Path, paths: Sequence[Path], embedder: Embedder, *,
    chunker: ChunkerSettings | None = None, limits: ParseLimits | None = None,
    progress: bool = False,
) -> IngestReport:
    """Add new files, replace changed ones (same file name), skip unchanged ones; report each."""
    files = expand_paths(paths)
    inputs = []
    early: list[FileOutcome] = []
    for path in files:
        try:
            inputs.append((path.name, str(path), path.read_bytes()))
        except OSError as exc:
            reason = "no such file" if isinstance(exc, FileNotFoundError) else exc.strerror or str(exc)
            early.append(FileOutcome(str(path), FileStatus.failed, reason=reason, error_code="unreadable"))
    report = ingest_bytes(
        index_dir, inputs, embedder, chunker=chunker, limits=limits, progress=progress
    )
    return IngestReport(
        files=tuple(early) + report.files, generation=report.generation,
        seconds=report.seconds, documents=report.documents, chunks=report.chunks,
    )


def ingest_bytes(
    index_dir: Path, inputs: Sequence[tuple[str, str, bytes]], embedder: Embedder, *,
    chunker: ChunkerSettings | None = None, limits: ParseLimits | None = None,
    progress: bool = False,
) -> IngestReport:
    """Ingest (file name, label for the report, bytes) triples as one new generation."""
    started = time.perf_counter()
    chunker = chunker or ChunkerSettings()
    limits = limits or ParseLimits()
    if chunker.max_tokens > embedder.max_tokens:
        raise ValueError(
            f"chunk size {chunker.max_tokens} exceeds the {embedder.max_tokens} word pieces "
            f"{embedder.model_id} reads; lower the chunk size"
        )
    outcomes: dict[int, FileOutcome] = {}
    with IndexWriter(
        index_dir, model_id=embedder.model_id, dim=embedder.dim,
        precision=embedder.precision, chunker=chunker,
    ) as writer:
        pending: list[tuple[int, _Parsed]] = []
        seen: dict[str, str] = {}
        bar = tqdm(total=len(inputs), desc="Parsing", unit="file", disable=not progress)
        for i, (name, label, data) in enumerate(inputs):
            bar.update(1)
            doc_id = content_id(data)
            if writer.contains(doc_id) or doc_id in seen:
                note = f"same content as {seen[doc_id]}" if doc_id in seen else None
                outcomes[i] = FileOutcome(label, FileStatus.unchanged, doc_id=doc_id, reason=note)
                continue
            seen[doc_id] = label
            try:
                document = parse_bytes(name, data, limits)
                chunks = chunk_document(document, embedder.count_tokens, chunker)
            except IngestError as exc:
                outcomes[i] = FileOutcome(label, FileStatus.failed, doc_id=doc_id, reason=str(exc), error_code=exc.code)
                continue
            pending.append((i, _Parsed(label, document, chunks)))
            if sum(len(p.chunks) for _, p in pending) >= EMBED_GROUP:
                outcomes.update(_embed_and_add(writer, pending, embedder, progress))
                pending = []
        bar.close()
        outcomes.update(_embed_and_add(writer, pending, embedder, progress))
        generation = writer.commit()
    documents = sum(o.status in (FileStatus.added, FileStatus.replaced) for o in outcomes.values())
    return IngestReport(
        files=tuple(outcomes[i] for i in sorted(outcomes)), generation=generation,
        seconds=time.perf_counter() - started, documents=documents,
        chunks=sum(o.chunks for o in outcomes.values() if o.status is not FileStatus.unchanged),
    )


def _embed_and_add(
    writer: IndexWriter, pending: list[tuple[int, _Parsed]], embedder: Embedder, progress: bool
) -> dict[int, FileOutcome]:
    if not pending:
        return {}
    texts = [c.text for _, p in pending for c in p.chunks]
    vectors = embedder.embed_documents(texts, progress=progress)
    outcomes = {}
    offset = 0
    for i, parsed in pending:
        n = len(parsed.chunks)
        replaced = writer.add(parsed.document, parsed.chunks, vectors[offset : offset + n])
        offset += n
        outcomes[i] = FileOutcome(
            parsed.path, FileStatus.replaced if replaced else FileStatus.added,
            doc_id=parsed.document.id, title=parsed.document.title, chunks=n,
            pages=len(parsed.document.pages),
            reason=f"replaced {replaced.id[:12]}" if replaced else None,
        )
    return outcomes


def delete_documents(index_dir: Path, doc_ids: Sequence[str]) -> int | None:
    """Remove documents from every part of the index as one new generation."""
    _, folder = current_generation(index_dir)
    manifest = read_manifest(folder)
    with IndexWriter(
        index_dir, model_id=manifest.model_id, dim=manifest.dim, precision=manifest.precision,
        chunker=ChunkerSettings(**manifest.chunker),
    ) as writer:
        for doc_id in doc_ids:
            writer.delete(doc_id)
        return writer.commit()
