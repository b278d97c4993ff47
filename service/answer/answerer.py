"""Extractive answers: sentences copied verbatim from retrieved passages, each with its citation."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from index.errors import DocumentNotFoundError
from index.reader import IndexReader
from index.statements import StatementHit
from index.types import DocumentInfo, Hit, SearchFilters, SearchMode
from ingest.embed import Embedder
from ingest.sections import is_back_matter
from ingest.types import BODY

from .acronyms import acronym_definitions, widened
from .agreement import agreement_note
from .asked_value import lacks_asked_value
from .attribution import name_pattern, passage_positions, ranked_positions
from .briefs import named_briefs
from .coverage import missing_terms, specific_terms, topical_stems
from .followup import FollowUp
from .intent import PARTIES, Intent, Party, ReadQuestion, read_question
from .lexical import content_words
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
from .unknown_words import central_words, subject_candidates

# The best retrieved passages count, beside the cited ones, as what the briefs say about the
# specific names in a question (coverage.py).
COVERAGE_HITS = 2
# A passage that names every place, body and year the question names is lexical evidence that
# it is on the question: its sentences need this much less cosine to count as answering.
FOCUS_RELIEF = 0.08
# Statements that take a side, which can agree or differ with another brief's.
OWN_VIEW_KINDS = ("recommendation",)
# Passages a comparison draws from, so that several briefs can each have their entry.
COMPARISON_K = 15


class Answerer:
    """Retrieves passages for a question and composes a short cited answer from their sentences."""

    def __init__(
        self, reader: IndexReader, embedder: Embedder, settings: PickSettings | None = None
    ) -> None:
        self.reader = reader
        self.embedder = embedder
        self.settings = settings or PickSettings()
        self.list_settings = ListSettings()
        self._acronyms: dict[str, dict[str, str]] = {}  # doc id -> the acronyms it defines

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
        actors = self.reader.statements.actors
        read = read_question(question, actors)
        query = question
        named = self._named(question, filters)
        if context is not None:
            query = f"{context.previous_question} {question}"
            if read.party is None:
                read = replace(read, party=read_question(context.previous_question, actors).party)
            if not named and not (filters and filters.doc_ids):
                named = self._from_conversation(context)
        if named:
            filters = replace(filters or SearchFilters(), doc_ids=tuple(b.doc_id for b in named))
        depth = max(k, COMPARISON_K) if read.intent is Intent.comparison else k
        # bm25 retrieval embeds nothing; statements and passages are still scored by cosine.
        own_vector = self.embedder.embed_query(query) if mode is SearchMode.bm25 else None
        retrieval = self.reader.retrieve(query, depth, mode, filters, own_vector)
        hits = retrieval.hits
        retrieved = time.perf_counter()
        question_vector = retrieval.query_vector
        if question_vector is None:
            raise ValueError("retrieval returned no query vector to score answers with")
        closeness = {h.chunk.id: sim for h, sim in zip(hits, retrieval.similarities, strict=True)}
        answer = self._by_intent(
            question, query, read, named, filters, question_vector, hits, closeness
        )
        answer = _refuse_off_specifics(answer, named, hits)
        if answer.answered:
            unused = self._unused_subject(question, named, question_vector)
            if unused:
                words = ", ".join(f"'{w}'" for w in unused)
                answer = _refused(answer, f"No brief uses {words}, which it is about.")
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
        closeness: Mapping[str, float],
    ) -> Answer:
        statements = self.reader.statements
        allowed = self._allowed(filters)
        # Passages that mention every name and year the question gives answer it first.
        terms = specific_terms(question, ignore=[b.matched_text for b in named])
        focused = [h for h in hits if not missing_terms(terms, [h.chunk.text])]
        retrieved_hits, relief = hits, 0.0
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
            party = widened(read.party, self._definitions(retrieved_hits))
            publishing = _published_by(party, retrieved_hits)
            if publishing:
                # "According to CRS": the view of the papers CRS wrote, in their own words.
                own = [h for h in hits if h.document.id in publishing] or hits
                picked = self._pick(question, own, closeness, relief=relief)
                return _voiced_by(compose(question, own, picked), party.name)
            # The statements found at ingest, and the retrieved passages' sentences that report
            # the party's view, ranked together by their cosine with the question.
            chosen = ranked_positions(
                party_positions(
                    statements,
                    party,
                    question_vector,
                    allowed,
                    self.list_settings,
                    [h.document.id for h in hits],
                    topical_stems(query),
                    retrieved_hits,
                ),
                self._scored(
                    passage_positions(party, retrieved_hits, closeness, topical_stems(query)),
                    question_vector,
                ),
                self.list_settings.margin,
                # Briefs' statements cover the states and blocs we keep names for; passage
                # sentences about them only add what a statement missed.
                fill_only=read.party in PARTIES,
            )
            unknown_party = read.party not in PARTIES
            if not chosen and not (read.asked_by_verb and unknown_party and _names(party, hits)):
                # What another party or the authors say is not this party's position.
                return replace(compose(question, hits, ()), intent=intent)
        elif intent is Intent.comparison and not named:
            return self._comparison(question, hits, closeness)
        if chosen:
            return list_answer(question, intent, chosen, ())
        picked = self._pick(question, hits, closeness, relief=relief)
        return replace(compose(question, hits, picked), intent=intent)

    def _scored(
        self, found: Sequence[StatementHit], question_vector: npt.NDArray[np.float32]
    ) -> list[StatementHit]:
        """Passage sentences scored like statements: by their own cosine with the question
        (the few found are embedded here; statements were embedded at ingest)."""
        if not found:
            return []
        vectors = self.embedder.embed_documents([" ".join(h.statement.text.split()) for h in found])
        scores = vectors @ question_vector.astype(np.float32)
        return [replace(h, score=float(sc)) for h, sc in zip(found, scores, strict=True)]

    def _definitions(self, hits: Sequence[Hit]) -> dict[str, str]:
        """The acronyms the retrieved briefs define, read from their pages (cached per brief:
        a brief never changes under its id)."""
        found: dict[str, str] = {}
        for doc_id in dict.fromkeys(h.document.id for h in hits):
            if doc_id not in self._acronyms:
                try:
                    pages = self.reader.pages(doc_id)
                except DocumentNotFoundError:
                    pages = []
                self._acronyms[doc_id] = acronym_definitions(pages)
            for acronym, name in self._acronyms[doc_id].items():
                found.setdefault(acronym, name)
        return found

    def _unused_subject(
        self,
        question: str,
        named: Sequence[ResolvedBrief],
        question_vector: npt.NDArray[np.float32],
    ) -> list[str]:
        """Words the question is about that no brief uses (unknown_words.py); only such words
        are embedded, so most questions cost nothing here."""
        words = subject_candidates(question, [b.matched_text for b in named])
        unknown = self.reader.unknown_words(words)
        # "Tehran" is not unknown when the briefs write "Iran".
        unknown = [w for w in unknown if not self._party_known_elsewise(w)]
        if not unknown:
            return []
        return central_words(unknown, self.embedder.embed_documents(unknown), question_vector)

    def _party_known_elsewise(self, word: str) -> bool:
        """True when `word` is one name of a party the briefs know by another one-word name."""
        for party in PARTIES:
            if word.lower() in party.aliases:
                others = [a for a in party.aliases if " " not in a and a != word.lower()]
                return len(self.reader.unknown_words(others)) < len(others)
        return False

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
        self, question: str, hits: Sequence[Hit], closeness: Mapping[str, float]
    ) -> Answer:
        """One entry per brief among the hits: its sentence closest to the question, taken from
        the brief's best passage."""
        best_per_brief: dict[str, Hit] = {}
        for hit in hits:
            best_per_brief.setdefault(hit.document.id, hit)
        hits = list(best_per_brief.values())[: self.list_settings.comparison_briefs]
        picked = self._pick(question, hits, closeness, per_passage_best=True)
        by_doc: dict[str, Picked] = {}
        for p in picked:
            doc_id = hits[p.candidate.passage].document.id
            if doc_id not in by_doc:
                by_doc[doc_id] = p
        # Briefs in retrieval order: the hybrid ranking judges a brief's relevance better than
        # one sentence's cosine does.
        entries = sorted(by_doc.values(), key=lambda p: p.candidate.passage)
        own = self._recommended(hits, entries)
        return compose_entries(question, hits, entries, own)

    def _recommended(self, hits: Sequence[Hit], entries: Sequence[Picked]) -> list[bool]:
        """For each entry, whether its sentence is one of its brief's own recommendations (a
        statement found at ingest that overlaps it)."""
        doc_ids = {hits[p.candidate.passage].document.id for p in entries}
        spans: dict[str, list[tuple[int, int]]] = {}
        for h in self.reader.statements.of_documents(doc_ids, OWN_VIEW_KINDS):
            spans.setdefault(h.statement.doc_id, []).append(
                (h.statement.char_start, h.statement.char_end)
            )
        found = []
        for p in entries:
            hit = hits[p.candidate.passage]
            start = hit.chunk.char_start + p.candidate.start
            end = hit.chunk.char_start + p.candidate.end
            found.append(any(a < end and start < b for a, b in spans.get(hit.document.id, [])))
        return found

    def _pick(
        self,
        question: str,
        hits: Sequence[Hit],
        closeness: Mapping[str, float],
        per_passage_best: bool = False,
        relief: float = 0.0,
    ) -> list[Picked]:
        """The answer sentences, best first; with `per_passage_best`, every sentence over the
        threshold (the caller keeps one per brief). Nothing is embedded: a sentence is as close
        to the question as its passage (`closeness`: cosine by chunk id), and its own words
        order it among its passage's sentences."""
        cands: list[Candidate] = []
        similarities: list[float] = []
        for i, hit in enumerate(hits):
            # Never an answer from who wrote the brief, its notes, references or contents.
            if hit.chunk.role != BODY or is_back_matter(hit.chunk.section):
                continue
            found = candidates(i, hit.chunk.text)
            cands += found
            similarities += [closeness[hit.chunk.id]] * len(found)
        if not cands:
            return []
        boosted = (
            [states_position(c.text, hits[c.passage].chunk.section) for c in cands]
            if asks_for_position(question)
            else []
        )
        settings = replace(self.settings, threshold=self.settings.threshold - relief)
        if per_passage_best:
            settings = replace(settings, max_sentences=len(cands), margin=1.0)
        return pick(cands, similarities, content_words(question), settings, boosted)


