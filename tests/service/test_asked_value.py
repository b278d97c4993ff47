"""Questions that ask for an amount, a count, a date or a name, and answers that give none."""

from __future__ import annotations

import pytest

from service.answer.asked_value import lacks_asked_value
from service.answer.coverage import specific_terms


@pytest.mark.parametrize(
    ("question", "sentences"),
    [
        # The count is of something else (tonnes of cargo, not trains).
        (
            "How many freight trains ran between China and Europe in 2024?",
            ["Cargo volumes rose to roughly 4.5 million tonnes in 2024."],
        ),
        # "V3" and "H800" are names, not amounts.
        (
            "What did DeepSeek's V3 training run cost in US dollars?",
            ["Its V3 model ran on H800 accelerators at a cost far below Western estimates."],
        ),
        # A day of a month is a date, not a count.
        (
            "How many Chinese students were enrolled at Dutch universities in 2024?",
            ["The requirements came into force on 1 September 2023."],
        ),
        # An amount, but of an investment, not of the subsidy asked about.
        (
            "How much subsidy did Hungary grant BYD for its Szeged car plant?",
            [
                "CATL is building a plant in Debrecen with an investment of 7.3 billion euros.",
                "The Hungarian government has supported these projects with subsidies.",
            ],
        ),
        # A name is asked for; the sentence names only what the question already names.
        (
            "What is the name of the EU's sanctions envoy who visited Central Asia?",
            ["The EU has responded with outreach by its sanctions envoy to Central Asian states."],
        ),
    ],
)
def test_answers_without_the_asked_value_are_caught(question: str, sentences: list[str]) -> None:
    assert lacks_asked_value(question, sentences, specific_terms(question))


@pytest.mark.parametrize(
    ("question", "sentences"),
    [
        (
            "How many gigawatts of wind and solar had China installed by 2024?",
            ["China's installed wind and solar capacity passed 1,200 gigawatts in 2024."],
        ),
        (
            "What did the training run cost in US dollars?",
            ["The final run cost about 5.6 million US dollars."],
        ),
        (
            "How much subsidy did Hungary grant the plant?",
            ["Hungary granted a subsidy of 800 million euros to the plant."],
        ),
        (
            "What is the estimated cost of the railway linking China, Kyrgyzstan and Uzbekistan?",
            [
                "China began building the China-Kyrgyzstan-Uzbekistan railway in December 2024.",
                "The line runs through Kyrgyzstan at a reported cost of 4.7 billion US dollars.",
            ],
        ),
        (
            "When did the Dutch licence requirements take effect?",
            ["The Dutch requirements came into force on 1 September 2023."],
        ),
        (
            "Who is the chief executive of the company?",
            ["The company is led by Christophe Fouquet, its chief executive since 2024."],
        ),
        # Not a question for a value at all.
        ("Why was TikTok fined?", ["It transferred data to China unlawfully."]),
        # A second question: the answer may lead with the why.
        ("How much was the fine, and why was it imposed?", ["Data went to China unlawfully."]),
    ],
)
def test_answers_that_give_the_value_pass(question: str, sentences: list[str]) -> None:
    assert not lacks_asked_value(question, sentences, specific_terms(question))


def test_the_value_must_come_with_the_place_the_question_names() -> None:
    question = "On what date did the Debrecen plant start producing cells?"
    elsewhere = [
        "CATL is building a plant in Debrecen with a capacity of 100 gigawatt-hours.",
        "In Spain, a joint venture was announced in December 2024.",
    ]
    assert lacks_asked_value(question, elsewhere, specific_terms(question))
    here = ["The Debrecen plant started producing cells in March 2025."]
    assert not lacks_asked_value(question, here, specific_terms(question))
