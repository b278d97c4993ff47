"""Turn a file's bytes into a Document: sniff, extract, clean, find metadata and sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from .clean import Vocabulary, join_hyphenation, normalise, reflow_paragraphs, running_line_mask
from .errors import FileTooLargeError, NoTextLayerError, UnsupportedFileError
from .markup import MarkupText, parse_html, parse_markdown, parse_plain_text
from .metadata import find_date, find_metadata
from .pdf_pages import read_pdf
from .publisher import find_publisher, with_acronym
from .quality import check_text_quality
from .regions import find_regions
from .repair import WordCounts, rejoin_ligature_splits, split_glued_words
from .sections import find_sections
from .sniff import resolve_kind
from .types import FOOTNOTE, PAGE_SEPARATOR, Document, Region, Section, content_id


@dataclass(frozen=True)
class ParseLimits:
    """Inputs over these limits are refused with a clear reason."""

    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 500


_JUNK_TITLES = re.compile(
    r"^(untitled|microsoft word|document\d*|slide \d+)|\.(docx?|pdf|indd)$", re.I
)


def parse_file(path: Path, limits: ParseLimits | None = None) -> Document:
    limits = limits or ParseLimits()
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise FileTooLargeError(
            f"the file is {size:,} bytes, over the limit of {limits.max_bytes:,}"
        )
    return parse_bytes(path.name, path.read_bytes(), limits)


def parse_bytes(name: str, data: bytes, limits: ParseLimits | None = None) -> Document:
    """Parse one brief given its file name (for the extension and `source`) and its bytes."""
    limits = limits or ParseLimits()
    if len(data) > limits.max_bytes:
        raise FileTooLargeError(
            f"the file is {len(data):,} bytes, over the limit of {limits.max_bytes:,}"
        )
    kind = resolve_kind(name, data)
    doc_id = content_id(data)
    if kind == "pdf":
        return _pdf_document(doc_id, name, data, limits)
    return _markup_document(doc_id, name, kind, _decode(data))


def _pdf_document(doc_id: str, name: str, data: bytes, limits: ParseLimits) -> Document:
    raw = read_pdf(data, limits.max_pages)
    bodies = [_normalise_lines(page.body) for page in raw.pages]
    notes = [_normalise_lines(page.notes) for page in raw.pages]
    readable = len(raw.pages) - len(raw.failures)
    # Fewer than five characters a page on average: nothing but images (or blank pages).
    if sum(len(line) for page in bodies + notes for line in page) < 5 * readable:
        raise NoTextLayerError(
            "the PDF has no text layer (scanned or image-only pages); run OCR on it first"
        )
    # Running lines are found on whole pages (a footer sits below the footnotes).
    masks = running_line_mask([b + n for b, n in zip(bodies, notes, strict=True)])
    kept_bodies, kept_notes = [], []
    running = tuple(
        dict.fromkeys(
            line
            for body, note, mask in zip(bodies, notes, masks, strict=True)
            for line, run in zip(body + note, mask, strict=True)
            if run and line.strip()
        )
    )
    for body, note, mask in zip(bodies, notes, masks, strict=True):
        kept_bodies.append([line for line, run in zip(body, mask, strict=False) if not run])
        kept_notes.append(
            [line for line, run in zip(note, mask[len(body) :], strict=True) if not run]
        )
    paragraphs = [reflow_paragraphs(lines) for lines in kept_bodies]
    note_paragraphs = [reflow_paragraphs(lines) for lines in kept_notes]
    vocabulary = Vocabulary.of("\n".join(paragraphs + note_paragraphs))
    paragraphs = _carry_split_words(paragraphs, vocabulary)
    unwrapped = [
        (_unwrap_page(body, vocabulary), _unwrap_page(note, vocabulary))
        for body, note in zip(paragraphs, note_paragraphs, strict=True)
    ]
    words = WordCounts.of_pages([part for pair in unwrapped for part in pair])
    pages: list[str] = []
    note_starts: list[int | None] = []
    for body_text, note_text in ((_repair(b, words), _repair(n, words)) for b, n in unwrapped):
        joined = PAGE_SEPARATOR.join(part for part in (body_text, note_text) if part)
        pages.append(joined)
        note_starts.append(len(joined) - len(note_text) if note_text else None)
    text = PAGE_SEPARATOR.join(pages)
    check_text_quality(text)
    first_page = "\n".join(bodies[0]) if bodies else ""
    meta = find_metadata(first_page)
    title = _pick_title(raw.metadata_title, raw.largest_text_on_first_page, tuple(pages), name)
    publisher = find_publisher(raw.metadata_author, tuple(pages), running)
    authors = meta.authors or _split_authors(raw.metadata_author)
    if publisher and raw.metadata_author and publisher.name in raw.metadata_author:
        authors = meta.authors  # the author field names the publisher, not people
    doc = Document(
        id=doc_id,
        source=name,
        title=title,
        pages=tuple(pages),
        series=meta.series,
        number=meta.number,
        date=meta.date,
        authors=authors,
        kind="pdf",
        failed_pages=raw.failures,
        publisher=publisher.name if publisher else None,
        publisher_acronym=publisher.acronym if publisher else None,
    )
    doc = _with_sections(doc, find_sections(doc.text))
    footnotes = tuple(
        Region(offset + start, offset + len(page), FOOTNOTE)
        for offset, page, start in zip(doc.page_offsets, pages, note_starts, strict=True)
        if start is not None
    )
    return replace(doc, regions=find_regions(doc, footnotes))


def _repair(text: str, words: WordCounts) -> str:
    return split_glued_words(rejoin_ligature_splits(text, words), words)


def _normalise_lines(lines: list[str]) -> list[str]:
    return [normalise(line).replace("\n", " ") for line in lines]


def _unwrap_page(page: str, vocabulary: Vocabulary) -> str:
    joined = join_hyphenation(page, vocabulary)
    return re.sub(r"(?<!\n)\n(?!\n)", " ", joined)


def _carry_split_words(pages: list[str], vocabulary: Vocabulary) -> list[str]:
    """A word hyphenated across a page break is completed on the page where it starts."""
    pages = list(pages)
    for i in range(len(pages) - 1):
        tail = re.search(r"(\w+)-$", pages[i])
        head = re.match(r"(\w+)([,.;:]?)(\s|$)", pages[i + 1])
        if tail and head:
            hyphen = "-" if vocabulary.keeps_hyphen(tail.group(1), head.group(1)) else ""
            pages[i] = pages[i][: tail.end(1)] + hyphen + head.group(1) + head.group(2)
            pages[i + 1] = pages[i + 1][head.end() :].lstrip()
    return pages


def _pick_title(
    meta_title: str | None, largest: str | None, pages: tuple[str, ...], name: str
) -> str:
    for candidate in (meta_title, largest):
        if candidate:
            clean = " ".join(normalise(candidate).split())
            if len(clean) >= 4 and not _JUNK_TITLES.search(clean):
                return clean
    first = next((p for p in pages[0].split("\n\n") if len(p) > 3), "") if pages else ""
    return first[:200] or Path(name).stem


def _split_authors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(a.strip() for a in re.split(r";|,|\band\b|&", value) if a.strip())


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise UnsupportedFileError("the text is neither UTF-8 nor Windows-1252") from exc


def _markup_document(doc_id: str, name: str, kind: str, source: str) -> Document:
    parsed: MarkupText
    if kind == "markdown":
        parsed = parse_markdown(source)
    elif kind == "html":
        parsed = parse_html(source)
    else:
        parsed = parse_plain_text(source)
    if not parsed.text.strip():
        raise NoTextLayerError("the file has no readable text")
    check_text_quality(parsed.text)
    # Plain text keeps its original lines for metadata ("By ..." on a line of its own).
    meta = find_metadata(normalise(source) if kind == "text" else parsed.text)
    stated = parsed.meta
    named = stated.get("publisher") or stated.get("og:site_name")
    publisher = with_acronym(named, parsed.text) if named else None
    number = stated.get("number")
    doc = Document(
        id=doc_id,
        source=name,
        title=parsed.title or Path(name).stem,
        pages=(parsed.text,),
        series=stated.get("series") or meta.series,
        number=str(int(number)) if number and number.isdigit() else meta.number,
        date=find_date(stated["date"]) if stated.get("date") else meta.date,
        authors=_split_authors(stated.get("authors") or stated.get("author")) or meta.authors,
        url=stated.get("url") or stated.get("og:url"),
        kind=kind,
        publisher=publisher.name if publisher else None,
        publisher_acronym=publisher.acronym if publisher else None,
    )
    if parsed.headings:
        sections = _locate_headings(doc.text, parsed.headings)
    else:
        sections = find_sections(doc.text)
    doc = _with_sections(doc, sections)
    return replace(doc, regions=find_regions(doc))


def _locate_headings(text: str, headings: tuple[str, ...]) -> tuple[Section, ...]:
    found, pos = [], 0
    for heading in headings:
        at = text.find(heading, pos)
        if at >= 0:
            found.append(Section(heading=heading, start=at))
            pos = at + len(heading)
    return tuple(found)


def _with_sections(doc: Document, sections: tuple[Section, ...]) -> Document:
    return replace(doc, sections=sections)
