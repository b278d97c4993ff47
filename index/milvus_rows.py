"""Our records as Milvus rows and back, and search filters as Milvus filter expressions."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
import numpy.typing as npt

from ingest.types import Chunk, Document, PageFailure, Statement, chunk_id

from .milvus_schema import DUMMY_VECTOR
from .types import MIN_ID_PREFIX, DocumentInfo, SearchFilters

# A page longer than this many characters is stored in parts (4 bytes a character at most, so
# a part stays within a VARCHAR's 65,535 bytes).
PAGE_PART = 16_000
_HEX = re.compile(r"^[0-9a-f]+$")
CHUNK_FIELDS = (
    "doc_id", "ordinal", "text", "page_start", "page_end", "section", "char_start", "char_end",
    "role",
)  # fmt: skip


def literal(value: str) -> str:
    """A string literal for a filter expression (quotes and backslashes escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def in_list(field: str, values: Collection[object]) -> str:
    items = ", ".join(literal(v) if isinstance(v, str) else str(int(str(v))) for v in values)
    return f"{field} in [{items}]"


def live_documents(revision: int) -> str:
    """Documents published at `revision` (added by then, and not yet removed)."""
    return f"revision <= {revision} and (retired == 0 or retired > {revision})"


def chunk_filter(revision: int, filters: SearchFilters | None) -> str | None:
    """The expression for chunks published at `revision` that pass `filters`; None when no
    chunk can pass (an id prefix that is not hexadecimal)."""
    parts = [f"revision <= {revision}"]
    if filters is not None and filters.doc_ids:
        typed = [d.lower() for d in filters.doc_ids if len(d) >= MIN_ID_PREFIX]
        prefixes = [d for d in typed if _HEX.match(d)]
        if not prefixes:
            return None
        parts.append("(" + " or ".join(f'doc_id like "{p}%"' for p in prefixes) + ")")
    if filters is not None and filters.series:
        parts.append(f"series == {literal(filters.series.lower())}")
    if filters is not None and (filters.date_from or filters.date_to):
        parts.append('date != ""')
        if filters.date_from:
            parts.append(f"date >= {literal(filters.date_from)}")
        if filters.date_to:
            parts.append(f"date <= {literal(filters.date_to)}")
    return " and ".join(parts)


# -- rows -----------------------------------------------------------------------------------------
def document_info(doc: Document, n_chunks: int, added_at: str) -> DocumentInfo:
    return DocumentInfo(
        id=doc.id,
        source=doc.source,
        title=doc.title,
        series=doc.series,
        number=doc.number,
        date=doc.date,
        authors=tuple(doc.authors),
        url=doc.url,
        kind=doc.kind,
        n_pages=len(doc.pages),
        n_chunks=n_chunks,
        added_at=added_at,
        failed_pages=tuple(doc.failed_pages),
        publisher=doc.publisher,
        publisher_acronym=doc.publisher_acronym,
    )


def document_row(info: DocumentInfo, revision: int, retired: int) -> dict[str, Any]:
    return {
        "doc_id": info.id,
        "revision": revision,
        "source": info.source,
        "retired": retired,
        "info": json.dumps(asdict(info)),
        "vector": DUMMY_VECTOR,
    }


def info_of(row: dict[str, Any]) -> DocumentInfo:
    raw = json.loads(str(row["info"]))
    raw["authors"] = tuple(raw["authors"])
    raw["failed_pages"] = tuple(PageFailure(int(p), str(r)) for p, r in raw["failed_pages"])
    return DocumentInfo(**raw)


def chunk_rows(
    rows: Sequence[int],
    chunks: Sequence[Chunk],
    terms: Sequence[Sequence[str]],
    vectors: npt.NDArray[np.float32],
    doc: Document,
    revision: int,
) -> list[dict[str, Any]]:
    return [
        {
            "id": row,
            "revision": revision,
            **{name: getattr(chunk, name) for name in CHUNK_FIELDS},
            "terms": " ".join(words),
            "series": (doc.series or "").lower(),
            "date": doc.date or "",
            "vector": np.asarray(vector, dtype=np.float32).tolist(),
        }
        for row, chunk, words, vector in zip(rows, chunks, terms, vectors, strict=True)
    ]


def chunk_of(row: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id(str(row["doc_id"]), int(row["ordinal"])),
        doc_id=str(row["doc_id"]),
        ordinal=int(row["ordinal"]),
        text=str(row["text"]),
        page_start=int(row["page_start"]),
        page_end=int(row["page_end"]),
        section=row["section"],
        char_start=int(row["char_start"]),
        char_end=int(row["char_end"]),
        role=str(row["role"]),
    )


def page_rows(first_row: int, doc: Document, revision: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for number, text in enumerate(doc.pages, start=1):
        parts = [text[i : i + PAGE_PART] for i in range(0, len(text), PAGE_PART)] or [""]
        for part, piece in enumerate(parts):
            rows.append(
                {
                    "id": first_row + len(rows),
                    "revision": revision,
                    "doc_id": doc.id,
                    "page": number,
                    "part": part,
                    "char_start": doc.page_offsets[number - 1],
                    "text": piece,
                    "vector": DUMMY_VECTOR,
                }
            )
    return rows


def pages_of(rows: Sequence[dict[str, Any]]) -> list[str]:
    ordered = sorted(rows, key=lambda r: (int(r["page"]), int(r["part"])))
    pages: dict[int, str] = {}
    for r in ordered:
        pages[int(r["page"])] = pages.get(int(r["page"]), "") + str(r["text"])
    return [pages[n] for n in sorted(pages)]


def statement_rows(
    first_row: int,
    statements: Sequence[Statement],
    vectors: npt.NDArray[np.float32] | None,
    revision: int,
) -> list[dict[str, Any]]:
    if not statements:
        return []
    if vectors is None or len(vectors) != len(statements):
        raise ValueError("every statement needs its vector")
    return [
        {
            "id": first_row + i,
            "revision": revision,
            "doc_id": st.doc_id,
            "ordinal": st.ordinal,
            "record": json.dumps(asdict(st)),
            "vector": np.asarray(vector, dtype=np.float32).tolist(),
        }
        for i, (st, vector) in enumerate(zip(statements, vectors, strict=True))
    ]
