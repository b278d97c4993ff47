"""The A4 page of a brief in fpdf2: geometry, fonts, running lines, and setting one line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.line_break import TextLine

from .hyphenation import apply_ligatures, hyphenation_points
from .model import PageStyle

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu Sans ships with it
FONT = "DejaVu"

# Page geometry (mm)
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_L = MARGIN_R = 22.0
BODY_TOP = 26.0
BODY_BOTTOM = PAGE_H - 24.0
TEXT_W = PAGE_W - MARGIN_L - MARGIN_R
GUTTER = 7.0
COL_W = (TEXT_W - GUTTER) / 2

# Body type: size (pt) and line height (mm)
BODY_PT = 10.5
BODY_LH = 5.0
GREY = (90, 90, 90)
BLACK = (0, 0, 0)


class BriefPdf(FPDF):
    """An A4 document in DejaVu Sans whose pages carry the brief's running lines.

    `y_pos` is where the next line of body text goes; the layout code moves it, not fpdf2.
    """

    def __init__(self, page: PageStyle) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.page_style = page
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN_L, BODY_TOP, MARGIN_R)
        self.set_auto_page_break(True, margin=PAGE_H - BODY_BOTTOM)
        self.c_margin = 0
        self.alias_nb_pages("{nb}")
        self.y_pos = BODY_TOP

    # -- running lines ----------------------------------------------------------------------
    def header(self) -> None:
        running = self.page_style.running_header
        if self.page_no() > 1 and running:
            self.set_font(FONT, "", 8.5)
            self.set_text_color(*GREY)
            self.set_xy(MARGIN_L, 12)
            self.cell(TEXT_W, 4, running, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_draw_color(*GREY)
            self.set_line_width(0.2)
            self.line(MARGIN_L, 17.5, PAGE_W - MARGIN_R, 17.5)
            self.set_text_color(*BLACK)
        self.set_xy(MARGIN_L, BODY_TOP)

    def footer(self) -> None:
        style = self.page_style
        self.set_draw_color(*GREY)
        self.set_line_width(0.2)
        self.line(MARGIN_L, PAGE_H - 18.5, PAGE_W - MARGIN_R, PAGE_H - 18.5)
        self.set_font(FONT, "", 8.5)
        self.set_text_color(*GREY)
        if style.footer_site:
            self.set_xy(MARGIN_L, PAGE_H - 17)
            self.cell(TEXT_W, 4, style.footer_site, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        number = {"page-of": f"Page {self.page_no()} of {{nb}}", "bare": str(self.page_no())}
        if style.page_numbers in number:
            self.set_xy(MARGIN_L, PAGE_H - 12.5)
            self.cell(TEXT_W, 4, number[style.page_numbers], align="C")
        self.set_text_color(*BLACK)

    def new_page(self) -> None:
        self.add_page()
        self.y_pos = BODY_TOP

    # -- one line ---------------------------------------------------------------------------
    def text_line(self, x: float, y: float, w: float, h: float, text: str, justify: bool) -> None:
        """Write one line at (x, y); a justified line stretches its spaces to width `w`."""
        self.set_xy(x, y)
        if justify and " " in text.strip():
            text = self.normalize_text(text)
            fragments = self._preload_font_styles(text, False)
            line = TextLine(
                fragments,
                text_width=0,
                number_of_spaces=text.count(" "),
                align=Align.J,
                height=h,
                max_width=w,
            )
            self._render_styled_text_line(line, h, 0, new_x=XPos.LEFT, new_y=YPos.NEXT)
        else:
            self.cell(w, h, text, new_x=XPos.LEFT, new_y=YPos.NEXT)

    def measure(self, text: str, style: str, size: float) -> float:
        self.set_font(FONT, style, size)
        return float(self.get_string_width(text))

    def wrap(
        self, text: str, width: float, style: str, size: float, hyphenate: bool, ligatures: bool
    ) -> list[str]:
        """Greedy line breaking, hyphenating words that do not fit; returns display strings."""
        self.set_font(FONT, style, size)
        conv: Callable[[str], str] = apply_ligatures if ligatures else (lambda s: s)

        def width_of(s: str) -> float:
            return float(self.get_string_width(conv(s)))

        space = self.get_string_width(" ")
        lines: list[str] = []
        cur: list[str] = []
        cur_w = 0.0
        words = text.split()
        k = 0
        while k < len(words):
            word = words[k]
            ww = width_of(word)
            sep = space if cur else 0.0
            if cur_w + sep + ww <= width:
                cur.append(word)
                cur_w += sep + ww
                k += 1
                continue
            if hyphenate and cur:
                split = _fitting_split(word, cur_w + sep, width, width_of)
                if split is not None:
                    cur.append(split[0])
                    lines.append(" ".join(cur))
                    cur, cur_w = [], 0.0
                    words[k] = split[1]
                    continue
            if cur:
                lines.append(" ".join(cur))
                cur, cur_w = [], 0.0
                continue
            lines.append(word)  # a single word longer than the line: put it alone
            k += 1
        if cur:
            lines.append(" ".join(cur))
        return [conv(line) for line in lines]


def _fitting_split(
    word: str, used: float, width: float, width_of: Callable[[str], float]
) -> tuple[str, str] | None:
    """(end of this line, start of the next) at the latest break of `word` that still fits a
    line of `width` of which `used` is taken."""
    for pos, explicit in reversed(hyphenation_points(word)):
        left = word[:pos] + ("" if explicit else "-")
        if used + width_of(left) <= width:
            return left, word[pos:]
    return None
