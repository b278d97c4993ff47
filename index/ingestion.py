"""Ingest files into an index (folder or Milvus): parse, chunk, embed new briefs, publish once."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from tqdm import tqdm

from ingest.budget import BudgetWorker
from ingest.chunk import ChunkerSettings, TokenCounter
from ingest.context import indexed_text
from ingest.embed import Embedder, Vectors, portable_counter
from ingest.errors import IngestCancelledError, IngestError
from ingest.parse import ParseLimits
from ingest.prepare import Payload, Prepared, prepare, read_payload
from ingest.sniff import SUPPORTED_EXTENSIONS
from ingest.types import Statement, content_id

from .backends import open_writer
from .location import Location
from .opening import current_manifest
from .parse_ahead import parsed_ahead
from .published import StoreWriter
from .types import FileOutcome, FileStatus, IngestReport

# Chunks embedded together: big enough for length-sorted batches, small enough for memory.
EMBED_GROUP = 1024
# The first group is small so that embedding starts while the next files are parsed.
FIRST_EMBED_GROUP = 64
# From this many files on, a worker process parses ahead while this one embeds.
PARSE_AHEAD_MIN_FILES = 4
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, plus supported files found (recursively, sorted) in given folders."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_EXTENSIONS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            files.extend(found)
        else:
            files.append(path)
    return files


def ingest_paths(
    index_dir: Location,
    paths: Sequence[Path],
    embedder: Embedder,
    *,
    chunker: ChunkerSettings | None = None,
    limits: ParseLimits | None = None,
    progress: bool = False,
    parse_ahead: bool = True,
    budget: BudgetWorker | None = None,
    source: EmbedSource | None = None,
    vector_index: str | None = None,
) -> IngestReport:
    """Add new files, replace changed ones (same file name), skip unchanged ones; report each.
    `budget`: parse each file in that worker's child process, refused as too_slow when over
    its budget (files are still parsed ahead of the embedding).

    With a `source` (see `ingest_bytes`), files go to it by path and are read where they are
    parsed, so this process never holds the batch's bytes."""
    files = expand_paths(paths)
    inputs: list[tuple[str, str, Payload]] = []
    early: list[FileOutcome] = []
    for path in files:
        try:
            inputs.append((path.name, str(path), _opened(path) if source else path.read_bytes()))
        except OSError as exc:
            reason = (
                "no such file" if isinstance(exc, FileNotFoundError) else exc.strerror or str(exc)
            )
            early.append(
                FileOutcome(str(path), FileStatus.failed, reason=reason, error_code="unreadable")
            )
    report = ingest_bytes(
        index_dir,
        inputs,
        embedder,
        chunker=chunker,
        limits=limits,
        progress=progress,
        parse_ahead=parse_ahead,
        budget=budget,
        source=source,
        vector_index=vector_index,
    )
    return IngestReport(
        files=tuple(early) + report.files,
        generation=report.generation,
        seconds=report.seconds,
        documents=report.documents,
        chunks=report.chunks,
    )


def _opened(path: Path) -> Path:
    """The path, once it is known to open for reading (OSError otherwise)."""
    with path.open("rb"):
        return path


