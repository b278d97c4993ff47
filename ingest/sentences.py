"""Sentence boundaries with character spans, tolerant of abbreviations common in policy prose."""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    """e.g i.e etc cf vs al no nos art arts para paras fig figs p pp ed eds vol ch sec
    mr mrs ms dr prof st jr sr gen col lt rep sen gov inc ltd co corp dept est approx ca
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k e.u u.n""".split()  # noqa: SIM905
)
# A candidate end: terminal punctuation, optional closing quotes/brackets, then whitespace.
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+)")
_PARAGRAPH = re.compile(r"\n\s*\n")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of sentences in text[start:end]; paragraph breaks always split."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for para_start, para_end in paragraph_spans(text, start, end):
        spans.extend(_split_paragraph(text, para_start, para_end))
    return spans


def paragraph_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the blank-line-separated paragraphs of text[start:end], trimmed."""
    end = len(text) if end is None else end
    spans, pos = [], start
    for match in _PARAGRAPH.finditer(text, start, end):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, end))
    return [_trim(text, a, b) for a, b in spans if text[a:b].strip()]


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    for match in _END.finditer(text, start, end):
        if _is_abbreviation(text, match.start()):
            continue
        following = text[match.end() : match.end() + 3].lstrip()
        if following and not (
            following[0].isupper() or following[0].isdigit() or following[0] in "\"'“‘([•–-"
        ):
            continue
        spans.append(_trim(text, pos, match.end()))
        pos = match.end()
    if text[pos:end].strip():
        spans.append(_trim(text, pos, end))
    return [s for s in spans if s[1] > s[0]]


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while (
        word_start > 0
        and not text[word_start - 1].isspace()
        and text[word_start - 1] not in "(\"'“"
    ):
        word_start -= 1
    word = text[word_start:dot].lower()
    # Initials ("J. Smith") and known abbreviations ("e.g.", "No.") do not end a sentence.
    return (len(word) == 1 and word.isalpha()) or word in _ABBREVIATIONS


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
