"""Reference lists, tables of contents and cover pages stay searchable but rank below body
text, unless the question asks for sources."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from ingest.types import CONTENTS, COVER, REFERENCES

DEMOTED_ROLES = (REFERENCES, CONTENTS, COVER)
_ASKS_FOR_SOURCES = re.compile(
    r"\b(?:sources?|references?|referenced|bibliograph\w*|cit(?:e|es|ed|ing|ation|ations)|"
    r"literature|footnotes?|endnotes?|further reading|works cited|contents)\b",
    re.IGNORECASE,
)
_Ranked = TypeVar("_Ranked")


def asks_for_sources(query: str) -> bool:
    return bool(_ASKS_FOR_SOURCES.search(query))


def below_body(
    ranked: Sequence[_Ranked], row_of: Callable[[_Ranked], int], demoted: frozenset[int], query: str
) -> list[_Ranked]:
    """`ranked` with the demoted rows moved after all others (each group keeps its order)."""
    if not demoted or asks_for_sources(query):
        return list(ranked)
    return sorted(ranked, key=lambda item: row_of(item) in demoted)
