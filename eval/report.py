"""The evaluation report: JSON with the settings and index that produced it, and a text table."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Literal

from pydantic import BaseModel, Field

from .answer_metrics import AnswerQuality
from .answers import AnswerChecks
from .metrics import METRICS, Scores
from .runner import ModeResult

LABELS = {
    "ndcg@10": "nDCG@10",
    "recall@5": "R@5",
    "recall@10": "R@10",
    "recall@100": "R@100",
    "mrr@10": "MRR@10",
}


class LevelOut(BaseModel):
    queries: int = Field(description="Questions with at least one relevant item at this level.")
    metrics: dict[str, float] = Field(description="Means over those questions (ranx names).")


class LatencyOut(BaseModel):
    mean_ms: float
    p50_ms: float
    p95_ms: float


class AnswersOut(BaseModel):
    questions: int
    answered: int
    cites_relevant: float | None = Field(
        description="Share of answered questions whose cited passages include a relevant document."
    )
    sentences: int
    verbatim: float | None = Field(
        description="Share of answer sentences found verbatim in the passage they cite (must be 1)."
    )
    mean_ms: float
    not_verbatim: list[str] = Field(description="Questions with a sentence not in its passage.")
    no_relevant_cited: list[str] = Field(description="Answered questions citing nothing relevant.")

    @classmethod
    def of(cls, checks: AnswerChecks) -> AnswersOut:
        return cls(
            questions=checks.questions,
            answered=checks.answered,
            cites_relevant=checks.cites_relevant,
            sentences=checks.sentences,
            verbatim=checks.verbatim,
            mean_ms=round(checks.mean_ms, 3),
            not_verbatim=list(checks.not_verbatim),
            no_relevant_cited=list(checks.no_relevant_cited),
        )


class AnswerQualityOut(BaseModel):
    """Answers scored against the set's golds; each share is a mean over the questions it
    applies to (the count beside it), null when there are none."""

    answerable: int
    answered: int
    answered_rate: float | None = Field(description="Share of answerable questions answered.")
    unanswerable: int
    refused: int
    refusal_accuracy: float | None = Field(
        description="Share of questions marked unanswerable that the answer refused."
    )
    intent_judged: int
    intent_accuracy: float | None = Field(description="Share whose intent matches the gold.")
    item_questions: int
    item_recall: float | None = Field(description="Share of gold list items found in the answer.")
    item_precision: float | None = Field(
        description="Share of answer items that are gold items (answers listing items only)."
    )
    quote_questions: int
    quote_coverage: float | None = Field(
        description="Share of the gold quote's content words found in the answer text."
    )
    page_questions: int
    cited_page_precision: float | None = Field(
        description="Share of citations on a gold page of a relevant document (answered only)."
    )
    position_questions: int
    attribution: float | None = Field(
        description="Share of position questions whose items are all held by the asked party."
    )
    per_brief_recall: dict[str, float] = Field(description="Item recall of each brief's list.")
    answered_unanswerable: list[str] = Field(description="Questions that should have been refused.")
    refused_answerable: list[str] = Field(description="Answerable questions that were refused.")
    wrong_intent: list[str] = Field(description="Questions whose intent differs from the gold.")
    per_query: dict[str, dict[str, float]] = Field(description="{question id: {metric: value}}")

    @classmethod
    def of(cls, q: AnswerQuality) -> AnswerQualityOut:
        return cls(
            answerable=q.answerable,
            answered=q.answered,
            answered_rate=_rounded(q.answered_rate),
            unanswerable=q.unanswerable,
            refused=q.refused,
            refusal_accuracy=_rounded(q.refusal_accuracy),
            intent_judged=q.intent_judged,
            intent_accuracy=_rounded(q.intent_accuracy),
            item_questions=q.item_questions,
            item_recall=_rounded(q.item_recall),
            item_precision=_rounded(q.item_precision),
            quote_questions=q.quote_questions,
            quote_coverage=_rounded(q.quote_coverage),
            page_questions=q.page_questions,
            cited_page_precision=_rounded(q.cited_page_precision),
            position_questions=q.position_questions,
            attribution=_rounded(q.attribution),
            per_brief_recall={b: round(v, 6) for b, v in q.per_brief_recall.items()},
            answered_unanswerable=list(q.answered_unanswerable),
            refused_answerable=list(q.refused_answerable),
            wrong_intent=list(q.wrong_intent),
            per_query={
                qid: {m: round(v, 6) for m, v in values.items()}
                for qid, values in q.per_query.items()
            },
        )


class ModeOut(BaseModel):
    mode: str
    documents: LevelOut
    pages: LevelOut
    latency: LatencyOut = Field(description="Wall time per retrieval call.")
    answers: AnswersOut | None = None
    answer_quality: AnswerQualityOut | None = Field(
        None, description="Answer metrics, when the set carries answer golds."
    )
    per_query: dict[str, dict[str, dict[str, float]]] = Field(
        description='{"documents"|"pages": {question id: {metric: value}}}'
    )

    @classmethod
    def of(cls, result: ModeResult) -> ModeOut:
        return cls(
            mode=result.mode.value,
            documents=_level(result.documents),
            pages=_level(result.pages),
            latency=LatencyOut(
                mean_ms=round(result.latency.mean_ms, 3),
                p50_ms=round(result.latency.p50_ms, 3),
                p95_ms=round(result.latency.p95_ms, 3),
            ),
            answers=AnswersOut.of(result.answers) if result.answers else None,
            answer_quality=AnswerQualityOut.of(result.quality) if result.quality else None,
            per_query={
                "documents": {q: dict(v) for q, v in result.documents.per_query.items()},
                "pages": {q: dict(v) for q, v in result.pages.per_query.items()},
            },
        )


class SetOut(BaseModel):
    name: str
    path: str
    kind: Literal["questions", "beir"]
    queries: int
    split: str | None = None


class ReportOut(BaseModel):
    briefqa_version: str
    created_at: str
    set: SetOut
    settings: dict[str, Any] = Field(description="Evaluation options and the BriefQA settings.")
    index: dict[str, Any] = Field(description="Where the index is and its manifest.")
    corpus: dict[str, Any] | None = Field(None, description="BEIR corpus ingest summary.")
    results: list[ModeOut]


def build_report(
    set_info: SetOut,
    settings: dict[str, Any],
    index: dict[str, Any],
    results: list[ModeResult],
    corpus: dict[str, Any] | None = None,
) -> ReportOut:
    return ReportOut(
        briefqa_version=_version(),
        created_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        set=set_info,
        settings=settings,
        index=index,
        corpus=corpus,
        results=[ModeOut.of(r) for r in results],
    )


def render_table(report: ReportOut) -> str:
    """Modes side by side, one block per level, then the answer checks when there are any."""
    k = report.settings.get("k")
    lines = [
        f"{report.set.name}: {report.set.queries} questions, {k} passages retrieved per question"
    ]
    for level in ("documents", "pages"):
        judged = max((getattr(r, level).queries for r in report.results), default=0)
        if not judged:
            continue
        lines += ["", f"{level.capitalize()} ({judged} questions judged)"]
        lines.append(
            f"{'mode':<8}" + "".join(f"{LABELS[m]:>9}" for m in METRICS) + f"{'ms/query':>10}"
        )
        for r in report.results:
            values = getattr(r, level).metrics
            row = f"{r.mode:<8}" + "".join(f"{values[m]:>9.3f}" for m in METRICS)
            lines.append(row + f"{r.latency.mean_ms:>10.1f}")
    answered = [r for r in report.results if r.answers]
    if answered:
        lines += ["", "Answers (/v1/ask)"]
        lines.append(
            f"{'mode':<8}{'answered':>10}{'cites relevant':>16}{'verbatim':>10}{'ms/answer':>11}"
        )
        for r in report.results:
            a = r.answers
            if a is None:
                continue
            lines.append(
                f"{r.mode:<8}{f'{a.answered}/{a.questions}':>10}{_share(a.cites_relevant):>16}"
                f"{_share(a.verbatim):>10}{a.mean_ms:>11.1f}"
            )
    lines += _quality_table(report.results)
    return "\n".join(lines)


# Columns of the answer-quality table (heading, field) and the counts named above it.
QUALITY_COLUMNS = (
    ("answered", "answered_rate"),
    ("refused", "refusal_accuracy"),
    ("intent", "intent_accuracy"),
    ("item R", "item_recall"),
    ("item P", "item_precision"),
    ("quote", "quote_coverage"),
    ("page P", "cited_page_precision"),
    ("actor", "attribution"),
)

QUALITY_COUNTS = (
    ("answerable", "answerable"),
    ("unanswerable", "unanswerable"),
    ("intent_judged", "with an intent"),
    ("item_questions", "with list items"),
    ("quote_questions", "with a quote"),
    ("position_questions", "asking a position"),
)


def _quality_table(results: list[ModeOut]) -> list[str]:
    """Answer metrics per mode, then the item recall of each brief's list per mode."""
    scored = [(r.mode, r.answer_quality) for r in results if r.answer_quality]
    if not scored:
        return []
    first = scored[0][1]
    counts = [(getattr(first, field), label) for field, label in QUALITY_COUNTS]
    lines = ["", "Answer quality (/v1/ask against the set's golds; each a mean over its questions)"]
    lines.append("questions: " + ", ".join(f"{n} {label}" for n, label in counts if n))
    lines.append(f"{'mode':<8}" + "".join(f"{label:>10}" for label, _ in QUALITY_COLUMNS))
    for mode, q in scored:
        lines.append(
            f"{mode:<8}" + "".join(f"{_share(getattr(q, m)):>10}" for _, m in QUALITY_COLUMNS)
        )
    briefs = sorted({b for _, q in scored for b in q.per_brief_recall})
    if briefs:
        width = max(len(b) for b in briefs) + 2
        lines += ["", "Item recall per brief"]
        lines.append(f"{'brief':<{width}}" + "".join(f"{mode:>9}" for mode, _ in scored))
        for brief in briefs:
            values = [q.per_brief_recall.get(brief) for _, q in scored]
            lines.append(f"{brief:<{width}}" + "".join(f"{_share(v):>9}" for v in values))
    return lines


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _level(scores: Scores) -> LevelOut:
    return LevelOut(
        queries=scores.queries, metrics={m: round(v, 6) for m, v in scores.means.items()}
    )


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _version() -> str:
    try:
        return version("briefqa")
    except PackageNotFoundError:
        return "unknown"
