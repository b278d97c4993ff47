"""Words a question turns on that no brief uses: which are candidates, which are central."""

from __future__ import annotations

import numpy as np

from service.answer.unknown_words import CENTRALITY, central_words, subject_candidates


def test_candidates_are_the_topical_words_less_those_that_named_the_brief() -> None:
    words = subject_candidates(
        "What does the battery brief recommend for hydrogen fuel-cell lorries?", ["battery"]
    )
    assert words == ["hydrogen", "fuel", "cell", "lorries"]


def test_only_words_close_enough_to_the_question_are_central() -> None:
    question = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    vectors = np.array(
        [[0.6, 0.8, 0.0], [CENTRALITY - 0.01, 0.0, 1.0], [CENTRALITY, 1.0, 0.0]],
        dtype=np.float32,
    )
    assert central_words(["lorries", "labs", "edge"], vectors, question) == ["lorries", "edge"]
    assert central_words([], np.zeros((0, 3), dtype=np.float32), question) == []
