"""PDF text with pypdf (the only module that imports it): the fallback extractor, for files
and pages PDFium cannot read or reads worse."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from .errors import CorruptFileError, EncryptedFileError, IngestError
from .layout import PageLayout, TextLine

# pypdf logs every recoverable oddity of a PDF at WARNING; we report real failures ourselves.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True)
class PypdfDocument:
    """An open PDF: its page count and metadata, and a way to read one page at a time."""

    reader: PdfReader
    n_pages: int
    title: str | None
    author: str | None

    def page_layout(self, index: int) -> PageLayout:
        """The positioned lines of page `index` (0-based). Raises on a page pypdf cannot read."""
        try:
            return _layout(self.reader.pages[index])
        except FileNotDecryptedError as exc:
            raise EncryptedFileError("the PDF is encrypted and needs a password") from exc


def open_pypdf(data: bytes) -> PypdfDocument:
    """Open a PDF (the empty password is tried) or raise a specific IngestError."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt_with_empty_password(reader)
        n_pages = len(reader.pages)
        info = reader.metadata
        title = str(info.title) if info and info.title else None
        author = str(info.author) if info and info.author else None
    except IngestError:
        raise
    except FileNotDecryptedError as exc:
        raise EncryptedFileError("the PDF is encrypted and needs a password") from exc
    except Exception as exc:  # pypdf raises many kinds of exception on damaged files
        raise CorruptFileError(f"the PDF is damaged or truncated ({short_reason(exc)})") from exc
    return PypdfDocument(reader, n_pages, title, author)


def _decrypt_with_empty_password(reader: PdfReader) -> None:
    # Many briefs are "encrypted" only to forbid printing or copying: the empty password opens them.
    try:
        result = reader.decrypt("")
    except DependencyError as exc:
        raise EncryptedFileError(
            f"the PDF is encrypted with an unsupported cipher ({exc})"
        ) from exc
    except (PdfReadError, PyPdfError, NotImplementedError) as exc:
        raise EncryptedFileError(f"the PDF is encrypted and could not be opened ({exc})") from exc
    if not result:
        raise EncryptedFileError("the PDF is encrypted and needs a password (the empty one failed)")


class _Errors(logging.Handler):
    """Collects the problems pypdf logs (and otherwise swallows) while it reads one page."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class PageReadError(Exception):
    """pypdf read nothing from a page and logged why (e.g. an undecodable content stream)."""


def _layout(page: PageObject) -> PageLayout:
    errors = _Errors()
    logger = logging.getLogger("pypdf")
    level, propagate = logger.level, logger.propagate
    logger.addHandler(errors)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        layout = _visit(page)
    finally:
        logger.removeHandler(errors)
        logger.setLevel(level)
        logger.propagate = propagate
    if errors.messages and not any(line.text.strip() for line in layout.lines):
        raise PageReadError(errors.messages[0])
    return layout


def _visit(page: PageObject) -> PageLayout:
    lines = [TextLine()]

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        scale = abs(tm[3] or tm[0] or 1.0) * abs(cm[3] or cm[0] or 1.0)
        for n, segment in enumerate(text.split("\n")):
            if n:
                lines.append(TextLine())
            line = lines[-1]
            line.text += segment
            if segment.strip() and line.baseline is None:
                line.baseline = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                line.size = float(size) * scale

    plain = page.extract_text(visitor_text=visit) or ""
    if "".join(line.text for line in lines) != plain.replace("\n", ""):
        # The visitor did not see what extract_text returned: keep the text, without layout.
        return PageLayout([TextLine(text) for text in plain.split("\n")])
    return PageLayout(lines)


def short_reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 160 else text[:157] + "..."
