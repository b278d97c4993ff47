"""Run every question through each retrieval mode, time it, and score the rankings."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tqdm import tqdm

from index.types import SearchMode

from .answer_metrics import AnswerGold, AnswerQuality, score_answers
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
    quality: AnswerQuality | None = None  # when the set carries answer golds


def evaluate_modes(
    target: Target,
    judgments: Judgments,
    modes: Sequence[SearchMode],
    k: int,
    *,
    answers: bool = False,
    progress: bool = False,
    golds: Mapping[str, AnswerGold] | None = None,
) -> list[ModeResult]:
    """Each mode over every query: document- and page-level scores, latency, answer checks,
    and, when `golds` are given, the answer metrics."""
    return [
        _evaluate_mode(target, judgments, mode, k, answers=answers, progress=progress, golds=golds)
        for mode in modes
    ]


def _evaluate_mode(
    target: Target,
    judgments: Judgments,
    mode: SearchMode,
    k: int,
    *,
    answers: bool,
    progress: bool,
    golds: Mapping[str, AnswerGold] | None,
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
    records = _ask_all(target, judgments, mode, progress) if answers else None
    return ModeResult(
        mode=mode,
        documents=score_rankings(judgments.documents, doc_rankings),
        pages=score_rankings(judgments.pages, page_rankings),
        latency=_latency(timings),
        answers=check_answers(records, judgments.documents, judgments.keys_of)
        if records is not None
        else None,
        quality=score_answers(records, golds, judgments.pages, judgments.keys_of, _same_party)
        if records is not None and golds
        else None,
    )


def _ask_all(
    target: Target, judgments: Judgments, mode: SearchMode, progress: bool
) -> dict[str, AnswerRecord]:
    records: dict[str, AnswerRecord] = {}
    items = tqdm(
        judgments.queries.items(), desc=f"{mode.value:<6} answers", unit="q", disable=not progress
    )
    for qid, text in items:
        records[qid] = target.ask(text, ANSWER_K, mode)
    return records


def _same_party(actor: str | None, asked: str) -> bool:
    """Whether an item's actor ("Beijing", "Chinese officials") is the asked party ("China"),
    by the names the answerer itself knows for each party."""
    from service.answer.intent import PARTIES, actor_matches

    wanted = asked.strip().lower()
    for party in PARTIES:
        if wanted in (party.name.lower(), *party.aliases):
            return actor_matches(actor, party)
    # "the ISA" holds what "ISA" names: a leading article is not part of a name.
    bare = wanted.removeprefix("the ")
    pattern = rf"(?<![\w-]){re.escape(bare)}(?![\w-])"
    return actor is not None and re.search(pattern, actor.lower()) is not None


def _latency(timings: Sequence[float]) -> Latency:
    if not timings:
        return Latency(0.0, 0.0, 0.0)
    if len(timings) == 1:
        return Latency(timings[0], timings[0], timings[0])
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return Latency(statistics.fmean(timings), statistics.median(timings), cuts[94])
