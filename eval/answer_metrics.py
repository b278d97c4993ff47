"""Answer metrics against a set's golds: list items, quotes, cited pages, refusals, intents."""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .answers import AnswerItemRecord, AnswerRecord, CitedPassage
from .judgments import page_key
from .questions import Question

# A gold item is found when an answer item holds it, or holds this share of its content words.
ITEM_OVERLAP = 0.8

# Function words left out of content-word overlaps (the words that carry no claim).
_FUNCTION_WORDS = """
    a about above after again against all also an and any are as at be been before being
    between both but by can could did do does doing down during each few for from further had
    has have having he her here hers him his how i if in into is it its itself may might more
    most must no nor not now of off on once only or other our ours out over own same shall she
    should so some such than that the their theirs them then there these they this those
    through to too under until up upon very was we were what when where which while who whom
    why will with within without would you your"""
STOPWORDS = frozenset(_FUNCTION_WORDS.split())

SameParty = Callable[[str | None, str], bool]


@dataclass(frozen=True)
class AnswerGold:
    """What a question's answer is scored against (from one line of a question set)."""

    answerable: bool = True
    intent: str | None = None
    items: tuple[str, ...] = ()  # every entry of a full list answer, verbatim
    answer_quote: str | None = None
    actor: str | None = None  # the party a position question asks about
    actor_names: tuple[str, ...] = ()  # the other names the brief gives it
    brief: str | None = None  # the brief a list question is about, for per-brief recall

    @classmethod
    def of(cls, question: Question) -> AnswerGold:
        first = question.relevant[0] if question.relevant else None
        return cls(
            answerable=question.answerable,
            intent=question.intent,
            items=question.items or (),
            answer_quote=question.answer_quote,
            actor=question.actor,
            actor_names=question.actor_names,
            brief=(first.source or first.doc_id) if first else None,
        )


@dataclass(frozen=True)
class AnswerQuality:
    """Means over the questions each metric applies to (None: no such question), with counts."""

    questions: int
    answerable: int
    answered: int  # among the answerable ones
    answered_rate: float | None
    unanswerable: int
    refused: int  # among the unanswerable ones
    refusal_accuracy: float | None
    intent_judged: int
    intent_accuracy: float | None
    item_questions: int
    item_recall: float | None
    item_precision: float | None  # over item questions whose answer has items
    quote_questions: int
    quote_coverage: float | None
    page_questions: int  # answered, with gold pages and at least one citation
    cited_page_precision: float | None
    position_questions: int
    attribution: float | None
    per_brief_recall: Mapping[str, float]  # brief -> item recall of its list question(s)
    per_query: Mapping[str, Mapping[str, float]]  # question id -> {metric: value}
    answered_unanswerable: tuple[str, ...]  # ids of questions that should have been refused
    refused_answerable: tuple[str, ...]
    wrong_intent: tuple[str, ...]


def normalise(text: str) -> str:
    """Text compared as a reader sees it: one space between words, plain quotes and dashes."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans("‘’“”–—", "''\"\"--"))
    return " ".join(text.split())


def content_words(text: str) -> frozenset[str]:
    """Lower-cased words and numbers of `text`, function words left out."""
    words = re.findall(r"[^\W_]+", normalise(text).lower())
    return frozenset(w for w in words if w not in STOPWORDS)


def item_found(answer_item: str, gold: str) -> bool:
    """True when the answer item equals or contains the gold item, or holds at least
    ITEM_OVERLAP of its content words."""
    answer, wanted = normalise(answer_item), normalise(gold)
    if wanted in answer:
        return True
    gold_words = content_words(wanted)
    if not gold_words:
        return False
    return len(gold_words & content_words(answer)) / len(gold_words) >= ITEM_OVERLAP


def item_recall(answer_items: Sequence[str], gold_items: Sequence[str]) -> float:
    """Share of the gold items found among the answer's items."""
    if not gold_items:
        raise ValueError("item recall needs at least one gold item")
    found = sum(any(item_found(a, g) for a in answer_items) for g in gold_items)
    return found / len(gold_items)


def item_precision(answer_items: Sequence[str], gold_items: Sequence[str]) -> float | None:
    """Share of the answer's items that are gold items (None when the answer lists none).

    An item that is part of a gold item (one sentence of a two-sentence recommendation) is
    not a wrong item: it counts as correct, while recall still misses the gold it falls short of.
    """
    if not answer_items:
        return None
    wanted = [normalise(g) for g in gold_items]
    correct = sum(any(item_found(a, g) or normalise(a) in g for g in wanted) for a in answer_items)
    return correct / len(answer_items)


def quote_coverage(quote: str, answer_text: str) -> float:
    """Share of the quote's content words present in the answer text."""
    wanted = content_words(quote)
    if not wanted:
        raise ValueError("the quote has no content words")
    return len(wanted & content_words(answer_text)) / len(wanted)


