"""Plain text, Markdown and HTML briefs give the same Document shape as PDFs."""

from __future__ import annotations

import pytest

from ingest.parse import parse_bytes
from ingest.types import Document

TITLE = "Harbours in Transition"
SUMMARY = (
    "European ports handle three quarters of the Union's external trade. Port authorities "
    "finance shore power, hydrogen terminals and rail links with a patchwork of grants."
)
TRAFFIC = (
    "Container traffic in the largest hubs has grown faster than the rail links that serve "
    "them. Congested access roads cost shippers more than port dues do."
)
ADVICE = "The Commission should create a single window for port financing."
HEADINGS = ["Executive summary", "1. Ports under pressure", "Policy recommendations"]

MARKDOWN = f"""---
title: {TITLE}
series: Meridian Policy Brief
number: 20
date: 12/12/2025
authors: Ada Example; Bo Sample
url: https://meridian.example/briefs/20
---

# Executive summary

{SUMMARY}

# 1. Ports under pressure

Container traffic in the **largest hubs** has grown faster than the rail links that serve
them. Congested access roads cost shippers more than port dues do.

# Policy recommendations

- {ADVICE}
"""

HTML = f"""<!DOCTYPE html>
<html><head><title>{TITLE}</title>
<meta name="citation_title" content="{TITLE}">
<meta name="author" content="Ada Example; Bo Sample">
<style>p {{ color: red; }}</style><script>var tracking = 1;</script>
</head><body>
<nav>Home | Publications | Contact</nav>
<p>Meridian Policy Brief 20 | 12/12/2025</p>
<h2>Executive summary</h2>
<p>{SUMMARY}</p>
<h2>1. Ports under pressure</h2>
<p>Container traffic in the <em>largest hubs</em> has grown faster than the rail links that
serve them. Congested access roads cost shippers more than port dues do.</p>
<h2>Policy recommendations</h2>
<ul><li>{ADVICE}</li></ul>
</body></html>
"""

TEXT = f"""{TITLE}

Meridian Policy Brief 20 | 12/12/2025
By Ada Example and Bo Sample

Executive summary

European ports handle three quarters of the Union's external trade. Port
authorities finance shore power, hydrogen terminals and rail links with a
patchwork of grants.

1. Ports under pressure

Container traffic in the largest hubs has grown faster than the rail links
that serve them. Congested access roads cost shippers more than port dues do.

Policy recommendations

- {ADVICE}
"""

SOURCES = {"brief.md": MARKDOWN, "brief.html": HTML, "brief.txt": TEXT}


@pytest.fixture(scope="module", params=sorted(SOURCES))
def doc(request) -> Document:
    return parse_bytes(request.param, SOURCES[request.param].encode())


def test_title_and_metadata(doc: Document) -> None:
    assert doc.title == TITLE
    assert doc.series == "Meridian Policy Brief"
    assert doc.number == "20"
    assert doc.date == "2025-12-12"
    assert doc.authors == ("Ada Example", "Bo Sample")
    assert (
        doc.kind == {"brief.md": "markdown", "brief.html": "html", "brief.txt": "text"}[doc.source]
    )


def test_one_page_with_paragraphs_and_no_markup(doc: Document) -> None:
    assert len(doc.pages) == 1
    assert doc.page_of(len(doc.text) - 1) == 1
    assert SUMMARY in doc.text
    assert TRAFFIC in doc.text
    assert ADVICE in doc.text
    assert f"{SUMMARY}\n\n" in doc.text
    for markup in ("**", "<p>", "<em>", "tracking", "color: red", "Publications", "---"):
        assert markup not in doc.text


def test_sections(doc: Document) -> None:
    headings = [s.heading for s in doc.sections]
    assert [h for h in headings if h != TITLE] == HEADINGS
    for section in doc.sections:
        assert doc.text[section.start :].startswith(section.heading)
    assert doc.section_at(doc.text.index(TRAFFIC)) == "1. Ports under pressure"
    assert doc.section_at(doc.text.index(ADVICE)) == "Policy recommendations"


def test_url_from_front_matter() -> None:
    assert parse_bytes("brief.md", MARKDOWN.encode()).url == "https://meridian.example/briefs/20"


def test_windows_1252_and_utf16_text_is_decoded() -> None:
    words = "Les ports européens traitent l'essentiel du commerce extérieur de l'Union. " * 5
    for data in (words.encode("cp1252"), words.encode("utf-16")):
        assert "européens" in parse_bytes("fr.txt", data).text


def test_html_without_extension_is_sniffed() -> None:
    doc = parse_bytes("download", HTML.encode())
    assert doc.kind == "html"
    assert doc.title == TITLE
