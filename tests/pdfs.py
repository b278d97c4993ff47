"""Policy-brief PDFs built inside tests, plus the broken files a real folder holds.

Briefs are rendered by `eval.render`, the project's one brief renderer, with the typesetting
that keeps tests exact: no automatic hyphens or justification, so tests know which words end a
line (`Lines` places a line-end hyphen by hand) and which column is written first. Every page
after the first carries a running header, every page a footer with the site name and
"Page N of M", unless a spec says otherwise.
"""

from __future__ import annotations

import io
import random
import zlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal

from fpdf import FPDF
from PIL import Image, ImageDraw

from eval.render import (
    Block,
    Brief,
    Bullets,
    ColumnBreak,
    Columns,
    Heading,
    Lines,
    Metadata,
    PageBreak,
    PageStyle,
    Paragraph,
    TitleBlock,
    Typesetting,
)
from eval.render import render as render_brief

FI, FL = "\ufb01", "\ufb02"  # the ligatures real PDFs carry instead of "fi" and "fl"
EXACT = Typesetting(hyphenate=False, justify=False, ligatures=False)


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
    page_numbers: Literal["page-of", "bare", "none"] = "page-of"  # "Page 2 of 5", "2", none
    created: datetime = field(default_factory=lambda: datetime(2025, 12, 12, tzinfo=UTC))

    def brief(self) -> Brief:
        title = self.title if self.metadata_title == "" else self.metadata_title
        return Brief(
            TitleBlock(self.title, self.organisation, self.series_line, self.byline),
            self.blocks,
            page=PageStyle(self.running_header, self.footer_site, self.page_numbers),
            typesetting=EXACT,
            metadata=Metadata(title=title, author=self.metadata_author, created=self.created),
        )


def render(spec: BriefSpec, *, user_password: str | None = None) -> bytes:
    """The brief as PDF bytes (deterministic for a given spec)."""
    return render_brief(spec.brief(), user_password=user_password)


def two_columns(left: tuple[str, ...], right: tuple[str, ...]) -> Columns:
    """Paragraphs side by side, `left` written to the page first."""
    return Columns((*map(Paragraph, left), ColumnBreak(), *map(Paragraph, right)))


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
        two_columns(LEFT_COLUMN, RIGHT_COLUMN),
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


def page_bomb_pdf(pages: int, stream_bytes: int) -> bytes:
    """A small PDF whose pages all draw one huge content stream of text operators: a few
    kilobytes compressed, `pages` x `stream_bytes` of operators for a parser to work through
    (the shape a probe used to keep ingest busy for minutes)."""
    operation = b"BT /F1 9 Tf 72 700 Td (Shipping lanes and port dues rise.) Tj ET\n"
    content = zlib.compress(operation * (stream_bytes // len(operation)), 9)
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
    ]
    font = 4 + pages
    objects += [
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>"
        ).encode()
        for _ in range(pages)
    ]
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def running_lines_only_pdf(pages: int = 6) -> bytes:
    """A PDF with a text layer that holds nothing but a running header and page numbers, which
    the parser strips: a document with pages and no passage to index."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for page in range(1, pages + 1):
        pdf.add_page()
        for line in ("Meridian Institute Policy Brief Series", f"Page {page} of {pages}"):
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
