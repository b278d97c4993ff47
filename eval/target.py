"""What an evaluation runs against: an index in this process or a BriefQA server over HTTP."""

from __future__ import annotations

from typing import Any, Protocol

from index.types import SearchMode

from .answers import AnswerRecord
from .judgments import IndexedDocument
from .rankings import Passage


class Target(Protocol):
    """Retrieval and answers from one index, however it is reached."""

    def documents(self) -> list[IndexedDocument]: ...

    def search(self, query: str, k: int, mode: SearchMode) -> list[Passage]: ...

    def ask(self, question: str, k: int, mode: SearchMode) -> AnswerRecord: ...

    def describe(self) -> dict[str, Any]:
        """Where the index is and what built it (its manifest), for the report."""
        ...
