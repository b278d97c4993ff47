"""Whether the briefs of a comparison agree: each entry that is one of its brief's own
recommendations is for what it recommends, or against it when its wording rejects it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum

from .coverage import topical_stems


class Side(str, Enum):  # noqa: UP042 (StrEnum would change str() of members)
    for_it = "for"
    against_it = "against"


# Wording that takes the side against: a negated recommendation, a rejection, a warning off.
_AGAINST = re.compile(
    r"\b(?:should|must|ought|need|would|could|can)(?:\s+not|n[o']t|\s+never)\b|"
    r"\b(?:rejects?|rejected|opposes?|opposed|argues? against|warns? against|"
    r"advises? against|counsels? against|resists?|refrain from|"
    r"(?:would|is|be) (?:a mistake|counterproductive|self-defeating|unwise))\b|"
    r"\bno (?:case|reason|need) (?:for|to)\b",
    re.IGNORECASE,
)


def side(recommendation: str) -> Side:
    """The side a recommendation takes: against when its wording rejects, else for."""
    return Side.against_it if _AGAINST.search(recommendation) else Side.for_it


def agreement_note(
    question: str, entries: Sequence[str], recommended: Sequence[bool], citations: Sequence[int]
) -> str | None:
    """A line saying that the briefs agree (every entry takes the same side) or differ (some
    for, some against), or None when that cannot be read: fewer than two briefs, an entry that
    is not one of its brief's own recommendations (`recommended`: a law's target, a party's
    claim or a finding the brief reports takes no side), or one that shares no topical word
    with the question (it is about something else)."""
    if len(entries) < 2 or not all(recommended):
        return None
    topic = topical_stems(question)
    if topic and any(not topic & topical_stems(e) for e in entries):
        return None
    sides = [side(e) for e in entries]
    if len(set(sides)) == 1:
        stance = "it" if sides[0] is Side.for_it else "against it"
        return f"The {len(entries)} briefs agree: each recommends {stance}."
    marks = {
        s: " ".join(f"[{n}]" for n, t in zip(citations, sides, strict=True) if t is s) for s in Side
    }
    return (
        f"The briefs differ: {marks[Side.for_it]} recommend it, "
        f"{marks[Side.against_it]} against it."
    )
