"""PDF text extraction with pypdf (the only module that imports it): page text, title, author."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from .errors import CorruptFileError, EncryptedFileError, FileTooLargeError, IngestError

# pypdf logs every recoverable oddity of a PDF at WARNING; we report real failures ourselves.
logging.getLogger("pypdf").setLevel(logging.ERROR)

# A baseline step this much larger than the page's usual line spacing (relative to the font
# size) is a paragraph gap: it becomes a blank line in the page text.
PARAGRAPH_GAP = 1.3
_SENTENCE_END = (".", "!", "?", '"', "”", "’", ")")


@dataclass(frozen=True)
class RawPdf:
    """What pypdf gives us: text per page (1-based order), the metadata title and author.

    Page text has one extracted line per line and a blank line where a paragraph break shows:
    a vertical gap wider than the usual line spacing, or a jump up to the top of a new column
    right after the end of a sentence.
    """

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
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many kinds of exception on damaged files
        raise CorruptFileError(f"the PDF is damaged or truncated ({_short(exc)})") from exc
    if n_pages == 0:
        raise CorruptFileError("the PDF has no pages")
    if n_pages > max_pages:
        raise FileTooLargeError(f"the PDF has {n_pages} pages, over the limit of {max_pages}")
    try:
        extracted = [_extract(page) for page in reader.pages]
        info = reader.metadata
        title = str(info.title) if info and info.title else None
        author = str(info.author) if info and info.author else None
    except FileNotDecryptedError as exc:
        raise EncryptedFileError("the PDF is encrypted and needs a password") from exc
    except IngestError:
        raise
    except Exception as exc:
        raise CorruptFileError(f"the PDF is damaged or truncated ({_short(exc)})") from exc
    pages = tuple(page.text() for page in extracted)
    return RawPdf(pages, title, author, extracted[0].largest_text())


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


@dataclass
class _Line:
    text: str = ""
    baseline: float | None = None  # y of the first visible fragment, in page space
    size: float = 0.0  # its font size, in page space


@dataclass
class _PageText:
    """pypdf's text of one page, with the position and size of each line and each fragment."""

    plain: str
    lines: list[_Line]
    fragments: list[tuple[float, str]] = field(default_factory=list)

    def text(self) -> str:
        """The extracted text with a blank line at each paragraph gap."""
        if "".join(line.text for line in self.lines) != self.plain.replace("\n", ""):
            return self.plain  # the visitor did not see what extract_text returned: no layout
        placed = [line for line in self.lines if line.baseline is not None]
        found = [s for a, b in pairwise(placed) if (s := _relative_step(a, b)) is not None]
        usual = median(found) if len(found) >= 3 else None
        out: list[str] = []
        previous: _Line | None = None
        for line in self.lines:
            if line.baseline is not None:
                if previous and _starts_paragraph(previous, line, usual):
                    out.append("")
                previous = line
            out.append(line.text)
        return "\n".join(out)

    def largest_text(self) -> str | None:
        """The run of text set in the largest font: the usual place of a brief's title."""
        if not self.fragments:
            return None
        biggest = max(size for size, _ in self.fragments)
        title = " ".join(t.strip() for size, t in self.fragments if size >= biggest * 0.95)
        return " ".join(title.split()) or None


def _starts_paragraph(previous: _Line, line: _Line, usual: float | None) -> bool:
    """A wide gap above the line, or a jump up (a new column) after a sentence's end."""
    if (
        previous.baseline is not None
        and line.baseline is not None
        and line.baseline > previous.baseline
    ):
        return previous.text.rstrip().endswith(_SENTENCE_END)
    step = _relative_step(previous, line)
    return bool(usual and step and step > PARAGRAPH_GAP * usual)


def _relative_step(upper: _Line, lower: _Line) -> float | None:
    """Baseline distance from one line down to the next, in units of the smaller font size."""
    if upper.baseline is None or lower.baseline is None or upper.baseline <= lower.baseline:
        return None
    size = min(upper.size, lower.size)
    return (upper.baseline - lower.baseline) / size if size > 0 else None


def _extract(page: PageObject) -> _PageText:
    lines = [_Line()]
    fragments: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        scale = abs(tm[3] or tm[0] or 1.0) * abs(cm[3] or cm[0] or 1.0)
        for n, segment in enumerate(text.split("\n")):
            if n:
                lines.append(_Line())
            line = lines[-1]
            line.text += segment
            if segment.strip() and line.baseline is None:
                line.baseline = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                line.size = float(size) * scale
        if text.strip():
            fragments.append((round(float(size) * scale, 1), text))

    plain = page.extract_text(visitor_text=visit) or ""
    return _PageText(plain, lines, fragments)


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 160 else text[:157] + "..."
