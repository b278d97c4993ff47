"""Answer metrics: items by verbatim span or overlap, quotes, cited pages, refusals, intents."""

from __future__ import annotations

import pytest

from eval.answer_metrics import (
    AnswerGold,
    attributed,
    cited_page_precision,
    content_words,
    item_found,
    item_precision,
    item_recall,
    normalise,
    quote_coverage,
    same_party_by_name,
    score_answers,
)
from eval.answers import AnswerItemRecord, AnswerRecord, CitedPassage
from eval.judgments import page_key

FUND = "The Commission should fund a national pilot academy that trains forty pilots a year."
RETIRED = "Ports should let retired pilots return on part-time contracts in the busiest months."
FEES = "Pilot fees should be published for every port."


def own_keys(doc_id: str) -> tuple[str, ...]:
    return (doc_id,)


def items(*texts: str, actor: str | None = "the authors") -> tuple[AnswerItemRecord, ...]:
    return tuple(
        AnswerItemRecord(text, n, "recommendation", "docA", actor) for n, text in enumerate(texts)
    )


def test_text_is_compared_with_whitespace_quotes_and_dashes_normalised() -> None:
    assert normalise("  The EU’s\n\tplan — “now”  ") == 'The EU\'s plan - "now"'
    assert content_words("The EU's plan for 2027") == {"eu", "s", "plan", "2027"}


def test_an_item_is_found_when_equal_contained_or_mostly_overlapping() -> None:
    assert item_found(FUND, FUND)
    assert item_found(f"1. {FUND}\n", " ".join(FUND.split()))  # contains it, other whitespace
    # Without its last words the item keeps 6 of the gold's 9 content words: not found.
    assert item_found(FUND.removesuffix(" forty pilots a year."), FUND) is False
    assert item_found(FUND.replace("forty", "40"), FUND)  # 8 of 9 content words
    assert not item_found(RETIRED, FUND)
    # Overlap is measured against the gold's words: a long answer item holding them all counts.
    assert item_found(f"In short: {FUND.replace(' a year', ' each year')} And more.", FUND)


def test_item_recall_and_precision() -> None:
    gold = [FUND, RETIRED]
    assert item_recall([FUND], gold) == 0.5
    assert item_recall([RETIRED, FUND, FEES], gold) == 1.0
    assert item_precision([RETIRED, FUND, FEES], gold) == pytest.approx(2 / 3)
    assert item_precision([], gold) is None
    # One sentence of a longer gold item is not a wrong item, though recall still misses it.
    two_sentences = f"{FUND} Its graduates should serve the smaller ports first."
    assert item_precision([FUND], [two_sentences]) == 1.0
    assert item_recall([FUND], [two_sentences]) == 0.0
    with pytest.raises(ValueError):
        item_recall([FUND], [])


def test_quote_coverage_counts_the_quote_words_in_the_answer() -> None:
    assert quote_coverage("forty pilots a year", f"{FUND} [1]") == 1.0
    assert quote_coverage("forty pilots a year from 2027", FUND) == pytest.approx(3 / 4)
    assert quote_coverage("retired pilots", "") == 0.0


def test_cited_page_precision_counts_citations_on_a_gold_page() -> None:
    gold = [page_key("docA", 3)]
    citations = (
        CitedPassage(1, "docA", "x", 2, 3),  # spans the gold page
        CitedPassage(2, "docA", "x", 4, 4),  # right brief, wrong page
        CitedPassage(3, "docB", "x", 3, 3),  # wrong brief
        CitedPassage(4, "docA", "x"),  # pages not reported: not counted as on the page
    )
    assert cited_page_precision(citations, gold, own_keys) == 0.25
    assert cited_page_precision((), gold, own_keys) is None


def test_attribution_needs_every_item_held_by_the_asked_party() -> None:
    assert attributed(items(FUND, actor="Chinese officials"), "Chinese", same_party_by_name)
    assert not attributed(items(FUND, actor="the authors"), "China", same_party_by_name)
    assert not attributed((), "China", same_party_by_name)
    mixed = items(FUND, actor="Beijing") + items(RETIRED, actor="the authors")
    assert not attributed(mixed, "Beijing", same_party_by_name)


