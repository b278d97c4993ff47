"""Keyword retrieval with bm25s (the only module that imports it), over the same chunk rows."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import Stemmer

BM25_DIR = "bm25"
_ROWS_FILE = "rows.npy"


def _stemmer() -> Any:
    return Stemmer.Stemmer("english")


def keyword_terms(texts: Sequence[str]) -> list[list[str]]:
    """Each text's terms as this index counts them (words of two or more characters, lower
    case, English stop words removed, Snowball stems): other keyword engines fed these terms
    score the same words as equal."""
    if not texts:
        return []
    tokens = bm25s.tokenize(
        list(texts), stopwords="en", stemmer=_stemmer(), show_progress=False, return_ids=False
    )
    return [list(t) for t in tokens]


class KeywordIndex:
    """BM25 over chunk texts (English stop words removed, Snowball stems)."""

    def __init__(self, retriever: Any | None, rows: np.ndarray) -> None:
        self._retriever = retriever
        self._rows = rows
        self._row_position = {int(r): i for i, r in enumerate(rows)}
        self._stemmer = _stemmer()

    @classmethod
    def build(cls, rows: Sequence[int], texts: Sequence[str]) -> KeywordIndex:
        row_array = np.asarray(rows, dtype=np.int64)
        if not len(texts):
            return cls(None, row_array)
        tokens = bm25s.tokenize(
            list(texts), stopwords="en", stemmer=_stemmer(), show_progress=False
        )
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        return cls(retriever, row_array)

    def save(self, folder: Path) -> None:
        target = folder / BM25_DIR
        target.mkdir(parents=True, exist_ok=True)
        np.save(target / _ROWS_FILE, self._rows)
        if self._retriever is not None:
            self._retriever.save(str(target))

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        source = folder / BM25_DIR
        rows = np.load(source / _ROWS_FILE)
        retriever = bm25s.BM25.load(str(source), show_progress=False) if len(rows) else None
        return cls(retriever, rows)

    def unknown_words(self, words: Sequence[str]) -> list[str]:
        """The words whose stem no indexed chunk contains (all of them in an empty index)."""
        vocab = self._retriever.vocab_dict if self._retriever is not None else {}
        return [w for w in words if self._stemmer.stemWord(w.lower()) not in vocab]

    def search(
        self, query: str, k: int, allowed_rows: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """(row, BM25 score) of the best k chunks with a positive score."""
        if self._retriever is None or k <= 0:
            return []
        tokens = bm25s.tokenize(
            [query], stopwords="en", stemmer=self._stemmer, show_progress=False, return_ids=False
        )
        vocab = self._retriever.vocab_dict
        if not any(t in vocab for t in tokens[0]):
            return []
        mask = None
        if allowed_rows is not None:
            mask = np.zeros(len(self._rows), dtype=np.float32)
            positions = [self._row_position[r] for r in allowed_rows if r in self._row_position]
            if not positions:
                return []
            mask[positions] = 1.0
        docs, scores = self._retriever.retrieve(
            [[t for t in tokens[0] if t in vocab]],
            k=min(k, len(self._rows)),
            show_progress=False,
            weight_mask=mask,
            n_threads=1,
        )
        return [
            (int(self._rows[d]), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0
        ]
