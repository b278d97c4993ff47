"""Reciprocal rank fusion of ranked lists (Cormack et al., 2009), as a small pure function."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[int]], k: int = RRF_K
) -> list[tuple[int, float, dict[str, int]]]:
    """Fuse ranked lists of ids: score = sum of 1 / (k + rank) over the lists an id appears in.

    Returns (id, fused score, {list name: 1-based rank}) best first; ties keep first-seen order.
    """
    scores: dict[int, float] = {}
    ranks: dict[int, dict[str, int]] = {}
    for name, ids in rankings.items():
        for position, item in enumerate(ids, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + position)
            ranks.setdefault(item, {})[name] = position
    order = sorted(scores, key=lambda i: -scores[i])
    return [(i, scores[i], ranks[i]) for i in order]
