"""Candidate sentences and their selection, on hand-made passage cosines (no model needed)."""

from __future__ import annotations

from service.answer.lexical import content_words
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


def _cands(*texts: str) -> list[Candidate]:
    return [Candidate(0, i * 100, i * 100 + len(t), t) for i, t in enumerate(texts)]


QUESTION = content_words("How much gallium does China produce?")


def test_pick_returns_nothing_when_no_passage_reaches_the_threshold() -> None:
    cands = _cands("China produces most of the world's gallium today.", "Another one here.")
    assert pick(cands, [0.30, 0.20], QUESTION, PickSettings(threshold=0.35)) == []
    assert pick(cands, [0.40, 0.20], QUESTION, PickSettings(threshold=0.35))


def test_sentences_holding_the_question_words_come_first_within_a_passage() -> None:
    cands = _cands(
        "Prices of many inputs rose sharply over the decade.",
        "China produces about 98 per cent of the world's gallium.",
        "Exports now need a licence from the ministry.",
    )
    settings = PickSettings(threshold=0.3, margin=0.5, max_sentences=3)
    picked = pick(cands, [0.5, 0.5, 0.5], QUESTION, settings)
    assert picked[0].candidate.text.startswith("China produces")
    assert picked[0].similarity == 0.5 and picked[0].score > picked[1].score


def test_a_closer_passage_wins_unless_the_other_holds_the_question_words() -> None:
    cands = _cands(
        "Licensing rules changed twice in the period.",
        "China produces about 98 per cent of the world's gallium.",
    )
    settings = PickSettings(threshold=0.3, margin=0.05, max_sentences=1)
    assert pick(cands, [0.6, 0.5], frozenset(), settings)[0].candidate.start == 0
    assert pick(cands, [0.6, 0.5], QUESTION, settings)[0].candidate.start == 100


def test_pick_keeps_to_the_margin_the_maximum_and_drops_near_copies() -> None:
    cands = _cands(
        "China produces about 98 per cent of the world's gallium.",
        "China produces about 98 per cent of the world's gallium output.",
        "Gallium production is concentrated in China.",
        "Germanium matters for fibre optics and satellites.",
    )
    settings = PickSettings(threshold=0.3, margin=0.5, max_sentences=3)
    texts = [p.candidate.text for p in pick(cands, [0.5] * 4, QUESTION, settings)]
    assert texts[0] == cands[0].text and cands[1].text not in texts  # a near copy adds nothing
    assert cands[2].text in texts
    narrow = PickSettings(threshold=0.3, margin=0.01, max_sentences=3)
    assert cands[3].text not in [p.candidate.text for p in pick(cands, [0.5] * 4, QUESTION, narrow)]
    one = PickSettings(threshold=0.3, margin=0.5, max_sentences=1)
    assert len(pick(cands, [0.5] * 4, QUESTION, one)) == 1


def test_position_bonus_lifts_a_recommendation_above_a_slightly_closer_fact() -> None:
    cands = _cands("Gallium output doubled in a decade.", "The EU should stockpile gallium.")
    settings = PickSettings(threshold=0.1, position_bonus=0.06, margin=0.5)
    plain = pick(cands, [0.52, 0.5], frozenset(), settings)
    boosted = pick(cands, [0.52, 0.5], frozenset(), settings, boosted=[False, True])
    assert plain[0].candidate.start == 0
    assert boosted[0].candidate.start == 100


def test_position_questions_and_sentences_are_recognised() -> None:
    assert asks_for_position("What does the brief recommend on gallium?")
    assert asks_for_position("What should the EU do about solar imports?")
    assert not asks_for_position("When did China impose licensing on gallium?")
    assert states_position("The EU should stockpile gallium.", None)
    assert states_position("We recommend a reserve.", None)
    assert states_position("Set up a reserve of sixty days.", "Policy recommendations")
    assert not states_position("The Council recommendation was adopted in 2024.", "3. Background")
