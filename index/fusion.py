"""Fusion of the dense and keyword rankings: reciprocal rank fusion (Cormack et al., 2009), the
default, or min-max score fusion, as small pure functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

RRF_K = 60
FUSIONS = ("rrf", "minmax")


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


def min_max_fusion(
    rankings: Mapping[str, Sequence[tuple[int, float]]],
) -> list[tuple[int, float, dict[str, int]]]:
    """Fuse scored lists: each list's scores scaled to [0, 1] by its own minimum and maximum,
    then summed (an id missing from a list gets 0 from it). Same return shape as
    `reciprocal_rank_fusion`."""
    scores: dict[int, float] = {}
    ranks: dict[int, dict[str, int]] = {}
    for name, ranked in rankings.items():
        if not ranked:
            continue
        values = [score for _, score in ranked]
        low, high = min(values), max(values)
        span = high - low
        for position, (item, score) in enumerate(ranked, start=1):
            scaled = (score - low) / span if span > 0 else 1.0
            scores[item] = scores.get(item, 0.0) + scaled
            ranks.setdefault(item, {})[name] = position
    order = sorted(scores, key=lambda i: -scores[i])
    return [(i, scores[i], ranks[i]) for i in order]


def fuse(
    method: str, rankings: Mapping[str, Sequence[tuple[int, float]]]
) -> list[tuple[int, float, dict[str, int]]]:
    """Fuse scored rankings with `method` ("rrf" uses only the ranks)."""
    if method == "minmax":
        return min_max_fusion(rankings)
    if method == "rrf":
        return reciprocal_rank_fusion({name: [i for i, _ in r] for name, r in rankings.items()})
    raise ValueError(f"fusion must be one of {', '.join(FUSIONS)}, not {method!r}")