def _names(party: Party, hits: Sequence[Hit]) -> bool:
    """True when one of the passages names the party (by any of its names)."""
    pattern = name_pattern(party)
    return any(pattern.search(h.chunk.text) for h in hits)


def _published_by(party: Party, hits: Sequence[Hit]) -> set[str]:
    """The retrieved briefs the party itself published ("CRS", "the EDPB")."""
    names = set(party.aliases)

    def publishes(document: DocumentInfo) -> bool:
        publisher = (document.publisher or "").lower()
        acronym = (document.publisher_acronym or "").lower()
        return bool(names & ({publisher, acronym} - {""})) or any(
            publisher.startswith(f"{n} ") for n in names
        )

    return {h.document.id for h in hits if publishes(h.document)}


def _voiced_by(answer: Answer, name: str) -> Answer:
    """A publisher's own sentences as its positions, one item each."""
    items = tuple(
        AnswerItem(
            text=s.text,
            citation=s.citation,
            kind="position",
            doc_id=answer.citations[s.citation - 1].hit.document.id,
            actor=name,
        )
        for s in answer.sentences
    )
    return replace(answer, intent=Intent.position, items=items)


def _refuse_off_specifics(
    answer: Answer, named: Sequence[ResolvedBrief], hits: Sequence[Hit]
) -> Answer:
    """Refuse an answer when neither its cited passages, nor the best retrieved ones, nor the
    retrieved passages of the briefs it cites mention a place, body, programme or year the
    question names (see coverage.py): it would answer a neighbouring question."""
    if not answer.answered:
        return answer
    terms = specific_terms(answer.question, ignore=[b.matched_text for b in named])
    # A list answer cites single statements: the passages retrieval found in their briefs
    # count too (a position names its year in the sentence before).
    cited = {i.doc_id for i in answer.items if i.kind != "passage"}
    texts = [c.hit.chunk.text for c in answer.citations] + [
        h.chunk.text for i, h in enumerate(hits) if i < COVERAGE_HITS or h.document.id in cited
    ]
    missing = missing_terms(terms, texts)
    if missing:
        named_words = ", ".join(f"'{t}'" for t in missing)
        reason = f"The passages closest to it never mention {named_words}."
    elif lacks_asked_value(answer.question, [s.text for s in answer.sentences], terms):
        reason = "What is closest to it does not give the amount, date or name it asks for."
    else:
        return answer
    return _refused(answer, reason)


def _refused(answer: Answer, reason: str) -> Answer:
    """The answer withdrawn, saying why (the closest passages are still shown)."""
    return replace(
        answer,
        answered=False,
        text=f"{NOT_ANSWERED} {reason}",
        sentences=(),
        citations=(),
        items=(),
        agreement=None,
    )


def compose_entries(
    question: str, hits: Sequence[Hit], entries: Sequence[Picked], own: Sequence[bool] = ()
) -> Answer:
    """A comparison: one numbered entry per brief, its closest sentence, each cited, and a last
    line saying whether the briefs agree when every entry is its brief's own recommendation
    (`own`)."""
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
    lines = [
        f"{i}. {' '.join(s.text.split())} [{s.citation}]" for i, s in enumerate(answer.sentences, 1)
    ]
    note = agreement_note(
        question,
        [s.text for s in answer.sentences],
        own or [False] * len(entries),
        [s.citation for s in answer.sentences],
    )
    text = "\n".join([*lines, note] if note else lines)
    return replace(answer, text=text, items=items, intent=Intent.comparison, agreement=note)


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
