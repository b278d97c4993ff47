"""The published state of a Milvus store: one revision's documents in memory, chunks searched
in Milvus (dense by inner product, keywords by its BM25 function) with the same filters, and
statements listed and searched in Milvus too (index.milvus_statements)."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ingest.types import Chunk

from .bm25 import keyword_terms
from .errors import IndexNotFoundError
from .generations import generation_name
from .location import MilvusLocation
from .manifest import Manifest
from .metadata_match import MetadataIndex
from .milvus_labels import LABEL_FIELDS, RowLabels
from .milvus_rows import (
    CHUNK_FIELDS,
    chunk_filter,
    chunk_of,
    in_list,
    info_of,
    literal,
    live_documents,
    pages_of,
)
from .milvus_schema import CHUNKS, DOCUMENTS, META, PAGES
from .milvus_statements import MilvusStatements
from .milvus_store import Collections, shared_collections
from .published import Ranking
from .roles import DEMOTED_ROLES
from .statements import Statements
from .types import DocumentInfo, SearchFilters

META_KEY = "state"


@dataclass(frozen=True)
class MetaRecord:
    """The meta collection's one row: the published revision, the next free row number and
    the manifest of that revision. Writing it is what publishes a revision."""

    revision: int
    next_row: int
    manifest: Manifest


def read_meta(collections: Collections) -> MetaRecord | None:
    if not collections.exist():
        return None
    rows = collections.query(META, f'key == "{META_KEY}"', ["revision", "next_row", "manifest"])
    if not rows:
        return None
    row = rows[0]
    return MetaRecord(
        revision=int(row["revision"]),
        next_row=int(row["next_row"]),
        manifest=Manifest(**json.loads(str(row["manifest"]))),
    )


def _absent(location: MilvusLocation) -> bool:
    """A Milvus Lite file not made yet (reading must not create it)."""
    return location.is_local and not Path(location.uri).expanduser().exists()


def milvus_marker(location: MilvusLocation) -> str | None:
    if _absent(location):
        return None
    meta = read_meta(shared_collections(location))
    return generation_name(meta.revision) if meta else None


def milvus_manifest(location: MilvusLocation) -> Manifest | None:
    if _absent(location):
        return None
    meta = read_meta(shared_collections(location))
    return meta.manifest if meta else None


def sort_documents(documents: Sequence[DocumentInfo]) -> tuple[DocumentInfo, ...]:
    """By date (undated last), then source: the embedded store's order."""
    return tuple(sorted(documents, key=lambda d: (d.date is None, d.date or "", d.source)))