def cited_page_precision(
    citations: Sequence[CitedPassage],
    gold_pages: Iterable[str],
    keys_of: Callable[[str], tuple[str, ...]],
) -> float | None:
    """Share of citations whose page range includes a gold page of a relevant document
    (`gold_pages`: page keys as in the page-level judgments; None without citations)."""
    if not citations:
        return None
    wanted = set(gold_pages)
    on_page = 0
    for c in citations:
        if c.page_start is None:
            continue
        end = c.page_end if c.page_end is not None else c.page_start
        keys = {page_key(k, p) for k in keys_of(c.doc_id) for p in range(c.page_start, end + 1)}
        on_page += bool(keys & wanted)
    return on_page / len(citations)


def attributed(
    items: Sequence[AnswerItemRecord],
    asked: str,
    same_party: SameParty,
    other_names: Sequence[str] = (),
) -> bool:
    """True when the answer lists items and every one is held by the asked party (under its
    name or one of `other_names`, the names the brief gives it)."""
    return bool(items) and all(
        any(same_party(i.actor, name) for name in (asked, *other_names)) for i in items
    )


def same_party_by_name(actor: str | None, asked: str) -> bool:
    """The plainest attribution check: the item's actor names the asked party."""
    return actor is not None and normalise(asked).lower() in normalise(actor).lower()


def score_answers(
    records: Mapping[str, AnswerRecord],
    golds: Mapping[str, AnswerGold],
    pages: Mapping[str, Mapping[str, int]],
    keys_of: Callable[[str], tuple[str, ...]],
    same_party: SameParty = same_party_by_name,
) -> AnswerQuality:
    """Score each answered question against its gold; `pages` are page-level judgments."""
    per_query: dict[str, dict[str, float]] = {}
    answerable: list[str] = []
    unanswerable: list[str] = []
    for qid, record in records.items():
        gold = golds.get(qid, AnswerGold())
        values = per_query.setdefault(qid, {})
        (answerable if gold.answerable else unanswerable).append(qid)
        values["answered"] = float(record.answered)
        if gold.intent is not None:
            values["intent"] = float(record.intent == gold.intent)
        if not gold.answerable:
            continue
        texts = [i.text for i in record.items]
        if gold.items:
            values["item_recall"] = item_recall(texts, gold.items)
            precision = item_precision(texts, gold.items)
            if precision is not None:
                values["item_precision"] = precision
        if gold.answer_quote is not None:
            text = record.text if record.answered else ""
            values["quote_coverage"] = quote_coverage(gold.answer_quote, text)
        wanted = [key for key, grade in pages.get(qid, {}).items() if grade > 0]
        if record.answered and wanted:
            share = cited_page_precision(record.citations, wanted, keys_of)
            if share is not None:
                values["cited_page_precision"] = share
        if gold.intent == "position" and gold.actor is not None:
            values["attribution"] = float(
                attributed(record.items, gold.actor, same_party, gold.actor_names)
            )
    return _summarise(per_query, golds, answerable, unanswerable)


def _summarise(
    per_query: Mapping[str, Mapping[str, float]],
    golds: Mapping[str, AnswerGold],
    answerable: Sequence[str],
    unanswerable: Sequence[str],
) -> AnswerQuality:
    def having(metric: str) -> list[float]:
        return [v[metric] for v in per_query.values() if metric in v]

    answered = [q for q in answerable if per_query[q]["answered"]]
    refused = [q for q in unanswerable if not per_query[q]["answered"]]
    recalls: dict[str, list[float]] = {}
    for qid, values in per_query.items():
        brief = golds[qid].brief if qid in golds else None
        if "item_recall" in values and brief is not None:
            recalls.setdefault(brief, []).append(values["item_recall"])
    return AnswerQuality(
        questions=len(per_query),
        answerable=len(answerable),
        answered=len(answered),
        answered_rate=_fraction(len(answered), len(answerable)),
        unanswerable=len(unanswerable),
        refused=len(refused),
        refusal_accuracy=_fraction(len(refused), len(unanswerable)),
        intent_judged=len(having("intent")),
        intent_accuracy=_mean(having("intent")),
        item_questions=len(having("item_recall")),
        item_recall=_mean(having("item_recall")),
        item_precision=_mean(having("item_precision")),
        quote_questions=len(having("quote_coverage")),
        quote_coverage=_mean(having("quote_coverage")),
        page_questions=len(having("cited_page_precision")),
        cited_page_precision=_mean(having("cited_page_precision")),
        position_questions=len(having("attribution")),
        attribution=_mean(having("attribution")),
        per_brief_recall={b: statistics.fmean(v) for b, v in sorted(recalls.items())},
        per_query=per_query,
        answered_unanswerable=tuple(q for q in unanswerable if q not in refused),
        refused_answerable=tuple(q for q in answerable if q not in answered),
        wrong_intent=tuple(q for q, v in per_query.items() if v.get("intent") == 0.0),
    )


def _fraction(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None
