"""Sentence-aware, section-aware chunking sized by the embedding model's own tokenizer."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .sentences import sentence_spans
from .types import Chunk, Document, chunk_id

TokenCounter = Callable[[Sequence[str]], list[int]]


@dataclass(frozen=True)
class ChunkerSettings:
    """Chunk size and overlap in the model's word pieces (special tokens not included)."""

    max_tokens: int = 192
    overlap_tokens: int = 32
    # A section shorter than this (often a lone heading) is merged into the section after it.
    min_section_tokens: int = 24

    def __post_init__(self) -> None:
        if self.max_tokens < 16:
            raise ValueError("max_tokens must be at least 16")
        if not 0 <= self.overlap_tokens < self.max_tokens // 2:
            raise ValueError("overlap_tokens must be between 0 and half of max_tokens")


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    tokens: int


def chunk_document(
    doc: Document, count_tokens: TokenCounter, settings: ChunkerSettings | None = None
) -> list[Chunk]:
    """Pack whole sentences into chunks of at most `max_tokens`, never across a section start."""
    settings = settings or ChunkerSettings()
    text = doc.text
    regions = _section_regions(doc, count_tokens, settings)
    chunks: list[Chunk] = []
    for units in regions:
        for start, end in _pack(units, settings):
            ordinal = len(chunks)
            chunks.append(
                Chunk(
                    id=chunk_id(doc.id, ordinal), doc_id=doc.id, ordinal=ordinal,
                    text=text[start:end], page_start=doc.page_of(start),
                    page_end=doc.page_of(end - 1), section=doc.section_at(start),
                    char_start=start, char_end=end,
                )
            )
    return chunks


def _section_regions(
    doc: Document, count_tokens: TokenCounter, settings: ChunkerSettings
) -> list[list[_Unit]]:
    text = doc.text
    cuts = sorted({0, len(text), *(s.start for s in doc.sections)})
    regions: list[list[_Unit]] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        spans = sentence_spans(text, a, b)
        counts = count_tokens([text[s:e] for s, e in spans]) if spans else []
        units: list[_Unit] = []
        for (s, e), n in zip(spans, counts, strict=True):
            if n <= settings.max_tokens:
                units.append(_Unit(s, e, n))
            else:
                units.extend(_split_long(text, s, e, count_tokens, settings.max_tokens))
        if units:
            regions.append(units)
    merged: list[list[_Unit]] = []
    carry: list[_Unit] = []
    for units in regions:
        units = carry + units
        if sum(u.tokens for u in units) < settings.min_section_tokens:
            carry = units
            continue
        merged.append(units)
        carry = []
    if carry:
        if merged:
            merged[-1].extend(carry)
        else:
            merged.append(carry)
    return merged


def _split_long(
    text: str, start: int, end: int, count_tokens: TokenCounter, max_tokens: int
) -> list[_Unit]:
    """A sentence longer than a chunk (tables, lists run together) is cut between words."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    counts = count_tokens([text[s:e] for s, e in words])
    pieces: list[_Unit] = []
    piece_start, total, last_end = words[0][0], 0, words[0][0]
    for (s, e), n in zip(words, counts, strict=True):
        n = min(n, max_tokens)
        if total + n > max_tokens and total:
            pieces.append(_Unit(piece_start, last_end, total))
            piece_start, total = s, 0
        total += n
        last_end = e
    pieces.append(_Unit(piece_start, last_end, total))
    return pieces


def _pack(units: list[_Unit], settings: ChunkerSettings) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(units):
        j, total = i, 0
        while j < len(units) and total + units[j].tokens <= settings.max_tokens:
            total += units[j].tokens
            j += 1
        j = max(j, i + 1)
        spans.append((units[i].start, units[j - 1].end))
        if j >= len(units):
            break
        # Step back over whole sentences worth at most `overlap_tokens`, always moving forward.
        k, overlap = j, 0
        while k - 1 > i and overlap + units[k - 1].tokens <= settings.overlap_tokens:
            k -= 1
            overlap += units[k].tokens
        i = k
    return spans
