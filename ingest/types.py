"""Typed records the ingest pipeline produces: documents, sections and chunks."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

# Pages are joined with a blank line so a page break reads as a paragraph break.
PAGE_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Section:
    """A heading and the offset in the document text where its section starts."""

    heading: str
    start: int


@dataclass(frozen=True)
class PageFailure:
    """A page that could not be read (1-based), and why; the document keeps its other pages."""

    page: int
    reason: str


# What a stretch of a document's text is, when it is not body text. Such text stays indexed and
# searchable (and is labelled in hits) but is never quoted as an answer.
FOOTNOTE = "footnote"
REFERENCES = "references"
CONTENTS = "contents"
COVER = "cover"  # a cover or back page: title, publisher, imprint, addresses, no prose
BODY = "body"
ROLES = (BODY, FOOTNOTE, REFERENCES, CONTENTS, COVER)


@dataclass(frozen=True)
class Region:
    """A stretch [start, end) of the document text with a role other than body text."""

    start: int
    end: int
    role: str


@dataclass(frozen=True)
class Document:
    """A parsed brief: clean text per page (1-based as a viewer numbers them) plus metadata."""

    id: str
    source: str
    title: str
    pages: tuple[str, ...]
    sections: tuple[Section, ...] = ()
    series: str | None = None
    number: str | None = None
    date: str | None = None  # ISO 8601 (YYYY-MM-DD) when the brief states one
    authors: tuple[str, ...] = ()
    url: str | None = None
    kind: str = "pdf"
    failed_pages: tuple[PageFailure, ...] = ()
    regions: tuple[Region, ...] = ()  # sorted, not overlapping
    publisher: str | None = None  # the organisation that published it
    publisher_acronym: str | None = None  # as the brief itself abbreviates it ("CRS")

    @cached_property
    def text(self) -> str:
        return PAGE_SEPARATOR.join(self.pages)

    @cached_property
    def page_offsets(self) -> tuple[int, ...]:
        """Start offset of each page in `text`."""
        offsets, pos = [], 0
        for page in self.pages:
            offsets.append(pos)
            pos += len(page) + len(PAGE_SEPARATOR)
        return tuple(offsets)

    def page_of(self, offset: int) -> int:
        """1-based page number holding the character at `offset`."""
        return max(1, bisect_right(self.page_offsets, offset))

    def role_at(self, offset: int) -> str:
        """The role of the text at `offset`: body unless a region says otherwise."""
        for region in self.regions:
            if region.start <= offset < region.end:
                return region.role
        return BODY

    def section_at(self, offset: int) -> str | None:
        starts = [s.start for s in self.sections]
        i = bisect_right(starts, offset) - 1
        return self.sections[i].heading if i >= 0 else None


@dataclass(frozen=True)
class Chunk:
    """A passage of a document with everything needed to cite it."""

    id: str
    doc_id: str
    ordinal: int
    text: str
    page_start: int
    page_end: int
    section: str | None
    char_start: int
    char_end: int
    role: str = BODY


def content_id(data: bytes) -> str:
    """Identity of a document: the sha256 of its bytes."""
    return hashlib.sha256(data).hexdigest()


def chunk_id(doc_id: str, ordinal: int) -> str:
    return f"{doc_id[:16]}-{ordinal:04d}"


@dataclass(frozen=True)
class Statement:
    """A recommendation, reported position or finding of a brief: a verbatim span of the
    document text with the same citation fields as a chunk.

    `kind` is "recommendation", "position" or "finding"; `actor` holds the statement ("the
    authors", or the party a position is attributed to, as printed: "Beijing", "the
    Commission"); `addressee` is whom a recommendation addresses ("the EU", "member states");
    `label` is the item's own heading where the brief gives one.
    """

    id: str
    doc_id: str
    ordinal: int
    kind: str
    text: str
    page_start: int
    page_end: int
    section: str | None
    char_start: int
    char_end: int
    actor: str | None = None
    addressee: str | None = None
    label: str | None = None


STATEMENT_KINDS = ("recommendation", "position", "finding")


def statement_id(doc_id: str, ordinal: int) -> str:
    return f"{doc_id[:16]}-s{ordinal:04d}"
