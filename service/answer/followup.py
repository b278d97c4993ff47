"""Follow-up questions in a conversation: "What should the EU do about it?" after a question on
China and Ukraine asks about China and Ukraine, in the briefs the previous answer cited."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.types import DocumentInfo

# Words that point back to an earlier turn instead of naming their topic.
_ANAPHORA = re.compile(
    r"\b(?:it|its|this|that|these|those|they|them|their|there|the same|such|the above|"
    r"the latter|the former|he|she|his|her)\b",
    re.IGNORECASE,
)
_CONTINUATION = re.compile(r"^\s*(?:and|but|also|what about|how about|and what|so)\b", re.I)
# A follow-up is short: a long question states its own topic.
MAX_FOLLOW_UP_WORDS = 14
# "[2] Title — Policy Brief No. 5, p. 3": the sources list of an earlier BriefQA reply.
_SOURCE_LINE = re.compile(r"^\[\d+\]\s+(?P<title>.+?)\s+—\s+", re.MULTILINE)


@dataclass(frozen=True)
class Turn:
    """One message of a conversation: who sent it and its text."""

    role: str
    text: str


@dataclass(frozen=True)
class FollowUp:
    """What an earlier turn adds to the question: its topic, and the briefs it cited."""

    previous_question: str
    doc_ids: tuple[str, ...]


def is_follow_up(question: str) -> bool:
    """A short question that points back ("about it", "and Russia?") rather than naming its
    whole topic."""
    words = question.split()
    if len(words) > MAX_FOLLOW_UP_WORDS:
        return False
    return bool(_ANAPHORA.search(question) or _CONTINUATION.match(question))


def follow_up(turns: Sequence[Turn], documents: Sequence[DocumentInfo]) -> FollowUp | None:
    """The context of the last user turn when it is a follow-up of an earlier question, else
    None. The earlier question is the last user turn before it that is not itself a bare
    follow-up; cited briefs come from the sources list of the assistant reply after it."""
    users = [i for i, t in enumerate(turns) if t.role == "user" and t.text.strip()]
    if len(users) < 2 or not is_follow_up(turns[users[-1]].text):
        return None
    earlier = users[:-1]
    anchor = next((i for i in reversed(earlier) if not is_follow_up(turns[i].text)), earlier[-1])
    # Questions from the anchor up to the follow-up carry the topic ("and Russia?" chains).
    chain = [turns[i].text.strip() for i in earlier if i >= anchor]
    replies = [t.text for t in turns[anchor + 1 : users[-1]] if t.role == "assistant"]
    titles = {m.group("title").strip() for r in replies for m in _SOURCE_LINE.finditer(r)}
    doc_ids = tuple(d.id for d in documents if d.title in titles)
    return FollowUp(" ".join(chain), doc_ids)
