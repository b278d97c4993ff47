"""Fusion of ranked lists as pure functions: reciprocal rank fusion and min-max score fusion."""

from __future__ import annotations

import pytest

from index.fusion import RRF_K, fuse, min_max_fusion, reciprocal_rank_fusion


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


def test_min_max_fusion_sums_scaled_scores() -> None:
    fused = min_max_fusion(
        {
            "dense": [(1, 0.9), (2, 0.5), (3, 0.1)],
            "bm25": [(3, 12.0), (1, 6.0), (4, 0.0)],
        }
    )
    scores = {item: round(score, 6) for item, score, _ in fused}
    # dense scales to 1, 0.5, 0; bm25 to 1, 0.5, 0.
    assert scores == {1: 1.5, 3: 1.0, 2: 0.5, 4: 0.0}
    assert [item for item, _, _ in fused] == [1, 3, 2, 4]
    assert dict(fused[0][2]) == {"dense": 1, "bm25": 2}


def test_min_max_fusion_of_equal_scores_and_empty_lists() -> None:
    fused = min_max_fusion({"dense": [(5, 0.3), (6, 0.3)], "bm25": []})
    assert [(item, score) for item, score, _ in fused] == [(5, 1.0), (6, 1.0)]


def test_fuse_picks_the_method_and_refuses_unknown_ones() -> None:
    rankings = {"dense": [(1, 0.9), (2, 0.8)], "bm25": [(2, 3.0), (1, 1.0)]}
    assert fuse("rrf", rankings) == reciprocal_rank_fusion({"dense": [1, 2], "bm25": [2, 1]})
    assert fuse("minmax", rankings)[0][0] == 1
    with pytest.raises(ValueError, match="fusion must be one of rrf, minmax"):
        fuse("borda", rankings)
