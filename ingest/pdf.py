"""PDF text extraction with pypdf (the only module that imports it): raw page text and title."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from .errors import CorruptFileError, EncryptedFileError, FileTooLargeError

# pypdf logs every recoverable oddity of a PDF at WARNING; we report real failures ourselves.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True)
class RawPdf:
    """What pypdf gives us: text per page (1-based order), the metadata title and author."""

    pages: tuple[str, ...]
    metadata_title: str | None
    metadata_author: str | None
    largest_text_on_first_page: str | None


def read_pdf(data: bytes, max_pages: int) -> RawPdf:
    """Extract text from every page; raise a specific IngestError when that is impossible."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt_with_empty_password(reader)
        n_pages = len(reader.pages)
    except (EncryptedFileError, FileTooLargeError):
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CorruptFileError(f"the PDF is damaged or truncated ({_short(exc)})") from exc
    if n_pages == 0:
        raise CorruptFileError("the PDF has no pages")
    if n_pages > max_pages:
        raise FileTooLargeError(f"the PDF has {n_pages} pages, over the limit of {max_pages}")
    pages = []
    try:
        for page in reader.pages:
            pages.append(page.extract_text() or "")
        info = reader.metadata
        title = str(info.title) if info and info.title else None
        author = str(info.author) if info and info.author else None
        largest = _largest_text(reader) if pages else None
    except FileNotDecryptedError as exc:
        raise EncryptedFileError("the PDF is encrypted and needs a password") from exc
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CorruptFileError(f"the PDF is damaged or truncated ({_short(exc)})") from exc
    return RawPdf(tuple(pages), title, author, largest)


def _decrypt_with_empty_password(reader: PdfReader) -> None:
    # Many briefs are "encrypted" only to forbid printing or copying: the empty password opens them.
    try:
        result = reader.decrypt("")
    except DependencyError as exc:
        raise EncryptedFileError(f"the PDF is encrypted with an unsupported cipher ({exc})") from exc
    except (PdfReadError, PyPdfError, NotImplementedError) as exc:
        raise EncryptedFileError(f"the PDF is encrypted and could not be opened ({exc})") from exc
    if not result:
        raise EncryptedFileError("the PDF is encrypted and needs a password (the empty one failed)")


def _largest_text(reader: PdfReader) -> str | None:
    """The run of text set in the largest font on page 1: the usual place of a brief's title."""
    fragments: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale = abs(tm[3] or tm[0] or 1.0) * abs(cm[3] or cm[0] or 1.0)
            fragments.append((round(float(size) * scale, 1), text))

    reader.pages[0].extract_text(visitor_text=visit)
    if not fragments:
        return None
    biggest = max(size for size, _ in fragments)
    title = " ".join(t.strip() for size, t in fragments if size >= biggest * 0.95)
    return " ".join(title.split()) or None


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 160 else text[:157] + "..."
