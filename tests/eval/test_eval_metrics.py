"""Metrics on a hand-checked example, and passages turned into document and page rankings."""

from __future__ import annotations

import math

import pytest

from eval.metrics import score_rankings
from eval.rankings import Passage, document_ranking, page_ranking


def own_id(doc_id: str) -> tuple[str, ...]:
    return (doc_id,)


def test_metrics_match_values_computed_by_hand() -> None:
    qrels = {
        "q1": {"A": 1, "C": 1},
        "q2": {"X": 2, "Y": 1, "N": 0},  # graded; N was judged and found not relevant
        "q3": {"M": 1},
    }
    rankings = {
        "q1": ["A", "B", "C", "D"],
        "q2": ["Z", "Y", "N", "V", "U", "X"],
        "q3": [],  # nothing retrieved: scores 0 but still counts
        "q4": ["A"],  # not judged: ignored
    }
    scores = score_rankings(qrels, rankings)

    # q1: relevant at ranks 1 and 3.
    #   DCG  = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5
    #   IDCG = 1/log2(2) + 1/log2(3) = 1 + 0.63093 = 1.63093
    #   nDCG@10 = 1.5 / 1.63093 = 0.91972; R@5 = R@10 = R@100 = 2/2; MRR@10 = 1/1
    ndcg_q1 = 1.5 / (1 + 1 / math.log2(3))
    # q2: Y (grade 1) at rank 2, X (grade 2) at rank 6; gains are the grades.
    #   DCG  = 1/log2(3) + 2/log2(7) = 0.63093 + 0.71241 = 1.34334
    #   IDCG = 2/log2(2) + 1/log2(3) = 2 + 0.63093 = 2.63093
    #   nDCG@10 = 1.34334 / 2.63093 = 0.51059; R@5 = 1/2 (X is 6th); R@10 = 2/2; MRR@10 = 1/2
    ndcg_q2 = (1 / math.log2(3) + 2 / math.log2(7)) / (2 + 1 / math.log2(3))
    # q3: nothing retrieved, every metric 0.
    assert scores.queries == 3
    assert scores.per_query["q1"]["ndcg@10"] == pytest.approx(ndcg_q1)
    assert scores.per_query["q2"]["ndcg@10"] == pytest.approx(ndcg_q2)
    assert ndcg_q1 == pytest.approx(0.91972, abs=1e-5)
    assert ndcg_q2 == pytest.approx(0.51059, abs=1e-5)
    assert scores.per_query["q2"]["recall@5"] == pytest.approx(0.5)
    assert scores.per_query["q3"] == {m: 0.0 for m in scores.means}
    # Means over the three judged queries.
    assert scores.means["ndcg@10"] == pytest.approx((0.91972 + 0.51059 + 0) / 3, abs=1e-5)
    assert scores.means["recall@5"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert scores.means["recall@10"] == pytest.approx((1 + 1 + 0) / 3)
    assert scores.means["recall@100"] == pytest.approx((1 + 1 + 0) / 3)
    assert scores.means["mrr@10"] == pytest.approx((1 + 0.5 + 0) / 3)


def test_cutoffs_are_respected() -> None:
    # The only relevant item at rank 11: outside every @10 cutoff, inside @100.
    ranking = [f"n{i}" for i in range(10)] + ["R"]
    scores = score_rankings({"q": {"R": 1}}, {"q": ranking})
    assert scores.means["ndcg@10"] == 0.0
    assert scores.means["mrr@10"] == 0.0
    assert scores.means["recall@10"] == 0.0
    assert scores.means["recall@100"] == 1.0


def test_no_judged_queries_and_no_results() -> None:
    assert score_rankings({"q": {"a": 0}}, {"q": ["a"]}).queries == 0
    empty = score_rankings({"q": {"a": 1}}, {})
    assert empty.queries == 1 and empty.means["recall@100"] == 0.0


def test_documents_rank_by_their_best_passage() -> None:
    passages = [Passage("d1", 3, 4), Passage("d2", 1, 1), Passage("d1", 4, 5), Passage("d3", 2, 2)]
    assert document_ranking(passages, own_id) == ["d1", "d2", "d3"]


def test_pages_rank_by_their_best_passage_and_spans_count_for_each_page() -> None:
    passages = [Passage("d1", 3, 4), Passage("d2", 1, 1), Passage("d1", 4, 5), Passage("d1", 3, 3)]
    assert page_ranking(passages, own_id) == ["d1#p3", "d1#p4", "d2#p1", "d1#p5"]


def test_deduplication_changes_the_score() -> None:
    # Three chunks of a non-relevant document, then the relevant one: the relevant document is
    # the 2nd document (MRR 1/2), not the 4th passage (which would give 1/4).
    passages = [Passage("x", 1, 1), Passage("x", 2, 2), Passage("x", 3, 3), Passage("r", 1, 1)]
    scores = score_rankings({"q": {"r": 1}}, {"q": document_ranking(passages, own_id)})
    assert scores.means["mrr@10"] == pytest.approx(0.5)


def test_one_document_can_stand_for_several_judged_ids() -> None:
    # Two BEIR ids with identical text are stored once; a hit on it counts for both.
    keys = {"stored": ("b1", "b2")}
    ranking = document_ranking([Passage("stored", 1, 1)], lambda d: keys.get(d, (d,)))
    assert ranking == ["b1", "b2"]
