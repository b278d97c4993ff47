"""Run every question through each retrieval mode, time it, and score the rankings."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

from tqdm import tqdm

from index.types import SearchMode

from .answers import ANSWER_K, AnswerChecks, AnswerRecord, check_answers
from .judgments import Judgments
from .metrics import Scores, score_rankings
from .rankings import document_ranking, page_ranking
from .target import Target


@dataclass(frozen=True)
class Latency:
    """Wall time of one retrieval call (an HTTP round trip when evaluating a server)."""

    mean_ms: float
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True)
class ModeResult:
    mode: SearchMode
    documents: Scores
    pages: Scores
    latency: Latency
    answers: AnswerChecks | None


def evaluate_modes(
    target: Target,
    judgments: Judgments,
    modes: Sequence[SearchMode],
    k: int,
    *,
    answers: bool = False,
    progress: bool = False,
) -> list[ModeResult]:
    """Each mode over every query: document- and page-level scores, latency, answer checks."""
    return [
        _evaluate_mode(target, judgments, mode, k, answers=answers, progress=progress)
        for mode in modes
    ]


def _evaluate_mode(
    target: Target, judgments: Judgments, mode: SearchMode, k: int, *, answers: bool, progress: bool
) -> ModeResult:
    queries = judgments.queries
    if queries:  # warm-up (model, caches, connection) so the first query is not timed cold
        target.search(next(iter(queries.values())), k, mode)
    doc_rankings: dict[str, list[str]] = {}
    page_rankings: dict[str, list[str]] = {}
    timings: list[float] = []
    for qid, text in tqdm(queries.items(), desc=f"{mode.value:<6}", unit="q", disable=not progress):
        started = time.perf_counter()
        passages = target.search(text, k, mode)
        timings.append((time.perf_counter() - started) * 1000)
        doc_rankings[qid] = document_ranking(passages, judgments.keys_of)
        page_rankings[qid] = page_ranking(passages, judgments.keys_of)
    checks = _check_answers(target, judgments, mode, progress) if answers else None
    return ModeResult(
        mode=mode,
        documents=score_rankings(judgments.documents, doc_rankings),
        pages=score_rankings(judgments.pages, page_rankings),
        latency=_latency(timings),
        answers=checks,
    )


def _check_answers(
    target: Target, judgments: Judgments, mode: SearchMode, progress: bool
) -> AnswerChecks:
    records: dict[str, AnswerRecord] = {}
    items = tqdm(
        judgments.queries.items(), desc=f"{mode.value:<6} answers", unit="q", disable=not progress
    )
    for qid, text in items:
        records[qid] = target.ask(text, ANSWER_K, mode)
    return check_answers(records, judgments.documents, judgments.keys_of)


def _latency(timings: Sequence[float]) -> Latency:
    if not timings:
        return Latency(0.0, 0.0, 0.0)
    if len(timings) == 1:
        return Latency(timings[0], timings[0], timings[0])
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return Latency(statistics.fmean(timings), statistics.median(timings), cuts[94])
