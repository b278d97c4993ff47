"""Turn ranked passages into ranked documents and ranked (document, page) pairs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .judgments import page_key


@dataclass(frozen=True)
class Passage:
    """A retrieved passage as retrieval scoring sees it: which document, which pages."""

    doc_id: str
    page_start: int
    page_end: int


KeysOf = Callable[[str], tuple[str, ...]]


def document_ranking(passages: Sequence[Passage], keys_of: KeysOf) -> list[str]:
    """Documents in the rank order of their best passage (later passages of one are dropped)."""
    return _first_seen(key for p in passages for key in keys_of(p.doc_id))


def page_ranking(passages: Sequence[Passage], keys_of: KeysOf) -> list[str]:
    """(document, page) keys in rank order; a passage spanning pages 3-4 ranks both, in order."""
    return _first_seen(
        page_key(key, page)
        for p in passages
        for key in keys_of(p.doc_id)
        for page in range(p.page_start, p.page_end + 1)
    )


def _first_seen(keys: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(keys))
