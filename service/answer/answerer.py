"""Extractive answers: sentences copied verbatim from retrieved passages, each with its citation."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from index.reader import IndexReader
from index.types import Hit, SearchFilters, SearchMode
from ingest.embed import Embedder

from .sentence_pick import (
    Candidate,
    Picked,
    PickSettings,
    asks_for_position,
    candidates,
    pick,
    states_position,
)

NOT_ANSWERED = (
    "The indexed briefs do not answer this question: no passage in them is close enough to it."
)
# Sentence vectors of this many passages are kept, so popular passages are embedded once.
SENTENCE_CACHE_PASSAGES = 2048
# Sentences embedded per call, grouped by length (measured: 8 cut an answer's embedding time
# by a quarter against one padded batch of all the sentences, 16 by an eighth).
EMBED_GROUP = 8


@dataclass(frozen=True)
class AnswerSentence:
    """A sentence of the answer, verbatim from the text of citation number `citation`."""

    text: str
    citation: int


@dataclass(frozen=True)
class Citation:
    """A cited passage; `highlights` are the (start, end) offsets of the used sentences in it."""

    n: int
    hit: Hit
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Answer:
    question: str
    answered: bool
    text: str
    sentences: tuple[AnswerSentence, ...]
    citations: tuple[Citation, ...]
    timings: Mapping[str, float] = field(default_factory=dict)


class _SentenceCache:
    """Candidate sentences and their vectors per chunk id (chunk ids derive from content)."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._items: OrderedDict[str, tuple[list[Candidate], npt.NDArray[np.float32]]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[list[Candidate], npt.NDArray[np.float32]] | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: str, value: tuple[list[Candidate], npt.NDArray[np.float32]]) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)


class Answerer:
    """Retrieves passages for a question and composes a short cited answer from their sentences."""

    def __init__(
        self, reader: IndexReader, embedder: Embedder, settings: PickSettings | None = None
    ) -> None:
        self.reader = reader
        self.embedder = embedder
        self.settings = settings or PickSettings()
        self._cache = _SentenceCache(SENTENCE_CACHE_PASSAGES)

    def ask(
        self,
        question: str,
        k: int = 5,
        mode: SearchMode = SearchMode.hybrid,
        filters: SearchFilters | None = None,
    ) -> Answer:
        started = time.perf_counter()
        retrieval = self.reader.retrieve(question, k, mode, filters)
        hits = retrieval.hits
        retrieved = time.perf_counter()
        question_vector = retrieval.query_vector
        if question_vector is None:  # bm25 retrieval embeds nothing; sentences still need it
            question_vector = self.embedder.embed_query(question)
        picked = self._pick(question, question_vector, hits)
        answer = compose(question, hits, picked)
        finished = time.perf_counter()
        timings = {
            "retrieve_ms": round((retrieved - started) * 1000, 3),
            "answer_ms": round((finished - retrieved) * 1000, 3),
            "total_ms": round((finished - started) * 1000, 3),
        }
        return Answer(
            question, answer.answered, answer.text, answer.sentences, answer.citations, timings
        )

    def _pick(
        self, question: str, question_vector: npt.NDArray[np.float32], hits: Sequence[Hit]
    ) -> list[Picked]:
        if not hits:
            return []
        cands, vectors = self._candidates(hits)
        if not cands:
            return []
        boosted = (
            [states_position(c.text, hits[c.passage].chunk.section) for c in cands]
            if asks_for_position(question)
            else []
        )
        return pick(question_vector, cands, vectors, self.settings, boosted)

    def _candidates(self, hits: Sequence[Hit]) -> tuple[list[Candidate], npt.NDArray[np.float32]]:
        """Candidate sentences of all hits and their vectors, embedding only uncached passages."""
        cached = {i: item for i, hit in enumerate(hits) if (item := self._cache.get(hit.chunk.id))}
        fresh = {i: candidates(0, hit.chunk.text) for i, hit in enumerate(hits) if i not in cached}
        texts = [c.text for found in fresh.values() for c in found]
        vectors = self._embed(texts)
        offset = 0
        for i, found in fresh.items():
            item = (found, vectors[offset : offset + len(found)])
            offset += len(found)
            cached[i] = item
            self._cache.put(hits[i].chunk.id, item)
        all_cands: list[Candidate] = []
        all_vectors = [_no_vectors(self.embedder.dim)]
        for i in range(len(hits)):
            found, rows = cached[i]
            all_cands.extend(Candidate(i, c.start, c.end, c.text) for c in found)
            all_vectors.append(rows)
        return all_cands, np.concatenate(all_vectors)

    def _embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Vectors of `texts` in their order, embedded in small groups of similar length: a batch
        is padded to its longest text, and sentences vary from a few words to a paragraph."""
        vectors = np.zeros((len(texts), self.embedder.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), EMBED_GROUP):
            rows = order[start : start + EMBED_GROUP]
            vectors[rows] = self.embedder.embed_documents([texts[i] for i in rows])
        return vectors


def _no_vectors(dim: int) -> npt.NDArray[np.float32]:
    return np.zeros((0, dim), dtype=np.float32)


def compose(question: str, hits: Sequence[Hit], picked: Sequence[Picked]) -> Answer:
    """The answer text with [n] after each sentence; passages numbered in order of first use."""
    if not picked:
        return Answer(question, False, NOT_ANSWERED, (), ())
    numbers: dict[int, int] = {}
    spans: dict[int, list[tuple[int, int]]] = {}
    sentences = []
    for p in picked:
        c = p.candidate
        n = numbers.setdefault(c.passage, len(numbers) + 1)
        spans.setdefault(c.passage, []).append((c.start, c.end))
        sentences.append(AnswerSentence(c.text, n))
    citations = tuple(
        Citation(n, hits[passage], tuple(sorted(spans[passage]))) for passage, n in numbers.items()
    )
    text = " ".join(f"{s.text} [{s.citation}]" for s in sentences)
    return Answer(question, True, text, tuple(sentences), citations)
