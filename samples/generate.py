#!/usr/bin/env python3
"""Render the sample policy briefs in ``samples/src/*.md`` to PDF.

Usage::

    python samples/generate.py                 # render every source
    python samples/generate.py 01-china-russia-ukraine.md 04   # only some

Each ``samples/src/NN-slug.md`` (format: ``samples/FORMAT.md``) becomes
``samples/briefs/NN-slug.pdf``.  This script reads the sources and sets the
house style of the (fictional) Northbridge series; the layout itself is
``eval.render``, the one brief renderer, which deliberately imitates real
think-tank PDFs so that they exercise BriefQA's text extraction:

* A4 portrait, DejaVu Sans (the copy shipped inside matplotlib), body 10.5 pt,
  justified; headings bold and larger; bullets with "•" and a hanging indent.
* Page 1 carries a title block: "Northbridge Policy Brief No. NN | DD/MM/YYYY",
  the title in large bold type, the authors and the keywords.
* Running header on every page after the first
  ("Northbridge Policy Brief No. NN — <short_title>") and a two-line footer on
  every page ("northbridge-network.example" and "Page N of M").
* Own line breaking with hyphenation: a word of 8+ letters that does not
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eval.render import (
    Brief,
    BriefWriter,
    Bullets,
    Columns,
    Heading,
    Metadata,
    PageStyle,
    Paragraph,
    Table,
    TitleBlock,
    Typesetting,
)
from eval.render.model import Block as RenderBlock

HERE = Path(__file__).resolve().parent
SRC_DIR = HERE / "src"
OUT_DIR = HERE / "briefs"

SERIES = "Northbridge Policy Brief"
NETWORK = "Northbridge Europe-China Research Network"
SITE = "northbridge-network.example"
CREATOR = "BriefQA samples/generate.py"


# --------------------------------------------------------------------------
# Source parsing
# --------------------------------------------------------------------------


@dataclass
class BriefSource:
    """A brief as its Markdown source says it: front matter and blocks."""

    path: Path
    title: str
    short_title: str
    number: int
    date: datetime
    date_text: str
    authors: list[str]
    keywords: list[str]
    blocks: list[Block]


@dataclass
class Block:
    """A block of the source; `level` is a heading's level, a list's first number or the
    column count of a `columns` marker."""

    kind: str  # heading, para, bullets, olist, table, columns
    level: int = 0
    text: str = ""
    items: list[Any] = field(default_factory=list)  # item texts, or a table's rows of cells


def _clean_inline(text: str) -> str:
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_front_matter(lines: list[str], path: Path) -> tuple[dict[str, str], int]:
    if not lines or lines[0].strip() != "---":
        raise ValueError(f"{path}: missing front matter")
    meta: dict[str, str] = {}
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


def parse_body(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []
    list_block: Block | None = None

    def flush() -> None:
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


def parse_brief(path: Path) -> BriefSource:
    lines = path.read_text(encoding="utf-8").splitlines()
    meta, start = parse_front_matter(lines, path)
    number = int(meta.get("number") or path.name[:2])
    date_text = meta.get("date", "01/01/2025")
    day, month, year = (int(x) for x in date_text.split("/"))
    authors = [a.strip() for a in re.split(r"[;\n]", meta.get("authors", "")) if a.strip()]
    keywords = [k.strip() for k in meta.get("keywords", "").split(",") if k.strip()]
    title = meta.get("title", path.stem)
    return BriefSource(
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
# The Northbridge house style
# --------------------------------------------------------------------------


def to_brief(source: BriefSource) -> Brief:
    """The source as the renderer's brief, in the house style of the series."""
    b = source
    byline = None
    if b.authors:
        byline = b.authors[-1]
        if len(b.authors) > 1:
            byline = ", ".join(b.authors[:-1]) + " and " + byline
    return Brief(
        title_block=TitleBlock(
            title=b.title,
            organisation=NETWORK.upper(),
            series_line=f"{SERIES} No. {b.number:02d} | {b.date_text}",
            byline=byline,
            keywords=tuple(b.keywords),
        ),
        blocks=tuple(render_blocks(b.blocks)),
        page=PageStyle(
            running_header=f"{SERIES} No. {b.number:02d} \u2014 {b.short_title}",
            footer_site=SITE,
        ),
        typesetting=Typesetting(ligatures=b.number % 2 == 1),
        metadata=Metadata(
            title=b.title if b.number % 4 != 0 else None,
            author=", ".join(b.authors),
            subject=f"{SERIES} No. {b.number:02d}: {b.short_title}",
            keywords=", ".join(b.keywords),
            creator=CREATOR,
            language="en-GB",
            created=b.date,
        ),
    )


def render_blocks(blocks: list[Block]) -> list[RenderBlock]:
    """Source blocks as the renderer's; text between column markers becomes `Columns`."""
    out: list[RenderBlock] = []
    columns: list[Heading | Paragraph | Bullets] | None = None  # the open two-column part

    def close_columns() -> None:
        nonlocal columns
        if columns is not None:
            out.append(Columns(tuple(columns)))
            columns = None

    for blk in blocks:
        if blk.kind == "columns":
            close_columns()
            columns = [] if blk.level == 2 else None
        elif blk.kind == "table":
            in_columns = columns is not None
            close_columns()
            out.append(Table(tuple(tuple(row) for row in blk.items)))
            if in_columns:
                columns = []  # the columns go on after the full-width table
        else:
            (out if columns is None else columns).append(_render_block(blk))
    close_columns()
    return out


def _render_block(blk: Block) -> Heading | Paragraph | Bullets:
    if blk.kind == "heading":
        return Heading(blk.text, blk.level)
    if blk.kind == "para":
        return Paragraph(blk.text)
    return Bullets(tuple(blk.items), ordered=blk.kind == "olist", start=blk.level or 1)


def render_file(src: Path) -> tuple[Path, int, int, list[str]]:
    """Render one source into OUT_DIR: (output path, pages, bytes, fpdf2 warnings)."""
    brief = to_brief(parse_brief(src))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        writer = BriefWriter(brief.page, brief.typesetting, brief.metadata)
        writer.title_block(brief.title_block)
        writer.add(brief.blocks)
        data = writer.output()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / (src.stem + ".pdf")
    out.write_bytes(data)
    msgs = sorted({str(w.message) for w in caught})
    return out, writer.pages, len(data), msgs


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
