"""Public JSON shapes (HTTP responses and `--json` output): one documented model per record."""

from __future__ import annotations

from pydantic import BaseModel, Field

from index.types import DocumentInfo, FileOutcome, FileStatus, Hit, IngestReport, SearchMode
from ingest.types import PageFailure, Statement

from .answer.types import Answer


class PageFailureOut(BaseModel):
    page: int = Field(description="1-based page that could not be read (it was skipped).")
    reason: str

    @classmethod
    def all_of(cls, failures: tuple[PageFailure, ...]) -> list[PageFailureOut]:
        return [cls(page=f.page, reason=f.reason) for f in failures]


class DocumentOut(BaseModel):
    id: str = Field(description="sha256 of the file's bytes.")
    source: str = Field(description="File name (or URL) the document came from.")
    title: str
    series: str | None = None
    number: str | None = None
    date: str | None = Field(None, description="ISO date stated on the brief.")
    authors: list[str] = Field(default_factory=list)
    url: str | None = None
    kind: str = Field(description="pdf, markdown, html or text.")
    publisher: str | None = Field(None, description="The organisation that published it.")
    publisher_acronym: str | None = Field(
        None, description="The publisher's acronym as the brief uses it (CRS, GAO)."
    )
    pages: int
    chunks: int
    added_at: str
    failed_pages: list[PageFailureOut] = Field(
        default_factory=list, description="Pages that could not be read; the rest is indexed."
    )

    @classmethod
    def of(cls, doc: DocumentInfo) -> DocumentOut:
        return cls(
            id=doc.id,
            source=doc.source,
            title=doc.title,
            series=doc.series,
            number=doc.number,
            date=doc.date,
            authors=list(doc.authors),
            url=doc.url,
            kind=doc.kind,
            publisher=doc.publisher,
            publisher_acronym=doc.publisher_acronym,
            pages=doc.n_pages,
            chunks=doc.n_chunks,
            added_at=doc.added_at,
            failed_pages=PageFailureOut.all_of(doc.failed_pages),
        )


class HitOut(BaseModel):
    rank: int = Field(description="1-based rank in this result list.")
    score: float = Field(description="Cosine (dense), BM25 score (bm25) or RRF score (hybrid).")
    ranks: dict[str, int] = Field(description="Rank in each retriever that found the passage.")
    chunk_id: str
    text: str = Field(description="The passage, exactly as stored.")
    page_start: int = Field(description="1-based page where the passage starts.")
    page_end: int
    section: str | None = None
    char_start: int = Field(description="Offset of the passage in the document's text.")
    char_end: int
    role: str = Field(
        "body",
        description="body, footnote, references or contents. Only body text is quoted in answers;"
        " references and contents rank below body text unless the question asks for sources.",
    )
    document: DocumentOut

    @classmethod
    def of(cls, hit: Hit) -> HitOut:
        c = hit.chunk
        return cls(
            rank=hit.rank,
            score=round(hit.score, 6),
            ranks=dict(hit.ranks),
            chunk_id=c.id,
            text=c.text,
            page_start=c.page_start,
            page_end=c.page_end,
            section=c.section,
            char_start=c.char_start,
            char_end=c.char_end,
            role=c.role,
            document=DocumentOut.of(hit.document),
        )


class SearchOut(BaseModel):
    query: str
    mode: str
    k: int
    hits: list[HitOut]


class FileOutcomeOut(BaseModel):
    path: str
    status: str = Field(description="added, replaced, unchanged or failed.")
    doc_id: str | None = None
    title: str | None = None
    pages: int = 0
    chunks: int = 0
    reason: str | None = Field(None, description="Why a file failed (or what it replaced).")
    error_code: str | None = None
    failed_pages: list[PageFailureOut] = Field(
        default_factory=list, description="Pages skipped because they could not be read."
    )

    @classmethod
    def of(cls, o: FileOutcome) -> FileOutcomeOut:
        return cls(
            path=o.path,
            status=o.status.value,
            doc_id=None if o.status is FileStatus.failed else o.doc_id,
            title=o.title,
            pages=o.pages,
            chunks=o.chunks,
            reason=o.reason,
            error_code=o.error_code,
            failed_pages=PageFailureOut.all_of(o.failed_pages),
        )


