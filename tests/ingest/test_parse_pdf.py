"""Parsing generated PDF briefs: pages, running lines, hyphens, ligatures, columns, metadata."""

from __future__ import annotations

import io
import re

import pytest
from pdfs import (
    FI,
    FL,
    HARBOUR_HEADER,
    HARBOUR_SITE,
    HARBOUR_TITLE,
    LEFT_COLUMN,
    RIGHT_COLUMN,
    BriefSpec,
    Heading,
    Paragraph,
    harbour_brief,
    render,
)
from pypdf import PdfReader

from ingest.parse import parse_bytes
from ingest.types import Document


@pytest.fixture(scope="module")
def doc(harbour_pdf: bytes) -> Document:
    return parse_bytes("harbour-20.pdf", harbour_pdf)


def test_pages_are_one_based_and_all_there(doc: Document, harbour_pdf: bytes) -> None:
    n_pages = len(PdfReader(io.BytesIO(harbour_pdf)).pages)
    assert n_pages >= 4
    assert len(doc.pages) == n_pages
    assert doc.page_of(0) == 1
    assert doc.page_of(len(doc.text) - 1) == n_pages
    assert "Executive summary" in doc.pages[0]
    assert "Policy recommendations" in doc.pages[-1]
    assert doc.pages[2].startswith("2. Financing the transition")  # the page break before it


def test_running_headers_footers_and_page_numbers_are_removed(doc: Document) -> None:
    for number, page in enumerate(doc.pages, start=1):
        assert HARBOUR_HEADER not in page
        assert HARBOUR_SITE not in page
        assert not re.search(r"Page \d+ of \d+", page), number
        assert not re.search(r"(^|\n)\d{1,3}(\n|$)", page), number


def test_bare_page_numbers_are_removed() -> None:
    doc = parse_bytes("bare.pdf", render(harbour_brief(page_numbers="bare", footer_site=None)))
    for number, page in enumerate(doc.pages, start=1):
        assert not page.rstrip().endswith(f"\n{number}")
        assert not page.startswith(f"{number}\n")


def test_hyphenated_line_ends_are_joined(doc: Document) -> None:
    text = doc.text
    assert "Our first recommendation is therefore" in text
    assert "the infrastructure gap is widest" in text
    assert "recom-" not in text and "infra-" not in text
    assert "recom mendation" not in text


def test_compound_hyphens_at_line_ends_are_kept(doc: Document) -> None:
    assert "run by state-owned operators" in doc.text
    assert "controlled by non-European groups" in doc.text


def test_ligatures_are_unfolded(doc: Document) -> None:
    text = doc.text
    assert FI not in text and FL not in text
    for word in (
        "finance the infrastructure",
        "We find",
        "financial support",
        "Cargo flows",
        "efficient and competitive",
    ):
        assert word in text
    assert "whose officials sit" in text  # a ligature inside a word hyphenated across lines


def test_paragraph_breaks_are_kept(doc: Document) -> None:
    text = doc.text
    assert "too many programmes.\n\nCargo flows" in text
    assert "remains uneven.\n\n1.2 Environmental rules\n\nThe revised" in text
    # Inside a paragraph, lines are joined with a space.
    assert "faster than the rail and inland waterway links" in text


def test_two_columns_read_left_then_right(doc: Document) -> None:
    page = doc.pages[2]
    expected = [*LEFT_COLUMN, *RIGHT_COLUMN]
    positions = [page.find(paragraph) for paragraph in expected]
    assert all(p >= 0 for p in positions), list(zip(expected, positions, strict=True))
    assert positions == sorted(positions)
    ends = [a + len(t) for t, a in zip(expected, positions, strict=True)]
    between = [page[end:start] for end, start in zip(ends, positions[1:], strict=False)]
    assert all(gap == "\n\n" for gap in between), between


