"""Which brief a question names ("Policy Brief 20", "the brief on solar overcapacity", a
filter), so the answer comes from that brief only."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.types import DocumentInfo

# "brief 5", "Policy Brief No. 20", "paper #3"
_NUMBERED = re.compile(
    r"\b(?:brief|paper|report|note)\s*(?:no\.?|number|nr\.?|#)?\s*(?P<n>\d{1,4})\b", re.I
)
# "the brief on X", "the paper about X", "the X brief"
_ABOUT = re.compile(
    r"\b(?:brief|paper|report|publication|analysis)\s+(?:on|about|concerning|regarding|"
    r"covering|dealing with|titled|entitled|called)\s+(?P<topic>.+?)(?=\s+(?:recommend|say|"
    r"said|says|argue|propose|suggest|conclude|find|claim|think|want|do|does|about|for|to|"
    r"regarding)\b|[?;.]|$)",
    re.I,
)
_BEFORE = re.compile(r"\bthe\s+(?P<topic>(?:[\w'’-]+\s+){1,5}?)(?:policy\s+)?brief\b", re.I)
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "or",
        "on",
        "in",
        "for",
        "to",
        "with",
        "by",
        "from",
        "at",
        "about",
        "its",
        "their",
        "his",
        "her",
        "this",
        "that",
        "these",
        "those",
        "what",
        "which",
        "who",
        "how",
        "why",
        "when",
        "where",
        "does",
        "do",
        "did",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "brief",
        "paper",
        "report",
        "eu",
        "european",
        "china",
        "chinese",
        "policy",
    ]
)
# A named topic must cover this share of its content words in one brief's title or file name.
MIN_TITLE_COVERAGE = 0.6


@dataclass(frozen=True)
class NamedBrief:
    """A brief the question names, and how it was recognised (number, title, filter)."""

    document: DocumentInfo
    matched_by: str
    matched_text: str


def named_briefs(question: str, documents: Sequence[DocumentInfo]) -> list[NamedBrief]:
    """The brief(s) a question names; empty when it names none or names one ambiguously."""
    for match in _NUMBERED.finditer(question):
        number = int(match.group("n"))
        found = [d for d in documents if d.number and _as_int(d.number) == number]
        series = [d for d in found if d.series and d.series.lower() in question.lower()]
        if len(series) == 1 or len(found) == 1:
            chosen = series[0] if len(series) == 1 else found[0]
            return [NamedBrief(chosen, "number", match.group(0))]
    for pattern in (_ABOUT, _BEFORE):
        for match in pattern.finditer(question):
            topic = match.group("topic")
            best = _best_title(topic, documents)
            if best is not None:
                return [NamedBrief(best, "title", topic.strip())]
    return []


def _best_title(topic: str, documents: Sequence[DocumentInfo]) -> DocumentInfo | None:
    words = _content_words(topic)
    if not words:
        return None
    scored = sorted(
        ((len(words & _document_words(d)) / len(words), d) for d in documents),
        key=lambda pair: -pair[0],
    )
    if not scored or scored[0][0] < MIN_TITLE_COVERAGE:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # ambiguous: let retrieval decide
    return scored[0][1]


def _document_words(document: DocumentInfo) -> set[str]:
    source = re.sub(r"[-_.]", " ", document.source)
    return _content_words(f"{document.title} {source}")


def _content_words(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    # A five-letter prefix makes "controls" meet "control" and "lending" meet "lenders".
    return {w[:5] for w in words if w not in _STOP and len(w) > 2}


def _as_int(number: str) -> int | None:
    digits = re.sub(r"\D", "", number)
    return int(digits) if digits else None
