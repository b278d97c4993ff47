"""Section headings: recognise them in extracted text and locate them as offsets."""

from __future__ import annotations

import re

from .types import Section

KNOWN_HEADINGS = frozenset(
    [
        "abstract",
        "summary",
        "executive summary",
        "key findings",
        "key points",
        "key messages",
        "key takeaways",
        "introduction",
        "background",
        "context",
        "analysis",
        "discussion",
        "methodology",
        "policy recommendations",
        "recommendations",
        "recommendations for policymakers",
        "recommendations for the eu",
        "policy implications",
        "implications",
        "conclusion",
        "conclusions",
        "concluding remarks",
        "the way forward",
        "outlook",
        "references",
        "bibliography",
        "notes",
        "endnotes",
        "about the author",
        "about the authors",
        "acknowledgements",
        "acknowledgments",
    ]
)
_DATE_LINE = re.compile(
    r"^\d{1,2}(?:[-–]\d{1,2})?\.?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}",
    re.IGNORECASE,
)
# A numbered line ending in a short number is a contents entry or a table row, not a heading
# ("2. Trade 14"); one ending in a year ("2.1 What changed in March 2024") is a heading.
_TRAILING_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}$")
_NUMBERED = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,5}\.)\s+[A-Z][^\n]*$")


def looks_like_heading(line: str) -> bool:
    """A known heading ("Executive summary") or a short numbered one ("2.1 Market access")."""
    text = line.strip()
    if not text or len(text) > 90:
        return False
    if text.lower().rstrip(":").strip() in KNOWN_HEADINGS:
        return True
    if _NUMBERED.match(text) and not _DATE_LINE.match(text):
        words = text.split()
        return (
            len(words) <= 12
            and not text.endswith((".", ",", ";"))
            and not _TRAILING_NUMBER.search(text)
        )
    return False


def find_sections(text: str) -> tuple[Section, ...]:
    """Sections from paragraphs (separated by blank lines) that are headings on their own."""
    sections = []
    for match in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        paragraph = match.group(0)
        if "\n" not in paragraph and looks_like_heading(paragraph):
            sections.append(Section(heading=paragraph.strip().rstrip(":"), start=match.start()))
    return tuple(sections)


# Sections that are never quoted as an answer or a statement: who wrote the brief, its sources,
# its notes and its table of contents.
_BACK_MATTER = re.compile(
    r"about (?:the )?authors?|references|bibliography|works cited|sources\b|\bnotes\b|endnotes|"
    r"footnotes|acknowledg|table of contents|^contents$|further reading|imprint|disclaimer|"
    r"the authors?$|contact",
    re.IGNORECASE,
)


def is_back_matter(heading: str | None) -> bool:
    """True for sections such as "About the authors", "References", "Notes", "Contents"."""
    return bool(heading and _BACK_MATTER.search(heading.strip()))
