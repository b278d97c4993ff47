"""PDFs with the layouts real policy papers have and our sample briefs lack: footnote blocks
in small type, headers that alternate between left and right pages with the page number
inside, a table of contents, a reference list, and a page whose content cannot be decoded."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

PAPER_TITLE = "Ports, Grids and Payments: Connectivity Choices for Small States"
LEFT_HEADER = "Westbrook Institute Working Paper 7"
RIGHT_HEADER = "Connectivity Choices for Small States"

BODY = (
    (
        "1. Why connectivity became a security question",
        "Small states have long treated ports and power lines as commercial assets. That view "
        "changed when investors from large powers began to bid for control of terminals and "
        "grid operators at the same time as those powers used trade as leverage.1 Ministries "
        "that once counted tonnage now count dependencies, and the question of who owns a "
        "quay crane has moved from the finance ministry to the security council.",
        "1 The term leverage is used here as in the Council conclusions of March 2024.",
    ),
    (
        "2. What the harbour authorities told us",
        "Harbour authorities in four capitals said that screening rules arrive too late: the "
        "concession is usually signed before the investor's ultimate owner is known.2 They "
        "asked for a shared register of beneficial owners, kept by the regional development "
        "bank, that every authority could consult before it opens a tender.",
        "2 Interviews were held between May and September 2025 under the Chatham House rule.",
    ),
    (
        "3. Recommendations",
        "Governments should require the disclosure of beneficial owners before any port or "
        "grid concession is tendered. The regional development bank should keep one register "
        "of those owners and open it to every harbour authority. Ministries should review "
        "existing concessions every five years against that register.",
        "3 A review every five years matches the usual length of a concession's first phase.",
    ),
)
REFERENCES = (
    "Almeida, R. (2023) Harbour concessions and state capacity. Lisbon: Tagus Press.",
    "Brandt, K. and Osei, M. (2024) Grid ownership in small economies. Energy Policy 41(2).",
    "Council of the European Union (2024) Conclusions on economic security. Brussels.",
    "Novak, P. (2022) Who owns the crane? Port governance after privatisation. Riga.",
)
CONTENTS = (
    ("1. Why connectivity became a security question", 2),
    ("2. What the harbour authorities told us", 3),
    ("3. Recommendations", 4),
    ("References", 5),
)


SIDE_BAND = "Westbrook Institute Working Papers Series on Connectivity"


def footnoted_paper(*, side_band: bool = False) -> bytes:
    """Five pages: a title page with contents, three body pages each with a footnote block in
    8 pt type under 11 pt text, and a reference list; alternating running headers. With
    `side_band`, page 3 also carries a line of text set upright along its left edge."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2025, 11, 3, tzinfo=UTC))
    pdf.set_title(PAPER_TITLE)
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 9, PAPER_TITLE)
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Contents", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for entry, page in CONTENTS:
        pdf.cell(0, 7, f"{entry} {'.' * 20} {page}", new_x="LMARGIN", new_y="NEXT")
    for number, (heading, text, note) in enumerate(BODY, start=2):
        _page_with_header(pdf, number)
        if side_band and number == 3:
            with pdf.rotation(90, x=6, y=250):
                pdf.set_font("Helvetica", "", 9)
                pdf.text(6, 250, SIDE_BAND)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        for _ in range(2):
            pdf.multi_cell(0, 6, text)
            pdf.ln(4)
        pdf.set_y(-45)
        pdf.set_font("Helvetica", "", 8)
        pdf.multi_cell(0, 4, note)
    _page_with_header(pdf, 5)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "References", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for entry in REFERENCES:
        pdf.multi_cell(0, 5, entry)
        pdf.ln(2)
    return bytes(pdf.output())


def _page_with_header(pdf: FPDF, number: int) -> None:
    pdf.add_page()
    pdf.set_font("Helvetica", "", 8)
    header = LEFT_HEADER if number % 2 == 0 else RIGHT_HEADER
    pdf.cell(0, 5, f"{header} | {number}", align="L" if number % 2 == 0 else "R")
    pdf.ln(12)


def with_undecodable_page(data: bytes, page_index: int) -> bytes:
    """`data` with the content stream of one page replaced by bytes that do not inflate."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    broken = StreamObject()
    broken.set_data(b"this is not deflate data " * 40)
    broken[NameObject("/Filter")] = NameObject("/FlateDecode")
    writer.pages[page_index][NameObject("/Contents")] = writer._add_object(broken)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


SPACELESS_TEXT = (
    "This brief proposes a treaty based alliance for digital infrastructure that would pool "
    "public finance for submarine cables and data centres across the member countries while "
    "keeping the right to screen every investor that bids for a landing station"
)


def glued_words_pdf() -> bytes:
    """Two pages of the same text, the second as an extractor that lost the word spaces
    returns it ("Thisbriefproposesa..."): what the repair must undo from the first's words."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2025, 11, 3, tzinfo=UTC))
    words = SPACELESS_TEXT.split()
    lines = [words[i : i + 9] for i in range(0, len(words), 9)]
    for glue in (" ", ""):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 11)
        for n, line in enumerate(lines, start=1):
            ending = "." if n == len(lines) else ""
            pdf.cell(0, 6, glue.join(line) + ending, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def with_cover_and_back_page() -> bytes:
    """The footnoted paper behind a cover page (title and publisher only) and before a back
    page holding the imprint."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2025, 11, 3, tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 22)
    pdf.multi_cell(0, 11, PAPER_TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    pdf.cell(0, 8, "Westbrook Institute | Working Paper 7 | November 2025")
    cover = io.BytesIO(bytes(pdf.output()))
    back = FPDF(format="A4")
    back.set_creation_date(datetime(2025, 11, 3, tzinfo=UTC))
    back.add_page()
    back.set_font("Helvetica", "", 9)
    for line in (
        "Westbrook Institute, 12 Harbour Street, Riga",
        "www.westbrook.example | press@westbrook.example",
        "(c) 2025 Westbrook Institute. All rights reserved.",
        "ISBN 978-0-00-000000-0",
    ):
        back.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    writer = PdfWriter()
    for part in (cover, io.BytesIO(footnoted_paper()), io.BytesIO(bytes(back.output()))):
        writer.append(PdfReader(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


REAL_PAPERS = Path(__file__).resolve().parents[1] / "eval" / "sets" / "real_papers" / "pdfs"


def real_paper_with_undecodable_page() -> tuple[str, bytes, int]:
    """A published three-page paper of the real-paper dev set with page 2's content made
    undecodable: (file name, bytes, the 1-based page that cannot be read)."""
    source = REAL_PAPERS / "crs-if13199-trade-act-section-122.pdf"
    return source.name, with_undecodable_page(source.read_bytes(), 1), 2
