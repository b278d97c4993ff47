"""The document and role of chunk rows a Milvus reader has seen, so the reader's demotion and
favouring need no query of their own after the searches that found the rows.

A published row never changes: the writer gives every chunk a new row number, never reuses the
number of a published row, and only deletes rows (of removed documents). A label learnt once
is therefore good for every later revision that still has the row.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable
from typing import Any

# Labels kept at most (a few MB); past this the table starts over.
MAX_LABELS = 200_000
LABEL_FIELDS = ("doc_id", "role")


class RowLabels:
    """row -> (doc_id, role), filled from the fields a search or query returned."""

    def __init__(self, limit: int = MAX_LABELS) -> None:
        self._limit = limit
        self._labels: dict[int, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def learn(self, rows: Iterable[tuple[int, dict[str, Any]]]) -> None:
        """Note (row, fields) pairs whose fields hold both LABEL_FIELDS."""
        found = {
            row: (str(fields["doc_id"]), str(fields["role"]))
            for row, fields in rows
            if "doc_id" in fields and "role" in fields
        }
        with self._lock:
            if len(self._labels) + len(found) > self._limit:
                self._labels.clear()
            self._labels.update(found)

    def unknown(self, rows: Collection[int]) -> list[int]:
        """Those of `rows` not labelled yet, in ascending order."""
        with self._lock:
            return sorted({row for row in rows if row not in self._labels})

    def labels(self, rows: Collection[int]) -> dict[int, tuple[str, str]]:
        """The labels known for `rows` (a row that no longer exists may have none)."""
        with self._lock:
            return {row: self._labels[row] for row in rows if row in self._labels}
