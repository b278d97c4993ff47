"""Statements of a brief: every recommendation item, positions with their actor, verbatim spans."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.parse import ParseLimits, parse_bytes, parse_file
from ingest.statements import extract_statements
from ingest.types import Document, Statement

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"

BRIEF_MD = """\
# Executive summary

This brief examines port policy. We argue that shore power is underused.

- The Commission should publish a shore power tariff.

# 2. Analysis

Beijing argues that its ports are commercial ventures. Chinese officials insist that no state
aid is involved. Ports handled more ships in 2024 than in any year before.

# Recommendations

We make the following recommendations:

1. Publish Tariffs – The Commission should publish a common tariff for shore power
every year, so that operators can plan.
2. Member states should fund grid connections at berths.
(a) Require shore power at all container terminals by 2030.

# About the authors

Jane Doe should be contacted at the institute. She argues that ports matter.
"""


def _statements(source: str = BRIEF_MD) -> tuple[Document, list[Statement]]:
    document = parse_bytes("ports.md", source.encode(), ParseLimits())
    return document, extract_statements(document)


def _verbatim(document: Document, statement: Statement) -> None:
    assert document.text[statement.char_start : statement.char_end] == statement.text
    assert document.page_of(statement.char_start) == statement.page_start
    assert statement.page_start <= statement.page_end


def test_every_item_of_the_recommendations_section_is_a_recommendation() -> None:
    document, statements = _statements()
    section = [s for s in statements if s.section == "Recommendations"]
    assert [s.kind for s in section] == ["recommendation"] * 3
    # Numbered, wrapped over two lines, and lettered items each become one statement.
    assert section[0].text.startswith("Publish Tariffs")
    assert section[0].text.endswith("so that operators can plan.")
    assert section[2].text == "Require shore power at all container terminals by 2030."
    # The lead-in sentence introduces the items; it is not one.
    assert not any("following recommendations" in s.text for s in statements)
    for statement in statements:
        _verbatim(document, statement)


def test_labels_and_addressees_come_from_the_item_itself() -> None:
    _, statements = _statements()
    first, second = [s for s in statements if s.section == "Recommendations"][:2]
    assert first.label == "Publish Tariffs" and first.addressee == "the Commission"
    assert second.label is None and second.addressee == "Member states"
    summary = [s for s in statements if s.section == "Executive summary"]
    assert [(s.kind, s.addressee) for s in summary if s.kind == "recommendation"] == [
        ("recommendation", "the Commission")
    ]


def test_positions_name_who_holds_them_and_findings_belong_to_the_authors() -> None:
    _, statements = _statements()
    positions = {s.actor: " ".join(s.text.split()) for s in statements if s.kind == "position"}
    assert positions == {
        "Beijing": "Beijing argues that its ports are commercial ventures.",
        "Chinese officials": "Chinese officials insist that no state aid is involved.",
    }
    findings = [s for s in statements if s.kind == "finding"]
    assert [s.actor for s in findings] == ["the authors"]
    assert findings[0].text == "We argue that shore power is underused."
    # A plain fact is neither.
    assert not any("more ships in 2024" in s.text for s in statements)


def test_choices_governments_and_quoted_words_are_positions_too() -> None:
    source = """\
# 3. Partners

The Hungarian government has supported these plants with subsidies, as part of a strategy of
positioning the country as a bridge to Chinese industry. Tokyo deliberately avoided naming China
in its rules. That phrase, used by the President of the Commission in 2023, has since been
echoed by EU leaders. The plants opened in 2024 and employ many workers.
"""
    document, statements = _statements(source)
    positions = {s.actor: s.text.split()[0] for s in statements if s.kind == "position"}
    assert positions == {
        "the Hungarian government": "The",
        "Tokyo": "Tokyo",
        "the President of the Commission": "That",
    }
    for statement in statements:
        _verbatim(document, statement)
    assert not any("employ many workers" in s.text for s in statements)


def test_nothing_is_taken_from_about_the_authors() -> None:
    _, statements = _statements()
    assert not any(s.section == "About the authors" for s in statements)


def _md_items(path: Path) -> list[str]:
    """The items of a sample's Policy recommendations section, as its Markdown source has them."""
    text = path.read_text(encoding="utf-8")
    section = text.split("# Policy recommendations", 1)[1].split("\n# ", 1)[0]
    return [line[2:].strip() for line in section.splitlines() if line.startswith("- ")]


@pytest.mark.parametrize("pdf", sorted((SAMPLES / "briefs").glob("*.pdf")), ids=lambda p: p.stem)
def test_each_sample_brief_yields_exactly_its_recommendation_items(pdf: Path) -> None:
    document = parse_file(pdf)
    statements = extract_statements(document)
    listed = [
        s
        for s in statements
        if s.section == "Policy recommendations" and s.kind == "recommendation"
    ]
    expected = _md_items(SAMPLES / "src" / f"{pdf.stem}.md")
    assert len(listed) == len(expected)
    for statement, item in zip(listed, expected, strict=True):
        # The same words in the same order; the PDF may break lines and pages inside an item.
        assert " ".join(statement.text.split()) == " ".join(item.split())
        _verbatim(document, statement)


def test_an_item_that_runs_over_a_page_break_is_one_statement_on_both_pages() -> None:
    document = parse_file(SAMPLES / "briefs" / "01-china-russia-ukraine.pdf")
    first = next(
        s for s in extract_statements(document) if s.text.startswith("Reaffirm, in every dialogue")
    )
    assert first.page_end == first.page_start + 1
    assert re.search(r"should ensure that\s+each summit statement", first.text)
    _verbatim(document, first)


def test_a_laid_out_pdf_yields_its_items_with_addressees(harbour_pdf: bytes) -> None:
    # Running headers, two columns, ligatures and hyphenation: the items still come out whole.
    document = parse_bytes("harbour.pdf", harbour_pdf, ParseLimits())
    listed = [s for s in extract_statements(document) if s.section == "Policy recommendations"]
    assert [s.addressee for s in listed] == [
        "the Commission",
        "Member states",
        "the Union",
        "the Commission",  # a passive item ("tariffs should be harmonised") takes the brief's
    ]
    assert " ".join(listed[0].text.split()) == (
        "The Commission should create a single window for port financing that combines "
        "grants, loans and guarantees for transition projects."
    )
    for statement in listed:
        _verbatim(document, statement)
    assert not any(s.section == "About the authors" for s in extract_statements(document))
