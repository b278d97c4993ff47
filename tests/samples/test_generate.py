"""Tests of the sample-brief PDF generator (samples/generate.py)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

pytest.importorskip("fpdf")
pytest.importorskip("matplotlib")
pypdf = pytest.importorskip("pypdf")

ROOT = Path(__file__).resolve().parents[2]


def _load_generator():
    spec = importlib.util.spec_from_file_location(
        "samples_generate", ROOT / "samples" / "generate.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["samples_generate"] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()

LONG_PARA = " ".join(
    ["The international negotiations on environmental implementation were characterised by"]
    + ["considerable institutional uncertainty and persistent disagreements about financing"] * 6
)


def _source(number: int, columns: bool = True, table: bool = True) -> str:
    body = [
        "---",
        f"title: A Test Brief Number {number}",
        "short_title: Test brief",
        f"number: {number}",
        "date: 05/06/2025            # DD/MM/YYYY",
        "authors: Ada Example; Bo Sample",
        "keywords: testing, fixtures",
        "---",
        "",
        "# Executive summary",
        "A first paragraph that talks about the financial flows of official lenders. " * 8,
        "",
        "- First bullet about the significant conflicts of interest in the field.",
        "- Second bullet.",
        "",
        "# 1. Numbered section",
        LONG_PARA,
        "",
    ]
    if columns:
        body += [
            "<!-- columns: 2 -->",
            "LEFTSTART " + LONG_PARA,
            "",
            LONG_PARA + " RIGHTEND",
            "<!-- columns: 1 -->",
            "",
        ]
    if table:
        body += ["| Column A | Column B |", "| --- | --- |", "| cell one | cell two |", ""]
    body += ["# Policy recommendations", "- Do something concrete.", "", "# About the authors"]
    body += ["Ada Example is a fictional fellow.", ""]
    return "\n".join(body)


@pytest.fixture()
def render(tmp_path, monkeypatch):
    monkeypatch.setattr(gen, "OUT_DIR", tmp_path / "out")

    def _render(number: int, **kw):
        src = tmp_path / f"{number:02d}-test.md"
        src.write_text(_source(number, **kw), encoding="utf-8")
        out, pages, size, msgs = gen.render_file(src)
        return out, pages, size, msgs

    return _render


def test_parse_body_blocks():
    lines = _source(3).splitlines()
    _, start = gen.parse_front_matter(lines, Path("x.md"))
    kinds = [b.kind for b in gen.parse_body(lines[start:])]
    assert kinds[:3] == ["heading", "para", "bullets"]
    assert kinds.count("columns") == 2
    table = next(b for b in gen.parse_body(lines[start:]) if b.kind == "table")
    assert table.items == [["Column A", "Column B"], ["cell one", "cell two"]]


def test_column_markers_become_columns_around_a_full_width_table():
    blocks = gen.parse_body(
        [
            "# Heading",
            "<!-- columns: 2 -->",
            "Left text.",
            "",
            "| A | B |",
            "| --- | --- |",
            "| 1 | 2 |",
            "",
            "More text.",
            "<!-- columns: 1 -->",
            "After.",
        ]
    )
    kinds = [type(b).__name__ for b in gen.render_blocks(blocks)]
    assert kinds == ["Heading", "Columns", "Table", "Columns", "Paragraph"]


def test_front_matter_comment_is_stripped():
    meta, _ = gen.parse_front_matter(_source(3).splitlines(), Path("x.md"))
    assert meta["date"] == "05/06/2025"


def test_rendered_pdf_layout(render):
    out, pages, _, msgs = render(3)
    assert not msgs
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == pages
    assert reader.metadata.title == "A Test Brief Number 3"
    assert reader.metadata.author == "Ada Example, Bo Sample"
    texts = [p.extract_text() for p in reader.pages]
    assert texts[0].splitlines()[1] == "Northbridge Policy Brief No. 03 | 05/06/2025"
    for i, text in enumerate(texts, start=1):
        lines = text.splitlines()
        assert lines[-2:] == ["northbridge-network.example", f"Page {i} of {pages}"]
        if i > 1:
            assert lines[0] == "Northbridge Policy Brief No. 03 \u2014 Test brief"
    full = "\n".join(texts)
    assert "\ufb01" in full  # odd brief: ligatures
    assert full.index("LEFTSTART") < full.index("RIGHTEND")
    assert re.search(r"[a-z]-\n", full)


def test_title_metadata_empty_when_divisible_by_four(render):
    out, *_ = render(4)
    reader = pypdf.PdfReader(out)
    assert not reader.metadata.title
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "\ufb01" not in text and "\ufb02" not in text  # even brief: no ligatures
    assert "A Test Brief Number 4" in reader.pages[0].extract_text()


def test_output_is_deterministic(render):
    out, *_ = render(5)
    first = out.read_bytes()
    out2, *_ = render(5)
    assert out2.read_bytes() == first


def test_committed_briefs_are_what_the_generator_makes(tmp_path, monkeypatch):
    """The evaluation set cites pages of the committed PDFs: a change of the renderer that
    moves text must come with regenerated briefs (and a check of eval/sets). Compared as
    BriefQA reads them (title, metadata, the text of every page), not byte for byte: a new
    fontTools subsets the embedded fonts differently without moving any text."""
    from ingest.parse import parse_file

    monkeypatch.setattr(gen, "OUT_DIR", tmp_path)
    sources = sorted(gen.SRC_DIR.glob("*.md"))
    assert sources
    for src in sources:
        out, *_ = gen.render_file(src)
        made, committed = parse_file(out), parse_file(ROOT / "samples" / "briefs" / out.name)
        assert made.pages == committed.pages, out.name
        assert (made.title, made.series, made.number, made.date, made.authors) == (
            committed.title,
            committed.series,
            committed.number,
            committed.date,
            committed.authors,
        ), out.name
