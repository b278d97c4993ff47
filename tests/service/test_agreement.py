"""Whether the briefs of a comparison agree, read from each brief's own recommendation."""

from __future__ import annotations

from service.answer.agreement import Side, agreement_note, side

QUESTION = "Which briefs want the EU to build a stockpile of critical minerals?"
FOR_1 = "We recommend that the EU build a European stockpile of critical minerals by 2027."
FOR_2 = "Finance a joint stockpile of critical minerals with member states."
AGAINST = "The EU should not build a stockpile of critical minerals of its own."


def test_the_side_a_recommendation_takes() -> None:
    assert side(FOR_1) is Side.for_it
    assert side(FOR_2) is Side.for_it  # an imperative list item recommends
    assert side(AGAINST) is Side.against_it
    assert side("Refrain from a common stockpile of minerals.") is Side.against_it
    assert side("It would be a mistake to stockpile minerals.") is Side.against_it


def test_briefs_that_take_the_same_side_agree() -> None:
    note = agreement_note(QUESTION, [FOR_1, FOR_2], [True, True], [1, 2])
    assert note == "The 2 briefs agree: each recommends it."


def test_briefs_on_opposite_sides_differ_and_are_named() -> None:
    note = agreement_note(QUESTION, [FOR_1, AGAINST, FOR_2], [True] * 3, [1, 2, 3])
    assert note == "The briefs differ: [1] [3] recommend it, [2] against it."


def test_no_note_when_the_sides_cannot_be_read() -> None:
    # One brief only.
    assert agreement_note(QUESTION, [FOR_1], [True], [1]) is None
    # A sentence that is not the brief's recommendation (a law's target, a reported claim).
    assert agreement_note(QUESTION, [FOR_1, FOR_2], [True, False], [1, 2]) is None
    # A recommendation about something else shares no word of the question's topic.
    other = "The EU should fund research security advisers at universities."
    assert agreement_note(QUESTION, [FOR_1, other], [True, True], [1, 2]) is None
