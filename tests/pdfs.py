"""Policy-brief PDFs built inside tests with fpdf2, plus the broken files a real folder holds.

A brief is a list of blocks (headings, paragraphs, explicit lines, two columns, bullets, page
breaks) rendered with our own line breaking, so tests know exactly which words end a line, where
a hyphen sits and which column is written first. Every page after the first carries a running
header, every page a footer with the site name and "Page N of M".
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import matplotlib
from fpdf import FPDF
from PIL import Image, ImageDraw

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"

FI, FL = "\ufb01", "\ufb02"  # the ligatures real PDFs carry instead of "fi" and "fl"

# A4 geometry (mm) and type sizes (pt).
MARGIN = 22.0
TEXT_WIDTH = 210.0 - 2 * MARGIN
GUTTER = 8.0
COLUMN_WIDTH = (TEXT_WIDTH - GUTTER) / 2
BODY_PT, BODY_LH, PARA_GAP = 10.5, 5.0, 2.6


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text broken into lines by width (no hyphenation)."""

    text: str


@dataclass(frozen=True)
class Lines:
    """A paragraph written line by line exactly as given (to place line-end hyphens)."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Columns:
    """Two columns side by side; the left one is written to the page first."""

    left: tuple[str, ...]
    right: tuple[str, ...]


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Lines | Bullets | Columns | PageBreak


@dataclass(frozen=True)
class BriefSpec:
    title: str
    blocks: tuple[Block, ...]
    series_line: str | None = None  # printed above the title, e.g. "Policy Brief 20 | 12/12/2025"
    byline: str | None = None
    organisation: str | None = None
    metadata_title: str | None = ""  # "" means: the title; None means: no title in the metadata
    metadata_author: str | None = None
    running_header: str | None = None
    footer_site: str | None = "briefs.example"
    page_numbers: str = "page-of"  # "page-of" ("Page 2 of 5"), "bare" ("2") or "none"
    created: datetime = field(default_factory=lambda: datetime(2025, 12, 12, tzinfo=UTC))


class _BriefPdf(FPDF):
    def __init__(self, spec: BriefSpec) -> None:
        super().__init__(format="A4")
        self.spec = spec
        self.add_font("body", "", str(REGULAR))
        self.add_font("body", "B", str(BOLD))
        self.set_margins(MARGIN, 24.0, MARGIN)
        self.set_auto_page_break(True, margin=24.0)
        self.alias_nb_pages()

    def header(self) -> None:
        if self.page_no() > 1 and self.spec.running_header:
            self.set_font("body", "", 8.5)
            self.set_xy(MARGIN, 10.0)
            self.cell(TEXT_WIDTH, 5.0, self.spec.running_header)
        self.set_xy(MARGIN, 24.0)

    def footer(self) -> None:
        self.set_font("body", "", 8.5)
        self.set_xy(MARGIN, -16.0)
        if self.spec.footer_site:
            self.cell(TEXT_WIDTH / 2, 5.0, self.spec.footer_site)
        self.set_xy(MARGIN + TEXT_WIDTH / 2, -16.0)
        if self.spec.page_numbers == "page-of":
            self.cell(TEXT_WIDTH / 2, 5.0, f"Page {self.page_no()} of {{nb}}", align="R")
        elif self.spec.page_numbers == "bare":
            self.cell(TEXT_WIDTH / 2, 5.0, str(self.page_no()), align="R")


def wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Greedy line breaking at spaces with the current font."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and pdf.get_string_width(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _write_lines(pdf: FPDF, lines: Sequence[str], x: float, width: float) -> None:
    for line in lines:
        if pdf.get_y() + BODY_LH > pdf.h - 24.0:
            pdf.add_page()
        pdf.set_x(x)
        pdf.cell(width, BODY_LH, line, new_x="LMARGIN", new_y="NEXT")


def _title_block(pdf: _BriefPdf, spec: BriefSpec) -> None:
    if spec.organisation:
        pdf.set_font("body", "B", 9)
        pdf.cell(TEXT_WIDTH, 5.0, spec.organisation, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    if spec.series_line:
        pdf.set_font("body", "", 10)
        pdf.cell(TEXT_WIDTH, 5.0, spec.series_line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.set_font("body", "B", 20)
    for line in wrap(pdf, spec.title, TEXT_WIDTH):
        pdf.cell(TEXT_WIDTH, 9.0, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if spec.byline:
        pdf.set_font("body", "", 10)
        pdf.cell(TEXT_WIDTH, 5.0, spec.byline, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)


def _block(pdf: _BriefPdf, block: Block) -> None:
    if isinstance(block, PageBreak):
        pdf.add_page()
    elif isinstance(block, Heading):
        size = 13.5 if block.level == 1 else 11.5
        if pdf.get_y() + 20 > pdf.h - 24.0:
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font("body", "B", size)
        for line in wrap(pdf, block.text, TEXT_WIDTH):
            pdf.cell(TEXT_WIDTH, size * 0.5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    elif isinstance(block, Paragraph | Lines):
        pdf.set_font("body", "", BODY_PT)
        lines = block.lines if isinstance(block, Lines) else wrap(pdf, block.text, TEXT_WIDTH)
        _write_lines(pdf, lines, MARGIN, TEXT_WIDTH)
        pdf.ln(PARA_GAP)
    elif isinstance(block, Bullets):
        pdf.set_font("body", "", BODY_PT)
        for item in block.items:
            lines = wrap(pdf, item, TEXT_WIDTH - 6)
            _write_lines(pdf, ["\u2022 " + lines[0]], MARGIN, TEXT_WIDTH)
            _write_lines(pdf, lines[1:], MARGIN + 6, TEXT_WIDTH - 6)
            pdf.ln(1.2)
    elif isinstance(block, Columns):
        _columns(pdf, block)


def _columns(pdf: _BriefPdf, block: Columns) -> None:
    pdf.set_font("body", "", BODY_PT)
    top = pdf.get_y()
    bottom = top
    for x, paragraphs in ((MARGIN, block.left), (MARGIN + COLUMN_WIDTH + GUTTER, block.right)):
        pdf.set_y(top)
        for text in paragraphs:
            for line in wrap(pdf, text, COLUMN_WIDTH):
                pdf.set_x(x)
                pdf.cell(COLUMN_WIDTH, BODY_LH, line, new_x="LEFT", new_y="NEXT")
            pdf.ln(PARA_GAP)
        if pdf.get_y() > pdf.h - 24.0:
            raise ValueError("two-column block does not fit on the page")
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(MARGIN, bottom)


def render(spec: BriefSpec, *, user_password: str | None = None) -> bytes:
    """The brief as PDF bytes (deterministic for a given spec)."""
    pdf = _BriefPdf(spec)
    pdf.set_creation_date(spec.created)
    title = spec.title if spec.metadata_title == "" else spec.metadata_title
    if title:
        pdf.set_title(title)
    if spec.metadata_author:
        pdf.set_author(spec.metadata_author)
    pdf.add_page()
    _title_block(pdf, spec)
    for block in spec.blocks:
        _block(pdf, block)
    if user_password is not None:
        pdf.set_encryption(owner_password="owner-pass", user_password=user_password)
    return bytes(pdf.output())


# -- the reference brief -----------------------------------------------------------------------

HARBOUR_TITLE = "Harbours in Transition: Financing Europe's Port Infrastructure"
HARBOUR_HEADER = "Meridian Policy Brief 20 \u2014 Harbours in transition"
HARBOUR_SITE = "meridian-institute.example"
LEFT_COLUMN = (
    "Left column opening. Dredging budgets in the northern ports doubled between 2015 and "
    "2024 while traffic grew by a fifth. Sediment disposal rules now add months to each "
    "maintenance campaign.",
    "Left column closing. Port authorities ask for a shared sediment register so that "
    "dredged material can be reused in coastal defence works.",
)
RIGHT_COLUMN = (
    "Right column opening. Shore power connections cut berth emissions but need grid "
    "upgrades that harbour masters cannot finance alone.",
    "Right column closing. A common tariff for shore power would stop shipping lines from "
    "choosing ports by their electricity prices.",
)


UNTITLED_TITLE = "Harbour Pilots and the Shortage of Skilled Crews"


def harbour_brief(**overrides: object) -> BriefSpec:
    """A five-page brief with every layout feature the parser must undo."""
    rng = random.Random(20)
    blocks: tuple[Block, ...] = (
        Heading("Executive summary"),
        Paragraph(
            f"European ports handle three quarters of the Union's external trade. This brief "
            f"examines how port authorities {FI}nance the infrastructure that the energy "
            f"transition demands, from shore power to hydrogen terminals. We {FI}nd that public "
            f"{FI}nancial support is fragmented across too many programmes."
        ),
        Paragraph(
            f"Cargo {FL}ows are shifting towards fewer and larger hubs. Smaller ports risk "
            f"losing the investment they need to remain ef{FI}cient and competitive."
        ),
        Heading("1. Ports under pressure"),
        Heading("1.1 Traffic and capacity", level=2),
        Lines(
            (
                "Container traffic in the largest hubs has grown faster than the rail and",
                "inland waterway links that serve them. Our first recom-",
                "mendation is therefore to plan hinterland links together with",
                "the quays they feed. Congested access roads cost shippers more than",
                "port dues do, and the infra-",
                "structure gap is widest in the Baltic and the Adriatic.",
            )
        ),
        Paragraph(
            "Capacity planning is still national. Each member state sizes its own terminals "
            "without regard to neighbouring ports, which leads to duplicated investment in "
            "some regions and shortages in others. The 2024 review of the trans-European "
            "transport network offers a chance to coordinate these choices."
        ),
        Lines(
            (
                "Ownership matters as well. Many terminals are run by state-",
                "owned operators, and several of them are controlled by non-",
                f"European groups whose of{FI}-",
                "cials sit on port boards. Screening of such stakes remains uneven.",
            )
        ),
        Heading("1.2 Environmental rules", level=2),
        Paragraph(
            "The revised emissions trading system covers maritime transport from 2024. Ports "
            "fear that shipping lines will divert calls to terminals just outside the Union "
            "to avoid the carbon price. Early evidence from transhipment hubs in North Africa "
            "suggests that the risk is real but limited to a few routes."
        ),
        Paragraph(
            "Air quality rules add further costs. Ships at berth must use shore power from "
            "2030 in the largest ports, yet only a minority of berths are equipped today. "
            "Grid operators have been slow to connect new high-voltage lines to the quays."
        ),
        *(Paragraph(prose(rng, 7)) for _ in range(5)),
        PageBreak(),
        Heading("2. Financing the transition"),
        Columns(LEFT_COLUMN, RIGHT_COLUMN),
        Paragraph(
            "The Connecting Europe Facility remains the main source of grants for port "
            "projects. Its transport envelope is oversubscribed several times over, and "
            "applicants complain that the calls favour large hubs with experienced "
            "project teams. The European Investment Bank lends to ports on commercial "
            "terms but rarely takes construction risk."
        ),
        Paragraph(
            "State aid rules allow support for port infrastructure below certain thresholds. "
            "The general block exemption was widened in 2017, yet many smaller ports lack "
            "the staff to prepare compliant applications."
        ),
        *(Paragraph(prose(rng, 6)) for _ in range(3)),
        Heading("3. Security and resilience"),
        Paragraph(
            "Ports are critical infrastructure. Cyber attacks on terminal operating systems "
            "have halted container handling for days at a time. Foreign investment in "
            "terminals also raises questions about access to sensitive data on cargo and "
            "military logistics. Resilience planning should cover both physical and "
            "digital threats."
        ),
        *(Paragraph(prose(rng, 7)) for _ in range(6)),
        Heading("Policy recommendations"),
        Bullets(
            (
                "The Commission should create a single window for port financing that "
                "combines grants, loans and guarantees for transition projects.",
                "Member states should plan hinterland rail links together with new quay "
                "capacity and publish a joint capacity outlook every three years.",
                "The Union should screen foreign stakes in port terminals with common "
                "criteria and share the results among national authorities.",
                "Shore power tariffs should be harmonised so that ports do not compete on "
                "electricity prices for ships at berth.",
            )
        ),
        Heading("About the authors"),
        Paragraph(
            "Ada Example directs the maritime programme at the Meridian Institute. Bo Sample "
            "is a research fellow who works on transport finance and state aid."
        ),
    )
    spec = BriefSpec(
        title=HARBOUR_TITLE,
        blocks=blocks,
        organisation="MERIDIAN INSTITUTE FOR EUROPEAN AFFAIRS",
        series_line="Meridian Policy Brief 20 | 12/12/2025",
        byline="By Ada Example and Bo Sample",
        metadata_author="Ada Example; Bo Sample",
        running_header=HARBOUR_HEADER,
        footer_site=HARBOUR_SITE,
    )
    return _replace(spec, overrides)


def _replace(spec: BriefSpec, overrides: dict[str, object]) -> BriefSpec:
    from dataclasses import replace

    return replace(spec, **overrides)  # type: ignore[arg-type]


# -- generated corpora -------------------------------------------------------------------------

_SUBJECTS = (
    "The Commission",
    "Port authorities",
    "National regulators",
    "Shipping lines",
    "Member states",
    "The European Investment Bank",
    "Rail operators",
    "Local governments",
    "Energy suppliers",
    "Customs services",
    "Trade unions",
    "Coastal regions",
)
_VERBS = (
    "should review",
    "have expanded",
    "are struggling to finance",
    "must coordinate",
    "rarely assess",
    "continue to subsidise",
    "plan to modernise",
    "have delayed",
    "increasingly depend on",
    "cannot yet measure",
)
_OBJECTS = (
    "the hydrogen terminals planned for the North Sea",
    "shore power at container berths",
    "rail links to inland terminals",
    "dredging of access channels",
    "the screening of foreign investment",
    "grid connections for electric cranes",
    "customs data shared between ports",
    "the resilience of terminal software",
    "ferry services to island communities",
    "storage capacity for liquefied gas",
    "the training of crane operators",
    "emissions from ships at anchor",
)
_CLAUSES = (
    "because demand has grown faster than expected",
    "although budgets remain tight",
    "as the carbon price rises",
    "while traffic shifts to larger hubs",
    "since the rules changed in 2024",
    "despite repeated warnings from auditors",
)
TOPICS = (
    "lighthouses",
    "icebreakers",
    "seagrass",
    "lock gates",
    "tugboats",
    "breakwaters",
    "marinas",
    "pilotage",
    "ballast water",
    "fish auctions",
    "cruise terminals",
    "quay cranes",
)


def sentence(rng: random.Random) -> str:
    words = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
    if rng.random() < 0.5:
        words += f" {rng.choice(_CLAUSES)}"
    return words + "."


def prose(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def generated_brief(number: int, sections: int = 4, paragraphs: int = 3) -> BriefSpec:
    """A plausible brief of two or three pages; `number` seeds its text and names its topic."""
    rng = random.Random(number)
    topic = TOPICS[number % len(TOPICS)]
    blocks: list[Block] = [
        Heading("Executive summary"),
        Paragraph(f"This brief is about {topic}. " + prose(rng, 4)),
    ]
    for s in range(1, sections + 1):
        blocks.append(Heading(f"{s}. {rng.choice(_OBJECTS).capitalize()}"))
        blocks.extend(Paragraph(prose(rng, rng.randint(4, 7))) for _ in range(paragraphs))
    blocks.append(Heading("Policy recommendations"))
    blocks.append(Bullets(tuple(sentence(rng) for _ in range(3))))
    day = 1 + number % 28
    month = 1 + number % 12
    return BriefSpec(
        title=f"Brief {number} on {topic.capitalize()} and European Ports",
        blocks=tuple(blocks),
        series_line=f"Harbour Policy Brief {number} | {day:02d}/{month:02d}/2024",
        byline="By Ada Example",
        running_header=f"Harbour Policy Brief {number}",
        footer_site="harbour-briefs.example",
    )


# -- files that must be refused ----------------------------------------------------------------


def image_only_pdf() -> bytes:
    """A scanned page: one picture of text, no text layer."""
    picture = Image.new("RGB", (800, 1000), "white")
    draw = ImageDraw.Draw(picture)
    for row in range(30):
        draw.text((40, 30 + row * 30), "Scanned policy brief text that has no text layer.", "black")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2025, 1, 1, tzinfo=UTC))
    pdf.add_page()
    pdf.image(picture, x=10, y=10, w=190)
    return bytes(pdf.output())


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


MOJIBAKE = (
    "Ã©tÃ© â€œpolicyâ€ Ã¨ Ã  lâ€™Ã©conomie Â« rÃ©forme Â» Ã§a â€” Ã¶konomische "
    "EntwicklungsÃ¼bersicht Ã¼ber Ã¤hnliche MaÃŸnahmen â€¦ "
)


def garbled_pdf() -> bytes:
    """A PDF whose text layer is mojibake (UTF-8 read as Windows-1252), over two pages."""
    blocks = tuple(Paragraph(MOJIBAKE * 4) for _ in range(6))
    return render(BriefSpec(title="Ã‰tude Ã©conomique", blocks=blocks, footer_site=None))


def symbol_soup(rng: random.Random, length: int = 3000) -> str:
    """Text of random symbols and digits, what a broken font encoding often yields."""
    alphabet = "§¶†‡•°±×÷¤¦¬µ¥£¢©®™0123456789#$%&*+=<>[]{}|~^"
    return "".join(rng.choice(alphabet + " ") for _ in range(length))
