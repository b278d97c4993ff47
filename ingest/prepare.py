"""One file to what an index stores: the parsed document, its chunks and its statements."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .chunk import ChunkerSettings, TokenCounter, chunk_document
from .errors import NoTextLayerError
from .parse import ParseLimits, parse_bytes
from .statements import extract_statements
from .types import Chunk, Document, Statement

# A file's bytes, or the path of a file holding them: a batch of paths is read one file at a
# time, so ingesting many large uploads never holds them all in memory.
Payload = bytes | Path


@dataclass(frozen=True)
class Prepared:
    document: Document
    chunks: list[Chunk]
    statements: list[Statement]


def read_payload(payload: Payload) -> bytes:
    return payload if isinstance(payload, bytes) else payload.read_bytes()


def prepare(
    name: str,
    payload: Payload,
    limits: ParseLimits,
    chunker: ChunkerSettings,
    count_tokens: TokenCounter,
) -> Prepared:
    """Parse, chunk and find statements; a file that yields no chunk is refused (NoTextLayerError),
    so it is never listed as added while nothing of it can be found."""
    document = parse_bytes(name, read_payload(payload), limits)
    chunks = chunk_document(document, count_tokens, chunker)
    if not chunks:
        raise NoTextLayerError(
            f"nothing to index: the text of its {len(document.pages)} page(s) "
            f"({len(document.text.strip()):,} characters) yields no passage"
        )
    return Prepared(document, chunks, extract_statements(document))
