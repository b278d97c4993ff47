"""Sentence-aware, section-aware chunking sized by the embedding model's own tokenizer."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from .sentences import sentence_spans
from .types import PAGE_SEPARATOR, Chunk, Document, chunk_id

TokenCounter = Callable[[Sequence[str]], list[int]]
_ENDS_SENTENCE = re.compile(r"[.!?:;…][\"'”’)\]]*$")


@dataclass(frozen=True)
class ChunkerSettings:
    """Chunk size and overlap in the model's word pieces (special tokens not included)."""

    max_tokens: int = 192
    overlap_tokens: int = 32
    # A heading with no text of its own, shorter than this, is merged into the section after it.
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
    """Pack whole sentences into chunks of at most `max_tokens`, never across a section start.

    A chunk is labelled with the section its text belongs to (the one of its last character, so
    that a chapter heading merged into its first sub-section takes the sub-section's label).
    """
    settings = settings or ChunkerSettings()
    text = doc.text
    regions = _section_regions(doc, count_tokens, settings)
    chunks: list[Chunk] = []
    for units, role in regions:
        for start, end in _pack(units, settings):
            ordinal = len(chunks)
            chunks.append(
                Chunk(
                    id=chunk_id(doc.id, ordinal),
                    doc_id=doc.id,
                    ordinal=ordinal,
                    text=text[start:end],
                    page_start=doc.page_of(start),
                    page_end=doc.page_of(end - 1),
                    section=doc.section_at(end - 1),
                    char_start=start,
                    char_end=end,
                    role=role,
                )
            )
    return chunks


def _section_regions(
    doc: Document, count_tokens: TokenCounter, settings: ChunkerSettings
) -> list[tuple[list[_Unit], str]]:
    """Sentences (or pieces of over-long ones) with their token counts, one list per section
    or stretch of one role (a footnote block is never packed with body text), with the role."""
    text = doc.text
    starts = {s.start: s.heading for s in doc.sections}
    edges = {edge for r in doc.regions for edge in (r.start, r.end)}
    cuts = sorted({0, len(text), *starts, *edges})
    regions: list[tuple[list[_Unit], bool, str]] = []
    for a, b in pairwise(cuts):
        spans = _across_page_breaks(text, sentence_spans(text, a, b))
        counts = count_tokens([text[s:e] for s, e in spans]) if spans else []
        units: list[_Unit] = []
        for (s, e), n in zip(spans, counts, strict=True):
            if n <= settings.max_tokens:
                units.append(_Unit(s, e, n))
            else:
                units.extend(_split_long(text, s, e, count_tokens, settings.max_tokens))
        if units:
            heading = starts.get(a)
            heading_only = heading is not None and text[a:b].strip().rstrip(":") == heading
            regions.append((units, heading_only, doc.role_at(a)))
    # A heading with no text of its own (a chapter heading right before its first sub-heading)
    # joins the section after it; a section with text of its own is never mixed with another.
    merged: list[tuple[list[_Unit], str]] = []
    carry: list[_Unit] = []
    carry_role = ""
    for units, heading_only, role in regions:
        if carry and role != carry_role:
            merged.append((carry, carry_role))
            carry = []
        units = carry + units
        if heading_only and sum(u.tokens for u in units) < settings.min_section_tokens:
            carry, carry_role = units, role
            continue
        merged.append((units, role))
        carry = []
    if carry:
        merged.append((carry, carry_role))
    return merged


def _across_page_breaks(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Rejoin a sentence that a page break cut in two: pages are separated like paragraphs, but
    a "paragraph" ending without punctuation, followed by one starting in lower case, is the
    same sentence running on to the next page."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and _runs_on(text, joined[-1][1], start):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _runs_on(text: str, end: int, start: int) -> bool:
    return (
        PAGE_SEPARATOR in text[end:start]
        and text[start].islower()
        and not _ENDS_SENTENCE.search(text, 0, end)
    )


def _split_long(
    text: str, start: int, end: int, count_tokens: TokenCounter, max_tokens: int
) -> list[_Unit]:
    """Cut a sentence longer than a chunk (a table or a list run together) between words.

    Pieces hold at most half a chunk so that they pack with their neighbours (a heading before
    the sentence does not end up alone). A single word longer than a chunk (a long URL) is cut
    between characters, each slice a chunk of its own.
    """
    budget = max(1, max_tokens // 2)
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    counts = count_tokens([text[s:e] for s, e in words])
    pieces: list[_Unit] = []
    piece: list[tuple[int, int, int]] = []

    def close() -> None:
        if piece:
            pieces.append(_Unit(piece[0][0], piece[-1][1], sum(n for _, _, n in piece)))
            piece.clear()

    for (s, e), n in zip(words, counts, strict=True):
        if n > max_tokens:
            close()
            pieces.extend(_slice_word(text, s, e, n, count_tokens, max_tokens))
            continue
        if piece and sum(m for _, _, m in piece) + n > budget:
            close()
        piece.append((s, e, n))
    close()
    return pieces


def _slice_word(
    text: str, start: int, end: int, tokens: int, count_tokens: TokenCounter, max_tokens: int
) -> list[_Unit]:
    step = max(1, (end - start) * max_tokens * 4 // (5 * tokens))
    slices: list[_Unit] = []
    pos = start
    while pos < end:
        cut = min(end, pos + step)
        while cut - pos > 1 and count_tokens([text[pos:cut]])[0] > max_tokens:
            cut = pos + (cut - pos) * 4 // 5
        # Counted as a full chunk so that nothing is packed with it: two slices side by side
        # could tokenize into more pieces than their separate counts.
        slices.append(_Unit(pos, cut, max_tokens))
        pos = cut
    return slices


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
        # Step back over whole sentences worth at most `overlap_tokens`, always moving forward
        # and only as far as still leaves room for the next new sentence (else the next chunk
        # would repeat part of this one and add nothing).
        k, overlap, room = j, 0, settings.max_tokens - units[j].tokens
        while k - 1 > i and overlap + units[k - 1].tokens <= min(settings.overlap_tokens, room):
            k -= 1
            overlap += units[k].tokens
        i = k
    return spans
