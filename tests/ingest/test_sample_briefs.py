"""The repository's sample briefs parse back to their Markdown sources (samples/src)."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest

from ingest.parse import parse_file
from ingest.types import Document

ROOT = Path(__file__).resolve().parents[2]
PAIRS = [
    (pdf, ROOT / "samples" / "src" / f"{pdf.stem}.md")
    for pdf in sorted((ROOT / "samples" / "briefs").glob("*.pdf"))
]
PAIRS = [(pdf, md) for pdf, md in PAIRS if md.exists()]
_WORD = re.compile(r"[\w'’-]+")

pytestmark = pytest.mark.skipif(not PAIRS, reason="no sample briefs with sources")


def _front_matter(source: str) -> dict[str, str]:
    block = source.split("---")[1]
    pairs = (line.split(":", 1) for line in block.strip().splitlines() if ":" in line)
    return {key.strip(): value.split("#")[0].strip() for key, value in pairs}


def _body(source: str) -> str:
    return unicodedata.normalize("NFKC", source.split("---", 2)[2])


@pytest.fixture(scope="module")
def parsed() -> dict[str, tuple[Document, str]]:
    return {pdf.name: (parse_file(pdf), md.read_text()) for pdf, md in PAIRS}


@pytest.mark.parametrize("name", [pdf.name for pdf, _ in PAIRS])
def test_metadata_matches_the_source(parsed, name: str) -> None:
    doc, source = parsed[name]
    front = _front_matter(source)
    assert doc.title == front["title"]
    assert doc.series == "Northbridge Policy Brief"
    assert doc.number == str(int(front["number"]))
    assert doc.date == datetime.strptime(front["date"], "%d/%m/%Y").date().isoformat()
    assert list(doc.authors) == [a.strip() for a in front["authors"].split(";")]


@pytest.mark.parametrize("name", [pdf.name for pdf, _ in PAIRS])
def test_sections_match_the_source_headings(parsed, name: str) -> None:
    doc, source = parsed[name]
    headings = [m.group(1).strip() for m in re.finditer(r"^#{1,3}\s+(.*)$", _body(source), re.M)]
    assert [s.heading for s in doc.sections] == headings


@pytest.mark.parametrize("name", [pdf.name for pdf, _ in PAIRS])
def test_no_running_lines_and_paragraphs_whole_and_in_order(parsed, name: str) -> None:
    doc, source = parsed[name]
    for page in doc.pages[1:]:
        assert "Northbridge Policy Brief No." not in page
        assert "northbridge-network.example" not in page
        assert not re.search(r"Page \d+ of \d+", page)
    starts = {p.strip().lstrip("• ")[:40] for p in doc.text.split("\n\n")}
    paragraphs = [
        line.strip().lstrip("- ")
        for line in _body(source).splitlines()
        if line.strip() and not line.startswith(("#", "|", "<!--"))
    ]
    lost = [p[:40] for p in paragraphs if p[:40] not in starts]
    assert not lost
    # In reading order, two-column pages included.
    positions = [doc.text.find(p[:40]) for p in paragraphs]
    assert positions == sorted(positions)


def test_words_survive_line_breaks(parsed) -> None:
    """Words hyphenated at line ends come back whole; compounds keep their hyphen. A few
    compounds whose halves the brief never uses alone are still glued (e.g. 'halfpitch')."""
    wrong_by_brief = {}
    for name, (doc, source) in parsed.items():
        body = doc.text[doc.text.index("Executive summary") :]
        known = set(_WORD.findall(_body(source)))
        wrong = sorted({w for w in _WORD.findall(body) if w not in known})
        assert len(wrong) <= 2, (name, wrong)
        wrong_by_brief[name] = wrong
    assert sum(len(w) for w in wrong_by_brief.values()) <= 8, wrong_by_brief
