"""Relevance judgments in BEIR shape (queries + graded qrels), at document and at page level."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .errors import EvalSetError
from .questions import Question

Qrels = Mapping[str, Mapping[str, int]]


def page_key(doc_key: str, page: int) -> str:
    """The key of one page of a document in page-level qrels and rankings."""
    return f"{doc_key}#p{page}"


@dataclass(frozen=True)
class IndexedDocument:
    """What evaluation needs to know of a document in the index."""

    id: str
    source: str


@dataclass(frozen=True)
class Judgments:
    """Queries and what is relevant to them; `doc_keys` maps an index document id to the key(s)
    the qrels use for it (an unmapped document is keyed by its own id)."""

    name: str
    queries: Mapping[str, str]
    documents: Qrels
    pages: Qrels
    doc_keys: Mapping[str, tuple[str, ...]]

    def keys_of(self, doc_id: str) -> tuple[str, ...]:
        return self.doc_keys.get(doc_id, (doc_id,))


def judgments_from_questions(
    name: str, questions: Sequence[Question], indexed: Sequence[IndexedDocument]
) -> Judgments:
    """Resolve each relevant source or id against the index; pages only where the set gives them.

    A question whose relevant documents list no pages is scored at document level only.
    """
    by_source = {d.source: d.id for d in indexed}
    ids = [d.id for d in indexed]
    documents: dict[str, dict[str, int]] = {}
    pages: dict[str, dict[str, int]] = {}
    for q in questions:
        for rel in q.relevant:
            doc_id = _resolve(q.id, rel.source, rel.doc_id, by_source, ids)
            documents.setdefault(q.id, {})[doc_id] = 1
            for page in rel.pages or ():
                pages.setdefault(q.id, {})[page_key(doc_id, page)] = 1
    return Judgments(
        name=name,
        queries={q.id: q.question for q in questions},
        documents=documents,
        pages=pages,
        doc_keys={},
    )


def _resolve(
    qid: str,
    source: str | None,
    doc_id: str | None,
    by_source: Mapping[str, str],
    ids: Sequence[str],
) -> str:
    if source is not None:
        if source in by_source:
            return by_source[source]
        raise EvalSetError(
            f"question {qid!r}: no indexed document has the source {source!r}; ingest it "
            "(--corpus) or correct the set"
        )
    if doc_id is None:
        raise EvalSetError(f"question {qid!r}: a relevant document has neither source nor doc_id")
    matches = [i for i in ids if i == doc_id] or [i for i in ids if i.startswith(doc_id)]
    if len(matches) == 1:
        return matches[0]
    problem = "is ambiguous" if matches else "matches no indexed document"
    raise EvalSetError(f"question {qid!r}: document id {doc_id!r} {problem}")
