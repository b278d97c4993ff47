"""What a question may be: the limits and the one check shared by HTTP, chat and the CLI."""

from __future__ import annotations

MAX_QUESTION_CHARS = 1000
# Passages a search may return, and passages an answer may draw its sentences from.
MAX_SEARCH_K = 100
MAX_ASK_K = 20


class InvalidQuestionError(ValueError):
    """A question (or search query) that cannot be asked as given; the message says what to fix."""


def question_problem(text: str) -> str | None:
    """Why `text` cannot be asked, or None when it can."""
    if not text.strip():
        return "the question is empty: write it in words"
    if len(text) > MAX_QUESTION_CHARS:
        return f"the question has {len(text)} characters; keep it to {MAX_QUESTION_CHARS}"
    if "\x00" in text:
        return "the question must not contain NUL characters"
    return None


def check_question(text: str) -> str:
    """`text` stripped of surrounding blanks, or InvalidQuestionError saying what to fix."""
    problem = question_problem(text)
    if problem is not None:
        raise InvalidQuestionError(problem)
    return text.strip()
