"""Extractive answers on the real sample briefs with the real model: verbatim, cited, honest."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.reader import IndexReader
from index.types import SearchFilters, SearchMode
from service.answer.answerer import NOT_ANSWERED, Answer, Answerer

# The real model over the sample briefs.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def answerer(samples_index: Path, embedder) -> Answerer:
    return Answerer(IndexReader(samples_index, embedder), embedder)


def assert_well_cited(answer: Answer) -> None:
    assert answer.answered and answer.sentences
    by_n = {c.n: c for c in answer.citations}
    assert sorted(by_n) == list(range(1, len(by_n) + 1))
    for s in answer.sentences:
        passage = by_n[s.citation].hit.chunk.text
        assert s.text in passage, "an answer sentence must be a verbatim substring of its passage"
        assert any(passage[a:b] == s.text for a, b in by_n[s.citation].highlights)
    # Numbered in order of first use, and the text is exactly the sentences with their [n].
    first_use = list(dict.fromkeys(s.citation for s in answer.sentences))
    assert first_use == sorted(first_use)
    if answer.items:  # a list answer: one numbered item per line, whitespace made single
        lines = [
            f"{i}. {' '.join(s.text.split())} [{s.citation}]"
            for i, s in enumerate(answer.sentences, 1)
        ]
        # A comparison whose briefs agree or differ says so on a last line.
        assert answer.text == "\n".join([*lines, answer.agreement] if answer.agreement else lines)
    else:
        assert answer.text == " ".join(f"{s.text} [{s.citation}]" for s in answer.sentences)
    assert len({" ".join(s.text.split()) for s in answer.sentences}) == len(answer.sentences)


@pytest.mark.parametrize(
    ("question", "source", "words"),
    [
        (
            "What share of Russia's machine tool imports came from China?",
            "01-china-russia-ukraine.pdf",
            ("70 per cent",),
        ),
        (
            "Why was TikTok fined by the Irish regulator?",
            "12-cross-border-data-governance.pdf",
            ("530",),
        ),
        (
            "How should Global Gateway finance projects in Kyrgyzstan and Tajikistan?",
            "10-connectivity-central-asia.pdf",
            ("grants",),
        ),
    ],
)
def test_on_topic_questions_get_verbatim_cited_answers(
    answerer: Answerer, question: str, source: str, words: tuple[str, ...]
) -> None:
    answer = answerer.ask(question, k=5)
    assert_well_cited(answer)
    assert answer.citations[0].hit.document.source == source
    assert all(w in answer.text for w in words), answer.text
    assert set(answer.timings) == {"retrieve_ms", "answer_ms", "total_ms"}


@pytest.mark.parametrize(
    "question",
    [
        "Who won the 2022 FIFA World Cup final?",
        "How do I make a classic Italian carbonara?",
        "What is a good recipe for chocolate chip cookies?",
        "Which team has won the most Champions League titles?",
    ],
)
def test_off_topic_questions_are_not_answered(answerer: Answerer, question: str) -> None:
    answer = answerer.ask(question)
    assert not answer.answered
    assert answer.text == NOT_ANSWERED
    assert answer.sentences == () and answer.citations == ()


def test_recommendation_questions_surface_the_sentences_that_state_them(answerer: Answerer) -> None:
    answer = answerer.ask("What does the brief recommend the EU do about Chinese solar panels?")
    assert_well_cited(answer)
    # The answer lists the solar brief's recommendations, not background about solar panels.
    assert answer.intent.value == "recommendations"
    assert answer.items and all(i.kind == "recommendation" for i in answer.items)
    assert answer.citations[0].hit.document.source.startswith("11-")


def test_filters_restrict_the_cited_briefs(answerer: Answerer) -> None:
    doc = next(d for d in answerer.reader.documents() if d.source.startswith("09-"))
    answer = answerer.ask(
        "What export controls affect semiconductors?", filters=SearchFilters(doc_ids=(doc.id,))
    )
    assert_well_cited(answer)
    assert {c.hit.document.id for c in answer.citations} == {doc.id}


@pytest.mark.parametrize("mode", list(SearchMode))
def test_every_mode_answers(answerer: Answerer, mode: SearchMode) -> None:
    assert_well_cited(
        answerer.ask("Why did Project Clover not resolve the GDPR problem?", mode=mode)
    )


def test_repeated_questions_give_the_same_answer(answerer: Answerer) -> None:
    question = "What stockpiling proposal does the brief on critical raw materials make?"
    first, second = answerer.ask(question), answerer.ask(question)
    assert first.text == second.text


# -- answers by intent, on the issue's own examples ---------------------------------------------


def _sources(answer: Answer) -> set[str]:
    return {c.hit.document.source for c in answer.citations}


@pytest.mark.parametrize(
    ("question", "source", "count"),
    [
        (
            "What are the recommendations of the brief on critical raw materials export controls?",
            "08-critical-raw-materials-export-controls.pdf",
            8,
        ),
        (
            "What does the brief on China, Russia and Ukraine recommend the EU do?",
            "01-china-russia-ukraine.pdf",
            7,
        ),
    ],
)
def test_a_named_briefs_recommendations_come_back_whole_and_in_order(
    answerer: Answerer, question: str, source: str, count: int
) -> None:
    answer = answerer.ask(question)
    assert_well_cited(answer)
    assert answer.intent.value == "recommendations"
    assert [d.matched_by for d in answer.documents] == ["title"]
    assert _sources(answer) == {source}
    assert len(answer.items) == count
    assert all(i.kind == "recommendation" for i in answer.items)
    starts = [c.hit.chunk.char_start for c in answer.citations]
    assert starts == sorted(starts)  # the brief's own order


def test_a_document_filter_and_the_authors_recommendations(answerer: Answerer) -> None:
    doc = next(d for d in answerer.reader.documents() if d.source.startswith("05-"))
    answer = answerer.ask(
        "What do the authors recommend?", filters=SearchFilters(doc_ids=(doc.id,))
    )
    assert answer.answered and len(answer.items) == 7
    assert answer.documents[0].matched_by == "filter"


def test_a_position_question_returns_what_that_party_holds(answerer: Answerer) -> None:
    answer = answerer.ask("What is China's position on the war in Ukraine according to the briefs?")
    assert answer.intent.value == "position" and answer.items
    aliases = ("china", "beijing", "chinese", "people's republic")
    assert all(any(a in (i.actor or "").lower() for a in aliases) for i in answer.items)
    assert not any(i.kind == "recommendation" for i in answer.items)


@pytest.mark.parametrize(
    "question",
    [
        "What do the briefs say about the Polar Silk Road and Arctic shipping?",
        "What interest rate did China Exim charge Zambia?",
        "What is Brazil's position on the sanctions against Russia?",
        # Words no brief uses, which the question is about.
        "Which briefs deal with Chinese subsidies for shipbuilding?",
        "What does the battery brief recommend for hydrogen fuel-cell lorries?",
        # A party's position on something else is not its position on this.
        "What does the Japanese government think of China's ecological civilisation doctrine?",
        # The value asked for is not in what comes closest.
        "What did DeepSeek's V3 training run cost in US dollars?",
        "How many freight trains ran between China and Europe in 2024?",
    ],
)
def test_near_misses_are_refused_with_the_closest_passages(
    answerer: Answerer, question: str
) -> None:
    answer = answerer.ask(question)
    assert not answer.answered and answer.text.startswith(NOT_ANSWERED)
    assert answer.citations == () and answer.items == ()
    assert answer.closest  # the reader can still judge the refusal


def test_a_word_no_brief_uses_is_named_in_the_refusal(answerer: Answerer) -> None:
    answer = answerer.ask("Which briefs deal with Chinese subsidies for shipbuilding?")
    assert not answer.answered and "'shipbuilding'" in answer.text


def test_an_analysts_own_words_do_not_make_an_answerable_question_refused(
    answerer: Answerer,
) -> None:
    # "labs" and "scientists" are not the briefs' words ("researchers"), and the question is
    # still about what the AI brief recommends.
    answer = answerer.ask(
        "How could Europe attract AI scientists who would rather not join American or Chinese labs?"
    )
    assert_well_cited(answer)
    assert "fast-track visas" in answer.text


def test_positions_come_with_the_topic_the_question_asks_about(answerer: Answerer) -> None:
    answer = answerer.ask(
        "How does the Hungarian government see its role in attracting Chinese "
        "battery and car investment?"
    )
    assert answer.intent.value == "position" and answer.items
    assert all("hungar" in (i.actor or "").lower() for i in answer.items)
    assert "bridge between Chinese industry and the European market" in answer.text


def test_a_comparison_says_when_the_briefs_agree(answerer: Answerer) -> None:
    answer = answerer.ask(
        "Which briefs want resilience criteria in solar auctions to cover wafers and inverters, "
        "not only modules?"
    )
    assert answer.intent.value == "comparison" and len(answer.items) == 2
    assert len({i.doc_id for i in answer.items}) == 2
    assert answer.agreement == "The 2 briefs agree: each recommends it."
    assert answer.text.splitlines()[-1] == answer.agreement
    # The entries themselves stay verbatim and cited.
    by_n = {c.n: c for c in answer.citations}
    assert all(s.text in by_n[s.citation].hit.chunk.text for s in answer.sentences)


def test_a_comparison_of_descriptions_claims_no_agreement(answerer: Answerer) -> None:
    answer = answerer.ask(
        "Which briefs discuss the 2030 benchmarks of the Critical Raw Materials Act?"
    )
    assert answer.intent.value == "comparison" and answer.answered
    assert answer.agreement is None
