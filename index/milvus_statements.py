"""The statements of one Milvus revision, kept in Milvus: listed per brief and ranked against a
query vector by queries and searches, so a reader holds none of their vectors.

They answer as `StatementIndex` does over the same rows: only statements of the revision's live
briefs (rows of a brief retired at the revision stay until the writer purges them), listed by
brief id then ordinal, scored by float32 inner product (unit vectors: cosine), best first with
ties in that same order.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ingest.types import Statement

from .milvus_rows import in_list
from .milvus_schema import DOCUMENTS, STATEMENTS
from .milvus_store import BATCH, Collections
from .statements import StatementHit
from .types import DocumentInfo

# Brief ids per filter expression, so a long list of briefs (a series filter) stays a
# reasonable request; longer lists are asked in parts and merged.
IDS_PER_EXPRESSION = 512
# Milvus returns at most this many hits per search (its topk ceiling).
MAX_HITS = 16_384
# Hits asked for per statement wanted: kinds and live briefs are filtered here, not in Milvus.
OVERFETCH = 4


def _record(row: dict[str, Any]) -> Statement:
    return Statement(**json.loads(str(row["record"])))


def _in_order(hit: StatementHit) -> tuple[str, int]:
    return hit.statement.doc_id, hit.statement.ordinal


class MilvusStatements:
    """The `Statements` of one Milvus revision."""

    def __init__(
        self, collections: Collections, revision: int, documents: dict[str, DocumentInfo]
    ) -> None:
        self._collections = collections
        self._revision = revision
        self._documents = documents  # the revision's live briefs, by id
        self._published = f"revision <= {revision}"
        self._lock = threading.Lock()
        self._actors: frozenset[str] | None = None
        self._count: int | None = None

    @property
    def actors(self) -> frozenset[str]:
        with self._lock:
            if self._actors is None:
                # One pass over the statement records (their JSON, never their vectors), once
                # per revision: a question needs the actors before it retrieves anything. Read
                # a batch at a time, keeping only the names.
                actors: set[str] = set()
                for rows in self._collections.batches(STATEMENTS, self._published, ["record"]):
                    actors.update(
                        s.actor
                        for s in map(_record, rows)
                        if s.kind == "position" and s.actor and s.doc_id in self._documents
                    )
                self._actors = frozenset(actors)
            return self._actors

    def __len__(self) -> int:
        with self._lock:
            if self._count is None:
                self._count = self._live_count()
            return self._count

    def _live_count(self) -> int:
        """Rows of the revision counted by Milvus, less those of briefs retired by then whose
        rows are not purged yet (usually none)."""
        total = self._collections.count(STATEMENTS, self._published)
        retired = self._collections.query_all(
            DOCUMENTS,
            f"{self._published} and retired > 0 and retired <= {self._revision}",
            ["doc_id"],
        )
        for expression in self._of_briefs(sorted(str(r["doc_id"]) for r in retired)):
            total -= self._collections.count(STATEMENTS, expression)
        return total

    def _of_briefs(self, doc_ids: Sequence[str]) -> list[str]:
        return [
            f"{self._published} and {in_list('doc_id', doc_ids[i : i + IDS_PER_EXPRESSION])}"
            for i in range(0, len(doc_ids), IDS_PER_EXPRESSION)
        ]

    def _live(self, doc_ids: Collection[str]) -> list[str]:
        return sorted({d for d in doc_ids if d in self._documents})

    def of_documents(
        self,
        doc_ids: Collection[str],
        kinds: Collection[str] = (),
        query_vector: npt.NDArray[np.float32] | None = None,
    ) -> list[StatementHit]:
        fields = ["record"] if query_vector is None else ["record", "vector"]
        rows: list[dict[str, Any]] = []
        for expression in self._of_briefs(self._live(doc_ids)):
            found = self._collections.query(STATEMENTS, expression, fields)
            if len(found) >= BATCH:  # a full window: there may be more, page through all
                found = self._collections.query_all(STATEMENTS, expression, fields)
            rows.extend(found)
        listed = [(_record(r), r) for r in rows]
        listed = [(s, r) for s, r in listed if not kinds or s.kind in kinds]
        listed.sort(key=lambda sr: (sr[0].doc_id, sr[0].ordinal))
        scores = (
            np.asarray([r["vector"] for _, r in listed], dtype=np.float32)
            @ np.asarray(query_vector, dtype=np.float32).reshape(-1)
            if query_vector is not None and listed
            else np.zeros(len(listed), dtype=np.float32)
        )
        return [
            StatementHit(s, self._documents[s.doc_id], float(score))
            for (s, _), score in zip(listed, scores, strict=True)
        ]

    def search(
        self,
        query_vector: npt.NDArray[np.float32],
        k: int,
        kinds: Collection[str] = (),
        doc_ids: Collection[str] | None = None,
    ) -> list[StatementHit]:
        if k <= 0 or not self._documents:
            return []
        wanted = None if doc_ids is None else self._live(doc_ids)
        expressions = [self._published] if wanted is None else self._of_briefs(wanted)
        query = np.asarray(query_vector, dtype=np.float32).reshape(-1).tolist()
        found: list[StatementHit] = []
        for expression in expressions:
            found.extend(self._best(query, k, kinds, expression))
        found.sort(key=lambda h: (-h.score, *_in_order(h)))
        return found[:k]

    def _best(
        self, query: list[float], k: int, kinds: Collection[str], expression: str
    ) -> list[StatementHit]:
        """At least the `k` best statements under `expression` that are of `kinds` and of live
        briefs, when there are that many: Milvus is asked for more until enough pass."""
        limit = min(OVERFETCH * k, MAX_HITS)
        while True:
            hits = self._collections.search(
                "vector", [query], limit, expression, ["record"], kind=STATEMENTS
            )
            kept = [
                StatementHit(s, self._documents[s.doc_id], score)
                for s, score in ((_record(fields), score) for _, score, fields in hits)
                if s.doc_id in self._documents and (not kinds or s.kind in kinds)
            ]
            # It stops at MAX_HITS: fewer than k come back only when fewer than k of the
            # nearest 16,384 pass (the deepest ask is 200 positions).
            if len(kept) >= k or len(hits) < limit or limit >= MAX_HITS:
                return kept
            limit = min(2 * limit, MAX_HITS)
