"""Questions that name who published a brief ("according to GAO", "the CRS report"), its
series, an author, or the year it came out favour the briefs that match."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

from .fusion import reciprocal_rank_fusion
from .types import DocumentInfo

_YEAR = re.compile(
    r"\b(?:published|issued|released|written|dated|came out)\s+in\s+((?:19|20)\d{2})\b"
    r"|\b((?:19|20)\d{2})\s+(?:brief|report|paper|study|guidelines|guidance|analysis)\b"
    r"|\b(?:brief|report|paper|study)s?\s+(?:from|of)\s+((?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_Ranked = TypeVar("_Ranked", bound=tuple[int, float, dict[str, int]])


def favoured_documents(query: str, documents: Sequence[DocumentInfo]) -> frozenset[str]:
    """Ids of the documents the question points to by publisher (name or acronym), series,
    author surname or publication year; empty when it points to none, or to all of them."""
    lowered = " ".join(query.lower().split())
    years = {y for m in _YEAR.finditer(query) for y in m.groups() if y}
    found = frozenset(
        d.id for d in documents if _named(query, lowered, d) or (d.date or "")[:4] in years
    )
    return found if len(found) < len(documents) else frozenset()


def _named(query: str, lowered: str, document: DocumentInfo) -> bool:
    names = [n for n in (document.publisher, document.series) if n]
    if any(" ".join(n.lower().split()) in lowered for n in names):
        return True
    if document.series and _word_in(document.series.split()[0], query, min_length=5):
        return True
    if document.publisher_acronym and _word_in(document.publisher_acronym, query, min_length=2):
        return True
    return any(_word_in(author.split()[-1], query, min_length=4) for author in document.authors)


def _word_in(word: str, query: str, min_length: int) -> bool:
    """`word` (capitalised as the brief has it) stands as a whole word in the question."""
    if len(word) < min_length or not word[:1].isupper():
        return False
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", query) is not None


def favour(ranked: Sequence[_Ranked], favoured_rows: frozenset[int]) -> list[_Ranked]:
    """`ranked` (row, score, ranks) re-fused with its own favoured rows as a second list, so a
    favoured passage climbs past others of similar rank without burying the rest."""
    if not favoured_rows:
        return list(ranked)
    by_row = {item[0]: item for item in ranked}
    order = [item[0] for item in ranked]
    fused = reciprocal_rank_fusion(
        {"fused": order, "metadata": [r for r in order if r in favoured_rows]}
    )
    return [by_row[row] for row, _, _ in fused]
