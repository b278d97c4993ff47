"""Every page of a PDF read by the better of two extractors: PDFium first, pypdf where PDFium
fails or its text has more defects. A page neither can read is reported and left empty, so one
bad page does not cost the document its other pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .errors import CorruptFileError, FileTooLargeError, IngestError
from .layout import PageLayout, PageLines
from .pdf import open_pypdf, short_reason
from .pdfium import open_pdfium
from .quality import text_defects
from .types import PageFailure

# PDFium's page is kept unless pypdf's reading of it has clearly fewer defects.
_DEFECT_MARGIN = 0.002


class _Extractor(Protocol):
    @property
    def n_pages(self) -> int: ...
    @property
    def title(self) -> str | None: ...
    @property
    def author(self) -> str | None: ...

    def page_layout(self, index: int) -> PageLayout: ...


@dataclass(frozen=True)
class RawPdf:
    """Lines per page (1-based order; a failed page has none), the pages that failed and why,
    the metadata title and author, and the largest text of the first page."""

    pages: tuple[PageLines, ...]
    failures: tuple[PageFailure, ...]
    metadata_title: str | None
    metadata_author: str | None
    largest_text_on_first_page: str | None
    fallback_pages: tuple[int, ...] = ()  # 1-based pages read by pypdf


def read_pdf(data: bytes, max_pages: int) -> RawPdf:
    """Extract every page; raise a specific IngestError when no page can be read."""
    try:
        with open_pdfium(data) as primary:
            return _read(primary, data, max_pages)
    except CorruptFileError as pdfium_error:
        # PDFium refused the file itself; pypdf's lenient parser may still read a damaged one.
        try:
            fallback = open_pypdf(data)
        except IngestError:
            raise pdfium_error from None
        return _read(fallback, None, max_pages)


def _read(primary: _Extractor, data: bytes | None, max_pages: int) -> RawPdf:
    if primary.n_pages == 0:
        raise CorruptFileError("the PDF has no pages")
    if primary.n_pages > max_pages:
        raise FileTooLargeError(
            f"the PDF has {primary.n_pages} pages, over the limit of {max_pages}"
        )
    second = _Fallback(data)
    pages: list[PageLines] = []
    failures: list[PageFailure] = []
    fallback_pages: list[int] = []
    first_layout: PageLayout | None = None
    for index in range(primary.n_pages):
        layout, reason = _page(primary, index)
        # A page PDFium finds empty may be one it could not decode; one with glued words may
        # read better in pypdf: ask the other extractor, and keep its reason if both fail.
        if layout is None or _defects(layout) > 0 or not _has_text(layout):
            other, other_reason = second.page(index)
            if other is not None and _reads_better(other, layout):
                layout = other
                fallback_pages.append(index + 1)
            reason = reason or other_reason
        if layout is None or (reason and not _has_text(layout)):
            failures.append(PageFailure(page=index + 1, reason=reason or "unreadable"))
            pages.append(PageLines([], []))
            continue
        if first_layout is None and index == 0:
            first_layout = layout
        pages.append(layout.text_lines())
    if len(failures) == len(pages):
        raise CorruptFileError(f"no page of the PDF could be read ({failures[0].reason})")
    return RawPdf(
        pages=tuple(pages),
        failures=tuple(failures),
        metadata_title=primary.title or second.title,
        metadata_author=primary.author or second.author,
        largest_text_on_first_page=first_layout.largest_text() if first_layout else None,
        fallback_pages=tuple(fallback_pages),
    )


def _page(extractor: _Extractor, index: int) -> tuple[PageLayout | None, str | None]:
    try:
        return extractor.page_layout(index), None
    except IngestError:
        raise
    except Exception as exc:  # the libraries raise many kinds of exception on damaged pages
        return None, short_reason(exc)


def _reads_better(other: PageLayout, layout: PageLayout | None) -> bool:
    if layout is None or not _has_text(layout):
        return _has_text(other) or layout is None
    return _has_text(other) and _defects(other) + _DEFECT_MARGIN < _defects(layout)


def _has_text(layout: PageLayout) -> bool:
    return any(line.text.strip() for line in layout.lines)


def _defects(layout: PageLayout) -> float:
    return text_defects(" ".join(line.text for line in layout.lines))


class _Fallback:
    """pypdf, opened only when a page needs it."""

    def __init__(self, data: bytes | None) -> None:
        self._data = data
        self._opened: _Extractor | None = None
        self._failed = data is None

    @property
    def title(self) -> str | None:
        return self._opened.title if self._opened else None

    @property
    def author(self) -> str | None:
        return self._opened.author if self._opened else None

    def page(self, index: int) -> tuple[PageLayout | None, str | None]:
        if self._opened is None and not self._failed and self._data is not None:
            try:
                self._opened = open_pypdf(self._data)
            except IngestError:
                self._failed = True
        if self._opened is None:
            return None, None
        return _page(self._opened, index)
