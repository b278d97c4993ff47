"""A whole brief to PDF bytes: metadata, the title block, then the blocks page by page."""

from __future__ import annotations

from collections.abc import Sequence

from fpdf.fonts import FontFace

from .columns import flow_columns
from .flow import Box, Flowable, Typesetter, flow, plan
from .model import (
    Block,
    Brief,
    Columns,
    Heading,
    Metadata,
    PageBreak,
    PageStyle,
    Table,
    TitleBlock,
    Typesetting,
)
from .page import (
    BLACK,
    BODY_BOTTOM,
    COL_W,
    FONT,
    GREY,
    MARGIN_L,
    MARGIN_R,
    PAGE_W,
    TEXT_W,
    BriefPdf,
)

TABLE_PT, TABLE_LH = 9.0, 4.4
TABLE_PADDING = 1.2
TABLE_MIN_ROOM = 40.0  # mm: a table starts on a new page when less is left
RULE_COLOUR = (40, 60, 100)


def render(brief: Brief, *, user_password: str | None = None) -> bytes:
    """The brief as PDF bytes, encrypted for `user_password` if one is given."""
    writer = BriefWriter(brief.page, brief.typesetting, brief.metadata)
    writer.title_block(brief.title_block)
    writer.add(brief.blocks)
    return writer.output(user_password=user_password)


class BriefWriter:
    """Lays a brief out block by block. `render` drives it for a whole `Brief`; a generator
    that must fill an exact number of pages asks `ends_on_page` before it adds a block."""

    def __init__(self, page: PageStyle, typesetting: Typesetting, metadata: Metadata) -> None:
        self.pdf = BriefPdf(page)
        self.setter = Typesetter(self.pdf, typesetting)
        _set_metadata(self.pdf, metadata)

    @property
    def pages(self) -> int:
        return int(self.pdf.page_no())

    def title_block(self, block: TitleBlock) -> None:
        """Start page 1 with the organisation, series line, title, byline and keywords."""
        pdf = self.pdf
        pdf.new_page()
        if block.organisation:
            pdf.set_text_color(*GREY)
            pdf.set_font(FONT, "B", 8.5)
            pdf.set_xy(MARGIN_L, 14)
            pdf.cell(TEXT_W, 4, block.organisation)
            pdf.set_text_color(*BLACK)
        if block.series_line:
            pdf.set_font(FONT, "", 10)
            pdf.set_xy(MARGIN_L, 24)
            pdf.cell(TEXT_W, 5, block.series_line)
        y = self._title_lines(block.title, 33.0, "B", 20, 9.0)
        y += 2.5
        if block.byline:
            y = self._title_lines(block.byline, y, "", 11.5, 5.5)
        if block.keywords:
            y += 1.0
            pdf.set_text_color(*GREY)
            y = self._title_lines("Keywords: " + ", ".join(block.keywords), y, "", 8.5, 4.2)
            pdf.set_text_color(*BLACK)
        y += 3.0
        pdf.set_draw_color(*RULE_COLOUR)
        pdf.set_line_width(0.6)
        pdf.line(MARGIN_L, y, PAGE_W - MARGIN_R, y)
        pdf.y_pos = y + 3.0

    def _title_lines(self, text: str, y: float, style: str, size: float, height: float) -> float:
        for line in self.pdf.wrap(text, TEXT_W, style, size, False, False):
            self.pdf.set_font(FONT, style, size)
            self.pdf.text_line(MARGIN_L, y, TEXT_W, height, line, False)
            y += height
        return y

    def add(self, blocks: Sequence[Block]) -> None:
        """Lay out `blocks` after what is already there."""
        pending: list[Flowable] = []
        for block in blocks:
            if isinstance(block, Columns):
                lead: list[Flowable] = []
                while pending and isinstance(pending[-1], Heading):
                    lead.insert(0, pending.pop())
                flow(self.pdf, self.setter.boxes(pending, TEXT_W))
                pending = []
                columns = self.setter.boxes(block.blocks, COL_W)
                flow_columns(self.pdf, columns, self.setter.boxes(lead, TEXT_W))
            elif isinstance(block, Table | PageBreak):
                flow(self.pdf, self.setter.boxes(pending, TEXT_W))
                pending = []
                if isinstance(block, Table):
                    self._table(block.rows)
                else:
                    self.pdf.new_page()
            else:
                pending.append(block)
        flow(self.pdf, self.setter.boxes(pending, TEXT_W))

    def ends_on_page(self, blocks: Sequence[Flowable], reserve: float = 0.0) -> int:
        """The page the single-column `blocks` would end on if added now, with `reserve` mm
        still free below them."""
        boxes = self.setter.boxes(blocks, TEXT_W)
        if reserve > 0:
            boxes.append(Box(reserve))
        places, _ = plan(boxes, self.pdf.y_pos)
        return self.pages + sum(breaks for breaks, _ in places)

    def output(self, user_password: str | None = None) -> bytes:
        if user_password is not None:
            self.pdf.set_encryption(owner_password="owner-pass", user_password=user_password)
        return bytes(self.pdf.output())

    def _table(self, rows: Sequence[Sequence[str]]) -> None:
        """A bordered table across the text width; columns never narrower than their longest
        word, the rest of the width shared out by (capped) content width."""
        if not rows:
            return
        pdf = self.pdf
        ncol = max(len(r) for r in rows)
        cells = [list(r) + [""] * (ncol - len(r)) for r in rows]
        if BODY_BOTTOM - pdf.y_pos < TABLE_MIN_ROOM:
            pdf.new_page()
        widths = _column_widths(pdf, cells)
        pdf.set_xy(MARGIN_L, pdf.y_pos + 1)
        pdf.c_margin = TABLE_PADDING
        with pdf.table(
            width=TEXT_W,
            col_widths=widths,
            line_height=TABLE_LH,
            text_align="LEFT",
            borders_layout="ALL",
            headings_style=FontFace(emphasis="BOLD", fill_color=(225, 230, 238)),
            padding=TABLE_PADDING,
            first_row_as_headings=True,
        ) as table:
            for r in cells:
                row = table.row()
                for c in r:
                    row.cell(c)
        pdf.c_margin = 0
        pdf.y_pos = pdf.get_y() + 4.0


