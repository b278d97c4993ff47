"""Extractive answers: sentences copied verbatim from retrieved passages, each with its citation."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from index.errors import DocumentNotFoundError
from index.reader import IndexReader
from index.statements import StatementHit
from index.types import Hit, SearchFilters, SearchMode
from ingest.embed import Embedder
from ingest.sections import is_back_matter
from ingest.types import BODY

from .briefs import named_briefs
from .coverage import lacks_asked_value, missing_terms, specific_terms, topical_stems
from .followup import FollowUp
from .intent import Intent, ReadQuestion, read_question
from .listing import (
    ListSettings,
    brief_recommendations,
    list_answer,
    party_positions,
    topic_recommendations,
)
from .sentence_pick import (
    Candidate,
    Picked,
    PickSettings,
    asks_for_position,
    candidates,
    pick,
    states_position,
)
from .types import NOT_ANSWERED, Answer, AnswerItem, AnswerSentence, Citation, ResolvedBrief

# The best retrieved passages count, beside the cited ones, as what the briefs say about the
# specific names in a question (coverage.py).
COVERAGE_HITS = 2
# A passage that names every place, body and year the question names is lexical evidence that
# it is on the question: its sentences need this much less cosine to count as answering.
FOCUS_RELIEF = 0.08
# Passages a comparison draws from, so that several briefs can each have their entry.
COMPARISON_K = 15
# Sentence vectors of this many passages are kept, so popular passages are embedded once.
SENTENCE_CACHE_PASSAGES = 2048
# Sentences embedded per call, grouped by length (measured: 8 cut an answer's embedding time
# by a quarter against one padded batch of all the sentences, 16 by an eighth).
EMBED_GROUP = 8


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
        self.list_settings = ListSettings()
        self._cache = _SentenceCache(SENTENCE_CACHE_PASSAGES)

    def ask(
        self,
        question: str,
        k: int = 5,
        mode: SearchMode = SearchMode.hybrid,
        filters: SearchFilters | None = None,
        context: FollowUp | None = None,
    ) -> Answer:
        """An answer shaped by the question: a brief's recommendations, an actor's positions,
        one entry per brief, or the sentences that state a fact; refused when nothing in the
        briefs is close enough. With `context` (a follow-up in a conversation), the earlier
        question's topic joins the search and the briefs it cited frame the answer."""
        started = time.perf_counter()
        read = read_question(question)
        query = question
        named = self._named(question, filters)
        if context is not None:
            query = f"{context.previous_question} {question}"
            if read.party is None:
                read = replace(read, party=read_question(context.previous_question).party)
            if not named and not (filters and filters.doc_ids):
                named = self._from_conversation(context)
        if named:
            filters = replace(filters or SearchFilters(), doc_ids=tuple(b.doc_id for b in named))
        depth = max(k, COMPARISON_K) if read.intent is Intent.comparison else k
        retrieval = self.reader.retrieve(query, depth, mode, filters)
        hits = retrieval.hits
        retrieved = time.perf_counter()
        question_vector = retrieval.query_vector
        if question_vector is None:  # bm25 retrieval embeds nothing; sentences still need it
            question_vector = self.embedder.embed_query(query)
        answer = self._by_intent(question, query, read, named, filters, question_vector, hits)
        answer = _refuse_off_specifics(answer, named, hits[:COVERAGE_HITS])
        finished = time.perf_counter()
        timings = {
            "retrieve_ms": round((retrieved - started) * 1000, 3),
            "answer_ms": round((finished - retrieved) * 1000, 3),
            "total_ms": round((finished - started) * 1000, 3),
        }
        closest = () if answer.answered else tuple(hits[:k])
        return replace(answer, timings=timings, documents=tuple(named), closest=closest)

    def _by_intent(
        self,
        question: str,
        query: str,
        read: ReadQuestion,
        named: Sequence[ResolvedBrief],
        filters: SearchFilters | None,
        question_vector: npt.NDArray[np.float32],
        hits: Sequence[Hit],
    ) -> Answer:
        statements = self.reader.statements
        allowed = self._allowed(filters)
        # Passages that mention every name and year the question gives answer it first.
        terms = specific_terms(question, ignore=[b.matched_text for b in named])
        focused = [h for h in hits if not missing_terms(terms, [h.chunk.text])]
        relief = 0.0
        if terms and focused:
            hits, relief = focused, FOCUS_RELIEF
        chosen: list[StatementHit] = []
        intent = read.intent
        if intent is Intent.recommendations:
            if named:
                doc_ids = {b.doc_id for b in named}
                naming = " ".join(b.matched_text for b in named)
                chosen = brief_recommendations(
                    statements,
                    doc_ids,
                    question_vector,
                    read.wants_all,
                    self.list_settings,
                    question,
                    topical_stems(query) - topical_stems(naming),
                )
            else:
                retrieved = [h.document.id for h in hits]
                chosen = topic_recommendations(
                    statements,
                    question_vector,
                    retrieved,
                    topical_stems(query),
                    self.list_settings,
                    question,
                )
        elif intent is Intent.position and read.party is not None:
            chosen = party_positions(
                statements,
                read.party,
                question_vector,
                allowed,
                self.list_settings,
                [h.document.id for h in hits],
                topical_stems(query),
            )
            if not chosen:
                # What another party or the authors say is not this party's position.
                return replace(compose(question, hits, ()), intent=intent)
        elif intent is Intent.comparison and not named:
            return self._comparison(question, question_vector, hits)
        if chosen:
            return list_answer(question, intent, chosen, ())
        picked = self._pick(question, question_vector, hits, relief=relief)
        return replace(compose(question, hits, picked), intent=intent)

    def _named(self, question: str, filters: SearchFilters | None) -> list[ResolvedBrief]:
        """The briefs the question (or a document filter) restricts the answer to."""
        if filters is not None and filters.doc_ids:
            resolved = []
            for typed in filters.doc_ids:
                try:
                    document = self.reader.document(typed)
                except DocumentNotFoundError:
                    continue
                resolved.append(ResolvedBrief(document.id, document.title, "filter", typed))
            return resolved
        return [
            ResolvedBrief(b.document.id, b.document.title, b.matched_by, b.matched_text)
            for b in named_briefs(question, self.reader.documents())
        ]

    def _from_conversation(self, context: FollowUp) -> list[ResolvedBrief]:
        """The briefs the previous answer cited, which a follow-up keeps talking about."""
        found = []
        for doc_id in context.doc_ids:
            try:
                document = self.reader.document(doc_id)
            except DocumentNotFoundError:
                continue
            found.append(
                ResolvedBrief(
                    document.id, document.title, "conversation", context.previous_question
                )
            )
        return found

    def _allowed(self, filters: SearchFilters | None) -> set[str] | None:
        if filters is None or not filters.active:
            return None
        return {d.id for d in self.reader.documents() if filters.admits(d)}

    def _comparison(
        self, question: str, question_vector: npt.NDArray[np.float32], hits: Sequence[Hit]
    ) -> Answer:
        """One entry per brief among the hits: its sentence closest to the question, taken from
        the brief's best passage (one passage per brief keeps the sentences to embed few)."""
        best_per_brief: dict[str, Hit] = {}
        for hit in hits:
            best_per_brief.setdefault(hit.document.id, hit)
        hits = list(best_per_brief.values())[: self.list_settings.comparison_briefs]
        picked = self._pick(question, question_vector, hits, per_passage_best=True)
        by_doc: dict[str, Picked] = {}
        for p in picked:
            doc_id = hits[p.candidate.passage].document.id
            if doc_id not in by_doc:
                by_doc[doc_id] = p
        # Briefs in retrieval order: the hybrid ranking judges a brief's relevance better than
        # one sentence's cosine does.
        entries = sorted(by_doc.values(), key=lambda p: p.candidate.passage)
        return compose_entries(question, hits, entries)

    def _pick(
        self,
        question: str,
        question_vector: npt.NDArray[np.float32],
        hits: Sequence[Hit],
        per_passage_best: bool = False,
        relief: float = 0.0,
    ) -> list[Picked]:
        """The answer sentences, best first; with `per_passage_best`, every sentence over the
        threshold (the caller keeps one per brief)."""
        if not hits:
            return []
        cands, vectors = self._candidates(hits)
        # Never an answer from who wrote the brief, its notes, references or contents.
        usable = [
            i
            for i, c in enumerate(cands)
            if hits[c.passage].chunk.role == BODY
            and not is_back_matter(hits[c.passage].chunk.section)
        ]
        if not usable:
            return []
        cands, vectors = [cands[i] for i in usable], vectors[usable]
        boosted = (
            [states_position(c.text, hits[c.passage].chunk.section) for c in cands]
            if asks_for_position(question)
            else []
        )
        settings = replace(self.settings, threshold=self.settings.threshold - relief)
        if per_passage_best:
            settings = replace(settings, max_sentences=len(cands), margin=1.0)
        return pick(question_vector, cands, vectors, settings, boosted)

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


