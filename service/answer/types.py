"""The answer records every front end renders: sentences or items, each with its citation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from index.types import Hit

from .intent import Intent

NOT_ANSWERED = (
    "The indexed briefs do not answer this question: no passage in them is close enough to it."
)


@dataclass(frozen=True)
class AnswerSentence:
    """A sentence (or list item) of the answer, verbatim from the text of citation `citation`."""

    text: str
    citation: int


@dataclass(frozen=True)
class AnswerItem:
    """One entry of a list answer: a recommendation, a position, or a brief's stance."""

    text: str  # verbatim from the cited passage
    citation: int
    kind: str  # recommendation, position, finding or passage
    doc_id: str
    label: str | None = None
    actor: str | None = None
    addressee: str | None = None


@dataclass(frozen=True)
class Citation:
    """A cited passage; `highlights` are the (start, end) offsets of the used sentences in it."""

    n: int
    hit: Hit
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class ResolvedBrief:
    """A brief the answer was restricted to, and how the question named it."""

    doc_id: str
    title: str
    matched_by: str  # number, title or filter
    matched_text: str


@dataclass(frozen=True)
class Answer:
    question: str
    answered: bool
    text: str
    sentences: tuple[AnswerSentence, ...]
    citations: tuple[Citation, ...]
    timings: Mapping[str, float] = field(default_factory=dict)
    intent: Intent = Intent.fact
    items: tuple[AnswerItem, ...] = ()  # list answers only
    documents: tuple[ResolvedBrief, ...] = ()
    # When nothing answers, the closest passages, so a reader can judge the refusal.
    closest: tuple[Hit, ...] = ()
    # A comparison whose briefs take the same side (or opposite sides) says so; the line is
    # also the last line of `text` (see agreement.py).
    agreement: str | None = None
