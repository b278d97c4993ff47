"""Brief metadata stated on the first page: series and number, date, authors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_SERIES = re.compile(
    r"(?P<series>(?:[A-Z][\w&'’.-]*[ \t]+){0,4}(?:Policy|Research|Briefing|Working|Discussion)"
    r"[ \t]+(?:Brief|Paper|Note|Memo)s?)"
    r"[ \t]*(?:No\.?|Nr\.?|Number|n°|#)?[ \t]*(?P<number>\d{1,4})\b"
)
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES.split())}
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WORD_DATE = re.compile(r"\b(?:(\d{1,2})\s+)?([A-Z][a-z]{2,8})\.?\s+(\d{4})\b")
_AUTHORS = re.compile(r"^(?:by|authors?:)\s+(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class BriefMetadata:
    series: str | None = None
    number: str | None = None
    date: str | None = None
    authors: tuple[str, ...] = ()


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_number(word: str) -> int | None:
    """1-12 for a month name or its abbreviation of three letters or more ("Sept", "Dec")."""
    word = word.lower()
    if word in _MONTHS:
        return _MONTHS[word]
    return next((n for name, n in _MONTHS.items() if name.startswith(word)), None)


def find_date(text: str) -> str | None:
    """The first date stated, as ISO. Numeric dates are read day first (12/03/2025 = 12 March)."""
    candidates: list[tuple[int, str]] = []
    for m in _NUMERIC_DATE.finditer(text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        iso = _valid(year, month, day) or _valid(year, day, month)
        if iso:
            candidates.append((m.start(), iso))
    for m in _ISO_DATE.finditer(text):
        iso = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            candidates.append((m.start(), iso))
    for m in _WORD_DATE.finditer(text):
        word_month = _month_number(m.group(2))
        if word_month:
            iso = _valid(int(m.group(3)), word_month, int(m.group(1) or 1))
            if iso:
                candidates.append((m.start(), iso))
    return min(candidates)[1] if candidates else None


def find_metadata(first_page: str) -> BriefMetadata:
    """Series, number, date and authors from the top of a brief's first page."""
    head = first_page[:1500]
    series = number = None
    match = _SERIES.search(head)
    if match:
        series = " ".join(match.group("series").split())
        number = str(int(match.group("number")))
    authors: tuple[str, ...] = ()
    for line in head.splitlines()[:15]:
        found = _AUTHORS.match(line.strip())
        if found:
            names = re.split(r"\s*(?:;|,|\band\b|&)\s*", found.group(1))
            authors = tuple(n.strip() for n in names if n.strip())
            break
    return BriefMetadata(series=series, number=number, date=find_date(head), authors=authors)
