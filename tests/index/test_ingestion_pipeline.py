"""Parsing ahead in a worker process gives exactly the chunks of parsing inline."""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from pathlib import Path

import pytest

from eval.synthetic import CorpusSpec, build_corpus, load_prose
from index.ingestion import PARSE_AHEAD_MIN_FILES, ingest_paths
from index.reader import IndexReader
from ingest.chunk import TokenCounter, chunk_document
from ingest.embed import EmbedderSpec, SentenceTransformerEmbedder, portable_counter
from ingest.parse import parse_bytes
from ingest.types import Chunk


@pytest.fixture(scope="module")
def embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(EmbedderSpec())


def test_word_piece_counter_counts_like_the_model_tokenizer(
    embedder: SentenceTransformerEmbedder,
) -> None:
    counter = portable_counter(embedder)
    assert counter is not None
    texts = [
        "",
        " ",
        "The EU's ﬁnancing of critical raw materials rose by 12.5 per cent in 2024.",
        "naïve café résumé — “quoted” text",
        "dual-use goods (machine tools, CNC)",
        "東京 Ω ∑",
        "word " * 400,
    ]
    model_tokenizer = embedder._model.tokenizer
    expected = [
        len(ids)
        for ids in model_tokenizer(texts, add_special_tokens=False, truncation=False)["input_ids"]
    ]
    assert counter(texts) == expected
    assert pickle.loads(pickle.dumps(counter))(texts) == expected


@pytest.mark.slow  # a worker process and the real model over a corpus
def test_parse_ahead_worker_stores_the_chunks_inline_parsing_makes(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    briefs = PARSE_AHEAD_MIN_FILES + 1
    paths = build_corpus(tmp_path / "corpus", CorpusSpec(briefs=briefs, pages=2), load_prose(None))
    report = ingest_paths(tmp_path / "index", paths, embedder)
    assert report.documents == briefs
    store = IndexReader(tmp_path / "index").generation.store
    rows = [row for row, _ in store.chunk_texts()]
    stored: dict[str, list[tuple[object, ...]]] = {}
    for chunk, document in store.chunks_by_rows(rows).values():
        stored.setdefault(document.id, []).append(_key(chunk))
    for path in paths:
        document = parse_bytes(path.name, path.read_bytes())
        inline = chunk_document(document, _model_tokenizer_counter(embedder))
        assert sorted(stored[document.id]) == [_key(c) for c in inline]


def _key(chunk: Chunk) -> tuple[object, ...]:
    return (
        chunk.ordinal,
        chunk.text,
        chunk.page_start,
        chunk.page_end,
        chunk.section,
        chunk.char_start,
        chunk.char_end,
    )


def _model_tokenizer_counter(embedder: SentenceTransformerEmbedder) -> TokenCounter:
    tokenizer = embedder._model.tokenizer

    def count(texts: Sequence[str]) -> list[int]:
        encoded = tokenizer(list(texts), add_special_tokens=False, truncation=False)
        return [len(ids) for ids in encoded["input_ids"]]

    return count
