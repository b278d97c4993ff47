"""Reciprocal rank fusion as a pure function."""

from __future__ import annotations

import pytest

from index.fusion import RRF_K, reciprocal_rank_fusion


def test_one_list_keeps_its_order_and_scores() -> None:
    fused = reciprocal_rank_fusion({"dense": [7, 3, 9]})
    assert [item for item, _, _ in fused] == [7, 3, 9]
    assert [score for _, score, _ in fused] == pytest.approx(
        [1 / (RRF_K + 1), 1 / (RRF_K + 2), 1 / (RRF_K + 3)]
    )
    assert [ranks for _, _, ranks in fused] == [{"dense": 1}, {"dense": 2}, {"dense": 3}]


def test_agreement_beats_a_single_first_place() -> None:
    fused = reciprocal_rank_fusion({"dense": [1, 2, 3], "bm25": [4, 2, 5]})
    order = [item for item, _, _ in fused]
    assert order[0] == 2  # second in both lists
    by_item = {item: (score, ranks) for item, score, ranks in fused}
    assert by_item[2] == (pytest.approx(2 / (RRF_K + 2)), {"dense": 2, "bm25": 2})
    assert by_item[4][1] == {"bm25": 1}
    assert set(order) == {1, 2, 3, 4, 5}


def test_ties_keep_first_seen_order() -> None:
    fused = reciprocal_rank_fusion({"dense": [10, 11], "bm25": [20, 21]})
    assert [item for item, _, _ in fused] == [10, 20, 11, 21]


def test_empty_lists() -> None:
    assert reciprocal_rank_fusion({}) == []
    assert reciprocal_rank_fusion({"dense": [], "bm25": []}) == []
    assert [i for i, _, _ in reciprocal_rank_fusion({"dense": [], "bm25": [5]})] == [5]


def test_k_flattens_the_curve() -> None:
    sharp = reciprocal_rank_fusion({"a": [1, 2]}, k=1)
    flat = reciprocal_rank_fusion({"a": [1, 2]}, k=1000)
    assert sharp[0][1] / sharp[1][1] > flat[0][1] / flat[1][1]
