"""What a rendered brief is made of: its blocks, title block, page furniture and metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal


@dataclass(frozen=True)
class Heading:
    """A bold heading: level 1 at 13.5 pt, level 2 at 11.5 pt, deeper levels at body size."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text, broken into lines by width (hyphenated and justified if the brief says so)."""

    text: str


@dataclass(frozen=True)
class Lines:
    """A paragraph written line by line exactly as given (to place a line-end hyphen by hand)."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class Bullets:
    """A list with a hanging indent: "•" items, or numbered from `start` when `ordered`."""

    items: tuple[str, ...]
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True)
class Table:
    """A bordered table across the text width; the first row is the heading row."""

    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ColumnBreak:
    """Inside `Columns`: end the left column here (both columns must then fit on the page)."""


@dataclass(frozen=True)
class Columns:
    """Two columns, the left one filled (and written to the page) first, balanced when the
    blocks end on the page. Headings just before it stay with its first lines, full width."""

    blocks: tuple[Heading | Paragraph | Lines | Bullets | ColumnBreak, ...]


@dataclass(frozen=True)
class PageBreak:
    """Continue on a new page."""


Block = Heading | Paragraph | Lines | Bullets | Table | Columns | PageBreak


@dataclass(frozen=True)
class TitleBlock:
    """The top of page 1: organisation, series line, title in large bold type, byline."""

    title: str
    organisation: str | None = None  # set in small bold capitals above everything else
    series_line: str | None = None  # e.g. "Meridian Policy Brief No. 20 | 12/12/2025"
    byline: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageStyle:
    """Running lines: a header on every page after the first, a footer on every page."""

    running_header: str | None = None
    footer_site: str | None = None
    page_numbers: Literal["page-of", "bare", "none"] = "page-of"  # "Page 2 of 5", "2", none


@dataclass(frozen=True)
class Typesetting:
    """What real PDFs do to body text that a parser must undo."""

    hyphenate: bool = True  # split long words at line ends, with a "-"
    justify: bool = True  # stretch word spaces so lines end flush right
    ligatures: bool = False  # "fi" and "fl" inside words become U+FB01 and U+FB02


@dataclass(frozen=True)
class Metadata:
    """The PDF's document information; `None` leaves a field out."""

    title: str | None = None
    author: str | None = None
    subject: str | None = None
    keywords: str | None = None
    creator: str | None = None
    language: str | None = None
    created: datetime = field(default_factory=lambda: datetime(2025, 1, 1, tzinfo=UTC))


@dataclass(frozen=True)
class Brief:
    """Everything `render` needs; the same brief always gives the same bytes."""

    title_block: TitleBlock
    blocks: tuple[Block, ...]
    page: PageStyle = field(default_factory=PageStyle)
    typesetting: Typesetting = field(default_factory=Typesetting)
    metadata: Metadata = field(default_factory=Metadata)