def test_metadata_from_pdf_and_title_block(doc: Document) -> None:
    assert doc.title == HARBOUR_TITLE
    assert doc.series == "Meridian Policy Brief"
    assert doc.number == "20"
    assert doc.date == "2025-12-12"
    assert doc.authors == ("Ada Example", "Bo Sample")
    assert doc.kind == "pdf"
    assert doc.source == "harbour-20.pdf"


def test_title_from_first_page_heading_when_metadata_is_empty() -> None:
    title = "Harbour Pilots and the Shortage of Skilled Crews in the Baltic Sea Region"
    data = render(harbour_brief(metadata_title=None, title=title))
    assert not PdfReader(io.BytesIO(data)).metadata.get("/Title")
    assert parse_bytes("untitled.pdf", data).title == title


def test_title_falls_back_to_first_paragraph_without_metadata_or_large_type() -> None:
    spec = BriefSpec(
        title="Shore power for ferries",
        metadata_title=None,
        blocks=(Paragraph("Ferries spend long hours at berth with engines running. " * 8),),
    )
    doc = parse_bytes("plain.pdf", render(spec))
    assert doc.title == "Shore power for ferries"


@pytest.mark.parametrize(
    ("line", "series", "number", "date"),
    [
        ("Policy Brief 20 | 12/12/2025", "Policy Brief", "20", "2025-12-12"),
        ("Meridian Policy Brief No. 7 — 3 March 2024", "Meridian Policy Brief", "7", "2024-03-03"),
        ("Working Paper 112, 2024-11-05", "Working Paper", "112", "2024-11-05"),
        ("Policy Brief 5 | 31.01.2023", "Policy Brief", "5", "2023-01-31"),
    ],
)
def test_series_number_and_date_styles(line: str, series: str, number: str, date: str) -> None:
    spec = BriefSpec(
        title="Ports and shipping",
        series_line=line,
        blocks=(Paragraph("Ports handle most of the external trade of the Union. " * 6),),
    )
    doc = parse_bytes("brief.pdf", render(spec))
    assert (doc.series, doc.number, doc.date) == (series, number, date)


def test_sections_in_order_with_offsets(doc: Document) -> None:
    headings = [s.heading for s in doc.sections]
    assert headings == [
        "Executive summary",
        "1. Ports under pressure",
        "1.1 Traffic and capacity",
        "1.2 Environmental rules",
        "2. Financing the transition",
        "3. Security and resilience",
        "Policy recommendations",
        "About the authors",
    ]
    for section in doc.sections:
        assert doc.text[section.start :].startswith(section.heading)
    assert doc.section_at(doc.text.index("Cargo flows")) == "Executive summary"
    assert doc.section_at(doc.text.index("Right column closing")) == "2. Financing the transition"


def test_wrapped_heading_and_heading_ending_in_a_year() -> None:
    long_heading = "2. Firms: platform companies, state funds and a new generation of start-ups"
    spec = BriefSpec(
        title="Ports",
        blocks=(
            Heading("1. What changed in March 2024"),
            Paragraph("The rules on port state aid changed in March 2024. " * 5),
            Heading(long_heading),
            Paragraph("Firms responded in different ways to the new rules. " * 5),
        ),
    )
    doc = parse_bytes("brief.pdf", render(spec))
    assert [s.heading for s in doc.sections] == ["1. What changed in March 2024", long_heading]


def test_numbered_list_items_and_contents_lines_are_not_headings() -> None:
    spec = BriefSpec(
        title="Ports",
        blocks=(
            Paragraph("1. Introduction 3"),
            Paragraph("2. Findings 7"),
            Paragraph(
                "3. The Commission should publish the data it holds on port subsidies, "
                "because without it no one can judge whether aid is distorting competition."
            ),
            Paragraph("Ports handle most of the external trade of the Union. " * 5),
        ),
    )
    doc = parse_bytes("brief.pdf", render(spec))
    assert doc.sections == ()


def test_the_same_bytes_give_the_same_document(harbour_pdf: bytes) -> None:
    a = parse_bytes("a.pdf", harbour_pdf)
    b = parse_bytes("a.pdf", harbour_pdf)
    assert a == b
    assert len(a.id) == 64