def ingest_bytes(
    index_dir: Location,
    inputs: Sequence[tuple[str, str, Payload]],
    embedder: Embedder,
    *,
    chunker: ChunkerSettings | None = None,
    limits: ParseLimits | None = None,
    progress: bool = False,
    parse_ahead: bool = False,
    budget: BudgetWorker | None = None,
    cancelled: Callable[[], bool] | None = None,
    lock_timeout: float = 30.0,
    source: EmbedSource | None = None,
    vector_index: str | None = None,
) -> IngestReport:
    """Ingest (file name, label for the report, bytes or a file's path) triples as one new
    generation; paths are read one at a time, so the batch is never all in memory.

    `parse_ahead` parses in a forked helper process while this one embeds: for command-line
    batches. Leave it off inside a multi-threaded server, where forking is unsafe; there,
    `budget` parses each file in a child process killed when over its budget (`too_slow`).
    With both, a thread drives the budget's child a few files ahead (no fork).
    `cancelled` is asked between files and before publishing: true ends the ingest with
    IngestCancelledError and publishes nothing. `lock_timeout`: seconds to wait for another
    writer before IndexBusyError. `source` parses and embeds the new files elsewhere (a Ray
    cluster: `index.ray_ingest`); `embedder` then only names the model for the manifest and
    `parse_ahead` and `budget` do not apply. Either way the files are written here, by one loop.
    `vector_index` is the embedded store's vector index ("flat" or "ivf"; None keeps its own).
    """
    started = time.perf_counter()
    chunker = chunker or ChunkerSettings()
    limits = limits or ParseLimits()
    if chunker.max_tokens > embedder.max_tokens:
        raise ValueError(
            f"chunk size {chunker.max_tokens} exceeds the {embedder.max_tokens} word pieces "
            f"{embedder.model_id} reads; lower the chunk size"
        )
    outcomes: dict[int, FileOutcome] = {}
    with open_writer(
        index_dir,
        model_id=embedder.model_id,
        dim=embedder.dim,
        precision=embedder.precision,
        chunker=chunker,
        lock_timeout=lock_timeout,
        vector_index=vector_index,
    ) as writer:
        jobs: list[FileJob] = []
        seen: dict[str, str] = {}
        for i, (name, label, data) in enumerate(inputs):
            doc_id = content_id(read_payload(data))
            if writer.contains(doc_id) or doc_id in seen:
                note = f"same content as {seen[doc_id]}" if doc_id in seen else None
                outcomes[i] = FileOutcome(label, FileStatus.unchanged, doc_id=doc_id, reason=note)
                continue
            seen[doc_id] = label
            jobs.append(FileJob(i, name, label, data, limits, chunker, doc_id))
        if source is None:
            source = local_source(embedder, parse_ahead, budget, cancelled)
        # Closed at once on an error, which stops the source's parsing (or Ray's stages) too.
        with (
            closing(source(jobs)) as files,
            tqdm(total=len(jobs), desc="Ingesting", unit="file", disable=not progress) as bar,
        ):
            for job, result in files:
                outcomes[job.index] = _write(writer, job, result)
                bar.update(1)
                _check_cancelled(cancelled)
        _check_cancelled(cancelled)
        generation = writer.commit()
    documents = sum(o.status in (FileStatus.added, FileStatus.replaced) for o in outcomes.values())
    return IngestReport(
        files=tuple(outcomes[i] for i in sorted(outcomes)),
        generation=generation,
        seconds=time.perf_counter() - started,
        documents=documents,
        chunks=sum(o.chunks for o in outcomes.values() if o.status is not FileStatus.unchanged),
    )


@dataclass(frozen=True)
class FileJob:
    """One new file to parse, chunk and embed; `index` is its place in the caller's batch."""

    index: int
    name: str
    label: str
    data: Payload
    limits: ParseLimits
    chunker: ChunkerSettings
    doc_id: str


@dataclass(frozen=True)
class Embedded:
    """A prepared file and its vectors: a row per chunk, then a row per statement."""

    prepared: Prepared
    vectors: Vectors


# Parses, chunks and embeds the jobs it is given, yielding each with its result (or why it
# failed) in any order; it raises to stop the ingest. The default works in this process;
# `index.ray_ingest` makes one that works on a Ray cluster.
EmbedSource = Callable[
    [Sequence[FileJob]], Generator[tuple[FileJob, Embedded | IngestError], None, None]
]


