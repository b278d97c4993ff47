"""Pick answer sentences from passages: candidates, scoring against the question, no duplicates."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.sentences import sentence_spans

from .lexical import content_words

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
    similarity: float  # cosine of the sentence's passage with the question
    score: float  # similarity, plus the question words it holds and any position bonus


@dataclass(frozen=True)
class PickSettings:
    """How answer sentences are chosen: by how close their passage is to the question (the
    cosine of its stored vector, no embedding at answer time) and by how many of the question's
    content words the sentence itself holds.

    `threshold` is the passage cosine that counts as answering. Calibrated on the sample briefs
    (all-MiniLM-L6-v2, chunks embedded with their brief's title and section): over the 137
    questions of eval/sets/sample_briefs.jsonl and sample_answers.jsonl the best of the five
    retrieved passages scored 0.38 to 0.84 (two questions for a brief's whole list, answered
    from its statements, 0.34 and 0.36); over 60 clearly off-topic questions (football,
    cooking, trivia) -0.01 to 0.33. The threshold sits in that gap.
    tests/service/test_calibration.py keeps both sides true.
    """

    threshold: float = 0.355
    max_sentences: int = 3
    margin: float = 0.12  # keep sentences scoring within this of the best one
    word_weight: float = 0.3  # added for a sentence holding every content word of the question
    duplicate_overlap: float = 0.7  # a sentence sharing this share of words with a chosen one
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
    cands: Sequence[Candidate],
    similarities: Sequence[float],
    question_words: frozenset[str],
    settings: PickSettings,
    boosted: Sequence[bool] = (),
) -> list[Picked]:
    """The best sentences for the question, best first; empty when no passage reaches the
    threshold.

    `similarities[i]` is the cosine of candidate i's passage with the question;
    `question_words` the question's content words (`content_words`), whose share in a sentence
    orders the sentences of a passage and breaks near ties between passages; `boosted[i]` marks
    sentences that state a position, favoured when the question asks for one.
    """
    if not cands or max(similarities) < settings.threshold:
        return []
    words = [content_words(c.text) for c in cands]
    scored = []
    for i in range(len(cands)):
        share = len(words[i] & question_words) / len(question_words) if question_words else 0.0
        bonus = settings.position_bonus if i < len(boosted) and boosted[i] else 0.0
        sim = similarities[i]
        scored.append((sim + settings.word_weight * share + bonus, sim, i))
    scored.sort(key=lambda s: (-s[0], s[2]))
    best_score = scored[0][0]
    chosen: list[Picked] = []
    chosen_words: list[frozenset[str]] = []
    seen_texts: set[str] = set()
    for score, sim, i in scored:
        if len(chosen) == settings.max_sentences or score < best_score - settings.margin:
            break
        if sim < settings.threshold:
            continue
        key = " ".join(cands[i].text.split()).lower()
        if key in seen_texts or any(
            _shared(words[i], other) >= settings.duplicate_overlap for other in chosen_words
        ):
            continue
        seen_texts.add(key)
        chosen_words.append(words[i])
        chosen.append(Picked(cands[i], sim, score))
    return chosen


def _shared(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the words of two sentences they have in common (Jaccard)."""
    return len(a & b) / len(a | b) if a or b else 1.0
