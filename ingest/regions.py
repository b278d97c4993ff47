"""Stretches of a document that are not body text: footnote blocks (found by the PDF layout),
reference lists and endnotes (by their section heading), tables of contents (by their heading
or their dotted page-number entries)."""

from __future__ import annotations

import re

from .sections import KNOWN_HEADINGS
from .types import CONTENTS, COVER, REFERENCES, Document, Region

_REFERENCE_HEADINGS = frozenset(
    {
        "references",
        "bibliography",
        "notes",
        "endnotes",
        "sources",
        "works cited",
        "literature",
        "further reading",
        "reference list",
        "notes and references",
    }
)
_CONTENTS_HEADING = re.compile(r"^(?:table of )?contents\b", re.IGNORECASE | re.MULTILINE)
# "2.1 Market access ........ 14" or "Market access 14" at a contents line's end.
_CONTENTS_ENTRY = re.compile(r"(?:\.{3,}|…+|\s)\s*\d{1,3}$")
# Tables of contents sit near the front.
_CONTENTS_PAGES = 4
# A cover or back page holds little text and almost no sentences.
_COVER_MAX_CHARS = 600
_IMPRINT = re.compile(
    r"©|\bcopyright\b|\ball rights reserved\b|\bISBN\b|\bISSN\b|\bDOI\b|www\.|https?://|"
    r"@\w|\bpublished by\b|\bprinted (?:in|by)\b|\bcreative commons\b|\bCC BY\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[a-z]{2,}[.!?](?:\s|$)")


def find_regions(doc: Document, footnotes: tuple[Region, ...] = ()) -> tuple[Region, ...]:
    """The document's non-body regions, sorted; where two overlap the earlier one wins, except
    that a cover or back page is always its own region."""
    found = [*footnotes, *_reference_sections(doc), *_contents_pages(doc), *_cover_pages(doc)]
    found.sort(key=lambda r: (r.start, r.end))
    merged: list[Region] = []
    for region in found:
        if merged and region.role == COVER and region.start < merged[-1].end:
            # A back page ends whatever ran on to the end of the text (a reference list).
            last = merged.pop()
            if region.start > last.start:
                merged.append(Region(last.start, region.start, last.role))
            merged.append(region)
            continue
        if merged and region.start < merged[-1].end:
            if region.end > merged[-1].end and region.role == merged[-1].role:
                merged[-1] = Region(merged[-1].start, region.end, region.role)
            elif region.end > merged[-1].end:
                merged.append(Region(merged[-1].end, region.end, region.role))
            continue
        merged.append(region)
    return tuple(merged)


def _reference_sections(doc: Document) -> list[Region]:
    """A reference list runs from its heading to the next known heading, or the end."""
    regions = []
    sections = doc.sections
    for i, section in enumerate(sections):
        if _heading_key(section.heading) not in _REFERENCE_HEADINGS:
            continue
        end = len(doc.text)
        for later in sections[i + 1 :]:
            key = _heading_key(later.heading)
            if key in KNOWN_HEADINGS and key not in _REFERENCE_HEADINGS:
                end = later.start
                break
        regions.append(Region(section.start, end, REFERENCES))
    return regions


def _contents_pages(doc: Document) -> list[Region]:
    regions = []
    for number, page in enumerate(doc.pages[:_CONTENTS_PAGES]):
        offset = doc.page_offsets[number]
        heading = _CONTENTS_HEADING.search(page)
        lines = [line.strip() for line in re.split(r"\n+|(?<=\d) (?=[A-Z0-9])", page)]
        entries = sum(bool(_CONTENTS_ENTRY.search(line)) for line in lines if line)
        if heading and entries >= 3:
            regions.append(Region(offset + heading.start(), offset + len(page), CONTENTS))
        elif re.search(r"\.{5,}\s*\d{1,3}", page) and page.count("....") >= 5:
            regions.append(Region(offset, offset + len(page), CONTENTS))
    return regions


def _cover_pages(doc: Document) -> list[Region]:
    """The first page when it is a cover (a title and little else), the last page when it is
    a back page (an imprint: copyright, addresses, ISBN) with few sentences."""
    regions: list[Region] = []
    if len(doc.pages) < 3:
        return regions
    for number in (0, len(doc.pages) - 1):
        page = doc.pages[number]
        text = page.strip()
        if not text or len(text) > _COVER_MAX_CHARS or len(_SENTENCE.findall(text)) > 2:
            continue
        if _CONTENTS_HEADING.search(text):
            continue  # a title page with the contents is labelled as contents
        if number == 0 or _IMPRINT.search(text):
            offset = doc.page_offsets[number]
            regions.append(Region(offset, offset + len(page), COVER))
    return regions


def _heading_key(heading: str) -> str:
    text = re.sub(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,5}\.)\s+", "", heading.strip())
    return text.lower().rstrip(":").strip()
