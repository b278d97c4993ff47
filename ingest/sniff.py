"""Decide a file's kind from its bytes, and check it against what its extension claims."""

from __future__ import annotations

from .errors import EmptyFileError, UnsupportedFileError

SUPPORTED_EXTENSIONS = {
    ".pdf": "pdf",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}

# Magic bytes of common files people drop into a folder of briefs by mistake.
_FOREIGN_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (or an Office document such as .docx)"),
    (b"\xd0\xcf\x11\xe0", "a legacy Microsoft Office document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "an executable"),
)


def sniff_kind(data: bytes) -> str:
    """Return "pdf", "html" or "text" from the bytes, or raise with what the bytes look like."""
    if not data.strip():
        raise EmptyFileError("the file is empty")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    for magic, what in _FOREIGN_MAGIC:
        if data.startswith(magic):
            raise UnsupportedFileError(
                f"the file is {what}, not a PDF, text, Markdown or HTML file"
            )
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedFileError(
            "the file is binary data, not a PDF, text, Markdown or HTML file"
        )
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return "text"


def resolve_kind(name: str, data: bytes) -> str:
    """The kind to parse `data` as: by bytes, which must agree with a known extension."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    declared = SUPPORTED_EXTENSIONS.get(suffix)
    actual = sniff_kind(data)
    if declared is None:
        if suffix:
            raise UnsupportedFileError(
                f"unsupported extension {suffix!r}: use .pdf, .txt, .md or .html"
            )
        return actual
    if declared == "pdf" and actual != "pdf":
        raise UnsupportedFileError(
            f"the name ends in {suffix} but the bytes are not a PDF (no %PDF- header)"
        )
    if declared != "pdf" and actual == "pdf":
        raise UnsupportedFileError(f"the name ends in {suffix} but the bytes are a PDF")
    if declared == "markdown":
        return "markdown"
    # An .html file is parsed as HTML even when its head is unusual; .txt that is HTML stays text.
    return declared
