"""Human-readable citation labels, made at the edge from the integer pages of a passage."""

from __future__ import annotations

from index.types import Hit


def page_label(page_start: int, page_end: int) -> str:
    """'p. 3' or 'pp. 3-4'."""
    return f"p. {page_start}" if page_start == page_end else f"pp. {page_start}-{page_end}"


def series_label(series: str | None, number: str | None) -> str | None:
    """'Policy Brief No. 5', the series alone, or None when the brief names no series."""
    if series and number:
        return f"{series} No. {number}"
    return series or None


def passage_label(hit: Hit) -> str:
    """'Policy Brief No. 5, pp. 3-4, Section': where a passage sits in its brief."""
    chunk = hit.chunk
    series = series_label(hit.document.series, hit.document.number)
    parts = [series] if series else []
    parts.append(page_label(chunk.page_start, chunk.page_end))
    if chunk.section:
        parts.append(chunk.section)
    return ", ".join(parts)


def source_label(n: int, hit: Hit) -> str:
    """'[1] Title — Policy Brief No. 5, pp. 3-4, Section' for a sources list."""
    return f"[{n}] {hit.document.title} — {passage_label(hit)}"
