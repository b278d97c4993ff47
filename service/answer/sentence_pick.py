"""Pick answer sentences from passages: candidates, scoring against the question, no duplicates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ingest.sentences import sentence_spans

# A sentence shorter than this (in words) is a heading, a label or a fragment, not an answer.
MIN_WORDS = 6
# Leading list markers are left out of a sentence (the span still points into the passage).
_BULLET = re.compile(r"(?:[•▪◦‣∙·\-–—*]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")
# Questions asking what a brief recommends or argues, and sentences that state a position.
_ASKS_POSITION = re.compile(
    r"\b(recommend\w*|should|ought|propos\w*|advi[sc]e\w*|suggest\w*|position\w*|stance|"
    r"argu\w*|call\w* (?:for|on)|urg\w*|view|conclu\w*|priorit\w*|what (?:can|must) )",
    re.IGNORECASE,
)
_STATES_POSITION = re.compile(
    r"\b(should|must|ought to|needs? to|recommends? that|calls? (?:for|on)|urges?|"
    r"we (?:recommend|argue|propose|suggest|conclude|urge|call)|"
    r"(?:this|the) brief (?:argues|recommends|proposes|concludes|calls))\b",
    re.IGNORECASE,
)
_POSITION_SECTION = re.compile(r"recommend|conclu|what .* should", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """One sentence of a retrieved passage: which passage, and where in its text."""

    passage: int  # index into the retrieved passages
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Picked:
    candidate: Candidate
    similarity: float  # cosine to the question
    score: float  # similarity plus the bonus for stating a position when one is asked for


@dataclass(frozen=True)
class PickSettings:
    """How answer sentences are chosen.

    `threshold` is the cosine a sentence needs with the question for the briefs to count as
    answering it. Calibrated on the sample briefs (all-MiniLM-L6-v2): over the 73 questions of
    eval/sets/sample_briefs.jsonl the best sentence scored 0.49 to 0.89; over 60 clearly
    off-topic questions (football, cooking, trivia) it scored 0.07 to 0.37. The threshold sits
    in the middle of that gap. tests/service/test_calibration.py keeps both sides true.
    """

    threshold: float = 0.43
    max_sentences: int = 3
    margin: float = 0.12  # keep sentences scoring within this of the best one
    duplicate_similarity: float = 0.85  # a sentence this close to a chosen one adds nothing
    position_bonus: float = 0.06


def candidates(passage: int, text: str) -> list[Candidate]:
    """Sentences of a passage fit to stand alone in an answer, as spans into its text."""
    found = []
    for start, end in sentence_spans(text):
        bullet = _BULLET.match(text, start, end)
        if bullet:
            start = bullet.end()
        sentence = text[start:end]
        if len(sentence.split()) < MIN_WORDS or sentence[0].islower():
            continue  # too short to stand alone, or the tail of a sentence cut at a chunk edge
        # A line without final punctuation is a title block or a heading, unless it is a list item.
        if not bullet and not _TERMINAL.search(sentence):
            continue
        found.append(Candidate(passage, start, end, sentence))
    return found


def asks_for_position(question: str) -> bool:
    return bool(_ASKS_POSITION.search(question))


def states_position(sentence: str, section: str | None) -> bool:
    """A sentence stating a position: recommendation wording, or in a recommendations section."""
    return bool(
        _STATES_POSITION.search(sentence) or (section and _POSITION_SECTION.search(section))
    )


def pick(
    question_vector: npt.NDArray[np.float32],
    cands: Sequence[Candidate],
    vectors: npt.NDArray[np.float32],
    settings: PickSettings,
    boosted: Sequence[bool] = (),
) -> list[Picked]:
    """The best sentences for the question, best first; empty when none reaches the threshold.

    `boosted[i]` marks sentences that state a position, favoured when the question asks for one.
    """
    if not cands:
        return []
    similarities = vectors @ question_vector
    scored = []
    for i in range(len(cands)):
        sim = float(similarities[i])
        bonus = settings.position_bonus if i < len(boosted) and boosted[i] else 0.0
        scored.append((sim + bonus, sim, i))
    scored.sort(key=lambda s: (-s[0], s[2]))
    best_score = scored[0][0]
    if max(s[1] for s in scored) < settings.threshold:
        return []
    chosen: list[Picked] = []
    chosen_rows: list[int] = []
    seen_texts: set[str] = set()
    for score, sim, i in scored:
        if len(chosen) == settings.max_sentences or score < best_score - settings.margin:
            break
        if sim < settings.threshold:
            continue
        key = " ".join(cands[i].text.split()).lower()
        if key in seen_texts:
            continue
        if (
            chosen_rows
            and float(np.max(vectors[chosen_rows] @ vectors[i])) >= settings.duplicate_similarity
        ):
            continue
        seen_texts.add(key)
        chosen_rows.append(i)
        chosen.append(Picked(cands[i], sim, score))
    return chosen
