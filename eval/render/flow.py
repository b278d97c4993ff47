"""Body text as boxes of lines, flowed down pages and into two columns with keep-together rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .model import Bullets, ColumnBreak, Heading, Lines, Paragraph, Typesetting
from .page import BODY_BOTTOM, BODY_LH, BODY_PT, BODY_TOP, FONT, MARGIN_L, BriefPdf

PARA_GAP = 2.4  # space after a paragraph
BULLET_GAP = 1.2  # space between bullets
BULLET_INDENT = 4.0  # position of the bullet glyph
BULLET_TEXT = 8.5  # position of the bullet text
HEADINGS = {  # level: size (pt), line height, space before, space after (mm)
    1: (13.5, 6.6, 4.0, 1.8),
    2: (11.5, 5.8, 2.5, 1.2),
}
MINOR_HEADING = (10.5, 5.2, 1.5, 0.8)
BULLET = "\u2022"
SLACK = 0.01  # mm of rounding tolerated when deciding whether a box fits

Flowable = Heading | Paragraph | Lines | Bullets | ColumnBreak


Draw = Callable[[float, float], None]  # draws a line with its top left corner at (x, y)


@dataclass
class Box:
    """A line (drawn at x, y) or a vertical space, `height` mm tall."""

    height: float
    draw: Draw | None = None
    space: bool = False
    keep_next: int = 0  # keep with the next box
    column_break: bool = False


class Typesetter:
    """Turns blocks into boxes of set lines, following the brief's typesetting."""

    def __init__(self, pdf: BriefPdf, typesetting: Typesetting) -> None:
        self.pdf = pdf
        self.style = typesetting

    def boxes(self, blocks: Sequence[Flowable], width: float) -> list[Box]:
        boxes: list[Box] = []
        for b in blocks:
            if isinstance(b, Heading):
                boxes += self.heading(b.text, b.level, width)
            elif isinstance(b, Paragraph):
                style = self.style
                lines = self.pdf.wrap(b.text, width, "", BODY_PT, style.hyphenate, style.ligatures)
                boxes += self.lines(lines, width, style.justify)
                boxes.append(Box(PARA_GAP, space=True))
            elif isinstance(b, Lines):
                boxes += self.lines(list(b.lines), width, False)
                boxes.append(Box(PARA_GAP, space=True))
            elif isinstance(b, Bullets):
                boxes += self.bullets(b.items, width, b.ordered, b.start)
            else:
                boxes.append(Box(0.0, space=True, column_break=True))
        return boxes

    def lines(self, lines: list[str], width: float, justify: bool) -> list[Box]:
        """Body lines; all but the last justified if `justify`; no single line left alone."""
        last = len(lines) - 1
        boxes = [
            Box(BODY_LH, self._line(line, 0.0, width, "", BODY_PT, BODY_LH, justify and j < last))
            for j, line in enumerate(lines)
        ]
        # orphans and widows: keep the first two lines together, and the last two
        if len(boxes) >= 3:
            boxes[0].keep_next = 1
            boxes[-2].keep_next = 1
        elif len(boxes) == 2:
            boxes[0].keep_next = 1
        return boxes

    def bullets(self, items: Sequence[str], width: float, ordered: bool, start: int) -> list[Box]:
        """Items with a hanging indent; an item's first line is kept with its second."""
        style = self.style
        text_w = width - BULLET_TEXT
        boxes: list[Box] = []
        for n, item in enumerate(items):
            label = f"{start + n}." if ordered else BULLET
            label_x = 1.0 if ordered else BULLET_INDENT
            lines = self.pdf.wrap(item, text_w, "", BODY_PT, style.hyphenate, style.ligatures)
            for j, line in enumerate(lines):
                stretch = style.justify and j < len(lines) - 1
                draw = self._line(line, BULLET_TEXT, text_w, "", BODY_PT, BODY_LH, stretch)
                if j == 0:
                    draw = self._labelled(draw, label, label_x)
                boxes.append(Box(BODY_LH, draw, keep_next=1 if (j == 0 and len(lines) > 1) else 0))
            boxes.append(Box(BULLET_GAP, space=True))
        if boxes:
            boxes[-1] = Box(PARA_GAP, space=True)
        return boxes

    def heading(self, text: str, level: int, width: float) -> list[Box]:
        """A heading kept with what follows it."""
        size, lh, before, after = HEADINGS.get(level, MINOR_HEADING)
        boxes = [Box(before, space=True)]
        for line in self.pdf.wrap(text, width, "B", size, False, False):
            boxes.append(Box(lh, self._line(line, 0.0, width, "B", size, lh, False), keep_next=1))
        boxes.append(Box(after, space=True, keep_next=1))
        return boxes

    def _line(
        self,
        text: str,
        indent: float,
        width: float,
        style: str,
        size: float,
        height: float,
        justify: bool,
    ) -> Draw:
        def draw(x: float, y: float) -> None:
            self.pdf.set_font(FONT, style, size)
            self.pdf.text_line(x + indent, y, width, height, text, justify)

        return draw

    def _labelled(self, draw_line: Draw, label: str, label_x: float) -> Draw:
        def draw(x: float, y: float) -> None:
            self.pdf.set_font(FONT, "", BODY_PT)
            self.pdf.set_xy(x + label_x, y)
            self.pdf.cell(BULLET_TEXT - BULLET_INDENT, BODY_LH, label)
            draw_line(x, y)

        return draw


def chain_height(boxes: Sequence[Box], i: int) -> float:
    """Height of box i plus the boxes it must be kept with."""
    h = boxes[i].height
    j = i
    while boxes[j].keep_next and j + 1 < len(boxes):
        j += 1
        h += boxes[j].height
    return h


def plan(boxes: Sequence[Box], y: float) -> tuple[list[tuple[int, float]], float]:
    """Where single-column boxes go from height `y` on: per box the pages to break before it
    and its height on the page; and the height after the last box."""
    places = []
    for i, b in enumerate(boxes):
        if b.space:
            if y > BODY_TOP + SLACK:
                y = min(y + b.height, BODY_BOTTOM)
            places.append((0, y))
            continue
        breaks = 0
        if y + chain_height(boxes, i) > BODY_BOTTOM + SLACK and y > BODY_TOP + SLACK:
            breaks, y = 1, BODY_TOP
        if y + b.height > BODY_BOTTOM + SLACK:
            breaks, y = breaks + 1, BODY_TOP
        places.append((breaks, y))
        y += b.height
    return places, y


def flow(pdf: BriefPdf, boxes: Sequence[Box]) -> None:
    """Draw boxes in one column down the pages, from `pdf.y_pos` on."""
    places, end = plan(boxes, pdf.y_pos)
    for b, (breaks, y) in zip(boxes, places, strict=True):
        for _ in range(breaks):
            pdf.new_page()
        if b.draw is not None:
            b.draw(MARGIN_L, y)
    pdf.y_pos = end
