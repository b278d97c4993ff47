"""List answers from a brief's statements: its recommendations, an actor's positions, and one
entry per brief for comparisons; every entry a verbatim statement with its citation."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.statements import StatementHit, Statements
from index.types import Hit
from ingest.statements import is_recommendation_section
from ingest.types import Chunk

from .coverage import topical_stems
from .intent import Intent, Party, actor_matches
from .types import Answer, AnswerItem, AnswerSentence, Citation, ResolvedBrief

RECOMMENDATION_KINDS = ("recommendation",)
# Cosine added per topical word an item shares with the question, to order near ties.
LEXICAL_BONUS = 0.02
POSITION_KINDS = ("position",)
# A retrieved passage this close to a position (in characters) is its context.
CONTEXT_CHARS = 1500


@dataclass(frozen=True)
class ListSettings:
    """How statements are chosen for list answers (cosines with all-MiniLM-L6-v2).

    A recommendation or position counts when its cosine with the question reaches `threshold`;
    entries within `margin` of the best are kept, the best first, up to `max_items` (a few per
    brief when several briefs answer).
    """

    threshold: float = 0.40
    position_threshold: float = 0.30
    margin: float = 0.12
    max_items: int = 6
    per_brief: int = 3
    comparison_briefs: int = 5
    comparison_threshold: float = 0.40


def to_addressee(hits: Sequence[StatementHit], question: str) -> list[StatementHit]:
    """The recommendations addressed to whom the question names ("what should member states
    do"), or all of them when it names none of their addressees."""
    asked = f" {' '.join(question.lower().split())} "
    matching = [
        h for h in hits if h.statement.addressee and f" {_bare(h.statement.addressee)} " in asked
    ]
    return matching or list(hits)


def _bare(addressee: str) -> str:
    words = addressee.lower().split()
    return " ".join(words[1:] if words and words[0] in ("the", "every", "each", "all") else words)


def brief_recommendations(
    statements: Statements,
    doc_ids: Collection[str],
    question_vector: npt.NDArray[np.float32],
    wants_all: bool,
    settings: ListSettings,
    question: str = "",
    topic: set[str] | None = None,
) -> list[StatementHit]:
    """The named briefs' recommendations: all of them in the brief's order when the question
    asks for the list, else the ones closest to the question (still in the brief's order)."""
    listed = statements.of_documents(doc_ids, RECOMMENDATION_KINDS, question_vector)
    # Prefer the recommendations section's own items over restatements elsewhere.
    in_section = [h for h in listed if is_recommendation_section(h.statement.section)]
    named = [h for h in in_section if "recommend" in (h.statement.section or "").lower()]
    listed = named or in_section or listed
    if wants_all or not listed:
        return listed
    if topic:
        # Asked about a topic: only items that share a word of it (a brief's closest item on
        # a topic it never treats answers a neighbouring question).
        listed = [h for h in listed if topic & topical_stems(h.statement.text)]
        if not listed:
            return []
    listed = to_addressee(listed, question)
    scored = sorted(listed, key=lambda h: -h.score)
    best = scored[0].score
    keep = {
        h.statement.id for h in scored[: settings.per_brief] if h.score >= best - settings.margin
    }
    return [h for h in listed if h.statement.id in keep]


def topic_recommendations(
    statements: Statements,
    question_vector: npt.NDArray[np.float32],
    retrieved: Sequence[str],
    topic: set[str],
    settings: ListSettings,
    question: str = "",
) -> list[StatementHit]:
    """Recommendations on the question's topic (`topic`: its topical word stems) from the
    briefs retrieval found (`retrieved`: document ids, best first), grouped by brief in that
    order; none when no recommendation is close enough. Hybrid retrieval picks the briefs
    (keywords catch the specific terms a sentence embedding blurs); the statement vectors pick
    the items within them."""
    found = [
        h
        for h in statements.search(question_vector, 50, RECOMMENDATION_KINDS, set(retrieved))
        # A recommendation on the topic shares at least one topical word with the question;
        # one that shares none answers a neighbouring question.
        if topic & topical_stems(h.statement.text)
    ]
    # Words of the question the item repeats break near ties of the embedding: "neutrality
    # claims" should favour the item about neutrality claims.
    found = sorted(
        found,
        key=lambda h: -(h.score + LEXICAL_BONUS * len(topic & topical_stems(h.statement.text))),
    )
    rank = {doc_id: i for i, doc_id in enumerate(dict.fromkeys(retrieved))}
    chosen = _grouped(to_addressee(found, question), settings.threshold, settings)
    return sorted(chosen, key=lambda h: rank[h.statement.doc_id])


def party_positions(
    statements: Statements,
    party: Party,
    question_vector: npt.NDArray[np.float32],
    allowed: Collection[str] | None,
    settings: ListSettings,
    retrieved: Sequence[str] = (),
    topic: set[str] | None = None,
    passages: Sequence[Hit] = (),
) -> list[StatementHit]:
    """Positions attributed to the party, closest to the question first, from the briefs
    retrieval found when they report one (hybrid retrieval knows which brief treats the topic;
    a party's best-worded position elsewhere is about something else). With `topic` (the
    question's topical word stems), only positions whose sentence or retrieved passage
    (`passages`) shares one of them."""
    found = [
        h
        for h in statements.search(question_vector, 200, POSITION_KINDS, allowed)
        if actor_matches(h.statement.actor, party)
    ]
    in_retrieved = [h for h in found if h.statement.doc_id in set(retrieved)]
    found = in_retrieved or found
    words = (topic or set()) - _party_stems(party)
    if words:
        # Asked about a topic: only positions sharing a word of it (what the party holds on
        # something else does not answer the question).
        found = [h for h in found if words & topical_stems(_in_context(h, passages))]
    found = sorted(
        found,
        key=lambda h: -(h.score + LEXICAL_BONUS * len(words & topical_stems(h.statement.text))),
    )
    return _grouped(found, settings.position_threshold, settings)


# Who within a party holds its positions: part of naming the party, not of the topic.
_HOLDERS = (
    "government governments officials leaders leadership authorities president foreign ministry "
    "minister spokesperson"
)


def _in_context(hit: StatementHit, passages: Sequence[Hit]) -> str:
    """A statement with the text of the retrieved passages that hold it or lie next to it (the
    sentence before often names what a party's reasoning is about)."""
    s = hit.statement
    around = [
        p.chunk.text
        for p in passages
        if p.document.id == s.doc_id
        and p.chunk.char_start - CONTEXT_CHARS <= s.char_start < p.chunk.char_end + CONTEXT_CHARS
    ]
    return " ".join([s.text, *around])


def _party_stems(party: Party) -> set[str]:
    return topical_stems(f"{party.name} {' '.join(party.aliases)} {_HOLDERS}")


def _grouped(
    found: Sequence[StatementHit], threshold: float, settings: ListSettings
) -> list[StatementHit]:
    best = max((h.score for h in found), default=0.0)
    if best < threshold:
        return []
    kept = [h for h in found if h.score >= max(threshold, best - settings.margin)]
    per_doc: dict[str, list[StatementHit]] = {}
    for hit in kept:
        group = per_doc.setdefault(hit.statement.doc_id, [])
        if len(group) < settings.per_brief:
            group.append(hit)
    ordered = [h for group in per_doc.values() for h in group]
    return ordered[: settings.max_items]


def statement_hit(hit: StatementHit, rank: int) -> Hit:
    """A statement as a citable passage: its verbatim text with pages, section and offsets."""
    s = hit.statement
    chunk = Chunk(
        id=s.id,
        doc_id=s.doc_id,
        ordinal=s.ordinal,
        text=s.text,
        page_start=s.page_start,
        page_end=s.page_end,
        section=s.section,
        char_start=s.char_start,
        char_end=s.char_end,
    )
    return Hit(chunk, hit.document, score=hit.score, rank=rank, ranks={"statements": rank})


def list_answer(
    question: str,
    intent: Intent,
    chosen: Sequence[StatementHit],
    documents: tuple[ResolvedBrief, ...],
) -> Answer:
    """A numbered list, one verbatim statement per line, each citing itself."""
    citations, sentences, items, lines = [], [], [], []
    for n, hit in enumerate(chosen, start=1):
        s = hit.statement
        citations.append(Citation(n, statement_hit(hit, n), ((0, len(s.text)),)))
        sentences.append(AnswerSentence(s.text, n))
        items.append(
            AnswerItem(
                text=s.text,
                citation=n,
                kind=s.kind,
                doc_id=s.doc_id,
                label=s.label,
                actor=s.actor,
                addressee=s.addressee,
            )
        )
        lines.append(f"{n}. {' '.join(s.text.split())} [{n}]")
    return Answer(
        question,
        True,
        "\n".join(lines),
        tuple(sentences),
        tuple(citations),
        intent=intent,
        items=tuple(items),
        documents=documents,
    )
