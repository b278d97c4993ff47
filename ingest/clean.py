"""Text clean-up real briefs need: ligatures, odd whitespace, hyphenation, running headers."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .sections import looks_like_heading

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_MULTI_SPACE = re.compile(r" {2,}")
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER_LINE = re.compile(
    r"^\s*(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?\s*(?:(?:of|/)\s*\d{1,4})?\s*$", re.IGNORECASE
)
_HYPHEN_BREAK = re.compile(r"([A-Za-zÀ-ÖØ-öø-ÿ]{1,})-\n([a-zà-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ]*)")
_SENTENCE_END = ('.', '!', '?', ':', ';', '"', '”', "'", '’', ')')


def normalise(text: str) -> str:
    """NFKC (unfolds ﬁ/ﬂ ligatures), drop zero-width and soft hyphens, plain spaces, LF lines."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ODD_SPACES.sub(" ", text)
    return "\n".join(_MULTI_SPACE.sub(" ", line).strip() for line in text.split("\n"))


def _line_key(line: str) -> str:
    return _DIGITS.sub("#", line.strip().lower())


def strip_running_lines(pages: list[list[str]], edge: int = 3) -> list[list[str]]:
    """Drop headers, footers and page numbers: lines near a page's top or bottom that repeat.

    A line counts as running when (with digits masked) it appears at an edge of at least half the
    pages, and of at least two pages. Bare page numbers at an edge are always dropped.
    """
    if not pages:
        return pages
    counts: Counter[str] = Counter()
    for lines in pages:
        keys = {_line_key(line) for line in lines[:edge] + lines[-edge:] if line.strip()}
        counts.update(keys)
    threshold = max(2, (len(pages) + 1) // 2)
    running = {key for key, n in counts.items() if n >= threshold and len(pages) >= 2}
    cleaned = []
    for lines in pages:
        keep = []
        for i, line in enumerate(lines):
            at_edge = i < edge or i >= len(lines) - edge
            if at_edge and (_line_key(line) in running or _PAGE_NUMBER_LINE.match(line)):
                continue
            keep.append(line)
        cleaned.append(keep)
    return cleaned


def join_hyphenation(text: str, known_hyphenated: set[str] | None = None) -> str:
    """Join words split across line ends ("recom-\\nmend" -> "recommend").

    A hyphen is kept when the hyphenated form occurs elsewhere in the text ("long-\\nterm" stays
    "long-term" if the brief writes "long-term" somewhere on one line).
    """
    if known_hyphenated is None:
        known_hyphenated = set(re.findall(r"\b\w+-\w+\b", text.lower()))

    def rejoin(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        if f"{left}-{right}".lower() in known_hyphenated:
            return f"{left}-{right}"
        return left + right

    return _HYPHEN_BREAK.sub(rejoin, text)


def reflow_paragraphs(lines: list[str]) -> str:
    """Rebuild paragraphs from extracted lines: blank lines, short closing lines and headings.

    A line ends its paragraph when it is empty, or ends a sentence and is clearly shorter than a
    full line, or looks like a heading or bullet. Line breaks inside a paragraph are kept for
    `unwrap`, which joins hyphenated words across them first.
    """
    full = sorted(len(line) for line in lines if line.strip())
    typical = full[int(len(full) * 0.8)] if full else 0
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            out.append("\n".join(current))
            current.clear()

    for line in lines:
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if _starts_block(stripped):
            flush()
        current.append(stripped)
        short = len(stripped) < 0.75 * typical
        if (short and stripped.endswith(_SENTENCE_END)) or looks_like_heading(stripped):
            flush()
    flush()
    return "\n\n".join(out)


_BULLET = re.compile(r"^(?:[•●▪◦‣∙·*–—-]|\d{1,2}[.)]|\([a-z0-9]\))\s+")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z]")


def _starts_block(line: str) -> bool:
    return bool(_BULLET.match(line)) or looks_like_heading(line)



def unwrap(text: str) -> str:
    """Join hyphenated line ends, then turn the remaining in-paragraph line breaks into spaces."""
    return re.sub(r"(?<!\n)\n(?!\n)", " ", join_hyphenation(text))