def _column_widths(pdf: BriefPdf, rows: list[list[str]]) -> list[float]:
    pad = 2 * TABLE_PADDING + 1.0
    mins, wants = [], []
    for c in range(len(rows[0])):
        mn = want = 0.0
        for r_i, r in enumerate(rows):
            style = "B" if r_i == 0 else ""
            for word in r[c].split():
                mn = max(mn, pdf.measure(word, style, TABLE_PT))
            want = max(want, min(pdf.measure(r[c], style, TABLE_PT), 70.0))
        mins.append(mn + pad)
        wants.append(max(want + pad, mn + pad))
    spare = TEXT_W - sum(mins)
    extra = [w - m for w, m in zip(wants, mins, strict=True)]
    if spare > 0 and sum(extra) > 0:
        share = min(1.0, spare / sum(extra))
        widths = [m + e * share for m, e in zip(mins, extra, strict=True)]
        left = TEXT_W - sum(widths)
        return [w + left * w / sum(widths) for w in widths]
    return [TEXT_W / len(mins)] * len(mins)


def _set_metadata(pdf: BriefPdf, metadata: Metadata) -> None:
    pdf.set_creation_date(metadata.created)
    if metadata.creator is not None:
        pdf.set_creator(metadata.creator)
    if metadata.author is not None:
        pdf.set_author(metadata.author)
    if metadata.subject is not None:
        pdf.set_subject(metadata.subject)
    if metadata.keywords is not None:
        pdf.set_keywords(metadata.keywords)
    if metadata.title is not None:
        pdf.set_title(metadata.title)
    if metadata.language is not None:
        pdf.set_lang(metadata.language)
