#!/usr/bin/env python3
"""Render the sample policy briefs in ``samples/src/*.md`` to PDF.

Usage::

    python samples/generate.py                 # render every source
    python samples/generate.py 01-china-russia-ukraine.md 04   # only some

Each ``samples/src/NN-slug.md`` (format: ``samples/FORMAT.md``) becomes
``samples/briefs/NN-slug.pdf``.  The layout deliberately imitates real
think-tank PDFs so that the PDFs exercise BriefQA's text extraction:

* A4 portrait, DejaVu Sans (the copy shipped inside matplotlib), body 10.5 pt,
  justified; headings bold and larger; bullets with "•" and a hanging indent.
* Page 1 carries a title block: "Northbridge Policy Brief No. NN | DD/MM/YYYY",
  the title in large bold type, the authors and the keywords.
* Running header on every page after the first
  ("Northbridge Policy Brief No. NN — <short_title>") and a two-line footer on
  every page ("northbridge-network.example" and "Page N of M").
* Our own line breaking with hyphenation: a word of 8+ letters that does not
  fit at the end of a line is split at a syllable-like boundary (at least
  3 letters on each side) and the line ends in "-".  Existing compound hyphens
  ("dual-carbon") are also used as break points (no extra hyphen added).
  Each line is written as its own text line.
* Ligatures: in briefs with an ODD number, "fi" and "fl" in body paragraphs and
  bullets are replaced by U+FB01 (ﬁ) and U+FB02 (ﬂ).  Headings, tables, the
  title block, header and footer never use ligatures.
* Two columns between ``<!-- columns: 2 -->`` and ``<!-- columns: 1 -->``: the
  left column is filled top to bottom, then the right one (balanced when the
  section ends on the page); the left column's text comes first in the
  content stream.
* Markdown pipe tables are rendered as bordered tables (``FPDF.table``).
* Metadata: Author, Subject, Keywords, Creator always; Title is set from the
  front matter EXCEPT for briefs whose number is divisible by 4 (04, 08, 12,
  ...), whose Title metadata is left empty so that a parser has to fall back
  to the first-page heading.  The creation date is the brief's own date
  (00:00 UTC), so the output is byte-for-byte reproducible.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import FontFace
from fpdf.line_break import TextLine

HERE = Path(__file__).resolve().parent
SRC_DIR = HERE / "src"
OUT_DIR = HERE / "briefs"
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"

SERIES = "Northbridge Policy Brief"
NETWORK = "Northbridge Europe-China Research Network"
SITE = "northbridge-network.example"

# Page geometry (mm)
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_L = MARGIN_R = 22.0
BODY_TOP = 26.0
BODY_BOTTOM = PAGE_H - 24.0
TEXT_W = PAGE_W - MARGIN_L - MARGIN_R
GUTTER = 7.0
COL_W = (TEXT_W - GUTTER) / 2

# Typography
BODY_PT = 10.5
BODY_LH = 5.0  # line height of body text (mm)
PARA_GAP = 2.4  # space after a paragraph
BULLET_GAP = 1.2  # space between bullets
BULLET_INDENT = 4.0  # position of the bullet glyph
BULLET_TEXT = 8.5  # position of the bullet text
H1_PT, H1_LH = 13.5, 6.6
H2_PT, H2_LH = 11.5, 5.8
H3_PT, H3_LH = 10.5, 5.2
TABLE_PT, TABLE_LH = 9.0, 4.4
GREY = (90, 90, 90)
BLACK = (0, 0, 0)

BULLET = "\u2022"
LIG_FI, LIG_FL = "\ufb01", "\ufb02"


# --------------------------------------------------------------------------
# Source parsing
# --------------------------------------------------------------------------


@dataclass
class Brief:
    path: Path
    title: str
    short_title: str
    number: int
    date: datetime
    date_text: str
    authors: list[str]
    keywords: list[str]
    blocks: list


@dataclass
class Block:
    kind: str  # heading, para, bullets, olist, table, columns
    level: int = 0
    text: str = ""
    items: list = field(default_factory=list)


def _clean_inline(text: str) -> str:
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_front_matter(lines: list[str], path: Path) -> tuple[dict, int]:
    if not lines or lines[0].strip() != "---":
        raise ValueError(f"{path}: missing front matter")
    meta: dict = {}
    for i in range(1, len(lines)):
        line = lines[i]
        if line.strip() == "---":
            return meta, i + 1
        if not line.strip() or ":" not in line:
            continue
        key, value = line.split(":", 1)
        value = re.sub(r"\s+#\s.*$", "", value).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        meta[key.strip().lower()] = value
    raise ValueError(f"{path}: unterminated front matter")


COLUMNS_RE = re.compile(r"^\s*<!--\s*columns\s*:\s*(\d)\s*-->\s*$", re.I)
COMMENT_RE = re.compile(r"^\s*<!--.*-->\s*$")
BULLET_RE = re.compile(r"^\s*[-*]\s+(.*)$")
OLIST_RE = re.compile(r"^\s*(\d+)[.)]\s+(.*)$")
HEADING_RE = re.compile(r"^(#{1,4})\s+(.*?)\s*#*\s*$")


def _split_row(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [_clean_inline(c) for c in line.split("|")]


def parse_body(lines: list[str]) -> list:
    blocks: list = []
    para: list[str] = []
    list_block: Block | None = None

    def flush():
        nonlocal para, list_block
        if para:
            blocks.append(Block("para", text=_clean_inline(" ".join(para))))
            para = []
        if list_block is not None:
            list_block.items = [_clean_inline(t) for t in list_block.items]
            blocks.append(list_block)
            list_block = None

    i = 0
    while i < len(lines):
        raw = lines[i]
        line = raw.rstrip()
        m = COLUMNS_RE.match(line)
        if m:
            flush()
            blocks.append(Block("columns", level=int(m.group(1))))
            i += 1
            continue
        if COMMENT_RE.match(line):
            i += 1
            continue
        if not line.strip():
            flush()
            i += 1
            continue
        m = HEADING_RE.match(line)
        if m:
            flush()
            blocks.append(Block("heading", level=len(m.group(1)), text=_clean_inline(m.group(2))))
            i += 1
            continue
        if line.lstrip().startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                cells = _split_row(lines[i])
                is_rule = any(cells) and all(
                    re.fullmatch(r":?-{2,}:?", c.replace(" ", "")) for c in cells if c
                )
                if not is_rule:
                    rows.append(cells)
                i += 1
            blocks.append(Block("table", items=rows))
            continue
        m = BULLET_RE.match(line)
        if m and not para:
            if list_block is None or list_block.kind != "bullets":
                flush()
                list_block = Block("bullets")
            list_block.items.append(m.group(1))
            i += 1
            continue
        m = OLIST_RE.match(line)
        if m and not para:
            if list_block is None or list_block.kind != "olist":
                flush()
                list_block = Block("olist")
            list_block.items.append(m.group(2))
            list_block.level = list_block.level or int(m.group(1))
            i += 1
            continue
        if list_block is not None:
            # continuation line of the last list item
            list_block.items[-1] += " " + line.strip()
            i += 1
            continue
        para.append(line.strip())
        i += 1
    flush()
    return blocks


def parse_brief(path: Path) -> Brief:
    lines = path.read_text(encoding="utf-8").splitlines()
    meta, start = parse_front_matter(lines, path)
    number = int(meta.get("number") or path.name[:2])
    date_text = meta.get("date", "01/01/2025")
    day, month, year = (int(x) for x in date_text.split("/"))
    authors = [a.strip() for a in re.split(r"[;\n]", meta.get("authors", "")) if a.strip()]
    keywords = [k.strip() for k in meta.get("keywords", "").split(",") if k.strip()]
    title = meta.get("title", path.stem)
    return Brief(
        path=path,
        title=title,
        short_title=meta.get("short_title") or title,
        number=number,
        date=datetime(year, month, day, tzinfo=UTC),
        date_text=f"{day:02d}/{month:02d}/{year:04d}",
        authors=authors,
        keywords=keywords,
        blocks=parse_body(lines[start:]),
    )


# --------------------------------------------------------------------------
# Hyphenation and ligatures
# --------------------------------------------------------------------------

VOWELS = set("aeiouyAEIOUYéèàöüä")
ONSETS = {
    "pr",
    "tr",
    "br",
    "cr",
    "dr",
    "gr",
    "fr",
    "pl",
    "bl",
    "cl",
    "gl",
    "ch",
    "sh",
    "th",
    "ph",
    "wh",
}
S_CLUSTERS = {"st", "sp", "sc"}  # may start the right part, but are split after a vowel
NO_SPLIT = {"ch", "ck", "gh", "ph", "sh", "th", "wh", "qu", "ng", "fi", "fl"}


def apply_ligatures(text: str) -> str:
    text = re.sub(r"(?<=[A-Za-z])fi|fi(?=[A-Za-z])", LIG_FI, text)
    text = re.sub(r"(?<=[A-Za-z])fl|fl(?=[A-Za-z])", LIG_FL, text)
    return text


def _is_vowel(word: str, i: int) -> bool:
    c = word[i]
    if c in "yY":
        return i > 0
    return c in VOWELS


def hyphenation_points(token: str) -> list[tuple[int, bool]]:
    """Return break positions in ``token`` as (index, explicit) pairs.

    ``explicit`` is True for a break after an existing hyphen (no hyphen is
    added).  Other breaks are syllable-like boundaries inside a run of at
    least 8 letters with at least 3 letters on each side.
    """
    points: list[tuple[int, bool]] = []
    # explicit compound hyphens
    for m in re.finditer(r"(?<=[A-Za-z0-9]{2})-(?=[A-Za-z]{2})", token):
        points.append((m.end(), True))
    for m in re.finditer(r"[A-Za-z]{8,}", token):
        word = m.group(0)
        low = word.lower()
        n = len(word)
        if word.isupper():  # acronyms are never split
            continue
        for i in range(3, n - 2):
            right = low[i:]
            if low[i - 1 : i + 1] in NO_SPLIT:
                continue
            if low[i - 1] == low[i] == "e":
                continue
            # both parts must contain a vowel; the right part one that is
            # not just a silent final "e" (except consonant + "le")
            if not any(_is_vowel(low, j) for j in range(i)):
                continue
            right_core = right[:-1] if right.endswith("e") else right
            if not any(ch in "aeiouy" for ch in right_core) and not re.fullmatch(
                r"[^aeiouy]le", right
            ):
                continue
            if right in ("ed", "es", "ly") or len(right) < 3:
                continue
            if right[0] in "xw" or (right[0] == "y" and not _is_vowel(low, min(i + 1, n - 1))):
                continue  # appro-ximately, follo-wing
            m_ing = re.search(r"ings?$", low)
            if m_ing and i > m_ing.start() - 3 and i != m_ing.start():
                continue  # distinguish-ing, not distingui-shing
            a, b = _is_vowel(low, i - 1), _is_vowel(low, i)
            nxt = _is_vowel(low, i + 1) if i + 1 < n else False
            pair = low[i : i + 2]
            ok = False
            if a and not b and nxt:
                ok = True  # V-CV    (na-tion)
            elif a and pair in ONSETS and i + 2 < n and _is_vowel(low, i + 2):
                ok = True  # V-CCV   (neu-tral, mi-cro)
            elif not a and not b:
                # C-C: a vowel close before the break, and the right part
                # starts with a syllable onset; never split an onset cluster
                # that is itself followed by a vowel (neut-ral)
                near_v = any(_is_vowel(low, j) for j in range(max(0, i - 3), i))
                split_cluster = low[i - 1 : i + 1] in ONSETS and nxt
                if near_v and not split_cluster and (nxt or pair in ONSETS or pair in S_CLUSTERS):
                    ok = True  # VC-CV   (sec-tor, con-trol, sanc-tions)
            m_ing = re.search(r"ings?$", low)
            if (
                m_ing
                and i == m_ing.start()
                and n - len(m_ing.group(0)) >= 5
                and not a
                and not low.endswith(("thing", "things"))
            ):
                ok = True  # strengthen-ing
            if ok:
                points.append((m.start() + i, False))
    points.sort()
    return points


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------


@dataclass
class Box:
    height: float
    draw: Callable[[float, float], None] | None = None  # draw(x, y)
    space: bool = False
    keep_next: int = 0  # keep with the next N boxes


class BriefPDF(FPDF):
    def __init__(self, brief: Brief):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.brief = brief
        self.ligatures = brief.number % 2 == 1
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN_L, BODY_TOP, MARGIN_R)
        self.set_auto_page_break(True, margin=PAGE_H - BODY_BOTTOM)
        self.c_margin = 0
        self.alias_nb_pages("{nb}")
        self.y_pos = BODY_TOP

    # ---- running header / footer -----------------------------------------
    def header(self):
        if self.page_no() > 1:
            self.set_font("DejaVu", "", 8.5)
            self.set_text_color(*GREY)
            self.set_xy(MARGIN_L, 12)
            running = f"{SERIES} No. {self.brief.number:02d} \u2014 {self.brief.short_title}"
            self.cell(TEXT_W, 4, running, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_draw_color(*GREY)
            self.set_line_width(0.2)
            self.line(MARGIN_L, 17.5, PAGE_W - MARGIN_R, 17.5)
            self.set_text_color(*BLACK)
        self.set_xy(MARGIN_L, BODY_TOP)

    def footer(self):
        self.set_draw_color(*GREY)
        self.set_line_width(0.2)
        self.line(MARGIN_L, PAGE_H - 18.5, PAGE_W - MARGIN_R, PAGE_H - 18.5)
        self.set_font("DejaVu", "", 8.5)
        self.set_text_color(*GREY)
        self.set_xy(MARGIN_L, PAGE_H - 17)
        self.cell(TEXT_W, 4, SITE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_xy(MARGIN_L, PAGE_H - 12.5)
        self.cell(TEXT_W, 4, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(*BLACK)

    # ---- low-level text ----------------------------------------------------
    def text_line(self, x: float, y: float, w: float, h: float, text: str, justify: bool):
        self.set_xy(x, y)
        if justify and " " in text.strip():
            text = self.normalize_text(text)
            frags = self._preload_font_styles(text, False)
            line = TextLine(
                frags,
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
        self.set_font("DejaVu", style, size)
        return self.get_string_width(text)

    # ---- line breaking -----------------------------------------------------
    def wrap(
        self, text: str, width: float, style: str, size: float, hyphenate: bool, ligatures: bool
    ) -> list[str]:
        """Greedy line breaking with hyphenation; returns display strings."""
        self.set_font("DejaVu", style, size)
        conv = apply_ligatures if ligatures else (lambda s: s)

        def W(s: str) -> float:
            return self.get_string_width(conv(s))

        space = self.get_string_width(" ")
        lines: list[str] = []
        cur: list[str] = []
        cur_w = 0.0
        words = text.split()
        k = 0
        while k < len(words):
            word = words[k]
            ww = W(word)
            sep = space if cur else 0.0
            if cur_w + sep + ww <= width:
                cur.append(word)
                cur_w += sep + ww
                k += 1
                continue
            if hyphenate and cur:
                done = False
                for pos, explicit in reversed(hyphenation_points(word)):
                    left = word[:pos] + ("" if explicit else "-")
                    if cur_w + sep + W(left) <= width:
                        cur.append(left)
                        lines.append(" ".join(cur))
                        cur, cur_w = [], 0.0
                        words[k] = word[pos:]
                        done = True
                        break
                if done:
                    continue
            if cur:
                lines.append(" ".join(cur))
                cur, cur_w = [], 0.0
                continue
            # a single word longer than the line: put it alone
            lines.append(word)
            k += 1
        if cur:
            lines.append(" ".join(cur))
        return [conv(line) for line in lines]

    # ---- boxes ---------------------------------------------------------------
    def para_boxes(self, text: str, width: float, indent: float = 0.0) -> list[Box]:
        lines = self.wrap(text, width - indent, "", BODY_PT, True, self.ligatures)
        boxes = []
        for j, line in enumerate(lines):
            justify = j < len(lines) - 1

            def draw(x, y, line=line, justify=justify):
                self.set_font("DejaVu", "", BODY_PT)
                self.text_line(x + indent, y, width - indent, BODY_LH, line, justify)

            boxes.append(Box(BODY_LH, draw))
        # orphan/widow control: keep the first two and the last two together
        if len(boxes) >= 3:
            boxes[0].keep_next = 1
            boxes[-2].keep_next = 1
        elif len(boxes) == 2:
            boxes[0].keep_next = 1
        return boxes

    def list_boxes(self, items: list[str], width: float, ordered: bool, start: int) -> list[Box]:
        boxes: list[Box] = []
        for n, item in enumerate(items):
            label = f"{start + n}." if ordered else BULLET
            lines = self.wrap(item, width - BULLET_TEXT, "", BODY_PT, True, self.ligatures)
            for j, line in enumerate(lines):
                justify = j < len(lines) - 1

                def draw(x, y, line=line, justify=justify, j=j, label=label):
                    self.set_font("DejaVu", "", BODY_PT)
                    if j == 0:
                        self.set_xy(x + (BULLET_INDENT if not ordered else 1.0), y)
                        self.cell(BULLET_TEXT - BULLET_INDENT, BODY_LH, label)
                    self.text_line(x + BULLET_TEXT, y, width - BULLET_TEXT, BODY_LH, line, justify)

                boxes.append(Box(BODY_LH, draw, keep_next=1 if (j == 0 and len(lines) > 1) else 0))
            boxes.append(Box(BULLET_GAP, space=True))
        if boxes:
            boxes[-1] = Box(PARA_GAP, space=True)
        return boxes

    def heading_boxes(self, text: str, level: int, width: float) -> list[Box]:
        size, lh, before, after = {
            1: (H1_PT, H1_LH, 4.0, 1.8),
            2: (H2_PT, H2_LH, 2.5, 1.2),
        }.get(level, (H3_PT, H3_LH, 1.5, 0.8))
        lines = self.wrap(text, width, "B", size, False, False)
        boxes = [Box(before, space=True)]
        for line in lines:

            def draw(x, y, line=line):
                self.set_font("DejaVu", "B", size)
                self.text_line(x, y, width, lh, line, False)

            boxes.append(Box(lh, draw, keep_next=1))
        boxes.append(Box(after, space=True, keep_next=1))
        return boxes

    def block_boxes(self, blocks: list, width: float) -> list[Box]:
        boxes: list[Box] = []
        for b in blocks:
            if b.kind == "heading":
                boxes += self.heading_boxes(b.text, b.level, width)
            elif b.kind == "para":
                boxes += self.para_boxes(b.text, width)
                boxes.append(Box(PARA_GAP, space=True))
            elif b.kind in ("bullets", "olist"):
                boxes += self.list_boxes(b.items, width, b.kind == "olist", b.level or 1)
        return boxes

    # ---- flow ----------------------------------------------------------------
    def new_page(self):
        self.add_page()
        self.y_pos = BODY_TOP

    @staticmethod
    def _chain_height(boxes: list[Box], i: int) -> float:
        """Height of box i plus the boxes it must be kept with."""
        h = boxes[i].height
        j = i
        while boxes[j].keep_next and j + 1 < len(boxes):
            j += 1
            h += boxes[j].height
        return h

    def flow(self, boxes: list[Box]):
        for i, b in enumerate(boxes):
            if b.space:
                if self.y_pos > BODY_TOP + 0.01:
                    self.y_pos = min(self.y_pos + b.height, BODY_BOTTOM)
                continue
            need = self._chain_height(boxes, i)
            if self.y_pos + need > BODY_BOTTOM + 0.01 and self.y_pos > BODY_TOP + 0.01:
                self.new_page()
            if self.y_pos + b.height > BODY_BOTTOM + 0.01:
                self.new_page()
            b.draw(MARGIN_L, self.y_pos)
            self.y_pos += b.height

    def _fill(self, boxes: list[Box], start: int, avail: float) -> int:
        """Index after the last box that fits into a column of height avail."""
        used = 0.0
        i = start
        while i < len(boxes):
            b = boxes[i]
            if b.space:
                used += b.height
                i += 1
                continue
            need = self._chain_height(boxes, i)
            if used + need > avail + 0.01 and used > 0:
                break
            if used + b.height > avail + 0.01:
                break
            used += b.height
            i += 1
        return i

    def flow_columns(self, boxes: list[Box], lead: list[Box] | None = None):
        """Two-column flow.  ``lead`` boxes (e.g. the section heading just
        before the columns marker) are set full width and kept together with
        the first lines of the columns."""
        while boxes and boxes[-1].space:
            boxes.pop()
        if lead:
            lead_h = sum(b.height for b in lead if not b.space)
            if self.y_pos + lead_h + 4 * BODY_LH > BODY_BOTTOM + 0.01:
                self.new_page()
            self.flow(lead)
        i = 0
        while i < len(boxes):
            while i < len(boxes) and boxes[i].space:
                i += 1
            if i >= len(boxes):
                break
            avail = BODY_BOTTOM - self.y_pos
            if avail < 4 * BODY_LH:
                self.new_page()
                avail = BODY_BOTTOM - self.y_pos
            rest = boxes[i:]
            total = sum(b.height for b in rest)
            split = None
            if total <= 2 * avail:
                # balanced: smallest left column that lets the rest fit
                best = None
                for k in range(i + 1, len(boxes) + 1):
                    left_h = sum(b.height for b in boxes[i:k])
                    if left_h > avail + 0.01:
                        break
                    if boxes[k - 1].keep_next and k < len(boxes):
                        continue
                    right = boxes[k:]
                    while right and right[0].space:
                        right = right[1:]
                    right_h = sum(b.height for b in right)
                    worst = max(left_h, right_h)
                    if right_h <= avail + 0.01 and (best is None or worst < best[0] - 0.01):
                        best = (worst, k)
                if best is not None:
                    split = best[1]
            if split is not None:
                end_left = split
                right_start = split
                while right_start < len(boxes) and boxes[right_start].space:
                    right_start += 1
                end_right = len(boxes)
            else:
                end_left = self._fill(boxes, i, avail)
                right_start = end_left
                while right_start < len(boxes) and boxes[right_start].space:
                    right_start += 1
                end_right = self._fill(boxes, right_start, avail)
            y0 = self.y_pos
            ends = []
            right_x = MARGIN_L + COL_W + GUTTER
            for a, z, x in ((i, end_left, MARGIN_L), (right_start, end_right, right_x)):
                y = y0
                for b in boxes[a:z]:
                    if b.space:
                        if y > y0:
                            y += b.height
                        continue
                    b.draw(x, y)
                    y += b.height
                ends.append(y)
            i = end_right
            if i < len(boxes):
                self.new_page()
            else:
                self.y_pos = max(ends) + PARA_GAP

    def render_table(self, rows: list[list[str]]):
        if not rows:
            return
        ncol = max(len(r) for r in rows)
        rows = [r + [""] * (ncol - len(r)) for r in rows]
        if BODY_BOTTOM - self.y_pos < 40:
            self.new_page()
        # column widths: never narrower than the longest word of the column,
        # the rest shared out in proportion to the (capped) content width
        pad = 2 * 1.2 + 1.0
        mins, wants = [], []
        for c in range(ncol):
            mn = want = 0.0
            for r_i, r in enumerate(rows):
                style = "B" if r_i == 0 else ""
                for word in r[c].split():
                    mn = max(mn, self.measure(word, style, TABLE_PT))
                want = max(want, min(self.measure(r[c], style, TABLE_PT), 70.0))
            mins.append(mn + pad)
            wants.append(max(want + pad, mn + pad))
        spare = TEXT_W - sum(mins)
        extra = [w - m for w, m in zip(wants, mins, strict=True)]
        if spare > 0 and sum(extra) > 0:
            share = min(1.0, spare / sum(extra))
            widths = [m + e * share for m, e in zip(mins, extra, strict=True)]
            left = TEXT_W - sum(widths)
            widths = [w + left * w / sum(widths) for w in widths]
        else:
            widths = [TEXT_W / ncol] * ncol
        lens = widths
        self.set_xy(MARGIN_L, self.y_pos + 1)
        self.c_margin = 1.2
        with self.table(
            width=TEXT_W,
            col_widths=lens,
            line_height=TABLE_LH,
            text_align="LEFT",
            borders_layout="ALL",
            headings_style=FontFace(emphasis="BOLD", fill_color=(225, 230, 238)),
            padding=1.2,
            first_row_as_headings=True,
        ) as table:
            for r in rows:
                row = table.row()
                for c in r:
                    row.cell(c)
        self.c_margin = 0
        self.y_pos = self.get_y() + 4.0

    def title_block(self):
        b = self.brief
        self.new_page()
        self.set_text_color(*GREY)
        self.set_font("DejaVu", "B", 8.5)
        self.set_xy(MARGIN_L, 14)
        self.cell(TEXT_W, 4, NETWORK.upper())
        self.set_text_color(*BLACK)
        self.set_font("DejaVu", "", 10)
        self.set_xy(MARGIN_L, 24)
        self.cell(TEXT_W, 5, f"{SERIES} No. {b.number:02d} | {b.date_text}")
        y = 33.0
        for line in self.wrap(b.title, TEXT_W, "B", 20, False, False):
            self.set_font("DejaVu", "B", 20)
            self.text_line(MARGIN_L, y, TEXT_W, 9.0, line, False)
            y += 9.0
        y += 2.5
        if b.authors:
            names = b.authors[-1]
            if len(b.authors) > 1:
                names = ", ".join(b.authors[:-1]) + " and " + names
            for line in self.wrap(names, TEXT_W, "", 11.5, False, False):
                self.set_font("DejaVu", "", 11.5)
                self.text_line(MARGIN_L, y, TEXT_W, 5.5, line, False)
                y += 5.5
        if b.keywords:
            y += 1.0
            self.set_text_color(*GREY)
            kw_text = "Keywords: " + ", ".join(b.keywords)
            for line in self.wrap(kw_text, TEXT_W, "", 8.5, False, False):
                self.set_font("DejaVu", "", 8.5)
                self.text_line(MARGIN_L, y, TEXT_W, 4.2, line, False)
                y += 4.2
            self.set_text_color(*BLACK)
        y += 3.0
        self.set_draw_color(40, 60, 100)
        self.set_line_width(0.6)
        self.line(MARGIN_L, y, PAGE_W - MARGIN_R, y)
        self.y_pos = y + 3.0

    def render(self):
        b = self.brief
        self.set_creation_date(b.date)
        self.set_creator("BriefQA samples/generate.py")
        self.set_author(", ".join(b.authors))
        self.set_subject(f"{SERIES} No. {b.number:02d}: {b.short_title}")
        self.set_keywords(", ".join(b.keywords))
        if b.number % 4 != 0:
            self.set_title(b.title)
        self.set_lang("en-GB")
        self.title_block()
        columns = 1
        pending: list = []

        lead: list = []

        def flush_pending():
            nonlocal pending, lead
            if columns == 2 and (pending or lead):
                self.flow_columns(self.block_boxes(pending, COL_W), self.block_boxes(lead, TEXT_W))
            elif pending:
                self.flow(self.block_boxes(pending, TEXT_W))
            pending, lead = [], []

        for blk in b.blocks:
            if blk.kind == "columns":
                new_columns = 2 if blk.level == 2 else 1
                carried: list = []
                if new_columns == 2 and columns == 1:
                    # headings directly before the marker stay with the columns
                    while pending and pending[-1].kind == "heading":
                        carried.insert(0, pending.pop())
                flush_pending()
                columns = new_columns
                lead = carried
            elif blk.kind == "table":
                flush_pending()
                self.render_table(blk.items)
            else:
                pending.append(blk)
        flush_pending()


def render_file(src: Path) -> tuple[Path, int, int, list[str]]:
    brief = parse_brief(src)
    pdf = BriefPDF(brief)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdf.render()
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        out = OUT_DIR / (src.stem + ".pdf")
        pdf.output(str(out))
    msgs = sorted({str(w.message) for w in caught})
    return out, pdf.pages_count, out.stat().st_size, msgs


def resolve(arg: str) -> Path:
    p = Path(arg)
    if p.is_file():
        return p
    for cand in (SRC_DIR / arg, SRC_DIR / (arg + ".md")):
        if cand.is_file():
            return cand
    matches = sorted(SRC_DIR.glob(f"{arg}*.md"))
    if len(matches) == 1:
        return matches[0]
    raise SystemExit(f"no such source: {arg}")


def main(argv: list[str]) -> int:
    sources = [resolve(a) for a in argv] if argv else sorted(SRC_DIR.glob("*.md"))
    if not sources:
        print("no sources found in", SRC_DIR)
        return 1
    print(f"{'file':45s} {'pages':>5s} {'bytes':>8s}")
    status = 0
    for src in sources:
        try:
            out, pages, size, msgs = render_file(src)
        except Exception as exc:  # keep going with the other briefs
            print(f"{src.name:45s} ERROR: {exc}")
            status = 1
            continue
        flag = "" if 4 <= pages <= 10 else "  <-- outside 4-10 pages"
        print(f"{out.name:45s} {pages:5d} {size:8d}{flag}")
        for m in msgs:
            print("    warning:", m)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
