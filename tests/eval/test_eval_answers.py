"""Answer-level checks on hand-made answers: relevant citations and verbatim sentences."""

from __future__ import annotations

import pytest

from eval.answers import AnswerRecord, CitedPassage, check_answers

PASSAGE_A = "Pilots are scarce. Ports wait for them."
PASSAGE_B = "Solar prices fell. Duties followed."


def own_id(doc_id: str) -> tuple[str, ...]:
    return (doc_id,)


def test_checks_count_relevant_citations_and_verbatim_sentences() -> None:
    records = {
        # Cites the relevant document; both sentences are in the passages they cite.
        "q1": AnswerRecord(
            True,
            (("Pilots are scarce.", 1), ("Duties followed.", 2)),
            (CitedPassage(1, "docA", PASSAGE_A), CitedPassage(2, "docB", PASSAGE_B)),
            10.0,
        ),
        # Cites only an irrelevant document, and its sentence is not in the cited passage.
        "q2": AnswerRecord(
            True, (("Ports wait for them.", 1),), (CitedPassage(1, "docB", PASSAGE_B),), 20.0
        ),
        # Not answered: excluded from both shares.
        "q3": AnswerRecord(False, (), (), 30.0),
    }
    relevant = {"q1": {"docA": 1}, "q2": {"docA": 1, "docB": 0}, "q3": {"docA": 1}}
    checks = check_answers(records, relevant, own_id)
    assert (checks.questions, checks.answered) == (3, 2)
    assert checks.cites_relevant == pytest.approx(1 / 2)  # q1 yes, q2 no (docB is graded 0)
    assert checks.sentences == 3
    assert checks.verbatim == pytest.approx(2 / 3)
    assert checks.not_verbatim == ("q2",)
    assert checks.no_relevant_cited == ("q2",)
    assert checks.mean_ms == pytest.approx(20.0)


def test_a_passage_returned_but_not_cited_by_any_sentence_does_not_count() -> None:
    record = AnswerRecord(
        True,
        (("Solar prices fell.", 2),),
        (CitedPassage(1, "docA", PASSAGE_A), CitedPassage(2, "docB", PASSAGE_B)),
        1.0,
    )
    checks = check_answers({"q": record}, {"q": {"docA": 1}}, own_id)
    assert checks.cites_relevant == 0.0
    assert checks.verbatim == 1.0


def test_a_sentence_citing_a_missing_passage_or_empty_is_not_verbatim() -> None:
    record = AnswerRecord(
        True, (("Pilots are scarce.", 3), ("", 1)), (CitedPassage(1, "docA", PASSAGE_A),), 1.0
    )
    checks = check_answers({"q": record}, {"q": {"docA": 1}}, own_id)
    assert checks.verbatim == 0.0


def test_nothing_answered_gives_no_shares() -> None:
    checks = check_answers({"q": AnswerRecord(False, (), (), 1.0)}, {"q": {"d": 1}}, own_id)
    assert checks.cites_relevant is None and checks.verbatim is None
