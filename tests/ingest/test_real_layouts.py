"""Layouts of real policy papers: footnote blocks, alternating running headers with page
numbers, contents pages, reference lists, and a page that cannot be read."""

from __future__ import annotations

import pytest
from real_layouts import (
    LEFT_HEADER,
    REFERENCES,
    RIGHT_HEADER,
    footnoted_paper,
    with_undecodable_page,
)

from ingest.chunk import chunk_document
from ingest.errors import CorruptFileError
from ingest.parse import parse_bytes
from ingest.statements import extract_statements
from ingest.types import BODY, CONTENTS, FOOTNOTE, Document
from ingest.types import REFERENCES as REFERENCES_ROLE


@pytest.fixture(scope="module")
def paper() -> Document:
    return parse_bytes("westbrook-7.pdf", footnoted_paper())


def _text_of(doc: Document, role: str) -> list[str]:
    return [doc.text[r.start : r.end] for r in doc.regions if r.role == role]


def test_footnote_blocks_are_kept_apart_on_their_page(paper: Document) -> None:
    notes = _text_of(paper, FOOTNOTE)
    assert len(notes) == 3
    assert notes[0].startswith("1 The term leverage")
    for number, region in zip(
        (2, 3, 4), [r for r in paper.regions if r.role == FOOTNOTE], strict=True
    ):
        assert paper.page_of(region.start) == number
        assert paper.pages[number - 1].endswith(paper.text[region.start : region.end])
    # The body text above a note block is body text.
    body_at = paper.text.index("Small states have long treated")
    assert paper.role_at(body_at) == BODY


def test_alternating_headers_with_page_numbers_are_removed(paper: Document) -> None:
    for page in paper.pages:
        assert f"{LEFT_HEADER} |" not in page and f"{RIGHT_HEADER} |" not in page


def test_reference_list_and_contents_are_labelled(paper: Document) -> None:
    (references,) = _text_of(paper, REFERENCES_ROLE)
    assert references.startswith("References")
    assert all(entry.split(" (")[0] in references for entry in REFERENCES)
    (contents,) = _text_of(paper, CONTENTS)
    assert contents.startswith("Contents") and paper.page_of(paper.text.index(contents)) == 1


def test_chunks_never_mix_roles_and_carry_theirs(paper: Document, fake_embedder) -> None:
    chunks = chunk_document(paper, fake_embedder.count_tokens)
    roles = {chunk.role for chunk in chunks}
    assert roles == {BODY, FOOTNOTE, REFERENCES_ROLE, CONTENTS}
    for chunk in chunks:
        assert {paper.role_at(i) for i in range(chunk.char_start, chunk.char_end)} == {chunk.role}
    notes = [c for c in chunks if c.role == FOOTNOTE]
    assert [c.page_start for c in notes] == [2, 3, 4]


def test_statements_come_from_body_text_only(paper: Document) -> None:
    statements = extract_statements(paper)
    assert any("beneficial owners" in s.text for s in statements)
    assert all(paper.role_at(s.char_start) == BODY for s in statements)


def test_an_unreadable_page_is_reported_and_the_rest_is_kept(paper: Document) -> None:
    broken = parse_bytes("broken.pdf", with_undecodable_page(footnoted_paper(), 2))
    assert [f.page for f in broken.failed_pages] == [3]
    assert "decompress" in broken.failed_pages[0].reason
    assert broken.pages[2] == ""
    assert len(broken.pages) == len(paper.pages)
    # Every other page reads as in the intact file (on page 5 its right-page header, now seen on
    # one page only, is no longer known as a running line).
    for number in (1, 2, 4):
        assert broken.pages[number - 1] == paper.pages[number - 1]
    assert broken.pages[4].endswith(paper.pages[4])


def test_a_pdf_with_no_readable_page_fails() -> None:
    data = footnoted_paper()
    for index in range(5):
        data = with_undecodable_page(data, index)
    with pytest.raises(CorruptFileError, match="no page of the PDF could be read"):
        parse_bytes("all-broken.pdf", data)


def test_cover_and_back_pages_are_labelled() -> None:
    from real_layouts import with_cover_and_back_page

    doc = parse_bytes("covered.pdf", with_cover_and_back_page())
    covers = [r for r in doc.regions if r.role == "cover"]
    assert [doc.page_of(r.start) for r in covers] == [1, len(doc.pages)]
    assert "All rights reserved" in doc.text[covers[1].start : covers[1].end]
    # The body pages in between are body text.
    assert doc.role_at(doc.text.index("Small states have long treated")) == BODY


def test_text_set_at_an_angle_is_left_out(paper: Document) -> None:
    from real_layouts import SIDE_BAND

    banded = parse_bytes("banded.pdf", footnoted_paper(side_band=True))
    assert SIDE_BAND not in banded.text
    assert banded.pages[1:4] == paper.pages[1:4]


def test_a_real_paper_with_an_unreadable_page_keeps_its_other_pages() -> None:
    from real_layouts import REAL_PAPERS, real_paper_with_undecodable_page

    name, data, page = real_paper_with_undecodable_page()
    intact = parse_bytes(name, (REAL_PAPERS / name).read_bytes())
    damaged = parse_bytes(name, data)
    assert [f.page for f in damaged.failed_pages] == [page]
    assert damaged.pages[page - 1] == ""
    for number, (before, after) in enumerate(
        zip(intact.pages, damaged.pages, strict=True), start=1
    ):
        if number != page:  # the other pages read as before (running lines aside)
            words = set(before.split())
            assert len(words & set(after.split())) > 0.9 * len(words)
