"""PDF text with PDFium through pypdfium2 (the only module that imports it): the primary
extractor. It keeps word spaces that pypdf loses, reads pages pypdf cannot, and is many times
faster; each character comes with its position and font size."""

from __future__ import annotations

import ctypes
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .errors import CorruptFileError, EncryptedFileError
from .layout import PageLayout, TextLine

# PDFium marks a hyphen it believes breaks a word at a line end with U+FFFE (or U+0002) and
# does not end the line there; we restore the hyphen and the line end so the document's own
# vocabulary decides whether to rejoin (as for pypdf's text).
_LINE_END_HYPHENS = "\ufffe\x02"
_LINE_ENDS = "\r\n"
_ANGLE_TOLERANCE = 0.05  # radians; PDFium gives -1 when it cannot tell


@dataclass(frozen=True)
class PdfiumDocument:
    """An open PDF: its page count and metadata, and a way to read one page at a time."""

    handle: pdfium.PdfDocument
    n_pages: int
    title: str | None
    author: str | None

    def page_layout(self, index: int) -> PageLayout:
        """The positioned lines of page `index` (0-based). Raises on a page PDFium cannot read."""
        page = self.handle[index]
        try:
            textpage = page.get_textpage()
            try:
                return _layout(textpage)
            finally:
                textpage.close()
        finally:
            page.close()


@contextmanager
def open_pdfium(data: bytes) -> Iterator[PdfiumDocument]:
    """Open a PDF (the empty password is tried, as viewers do) or raise a specific IngestError."""
    try:
        handle = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (pdfium_c.FPDF_ERR_PASSWORD,):
            raise EncryptedFileError("the PDF is encrypted and needs a password") from exc
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedFileError("the PDF uses an unsupported security handler") from exc
        raise CorruptFileError(f"the PDF is damaged or truncated ({exc})") from exc
    try:
        meta = handle.get_metadata_dict(skip_empty=True)
        yield PdfiumDocument(
            handle=handle,
            n_pages=len(handle),
            title=meta.get("Title"),
            author=meta.get("Author"),
        )
    finally:
        handle.close()


def _layout(textpage: pdfium.PdfTextPage) -> PageLayout:
    raw = textpage.raw
    lines = [TextLine()]
    x, y = ctypes.c_double(), ctypes.c_double()
    matrix = pdfium_c.FS_MATRIX()
    after_cr = False
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if not code:
            continue
        char = chr(code)
        if char in _LINE_ENDS:
            # "\r\n" ends one line; a lone "\r" or "\n" too.
            if not (char == "\n" and after_cr):
                lines.append(TextLine())
            after_cr = char == "\r"
            continue
        after_cr = False
        line = lines[-1]
        if char in _LINE_END_HYPHENS:
            line.text += "-"
            lines.append(TextLine())
            continue
        if line.baseline is None and not char.isspace():
            if pdfium_c.FPDFText_GetCharOrigin(raw, i, ctypes.byref(x), ctypes.byref(y)):
                line.baseline = y.value
            line.size = _font_size(raw, i, matrix)
            angle = float(pdfium_c.FPDFText_GetCharAngle(raw, i))
            line.rotated = _ANGLE_TOLERANCE < angle < 2 * math.pi - _ANGLE_TOLERANCE
        line.text += char
    return PageLayout(lines)


def _font_size(raw: object, index: int, matrix: pdfium_c.FS_MATRIX) -> float:
    """The character's size on the page: the font size times the text matrix's vertical scale
    (many producers set a 1 pt font and scale it with the matrix)."""
    size = float(pdfium_c.FPDFText_GetFontSize(raw, index))
    if pdfium_c.FPDFText_GetMatrix(raw, index, ctypes.byref(matrix)):
        size *= math.hypot(matrix.c, matrix.d) or 1.0
    return size