def _check_cancelled(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise IngestCancelledError("the request was withdrawn before its briefs were published")


def _parse_and_chunk(job: FileJob, count_tokens: TokenCounter) -> Prepared | IngestError:
    try:
        return prepare(job.name, job.data, job.limits, job.chunker, count_tokens)
    except IngestError as exc:
        return exc


def _parse_within_budget(
    job: FileJob,
    worker: BudgetWorker,
    count_tokens: TokenCounter,
    cancelled: Callable[[], bool] | None,
) -> Prepared | IngestError:
    try:
        return worker.run(
            prepare, job.name, job.data, job.limits, job.chunker, count_tokens, cancelled=cancelled
        )
    except IngestError as exc:
        return exc


def _parse_all(
    jobs: Sequence[FileJob],
    embedder: Embedder,
    parse_ahead: bool,
    budget: BudgetWorker | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[tuple[FileJob, Prepared | IngestError]]:
    """Parsed and chunked files in input order. With several files, a helper process parses
    ahead while this one embeds: PDF parsing is pure Python, so a thread would hold the GIL
    that the model's Python glue needs between kernels."""
    counter = portable_counter(embedder)
    if budget is not None:
        # A fresh interpreter needs a picklable counter: the model's tokenizer file when
        # there is one, else the embedder's own method (importable there too).
        count = counter or embedder.count_tokens
        if parse_ahead and len(jobs) >= PARSE_AHEAD_MIN_FILES:
            worker = budget
            yield from parsed_ahead(
                jobs,
                lambda job, withdrawn: _parse_within_budget(job, worker, count, withdrawn),
                cancelled,
            )
            return
        for job in jobs:
            _check_cancelled(cancelled)
            yield job, _parse_within_budget(job, budget, count, cancelled)
        return
    forking = "fork" in multiprocessing.get_all_start_methods()
    if not parse_ahead or len(jobs) < PARSE_AHEAD_MIN_FILES or counter is None or not forking:
        for job in jobs:
            yield job, _parse_and_chunk(job, embedder.count_tokens)
        return
    # fork, not spawn: spawn re-imports the caller's main module, which a library must not ask.
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(1, mp_context=context, initializer=_quiet_tokenizer)
    try:
        work = partial(_parse_and_chunk, count_tokens=counter)
        yield from zip(jobs, pool.map(work, jobs), strict=True)
    finally:
        pool.shutdown(cancel_futures=True)  # an error while embedding stops the parsing too


def _quiet_tokenizer() -> None:
    """The forked worker's tokenizer stays single-threaded (and says nothing about the fork),
    and the worker dies with its parent: a `kill -9` of an ingest must not leave it behind
    holding the writer lock it inherited."""
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    _die_with_parent()


def _die_with_parent() -> None:
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) == 0 and os.getppid() == parent:
            return
    except (OSError, AttributeError):
        pass

    def watch() -> None:  # where prctl is missing: poll for the parent's end
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def local_source(
    embedder: Embedder,
    parse_ahead: bool = False,
    budget: BudgetWorker | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> EmbedSource:
    """The source `ingest_bytes` uses when given none: parse and embed in this process."""
    return partial(
        _embed_here,
        embedder=embedder,
        parse_ahead=parse_ahead,
        budget=budget,
        cancelled=cancelled,
    )


def _embed_here(
    jobs: Sequence[FileJob],
    embedder: Embedder,
    parse_ahead: bool,
    budget: BudgetWorker | None,
    cancelled: Callable[[], bool] | None,
) -> Generator[tuple[FileJob, Embedded | IngestError], None, None]:
    """The source that works in this process: files embedded in groups of parsed files."""
    pending: list[tuple[FileJob, Prepared]] = []
    group = FIRST_EMBED_GROUP
    for job, result in _parse_all(jobs, embedder, parse_ahead, budget, cancelled):
        if isinstance(result, IngestError):
            yield job, result
            continue
        pending.append((job, result))
        if sum(len(p.chunks) for _, p in pending) >= group:
            yield from _embed_group(pending, embedder)
            pending, group = [], min(2 * group, EMBED_GROUP)
    yield from _embed_group(pending, embedder)


def _embed_group(
    pending: list[tuple[FileJob, Prepared]], embedder: Embedder
) -> Iterator[tuple[FileJob, Embedded]]:
    vectors = embed_prepared([p for _, p in pending], embedder)
    for (job, parsed), rows in zip(pending, vectors, strict=True):
        yield job, Embedded(parsed, rows)


def embed_prepared(prepared: Sequence[Prepared], embedder: Embedder) -> list[Vectors]:
    """Each file's vectors (its chunks', then its statements'), from one embedding call for all
    of them: one length-sorted batching for chunks and statements alike."""
    texts = [
        t
        for p in prepared
        for t in [indexed_text(p.document.title, c.section, c.text) for c in p.chunks]
        + _texts(p.statements)
    ]
    vectors = embedder.embed_documents(texts)
    out = []
    offset = 0
    for p in prepared:
        size = len(p.chunks) + len(p.statements)
        out.append(vectors[offset : offset + size])
        offset += size
    return out


def _write(writer: StoreWriter, job: FileJob, result: Embedded | IngestError) -> FileOutcome:
    """Add one embedded file to the staged generation (or report why it failed)."""
    if isinstance(result, IngestError):
        return FileOutcome(
            job.label,
            FileStatus.failed,
            doc_id=job.doc_id,
            reason=str(result),
            error_code=result.code,
        )
    parsed = result.prepared
    document, n = parsed.document, len(parsed.chunks)
    replaced = writer.add(
        document, parsed.chunks, result.vectors[:n], parsed.statements, result.vectors[n:]
    )
    return FileOutcome(
        job.label,
        FileStatus.replaced if replaced else FileStatus.added,
        doc_id=document.id,
        title=document.title,
        chunks=n,
        pages=len(document.pages),
        statements=len(parsed.statements),
        reason=f"replaced {replaced.id[:12]}" if replaced else None,
        failed_pages=document.failed_pages,
    )


def _texts(statements: Sequence[Statement]) -> list[str]:
    # What is embedded for a statement: its words on one line (the cited text stays verbatim).
    return [" ".join(s.text.split()) for s in statements]


def delete_documents(
    index_dir: Location, doc_ids: Sequence[str], lock_timeout: float = 30.0
) -> int | None:
    """Remove documents from every part of the index as one new generation."""
    manifest = current_manifest(index_dir)
    with open_writer(
        index_dir,
        model_id=manifest.model_id,
        dim=manifest.dim,
        precision=manifest.precision,
        chunker=ChunkerSettings(**manifest.chunker),
        lock_timeout=lock_timeout,
    ) as writer:
        for doc_id in doc_ids:
            writer.delete(doc_id)
        return writer.commit()