def test_attribution_accepts_the_other_names_the_brief_gives_the_party() -> None:
    by_acronym = items(FUND, actor="the DIA") + items(RETIRED, actor="Defense Intelligence Agency")
    asked = "the Defense Intelligence Agency"
    assert not attributed(by_acronym, asked, same_party_by_name)
    assert attributed(by_acronym, asked, same_party_by_name, ("DIA", "Defense Intelligence"))
    # Other names widen who the party is, not which items count.
    mixed = items(FUND, actor="the DIA") + items(RETIRED, actor="the authors")
    assert not attributed(mixed, asked, same_party_by_name, ("DIA",))


def record(
    answered: bool,
    intent: str,
    listed: tuple[AnswerItemRecord, ...] = (),
    text: str = "",
    citations: tuple[CitedPassage, ...] = (),
) -> AnswerRecord:
    return AnswerRecord(answered, (), citations, 1.0, intent, text, listed)


def test_score_answers_summarises_each_metric_over_the_questions_it_applies_to() -> None:
    on_page = (CitedPassage(1, "docA", FUND, 5, 5),)
    records = {
        "all": record(True, "recommendations", items(FUND), "1. ...", on_page),
        "one": record(True, "fact", (), f"{RETIRED} [1]", (CitedPassage(1, "docA", "x", 2, 2),)),
        "pos": record(True, "position", items(FEES, actor="China"), f"{FEES} [1]"),
        "miss": record(False, "fact"),
        "near": record(True, "recommendations", items(FEES)),
        "near2": record(False, "position"),
    }
    golds = {
        "all": AnswerGold(intent="recommendations", items=(FUND, RETIRED), brief="a.pdf"),
        "one": AnswerGold(intent="recommendations", answer_quote="retired pilots return"),
        "pos": AnswerGold(intent="position", actor="China"),
        "miss": AnswerGold(answer_quote="forty pilots"),
        "near": AnswerGold(answerable=False, intent="recommendations"),
        "near2": AnswerGold(answerable=False, intent="fact"),
    }
    pages = {"all": {page_key("docA", 5): 1}, "one": {page_key("docA", 4): 1}}
    quality = score_answers(records, golds, pages, own_keys)

    assert (quality.answerable, quality.answered, quality.answered_rate) == (4, 3, 0.75)
    assert (quality.unanswerable, quality.refused, quality.refusal_accuracy) == (2, 1, 0.5)
    assert quality.answered_unanswerable == ("near",) and quality.refused_answerable == ("miss",)
    assert quality.intent_judged == 5 and quality.intent_accuracy == pytest.approx(3 / 5)
    assert set(quality.wrong_intent) == {"one", "near2"}
    assert (quality.item_questions, quality.item_recall, quality.item_precision) == (1, 0.5, 1.0)
    assert quality.per_brief_recall == {"a.pdf": 0.5}
    # "miss" was refused: its quote is not covered at all.
    assert (quality.quote_questions, quality.quote_coverage) == (2, 0.5)
    assert (quality.page_questions, quality.cited_page_precision) == (2, 0.5)
    assert (quality.position_questions, quality.attribution) == (1, 1.0)
    assert quality.per_query["all"] == {
        "answered": 1.0,
        "intent": 1.0,
        "item_recall": 0.5,
        "item_precision": 1.0,
        "cited_page_precision": 1.0,
    }
    assert quality.per_query["near"] == {"answered": 1.0, "intent": 1.0}


def test_without_applicable_questions_a_metric_is_none() -> None:
    quality = score_answers({"q": record(True, "fact")}, {}, {}, own_keys)
    assert quality.answered_rate == 1.0
    assert quality.refusal_accuracy is None and quality.item_recall is None
    assert quality.intent_accuracy is None and quality.attribution is None
    assert quality.per_brief_recall == {}
