"""Text clean-up real briefs need: ligatures, odd whitespace, hyphenation, running headers."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from .sections import looks_like_heading

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_MULTI_SPACE = re.compile(r" {2,}")
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER_LINE = re.compile(
    r"^\s*(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?\s*(?:(?:of|/)\s*\d{1,4})?\s*$", re.IGNORECASE
)
_HYPHEN_BREAK = re.compile(r"(\w+)-\n(\w+)")
_SENTENCE_END = (".", "!", "?", ":", ";", '"', "”", "'", "’", ")")


def normalise(text: str) -> str:
    """NFKC (unfolds ﬁ/ﬂ ligatures), drop zero-width and soft hyphens, plain spaces, LF lines."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ODD_SPACES.sub(" ", text)
    return "\n".join(_MULTI_SPACE.sub(" ", line).strip() for line in text.split("\n"))


def _line_key(line: str) -> str:
    return _DIGITS.sub("#", line.strip().lower())


def running_line_mask(pages: list[list[str]], edge: int = 3) -> list[list[bool]]:
    """True for each line that is a running header, footer or page number.

    A line counts as running when (with digits masked) it is among the first or last `edge`
    non-blank lines of at least two pages and two fifths of them (so that headers alternating
    between left and right pages count). Bare page numbers at an edge are always running lines.
    """
    edges = [_edge_positions(lines, edge) for lines in pages]
    counts: Counter[str] = Counter()
    for lines, at_edge in zip(pages, edges, strict=True):
        counts.update({_line_key(lines[i]) for i in at_edge})
    threshold = max(2, (2 * len(pages) + 4) // 5)
    running = {key for key, n in counts.items() if n >= threshold and len(pages) >= 2}
    return [
        [
            i in at_edge and (_line_key(line) in running or bool(_PAGE_NUMBER_LINE.match(line)))
            for i, line in enumerate(lines)
        ]
        for lines, at_edge in zip(pages, edges, strict=True)
    ]


def _edge_positions(lines: list[str], edge: int) -> set[int]:
    visible = [i for i, line in enumerate(lines) if line.strip()]
    return set(visible[:edge] + visible[-edge:])


# Second halves of compound adjectives ("state-owned", "price-driven"): a line-end hyphen before
# one of these is the compound's own hyphen, not a syllable break.
_COMPOUND_HEADS = frozenset(
    {
        "based",
        "backed",
        "driven",
        "focused",
        "free",
        "funded",
        "grade",
        "level",
        "linked",
        "made",
        "minded",
        "oriented",
        "owned",
        "related",
        "scale",
        "sized",
        "specific",
        "sponsored",
        "term",
    }
)


@dataclass(frozen=True)
class Vocabulary:
    """Words a document uses whole, to tell syllable breaks from compound words' own hyphens."""

    words: frozenset[str]
    hyphenated: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Vocabulary:
        whole = _HYPHEN_BREAK.sub(" ", text).lower()
        return cls(
            words=frozenset(re.findall(r"[^\W\d_]+", whole)),
            hyphenated=frozenset(re.findall(r"\b\w+-\w+\b", whole)),
        )

    def keeps_hyphen(self, left: str, right: str) -> bool:
        """True when "left-" at a line end followed by "right" is the compound "left-right"."""
        if not (left.isalpha() and right.isalpha()) or right[0].isupper():
            return True  # "COVID-19", "2013-2018", "non-European": never a syllable break
        left, right = left.lower(), right.lower()
        if f"{left}-{right}" in self.hyphenated:
            return True
        if left + right in self.words:
            return False
        if len(left) >= 3 and right in _COMPOUND_HEADS:
            return True
        return left in self.words and right in self.words


def join_hyphenation(text: str, vocabulary: Vocabulary | None = None) -> str:
    """Join words split across line ends ("recom-\\nmend" -> "recommend").

    The hyphen stays (and the line break goes) when the two halves form a compound: the
    hyphenated form occurs elsewhere in the text, or both halves are words the text uses while
    their join is not ("state-\\nowned" -> "state-owned"), or a half is a number or the second
    one is capitalised ("non-\\nEuropean" -> "non-European").
    """
    vocabulary = vocabulary or Vocabulary.of(text)

    def rejoin(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        if vocabulary.keeps_hyphen(left, right):
            return f"{left}-{right}"
        return left + right

    return _HYPHEN_BREAK.sub(rejoin, text)


def reflow_paragraphs(lines: list[str]) -> str:
    """Rebuild paragraphs from extracted lines: blank lines, short closing lines and headings.

    A line ends its paragraph when it is empty, or looks like a heading or bullet, or (in text
    without blank lines between paragraphs) ends a sentence and is clearly shorter than a full
    line. A heading wrapped onto a second line that starts in lower case ("...a new generation
    of" / "start-ups") is kept whole. Line breaks inside a paragraph are kept for `unwrap`,
    which joins hyphenated words across them first.
    """
    full = sorted(len(line) for line in lines if line.strip())
    typical = full[int(len(full) * 0.8)] if full else 0
    # Text that separates paragraphs with blank lines (PDF pages with paragraph spacing, most
    # plain text) is not split at short lines, which would break paragraphs in narrow columns.
    spaced = sum(bool(a.strip()) and not b.strip() for a, b in pairwise(lines)) >= 2
    out: list[str] = []
    current: list[str] = []
    heading_open = False  # the last paragraph is a heading that may continue on this line

    def flush() -> None:
        if current:
            out.append("\n".join(current))
            current.clear()

    for line in lines:
        stripped = line.strip()
        short = len(stripped) < 0.75 * typical
        if heading_open and stripped and _continues_heading(out[-1], stripped, short):
            out[-1] += "\n" + stripped
            heading_open = False
            continue
        heading_open = False
        if not stripped:
            flush()
            continue
        if _starts_block(stripped):
            flush()
        current.append(stripped)
        if looks_like_heading(stripped):
            flush()
            heading_open = True
        elif short and stripped.endswith(_SENTENCE_END) and not spaced:
            flush()
    flush()
    return "\n\n".join(out)


def _continues_heading(heading: str, line: str, short: bool) -> bool:
    return (
        short
        and line[0].islower()
        and not line.endswith(_SENTENCE_END)
        and looks_like_heading(f"{heading} {line}")
    )


_BULLET = re.compile(r"^(?:[•●▪◦‣∙·*–—-]|\d{1,2}[.)]|\([a-z0-9]\))\s+")


def _starts_block(line: str) -> bool:
    return bool(_BULLET.match(line)) or looks_like_heading(line)


def unwrap(text: str) -> str:
    """Join hyphenated line ends, then turn the remaining in-paragraph line breaks into spaces."""
    return re.sub(r"(?<!\n)\n(?!\n)", " ", join_hyphenation(text))
