"""Answer-level checks: do answers cite a relevant document, and is every sentence verbatim?"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

# Passages an answer draws on (the API's default for /v1/ask).
ANSWER_K = 5


@dataclass(frozen=True)
class CitedPassage:
    n: int
    doc_id: str
    text: str
    page_start: int | None = None  # 1-based pages of the passage (None: not reported)
    page_end: int | None = None


@dataclass(frozen=True)
class AnswerItemRecord:
    """One entry of a list answer: verbatim text, its citation and who holds it."""

    text: str
    citation: int
    kind: str
    doc_id: str
    actor: str | None = None


@dataclass(frozen=True)
class AnswerRecord:
    """One answer as the checks see it, in process or over HTTP."""

    answered: bool
    sentences: tuple[tuple[str, int], ...]  # (verbatim text, citation number)
    citations: tuple[CitedPassage, ...]
    total_ms: float
    intent: str | None = None  # recommendations, position, comparison or fact
    text: str = ""
    items: tuple[AnswerItemRecord, ...] = ()


@dataclass(frozen=True)
class AnswerChecks:
    questions: int
    answered: int
    cites_relevant: float | None  # among answered questions with judgments (None: none)
    sentences: int
    verbatim: float | None  # among all answer sentences; below 1.0 breaks the citation contract
    mean_ms: float
    not_verbatim: tuple[str, ...]  # ids of questions with a sentence not found in its passage
    no_relevant_cited: tuple[str, ...]  # ids of answered questions citing no relevant document
    # Answered questions without judgments (the set marks them unanswerable) are left out of
    # `cites_relevant`: whether they should have been answered is the answer metrics' business.


def check_answers(
    records: Mapping[str, AnswerRecord],
    relevant: Mapping[str, Mapping[str, int]],
    keys_of: Callable[[str], tuple[str, ...]],
) -> AnswerChecks:
    """Check answers against document-level judgments (`keys_of` maps an index id to qrel keys)."""
    answered = {q: r for q, r in records.items() if r.answered}
    citing: list[str] = []
    missing: list[str] = []
    judged = 0
    for qid, record in answered.items():
        wanted = {key for key, grade in relevant.get(qid, {}).items() if grade > 0}
        if not wanted:
            continue
        judged += 1
        cited_keys = {key for c in _used(record) for key in keys_of(c.doc_id)}
        (citing if wanted & cited_keys else missing).append(qid)
    total, found, broken = 0, 0, []
    for qid, record in answered.items():
        passages = {c.n: c.text for c in record.citations}
        ok = [bool(text) and text in passages.get(n, "") for text, n in record.sentences]
        total += len(ok)
        found += sum(ok)
        if not all(ok):
            broken.append(qid)
    return AnswerChecks(
        questions=len(records),
        answered=len(answered),
        cites_relevant=_fraction(len(citing), judged),
        sentences=total,
        verbatim=_fraction(found, total),
        mean_ms=_mean([r.total_ms for r in records.values()]),
        not_verbatim=tuple(broken),
        no_relevant_cited=tuple(missing),
    )


def _used(record: AnswerRecord) -> Sequence[CitedPassage]:
    """Passages that a sentence of the answer cites."""
    numbers = {n for _, n in record.sentences}
    return [c for c in record.citations if c.n in numbers]


def _fraction(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0
