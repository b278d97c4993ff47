"""The one brief renderer: hyphenation, ligatures, line breaking, columns, page furniture."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from eval.render import (
    Brief,
    BriefWriter,
    ColumnBreak,
    Columns,
    Heading,
    Metadata,
    PageBreak,
    PageStyle,
    Paragraph,
    TitleBlock,
    Typesetting,
    apply_ligatures,
    hyphenation_points,
    render,
)
from eval.render.page import BODY_PT, FONT, BriefPdf

LONG_PARA = " ".join(
    ["The international negotiations on environmental implementation were characterised by"]
    + ["considerable institutional uncertainty and persistent disagreements about financing"] * 6
)


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_hyphenation_points_keep_three_letters_each_side() -> None:
    for word in ["sovereignty", "international", "implementation", "civilisation", "enforcement"]:
        points = hyphenation_points(word)
        assert points, word
        for pos, explicit in points:
            assert not explicit
            assert pos >= 3 and len(word) - pos >= 3


def test_short_words_and_acronyms_are_not_hyphenated() -> None:
    assert hyphenation_points("China") == []
    assert hyphenation_points("reforms") == []
    assert hyphenation_points("UNCTADXYZ") == []


def test_compound_hyphen_is_an_explicit_break() -> None:
    assert (5, True) in hyphenation_points("dual-carbon")


def test_ligatures_only_inside_words() -> None:
    assert apply_ligatures("the first flow of financial fire") == (
        "the \ufb01rst \ufb02ow of \ufb01nancial \ufb01re"
    )
    assert apply_ligatures("fi fl") == "fi fl"


def test_wrap_fits_width_and_hyphenates() -> None:
    pdf = BriefPdf(PageStyle())
    width = 60.0
    lines = pdf.wrap(LONG_PARA, width, "", BODY_PT, True, False)
    pdf.set_font(FONT, "", BODY_PT)
    assert all(pdf.get_string_width(line) <= width + 0.01 for line in lines)
    hyphenated = [line for line in lines if re.search(r"[a-z]-$", line)]
    assert hyphenated
    rejoined = ""
    for line in lines:
        rejoined += line[:-1] if re.search(r"[a-z]-$", line) else line + " "
    assert rejoined.split() == LONG_PARA.split()
    plain = pdf.wrap(LONG_PARA, width, "", BODY_PT, False, False)
    assert not any(re.search(r"[a-z]-$", line) for line in plain)
    pdf.new_page()
    pdf.output()  # closes the font files fpdf2 keeps open until then


def test_running_lines_and_metadata() -> None:
    brief = Brief(
        TitleBlock("A Brief", series_line="Test Brief No. 3 | 01/02/2024", byline="By A. Writer"),
        (Paragraph(LONG_PARA), PageBreak(), Heading("Next"), Paragraph("Short text here.")),
        page=PageStyle(running_header="Test Brief No. 3", footer_site="site.example"),
        metadata=Metadata(title="A Brief", author="A. Writer"),
    )
    data = render(brief)
    pages = _pages(data)
    assert len(pages) == 2
    assert "Test Brief No. 3 | 01/02/2024" in pages[0] and "By A. Writer" in pages[0]
    assert pages[1].splitlines()[0] == "Test Brief No. 3"
    assert pages[1].splitlines()[-2:] == ["site.example", "Page 2 of 2"]
    assert PdfReader(io.BytesIO(data)).metadata.title == "A Brief"
    assert render(brief) == data  # deterministic


@pytest.mark.parametrize(("numbers", "last"), [("bare", "2"), ("none", "Short text here.")])
def test_page_number_styles(numbers: str, last: str) -> None:
    brief = Brief(
        TitleBlock("A Brief"),
        (Paragraph("Text. " * 20), PageBreak(), Paragraph("Short text here.")),
        page=PageStyle(page_numbers=numbers),  # type: ignore[arg-type]
        typesetting=Typesetting(hyphenate=False, justify=False),
    )
    assert _pages(render(brief))[1].splitlines()[-1] == last


def test_a_column_break_ends_the_left_column() -> None:
    left = ("Left one is here.", "Left two is here.")
    right = ("Right one is here.", "Right two is here.")
    columns = Columns((*map(Paragraph, left), ColumnBreak(), *map(Paragraph, right)))
    text = _pages(render(Brief(TitleBlock("Columns"), (Heading("Both"), columns))))[0]
    positions = [text.find(t) for t in (*left, *right)]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


def test_ends_on_page_predicts_where_blocks_end() -> None:
    writer = BriefWriter(PageStyle(), Typesetting(), Metadata())
    writer.title_block(TitleBlock("Exact pages"))
    paragraph = Paragraph(LONG_PARA)
    while writer.ends_on_page([paragraph]) <= 2:
        before = writer.ends_on_page([paragraph])
        writer.add([paragraph])
        assert writer.pages == before
    assert writer.pages == 2 and len(_pages(writer.output())) == 2


def test_encrypted_output_needs_the_password() -> None:
    data = render(Brief(TitleBlock("Secret"), (Paragraph("Hidden."),)), user_password="pw")
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    reader.decrypt("pw")
    assert "Hidden." in reader.pages[0].extract_text()
