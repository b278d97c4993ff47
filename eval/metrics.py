"""Standard retrieval metrics over rankings, computed by ranx (the only module that imports it)."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# ranx names; the report keeps them so figures can be traced to the library's definitions.
METRICS = ("ndcg@10", "recall@5", "recall@10", "recall@100", "mrr@10")


@dataclass(frozen=True)
class Scores:
    """Mean of each metric over the judged queries, and each query's own values."""

    means: Mapping[str, float]
    per_query: Mapping[str, Mapping[str, float]]
    queries: int


def score_rankings(
    qrels: Mapping[str, Mapping[str, int]],
    rankings: Mapping[str, Sequence[str]],
    metrics: Sequence[str] = METRICS,
) -> Scores:
    """Score ranked keys against graded judgments (grade 0 means judged not relevant).

    Only queries with at least one relevant key count; a judged query with no ranking scores 0.
    """
    judged = {q: {k: g for k, g in rels.items() if g > 0} for q, rels in qrels.items()}
    judged = {q: rels for q, rels in judged.items() if rels}
    if not judged:
        return Scores(means={m: 0.0 for m in metrics}, per_query={}, queries=0)
    from ranx import Qrels, Run, evaluate

    # ranx orders by score: strictly decreasing scores reproduce our rank order without ties.
    run = {
        q: {key: float(len(ranked) - i) for i, key in enumerate(ranked)}
        for q, ranked in rankings.items()
        if q in judged and ranked
    }
    if not run:  # nothing retrieved for any judged query (ranx cannot hold an empty run)
        per_query = {q: {m: 0.0 for m in metrics} for q in sorted(judged)}
        return Scores(means={m: 0.0 for m in metrics}, per_query=per_query, queries=len(judged))
    qrels_ = Qrels(judged)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba type-safety notes from inside ranx
        run_ = Run(run).make_comparable(qrels_)  # judged queries without results score 0
        evaluate(qrels_, run_, list(metrics), save_results_in_run=True)
    per_query = {q: {m: float(run_.scores[m][q]) for m in metrics} for q in sorted(judged)}
    means = {m: float(run_.mean_scores[m]) for m in metrics}
    return Scores(means=means, per_query=per_query, queries=len(per_query))
