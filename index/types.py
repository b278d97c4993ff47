"""Records the index hands out: documents, hits, filters and ingest reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from ingest.types import Chunk, PageFailure


class SearchMode(str, Enum):  # noqa: UP042 (StrEnum would change str() of members)
    dense = "dense"
    bm25 = "bm25"
    hybrid = "hybrid"


@dataclass(frozen=True)
class DocumentInfo:
    """A stored document's metadata (not its text)."""

    id: str
    source: str
    title: str
    series: str | None
    number: str | None
    date: str | None
    authors: tuple[str, ...]
    url: str | None
    kind: str
    n_pages: int
    n_chunks: int
    added_at: str
    failed_pages: tuple[PageFailure, ...] = ()  # pages that could not be read, and why
    publisher: str | None = None
    publisher_acronym: str | None = None


# Ids users type (the short ids `docs list` shows) match as literal prefixes of this length or more.
MIN_ID_PREFIX = 6


@dataclass(frozen=True)
class SearchFilters:
    """Restrict a search to some documents, a series (case-insensitive) or a date range (ISO)."""

    doc_ids: tuple[str, ...] = ()
    series: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def admits(self, document: DocumentInfo) -> bool:
        """True when `document` passes every filter (ids match as literal prefixes)."""
        typed = [d.lower() for d in self.doc_ids if len(d) >= MIN_ID_PREFIX]
        if self.doc_ids and not any(document.id.startswith(d) for d in typed):
            return False
        if self.series and (document.series or "").lower() != self.series.lower():
            return False
        if self.date_from and not (document.date and document.date >= self.date_from):
            return False
        return not (self.date_to and not (document.date and document.date <= self.date_to))

    @property
    def active(self) -> bool:
        return bool(self.doc_ids or self.series or self.date_from or self.date_to)


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk, its document, fused score and rank, and its rank in each retriever."""

    chunk: Chunk
    document: DocumentInfo
    score: float
    rank: int
    ranks: Mapping[str, int] = field(default_factory=dict)


class FileStatus(str, Enum):  # noqa: UP042
    added = "added"
    replaced = "replaced"
    unchanged = "unchanged"
    failed = "failed"


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one input file."""

    path: str
    status: FileStatus
    doc_id: str | None = None
    title: str | None = None
    chunks: int = 0
    pages: int = 0
    reason: str | None = None
    error_code: str | None = None
    statements: int = 0  # recommendations, positions and findings found in the brief
    failed_pages: tuple[PageFailure, ...] = ()  # pages skipped; the rest was indexed


@dataclass(frozen=True)
class IngestReport:
    files: tuple[FileOutcome, ...]
    generation: int | None
    seconds: float
    documents: int = 0
    chunks: int = 0

    def count(self, status: FileStatus) -> int:
        return sum(f.status is status for f in self.files)

    @property
    def failed(self) -> bool:
        return any(f.status is FileStatus.failed for f in self.files)
