"""Questions that name who published a brief ("according to GAO", "the CRS report"), its
series, an author, or the year it came out favour the briefs that match."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from .fusion import reciprocal_rank_fusion
from .types import DocumentInfo

_YEAR = re.compile(
    r"\b(?:published|issued|released|written|dated|came out)\s+in\s+((?:19|20)\d{2})\b"
    r"|\b((?:19|20)\d{2})\s+(?:brief|report|paper|study|guidelines|guidance|analysis)\b"
    r"|\b(?:brief|report|paper|study)s?\s+(?:from|of)\s+((?:19|20)\d{2})\b",
    re.IGNORECASE,
)
# Words as written, possessives and hyphenated prefixes apart ("GAO’s" -> "GAO").
_WORD = re.compile(r"[A-Za-z][\w.]*[A-Za-z]|[A-Za-z]")
_Ranked = TypeVar("_Ranked", bound=tuple[int, float, dict[str, int]])


@dataclass(frozen=True)
class MetadataIndex:
    """What questions may name a brief by, gathered once per generation: publisher and series
    names (matched in lower case), single words (acronyms, series' first words, authors'
    surnames, matched as written) and publication years."""

    names: Mapping[str, frozenset[str]]
    words: Mapping[str, frozenset[str]]
    years: Mapping[str, frozenset[str]]
    size: int

    @classmethod
    def of(cls, documents: Sequence[DocumentInfo]) -> MetadataIndex:
        names: dict[str, set[str]] = defaultdict(set)
        words: dict[str, set[str]] = defaultdict(set)
        years: dict[str, set[str]] = defaultdict(set)
        for d in documents:
            for name in (d.publisher, d.series):
                if name:
                    names[" ".join(name.lower().split())].add(d.id)
            candidates = [
                (d.publisher_acronym, 2),
                (d.series.split()[0] if d.series else None, 5),
                *((author.split()[-1], 4) for author in d.authors if author.split()),
            ]
            for word, min_length in candidates:
                if word and len(word) >= min_length and word[:1].isupper():
                    words[word].add(d.id)
            if d.date:
                years[d.date[:4]].add(d.id)
        return cls(
            names={k: frozenset(v) for k, v in names.items()},
            words={k: frozenset(v) for k, v in words.items()},
            years={k: frozenset(v) for k, v in years.items()},
            size=len(documents),
        )

    def favoured(self, query: str) -> frozenset[str]:
        """Ids of the documents the question points to by publisher (name or acronym), series,
        author surname or publication year; empty when it points to none, or to all."""
        lowered = " ".join(query.lower().split())
        found: set[str] = set()
        for name, ids in self.names.items():
            if name in lowered:
                found |= ids
        for word in _WORD.findall(query):
            found |= self.words.get(word, frozenset())
        for match in _YEAR.finditer(query):
            for year in filter(None, match.groups()):
                found |= self.years.get(year, frozenset())
        return frozenset(found) if len(found) < self.size else frozenset()


def favoured_documents(query: str, documents: Sequence[DocumentInfo]) -> frozenset[str]:
    """`MetadataIndex.of(documents).favoured(query)`, for one question."""
    return MetadataIndex.of(documents).favoured(query)


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
