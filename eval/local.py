"""Evaluate an index folder in this process, through IndexReader and Answerer."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

from index.reader import IndexReader
from index.types import SearchMode
from ingest.embed import Embedder
from service.answer.answerer import Answerer

from .answers import AnswerItemRecord, AnswerRecord, CitedPassage
from .errors import EvalError
from .judgments import IndexedDocument
from .rankings import Passage


class LocalTarget:
    """An opened index; the embedder is needed for dense and hybrid search and for answers."""

    def __init__(self, reader: IndexReader, embedder: Embedder | None) -> None:
        self.reader = reader
        self.embedder = embedder
        # One answerer per mode, so each mode starts with a cold sentence cache (fair timings).
        self._answerers: dict[SearchMode, Answerer] = {}

    def documents(self) -> list[IndexedDocument]:
        return [IndexedDocument(d.id, d.source) for d in self.reader.documents()]

    def search(self, query: str, k: int, mode: SearchMode) -> list[Passage]:
        hits = self.reader.search(query, k, mode)
        return [Passage(h.document.id, h.chunk.page_start, h.chunk.page_end) for h in hits]

    def ask(self, question: str, k: int, mode: SearchMode) -> AnswerRecord:
        started = time.perf_counter()
        answer = self._answerer_for(mode).ask(question, k=k, mode=mode)
        elapsed = (time.perf_counter() - started) * 1000
        return AnswerRecord(
            answered=answer.answered,
            sentences=tuple((s.text, s.citation) for s in answer.sentences),
            citations=tuple(
                CitedPassage(
                    c.n,
                    c.hit.document.id,
                    c.hit.chunk.text,
                    c.hit.chunk.page_start,
                    c.hit.chunk.page_end,
                )
                for c in answer.citations
            ),
            total_ms=elapsed,
            intent=answer.intent.value,
            text=answer.text,
            items=tuple(
                AnswerItemRecord(i.text, i.citation, i.kind, i.doc_id, i.actor)
                for i in answer.items
            ),
        )

    def _answerer_for(self, mode: SearchMode) -> Answerer:
        if mode not in self._answerers:
            if self.embedder is None:
                raise EvalError("answer checks need the embedding model; open the index with it")
            self._answerers[mode] = Answerer(self.reader, self.embedder)
        return self._answerers[mode]

    def describe(self) -> dict[str, Any]:
        generation = self.reader.generation
        return {
            "target": "in-process",
            "index_dir": str(self.reader.location),
            "generation": generation.name,
            "manifest": asdict(generation.manifest),
        }
