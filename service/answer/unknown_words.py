"""Words a question turns on that no indexed brief ever uses.

"Which briefs deal with Chinese subsidies for shipbuilding?" is close to passages on subsidies,
and the sentence embedding of a passage cannot tell that shipbuilding is missing from it. When a
question's word occurs in no brief at all (keyword search knows every word of the corpus) and the
question is about that word, the briefs do not answer it. Analysts also use words the briefs do
not ("labs" for laboratories, "levy" for an adjustment mechanism); those words are incidental to
their question, and their cosine with the question is lower.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from .coverage import question_words

# The cosine a word needs with its question to count as what the question is about
# (all-MiniLM-L6-v2, each word embedded alone). Calibrated on the sample briefs: of the words
# of answerable questions that no brief uses, the closest to its question scored 0.34 ("accused",
# "labs"); the words the 48 near misses of eval/sets/near_miss.jsonl turn on scored 0.39 to 0.60
# ("meters", "bicycles", "shipbuilding"). The threshold sits in that gap.
CENTRALITY = 0.365


def subject_candidates(question: str, ignore: Iterable[str] = ()) -> list[str]:
    """The question's topical words (four letters or more, not asking words), in order."""
    ignored = {w.lower() for text in ignore for w in text.split()}
    return [w for w in question_words(question) if w not in ignored]


def central_words(
    words: Sequence[str],
    vectors: npt.NDArray[np.float32],
    question_vector: npt.NDArray[np.float32],
    threshold: float = CENTRALITY,
) -> list[str]:
    """The words (each with its vector) whose cosine with the question reaches `threshold`."""
    if not len(words):
        return []
    similarities = vectors @ question_vector.reshape(-1).astype(np.float32)
    return [w for w, s in zip(words, similarities, strict=True) if float(s) >= threshold]
