"""Candidate sentences and their selection, on hand-made vectors (no model needed)."""

from __future__ import annotations

import numpy as np

from service.answer.sentence_pick import (
    Candidate,
    PickSettings,
    asks_for_position,
    candidates,
    pick,
    states_position,
)

PASSAGE = (
    "Policy recommendations\n\n"
    "This brief argues that the EU should coordinate export licensing across member states. "
    "Short one.\n\n"
    "• The Commission should publish an annual list of chokepoint products and inputs.\n\n"
    "NORTHBRIDGE EUROPE-CHINA RESEARCH NETWORK Northbridge Policy Brief No. 01 | 14/02/2025 A Title"
)


def test_candidates_are_verbatim_spans_without_headings_fragments_or_bullets() -> None:
    found = candidates(3, PASSAGE)
    texts = [c.text for c in found]
    assert texts == [
        "This brief argues that the EU should coordinate export licensing across member states.",
        "The Commission should publish an annual list of chokepoint products and inputs.",
    ]
    for c in found:
        assert c.passage == 3
        assert PASSAGE[c.start : c.end] == c.text


def test_a_sentence_cut_at_the_chunk_edge_is_not_a_candidate() -> None:
    text = "report to the congress listed the goal among its tasks. It was new then, said all."
    assert [c.text for c in candidates(0, text)] == ["It was new then, said all."]


def _unit(*values: float) -> np.ndarray:
    v = np.asarray(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def _cands(n: int) -> list[Candidate]:
    return [Candidate(0, i * 10, i * 10 + 5, f"sentence number {i} here") for i in range(n)]


def test_pick_returns_nothing_below_the_threshold() -> None:
    question = _unit(1, 0, 0)
    vectors = np.stack([_unit(0.3, 1, 0), _unit(0.2, 0, 1)])
    assert pick(question, _cands(2), vectors, PickSettings(threshold=0.5)) == []


def test_pick_orders_by_similarity_and_drops_near_duplicates() -> None:
    question = _unit(1, 0, 0)
    vectors = np.stack([_unit(1, 0.5, 0), _unit(1, 0.1, 0), _unit(1, 0.11, 0), _unit(0.1, 1, 0)])
    settings = PickSettings(threshold=0.4, margin=0.5, duplicate_similarity=0.99)
    picked = pick(question, _cands(4), vectors, settings)
    # Sentence 2 is a near copy of sentence 1; sentence 3 is below the threshold.
    assert [p.candidate.start for p in picked] == [10, 0]
    assert picked[0].similarity > picked[1].similarity


def test_pick_keeps_to_the_margin_and_the_maximum() -> None:
    question = _unit(1, 0, 0)
    vectors = np.stack(
        [_unit(1, x, y) for x, y in [(0, 0), (0.3, 0), (0, 0.5), (0.9, 0), (0, 1.2)]]
    )
    settings = PickSettings(threshold=0.1, margin=0.2, duplicate_similarity=0.999, max_sentences=2)
    picked = pick(question, _cands(5), vectors, settings)
    assert [p.candidate.start for p in picked] == [0, 10]
    settings = PickSettings(threshold=0.1, margin=0.05, duplicate_similarity=0.999, max_sentences=5)
    assert [p.candidate.start for p in pick(question, _cands(5), vectors, settings)] == [0, 10]


def test_position_bonus_lifts_a_recommendation_above_a_slightly_closer_fact() -> None:
    question = _unit(1, 0, 0)
    vectors = np.stack([_unit(1, 0.30, 0), _unit(1, 0.35, 0)])
    settings = PickSettings(threshold=0.1, position_bonus=0.06, duplicate_similarity=1.1)
    plain = pick(question, _cands(2), vectors, settings)
    boosted = pick(question, _cands(2), vectors, settings, boosted=[False, True])
    assert plain[0].candidate.start == 0
    assert boosted[0].candidate.start == 10


def test_position_questions_and_sentences_are_recognised() -> None:
    assert asks_for_position("What does the brief recommend on gallium?")
    assert asks_for_position("What should the EU do about solar imports?")
    assert not asks_for_position("When did China impose licensing on gallium?")
    assert states_position("The EU should stockpile gallium.", None)
    assert states_position("We recommend a reserve.", None)
    assert states_position("Set up a reserve of sixty days.", "Policy recommendations")
    assert not states_position("The Council recommendation was adopted in 2024.", "3. Background")