def _refuse_off_specifics(
    answer: Answer, named: Sequence[ResolvedBrief], top_hits: Sequence[Hit]
) -> Answer:
    """Refuse an answer when neither its cited passages nor the best retrieved ones mention a
    place, body, programme or year the question names (see coverage.py): it would answer a
    neighbouring question."""
    if not answer.answered:
        return answer
    terms = specific_terms(answer.question, ignore=[b.matched_text for b in named])
    texts = [c.hit.chunk.text for c in answer.citations] + [h.chunk.text for h in top_hits]
    missing = missing_terms(terms, texts)
    if missing:
        named_words = ", ".join(f"'{t}'" for t in missing)
        reason = f"The passages closest to it never mention {named_words}."
    elif answer.intent is Intent.fact and lacks_asked_value(
        answer.question, [s.text for s in answer.sentences]
    ):
        reason = "The sentences closest to it do not give the amount or date it asks for."
    else:
        return answer
    return replace(
        answer,
        answered=False,
        text=f"{NOT_ANSWERED} {reason}",
        sentences=(),
        citations=(),
        items=(),
    )


def compose_entries(question: str, hits: Sequence[Hit], entries: Sequence[Picked]) -> Answer:
    """A comparison: one numbered entry per brief, its closest sentence, each cited."""
    if not entries:
        return replace(compose(question, hits, ()), intent=Intent.comparison)
    answer = compose(question, hits, entries)
    items = tuple(
        AnswerItem(
            text=s.text,
            citation=s.citation,
            kind="passage",
            doc_id=answer.citations[s.citation - 1].hit.document.id,
        )
        for s in answer.sentences
    )
    text = "\n".join(
        f"{i}. {' '.join(s.text.split())} [{s.citation}]" for i, s in enumerate(answer.sentences, 1)
    )
    return replace(answer, text=text, items=items, intent=Intent.comparison)


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
