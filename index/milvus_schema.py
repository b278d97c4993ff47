"""The layout of an index in Milvus: five collections, their fields and scalar indexes (as plain
data: `milvus_store` turns it into pymilvus schemas)."""

from __future__ import annotations

from typing import Any

CHUNKS, DOCUMENTS, PAGES, STATEMENTS, META = "chunks", "documents", "pages", "statements", "meta"
KINDS = (CHUNKS, DOCUMENTS, PAGES, STATEMENTS, META)
DUMMY_DIM = 2  # Milvus wants a vector field in every collection; the bookkeeping ones get this
DUMMY_VECTOR = [1.0, 0.0]
TEXT_MAX = 65535  # bytes, Milvus's VARCHAR ceiling
ID_MAX = 64  # a sha256 in hex
# bm25s's parameters (Milvus's server default k1 is 1.2), so both keyword engines score alike.
BM25_PARAMS = {"bm25_k1": 1.5, "bm25_b": 0.75}

# Besides these, every collection has its primary key ("id", or "doc_id" for documents, "key"
# for meta), all but meta a "revision" and, but documents, a "doc_id", and a "vector" (the
# embedding for chunks and statements, DUMMY_DIM values elsewhere); chunks also "sparse", the
# output of Milvus's BM25 function over "terms".
_TEXT: dict[str, Any] = {"max_length": TEXT_MAX}
_OPTIONAL_TEXT: dict[str, Any] = {"max_length": TEXT_MAX, "nullable": True}
FIELDS: dict[str, tuple[tuple[str, str, dict[str, Any]], ...]] = {
    CHUNKS: (
        ("ordinal", "INT64", {}),
        ("text", "VARCHAR", _TEXT),  # the cited text, verbatim
        # The keyword terms of the indexed text (title, section, text), as index.bm25 makes them.
        (
            "terms",
            "VARCHAR",
            {**_TEXT, "enable_analyzer": True, "analyzer_params": {"tokenizer": "standard"}},
        ),
        ("page_start", "INT64", {}),
        ("page_end", "INT64", {}),
        ("section", "VARCHAR", _OPTIONAL_TEXT),
        ("char_start", "INT64", {}),
        ("char_end", "INT64", {}),
        ("role", "VARCHAR", {"max_length": 32}),
        ("series", "VARCHAR", {"max_length": 1024}),  # lower case, "" when none
        ("date", "VARCHAR", {"max_length": 32}),  # ISO, "" when none
    ),
    DOCUMENTS: (
        ("source", "VARCHAR", {"max_length": 4096}),
        ("retired", "INT64", {}),  # the revision that removes it (0: none)
        ("info", "VARCHAR", _TEXT),  # the DocumentInfo as JSON
    ),
    PAGES: (
        ("page", "INT64", {}),
        ("part", "INT64", {}),  # long pages are stored in parts
        ("char_start", "INT64", {}),
        ("text", "VARCHAR", _TEXT),
    ),
    STATEMENTS: (
        ("ordinal", "INT64", {}),
        ("record", "VARCHAR", _TEXT),  # the Statement as JSON
    ),
    META: (
        ("revision", "INT64", {}),
        ("next_row", "INT64", {}),
        ("manifest", "VARCHAR", _TEXT),
    ),
}
SCALAR_INDEXES: dict[str, tuple[str, ...]] = {
    CHUNKS: ("role", "series", "date"),
    DOCUMENTS: ("source", "retired"),
}