@dataclass(frozen=True)
class MilvusPublished:
    """One revision of a Milvus store, as a reader sees it."""

    name: str
    revision: int
    manifest: Manifest
    collections: Collections
    documents: tuple[DocumentInfo, ...]
    statements: Statements
    metadata: MetadataIndex
    by_id: dict[str, DocumentInfo]
    # Document and role of the rows searches returned: demotion and favouring then need no query.
    labels: RowLabels = field(default_factory=RowLabels, compare=False, repr=False)

    def document(self, doc_id: str) -> DocumentInfo | None:
        return self.by_id.get(doc_id)

    def find_documents(self, prefix: str) -> list[DocumentInfo]:
        prefix = prefix.lower()
        return [d for d in self.documents if d.id.startswith(prefix)]

    def pages(self, doc_id: str) -> list[str]:
        expression = f"doc_id == {literal(doc_id)} and revision <= {self.revision}"
        rows = self.collections.query_all(PAGES, expression, ["page", "part", "text"])
        return pages_of(rows)

    def _ranked(self, hits: list[tuple[int, float, dict[str, Any]]]) -> Ranking:
        self.labels.learn((row, fields) for row, _, fields in hits)
        # Rows of a document removed at this revision stay until the writer purges them.
        return [(row, score) for row, score, fields in hits if fields["doc_id"] in self.by_id]

    def dense(
        self, vector: npt.NDArray[np.float32], k: int, filters: SearchFilters | None
    ) -> Ranking:
        expression = chunk_filter(self.revision, filters)
        if expression is None or k <= 0 or not self.by_id:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(-1).tolist()
        hits = self.collections.search("vector", [query], k, expression, LABEL_FIELDS)
        return self._ranked(hits)

    def keyword(self, query: str, k: int, filters: SearchFilters | None) -> Ranking:
        expression = chunk_filter(self.revision, filters)
        terms = keyword_terms([query])[0]
        if expression is None or k <= 0 or not terms or not self.by_id:
            return []
        hits = self.collections.search("sparse", [" ".join(terms)], k, expression, LABEL_FIELDS)
        # Milvus Lite returns BM25 scores negated (still best first): use their size.
        ranked = [(row, abs(score), fields) for row, score, fields in hits]
        return [(row, score) for row, score in self._ranked(ranked) if score > 0]

    def _rows(self, rows: Collection[int], fields: Sequence[str], extra: str = "") -> list[Any]:
        if not rows:
            return []
        expression = in_list("id", sorted(set(rows))) + (f" and {extra}" if extra else "")
        return self.collections.query(CHUNKS, expression, ["id", *fields], limit=len(set(rows)))

    def chunks_by_rows(self, rows: Sequence[int]) -> dict[int, tuple[Chunk, DocumentInfo]]:
        found = {}
        for r in self._rows(rows, CHUNK_FIELDS):
            document = self.by_id.get(str(r["doc_id"]))
            if document is not None:
                found[int(r["id"])] = (chunk_of(r), document)
        return found

    def _labels(self, rows: Collection[int]) -> dict[int, tuple[str, str]]:
        """(doc_id, role) of each of `rows` that exists, queried only for rows no search
        returned before."""
        unknown = self.labels.unknown(rows)
        if unknown:
            found = self._rows(unknown, LABEL_FIELDS)
            self.labels.learn((int(r["id"]), r) for r in found)
        return self.labels.labels(rows)

    def demoted_among(self, rows: Collection[int]) -> frozenset[int]:
        labels = self._labels(rows)
        return frozenset(row for row, (_, role) in labels.items() if role in DEMOTED_ROLES)

    def rows_of_documents(self, rows: Collection[int], doc_ids: Collection[str]) -> frozenset[int]:
        labels = self._labels(rows)
        return frozenset(row for row, (doc_id, _) in labels.items() if doc_id in doc_ids)

    def similarities(self, vector: npt.NDArray[np.float32], rows: Sequence[int]) -> list[float]:
        stored = {int(r["id"]): r["vector"] for r in self._rows(rows, ["vector"])}
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        return [float(np.asarray(stored[row], dtype=np.float32) @ query) for row in rows]

    def unknown_words(self, words: Sequence[str]) -> list[str]:
        """Words none of whose terms any chunk of this revision uses (a one-term BM25 search)."""
        per_word = keyword_terms(list(words))
        distinct = sorted({term for terms in per_word for term in terms})
        used: set[str] = set()
        if distinct:
            expression = f"revision <= {self.revision}"
            found = self.collections.search_each("sparse", distinct, 1, expression)
            used = {term for term, hits in zip(distinct, found, strict=True) if hits}
        return [
            word
            for word, terms in zip(words, per_word, strict=True)
            if not terms or not used.issuperset(terms)
        ]


def load_milvus(location: MilvusLocation) -> MilvusPublished:
    collections = None if _absent(location) else shared_collections(location)
    meta = read_meta(collections) if collections is not None else None
    if collections is None or meta is None:
        raise IndexNotFoundError(
            f"no index in {location}: build one with `briefqa ingest PATH --store-uri "
            f"{location.uri}`"
        )
    revision = meta.revision
    rows = collections.query_all(DOCUMENTS, live_documents(revision), ["info"])
    documents = sort_documents([info_of(r) for r in rows])
    by_id = {d.id: d for d in documents}
    return MilvusPublished(
        name=generation_name(revision),
        revision=revision,
        manifest=meta.manifest,
        collections=collections,
        documents=documents,
        statements=MilvusStatements(collections, revision, by_id),
        metadata=MetadataIndex.of(documents),
        by_id=by_id,
    )
