"""The "not answered" threshold, checked on both sides: every question of the sample evaluation
set is answered, and no clearly off-topic question (football, cooking, trivia) is."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.questions import SAMPLE_SET, load_questions
from index.reader import IndexReader
from service.answer.answerer import Answerer

OFF_TOPIC = Path(__file__).with_name("off_topic_questions.txt")


@pytest.fixture(scope="module")
def answerer(samples_index: Path, embedder) -> Answerer:
    return Answerer(IndexReader(samples_index, embedder), embedder)


@pytest.mark.slow
def test_every_sample_question_is_answered(answerer: Answerer) -> None:
    questions = [q.question for q in load_questions(SAMPLE_SET)]
    assert len(questions) >= 50
    unanswered = [q for q in questions if not answerer.ask(q).answered]
    assert unanswered == []


@pytest.mark.slow
def test_no_off_topic_question_is_answered(answerer: Answerer) -> None:
    questions = [line.strip() for line in OFF_TOPIC.read_text().splitlines() if line.strip()]
    assert len(questions) >= 50
    answered = [(q, a.text) for q in questions if (a := answerer.ask(q)).answered]
    assert answered == []
