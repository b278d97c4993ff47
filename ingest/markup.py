"""Plain text, Markdown and HTML briefs into the same page-and-section shape as PDFs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from .clean import normalise, reflow_paragraphs, unwrap


@dataclass(frozen=True)
class MarkupText:
    """Clean text (one page) with heading paragraphs marked, plus metadata the markup states."""

    text: str
    headings: tuple[str, ...]
    title: str | None
    meta: dict[str, str]


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_MD_INLINE = re.compile(r"(\*\*|__|`)(.+?)\1|\[([^\]]+)\]\([^)]*\)")


_MD_ITEM = re.compile(r"^\s*(?P<marker>[-*+]|\d{1,2}[.)]|\(?[a-z][.)]|\([ivx]{1,4}\))\s+")


def parse_markdown(source: str) -> MarkupText:
    """Headings from `#` lines, title from front matter or the first heading; markup stripped."""
    source = normalise(source)
    meta: dict[str, str] = {}
    front = _MD_FRONT_MATTER.match(source + "\n")
    if front:
        for line in front.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.split("#", 1)[0].strip().strip("'\"")
        source = source[front.end() :]
    paragraphs: list[str] = []
    headings: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for line in source.split("\n"):
        heading = _MD_HEADING.match(line)
        if heading:
            flush()
            text = _strip_inline(heading.group(2))
            paragraphs.append(text)
            headings.append(text)
        elif not line.strip() or line.startswith("<!--") or re.fullmatch(r"\|?[\s:|-]+\|?", line):
            flush()
        elif line.lstrip().startswith("|"):
            flush()
            current.append(_strip_inline(line.strip().strip("| ").replace(" | ", " ")))
            flush()
        elif (item := _MD_ITEM.match(line)) is not None:
            # A list item is a paragraph of its own that keeps a bullet (numbered and lettered
            # items keep their number), so later stages can tell items from prose.
            flush()
            marker = item.group("marker")
            lead = "•" if marker in ("-", "*", "+") else marker
            current.append(f"{lead} {_strip_inline(line[item.end() :].strip())}")
        else:
            current.append(_strip_inline(line.strip()))
    flush()
    title = meta.get("title") or (headings[0] if headings else None)
    return MarkupText("\n\n".join(p for p in paragraphs if p), tuple(headings), title, meta)


def _strip_inline(text: str) -> str:
    return _MD_INLINE.sub(lambda m: m.group(2) or m.group(3) or "", text).strip()


class _HtmlText(HTMLParser):
    """Collects block-level text, headings, <title> and <meta> values; skips scripts and styles."""

    BLOCKS = frozenset(
        "p div li h1 h2 h3 h4 h5 h6 br tr section article header footer td".split()  # noqa: SIM905
    )
    SKIP = frozenset(["script", "style", "noscript", "template", "nav"])

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.headings: list[str] = []
        self.meta: dict[str, str] = {}
        self.title: str | None = None
        self._buffer: list[str] = []
        self._skip_depth = 0
        self._in_title = False
        self._heading_tag: str | None = None

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        self._buffer.clear()
        if text:
            self.paragraphs.append(text)
            if self._heading_tag:
                self.headings.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            values = dict(attrs)
            name = (values.get("name") or values.get("property") or "").lower()
            if name and values.get("content"):
                self.meta[name] = values["content"] or ""
        elif tag in self.BLOCKS:
            self._flush()
            if tag in {"h1", "h2", "h3", "h4"}:
                self._heading_tag = tag
            elif tag == "li":  # items keep a bullet, so later stages tell them from prose
                self._buffer.append("• ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in self.BLOCKS:
            self._flush()
            if tag == self._heading_tag:
                self._heading_tag = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = ((self.title or "") + data).strip()
        elif not self._skip_depth:
            self._buffer.append(data)


def parse_html(source: str) -> MarkupText:
    parser = _HtmlText()
    parser.feed(source)
    parser.close()
    parser._flush()
    paragraphs = [normalise(p) for p in parser.paragraphs]
    headings = tuple(normalise(h) for h in parser.headings)
    title = parser.meta.get("citation_title") or parser.meta.get("og:title") or parser.title
    if not title and headings:
        title = headings[0]
    return MarkupText("\n\n".join(paragraphs), headings, title, parser.meta)


def parse_plain_text(source: str) -> MarkupText:
    text = unwrap(reflow_paragraphs(normalise(source).split("\n")))
    first = next((p for p in text.split("\n\n") if p.strip()), None)
    return MarkupText(text, (), first if first and len(first) <= 200 else None, {})
