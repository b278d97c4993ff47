"""Repair the two word-level faults PDF text extraction leaves: words split around a ligature
("arti fi cial") and words glued together where the spaces were lost ("Thisbriefproposesa").
Both are decided by the document's own vocabulary, so nothing is guessed from outside it."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from .quality import GLUED_RUN

# A ligature glyph some extractors set apart as a token of its own: never a word by itself.
_SPLIT_LIGATURE = re.compile(
    r"(?:\b([A-Za-z]+) )?(?<![A-Za-z])(ffi|ffl|ff|fi|fl)(?: ([a-z]+)\b|(?![A-Za-z]))"
)
# Short words that stand before a word starting with a ligature ("the fi rst", "of fi nance").
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "may",
        "more",
        "most",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "should",
        "so",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "these",
        "they",
        "this",
        "those",
        "to",
        "under",
        "was",
        "we",
        "were",
        "which",
        "while",
        "who",
        "will",
        "with",
        "would",
    ]
)
# A page is segmented only when it shows glue (runs of more than 25 letters); then every
# unknown run of at least this many letters is a candidate.
_MIN_GLUED = 12
_LETTERS = re.compile(r"[^\W\d_]+")
_UNKNOWN_COST = 30.0  # per character: a segmentation keeps unknown pieces only as a last resort


@dataclass(frozen=True)
class WordCounts:
    """How often the document uses each word (lower case), from runs short enough to be words."""

    counts: Counter[str]
    total: int

    @classmethod
    def of(cls, text: str) -> WordCounts:
        counts = Counter(w.lower() for w in _LETTERS.findall(text) if len(w) < _MIN_GLUED + 8)
        for word in _FUNCTION_WORDS:
            counts[word] += 1
        return cls(counts, sum(counts.values()))

    @classmethod
    def of_pages(cls, texts: list[str]) -> WordCounts:
        """The words of the texts that show no glue (of all texts when every one does)."""
        clean = [text for text in texts if not GLUED_RUN.search(text)]
        return cls.of("\n".join(clean or texts))

    def knows(self, word: str) -> bool:
        return self.counts.get(word.lower(), 0) > 0

    def cost(self, word: str) -> float:
        seen = self.counts.get(word.lower(), 0)
        if not seen or (len(word) == 1 and word.lower() not in ("a", "i")):
            return _UNKNOWN_COST * len(word)
        return math.log(self.total / seen)


def rejoin_ligature_splits(text: str, words: WordCounts) -> str:
    """ "arti fi cial" -> "artificial", "the fi rst" -> "the first", "e ff ect" -> "effect"."""

    def join(match: re.Match[str]) -> str:
        left, ligature, right = match.group(1), match.group(2), match.group(3) or ""
        whole = (left or "") + ligature + right
        if left and (words.knows(whole) or left.lower() not in _FUNCTION_WORDS):
            return whole
        return (f"{left} " if left else "") + ligature + right

    return _SPLIT_LIGATURE.sub(join, text)


def split_glued_words(text: str, words: WordCounts) -> str:
    """Put back the spaces lost between words, where the text shows that it lost them."""
    if not GLUED_RUN.search(text):
        return text

    def split(match: re.Match[str]) -> str:
        run = match.group(0)
        if len(run) < _MIN_GLUED or words.knows(run):
            return run
        pieces = _segment(run, words)
        return " ".join(pieces) if pieces else run

    return _LETTERS.sub(split, text)


def _segment(run: str, words: WordCounts) -> list[str] | None:
    """The cheapest split of `run` into the document's words (None: no split into known words)."""
    n = len(run)
    best: list[float] = [0.0] + [math.inf] * n
    back = [0] * (n + 1)
    longest = min(n, 24)
    for end in range(1, n + 1):
        for start in range(max(0, end - longest), end):
            cost = best[start] + words.cost(run[start:end])
            if cost < best[end]:
                best[end], back[end] = cost, start
    pieces: list[str] = []
    end = n
    while end > 0:
        pieces.append(run[back[end] : end])
        end = back[end]
    pieces.reverse()
    if len(pieces) < 2 or not all(words.knows(piece) for piece in pieces):
        return None
    return pieces
