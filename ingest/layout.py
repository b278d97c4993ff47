"""A PDF page as positioned lines, whichever library read it: paragraph breaks from line
spacing, the title from the largest text, footnote blocks from small type at the bottom."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from statistics import median

# A baseline step this much larger than the page's usual line spacing (relative to the font
# size) is a paragraph gap: it becomes a blank line in the page text.
PARAGRAPH_GAP = 1.3
# Footnote type is smaller than this share of the body's: 10 pt notes under 11 pt text are 0.91.
FOOTNOTE_SIZE_RATIO = 0.93
_SENTENCE_END = (".", "!", "?", '"', "”", "’", ")")


@dataclass
class TextLine:
    """One extracted line: its text, the baseline (y, upwards in page space) of its first
    visible character and that character's font size, in points. Lines with no visible text
    have no baseline."""

    text: str = ""
    baseline: float | None = None
    size: float = 0.0
    rotated: bool = False  # set at an angle: a side band or a watermark, not running text


@dataclass(frozen=True)
class PageLines:
    """A page's lines, a blank one at each paragraph gap, the footnote block kept apart."""

    body: list[str]
    notes: list[str]


@dataclass
class PageLayout:
    """The lines of one page in reading order, as the extractor saw them."""

    lines: list[TextLine]

    def text_lines(self) -> PageLines:
        """Body and footnote lines, each with a blank line at every paragraph gap; lines set
        at an angle are left out."""
        upright = PageLayout([line for line in self.lines if not line.rotated])
        split = upright._footnote_start()
        return PageLines(_with_gaps(upright.lines[:split]), _with_gaps(upright.lines[split:]))

    def largest_text(self) -> str | None:
        """The lines set in the largest type: the usual place of a brief's title."""
        placed = [line for line in self.lines if line.baseline is not None and line.size > 0]
        if not placed:
            return None
        biggest = max(line.size for line in placed)
        title = " ".join(line.text.strip() for line in placed if line.size >= biggest * 0.95)
        return " ".join(title.split()) or None

    def _footnote_start(self) -> int:
        """Index of the first line of the footnote block: the trailing run of lines in type
        clearly smaller than the body's, starting with a note marker. len(lines) when none."""
        placed = [line for line in self.lines if line.baseline is not None and line.size > 0]
        if len(placed) < 6:
            return len(self.lines)
        weights = [(line.size, len(line.text)) for line in placed]
        body_size = _weighted_median(weights)
        start = len(self.lines)
        for i in range(len(self.lines) - 1, -1, -1):
            line = self.lines[i]
            if line.baseline is None:
                continue
            if line.size >= body_size * FOOTNOTE_SIZE_RATIO:
                break
            start = i
        # The block must open with a note marker ("1 ", "12. ", "*") and leave a body above it.
        while start < len(self.lines) and not _opens_note(self.lines[start].text):
            start += 1
        body_lines = sum(1 for line in self.lines[:start] if line.text.strip())
        return start if body_lines >= 3 else len(self.lines)


def _opens_note(text: str) -> bool:
    head = text.lstrip()
    if not head:
        return False
    if head[0] in "*†‡§":
        return True
    digits = len(head) - len(head.lstrip("0123456789"))
    return 0 < digits <= 3 and len(head) > digits and not head[digits].isdigit()


def _weighted_median(values: list[tuple[float, int]]) -> float:
    ordered = sorted(values)
    half = sum(w for _, w in ordered) / 2
    seen = 0
    for value, weight in ordered:
        seen += weight
        if seen >= half:
            return value
    return ordered[-1][0]


def _with_gaps(lines: list[TextLine]) -> list[str]:
    placed = [line for line in lines if line.baseline is not None]
    found = [s for a, b in pairwise(placed) if (s := _relative_step(a, b)) is not None]
    usual = median(found) if len(found) >= 3 else None
    out: list[str] = []
    previous: TextLine | None = None
    for line in lines:
        if line.baseline is not None:
            if previous and _starts_paragraph(previous, line, usual):
                out.append("")
            previous = line
        out.append(line.text)
    return out


def _starts_paragraph(previous: TextLine, line: TextLine, usual: float | None) -> bool:
    """A wide gap above the line, or a jump up (a new column) after a sentence's end."""
    if (
        previous.baseline is not None
        and line.baseline is not None
        and line.baseline > previous.baseline
    ):
        return previous.text.rstrip().endswith(_SENTENCE_END)
    step = _relative_step(previous, line)
    return bool(usual and step and step > PARAGRAPH_GAP * usual)


def _relative_step(upper: TextLine, lower: TextLine) -> float | None:
    """Baseline distance from one line down to the next, in units of the smaller font size."""
    if upper.baseline is None or lower.baseline is None or upper.baseline <= lower.baseline:
        return None
    size = min(upper.size, lower.size)
    return (upper.baseline - lower.baseline) / size if size > 0 else None