class IngestReportOut(BaseModel):
    added: int
    replaced: int
    unchanged: int
    failed: int
    chunks: int = Field(description="Chunks embedded and stored by this run.")
    generation: int | None = Field(description="Index generation published (null: no change).")
    seconds: float
    files: list[FileOutcomeOut]

    @classmethod
    def of(cls, report: IngestReport) -> IngestReportOut:
        return cls(
            added=report.count(FileStatus.added),
            replaced=report.count(FileStatus.replaced),
            unchanged=report.count(FileStatus.unchanged),
            failed=report.count(FileStatus.failed),
            chunks=report.chunks,
            generation=report.generation,
            seconds=round(report.seconds, 3),
            files=[FileOutcomeOut.of(f) for f in report.files],
        )


class SentenceOut(BaseModel):
    text: str = Field(description="A sentence copied verbatim from the cited passage.")
    citation: int = Field(description="Number `n` of the citation it comes from.")


class CitationOut(HitOut):
    n: int = Field(description="The number the answer refers to as [n].")
    highlights: list[tuple[int, int]] = Field(
        description="(start, end) offsets in `text` of the sentences used in the answer."
    )


class TimingsOut(BaseModel):
    retrieve_ms: float
    answer_ms: float
    total_ms: float


class StatementOut(BaseModel):
    """A recommendation, position or finding of a brief, verbatim, with its citation fields."""

    id: str
    kind: str = Field(description="recommendation, position or finding.")
    text: str = Field(description="Verbatim from the brief.")
    label: str | None = Field(None, description="The item's own heading in the brief, if any.")
    actor: str | None = Field(None, description="Who holds it: 'the authors' or a named party.")
    addressee: str | None = Field(None, description="Whom a recommendation addresses.")
    page_start: int
    page_end: int
    section: str | None
    char_start: int
    char_end: int

    @classmethod
    def of(cls, s: Statement) -> StatementOut:
        return cls.model_validate(s, from_attributes=True)


class StatementListOut(BaseModel):
    document: DocumentOut
    statements: list[StatementOut]


class ItemOut(BaseModel):
    """One entry of a list answer (recommendations, positions, one entry per brief)."""

    text: str = Field(description="Verbatim from the cited passage.")
    citation: int = Field(description="Number `n` of the citation it comes from.")
    kind: str = Field(description="recommendation, position, finding or passage.")
    doc_id: str
    label: str | None = Field(None, description="The item's own heading in the brief, if any.")
    actor: str | None = Field(None, description="Who holds it: 'the authors' or a named party.")
    addressee: str | None = Field(None, description="Whom a recommendation addresses.")


class ResolvedBriefOut(BaseModel):
    """A brief the answer was restricted to, and how the question (or a filter) named it."""

    doc_id: str
    title: str
    matched_by: str = Field(description="number, title or filter.")
    matched_text: str = Field(description="The words of the question (or filter) that named it.")


class AskOut(BaseModel):
    question: str
    mode: str
    intent: str = Field(description="recommendations, position, comparison or fact.")
    answered: bool = Field(description="False when no passage of the briefs answers the question.")
    answer: str = Field(
        description="Verbatim sentences, each followed by its [n]; list answers put one "
        "numbered item per line."
    )
    items: list[ItemOut] = Field(description="The entries of a list answer (else empty).")
    documents: list[ResolvedBriefOut] = Field(
        description="Briefs the answer was restricted to (named in the question or filtered)."
    )
    sentences: list[SentenceOut]
    citations: list[CitationOut]
    closest: list[HitOut] = Field(
        description="When not answered: the closest passages, so the refusal can be judged."
    )
    timings: TimingsOut

    @classmethod
    def of(cls, answer: Answer, mode: SearchMode) -> AskOut:
        return cls(
            question=answer.question,
            mode=mode.value,
            intent=answer.intent.value,
            answered=answer.answered,
            answer=answer.text,
            items=[ItemOut.model_validate(i, from_attributes=True) for i in answer.items],
            documents=[
                ResolvedBriefOut.model_validate(d, from_attributes=True) for d in answer.documents
            ],
            closest=[HitOut.of(h) for h in answer.closest],
            sentences=[SentenceOut(text=s.text, citation=s.citation) for s in answer.sentences],
            citations=[citation_out(c.n, c.hit, c.highlights) for c in answer.citations],
            timings=TimingsOut(
                retrieve_ms=answer.timings.get("retrieve_ms", 0.0),
                answer_ms=answer.timings.get("answer_ms", 0.0),
                total_ms=answer.timings.get("total_ms", 0.0),
            ),
        )


def citation_out(n: int, hit: Hit, highlights: tuple[tuple[int, int], ...]) -> CitationOut:
    return CitationOut(**HitOut.of(hit).model_dump(), n=n, highlights=list(highlights))
