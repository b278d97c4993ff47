"""Whose view a question asks for, the names a paper gives that party, and the sentences of
retrieved passages that report its view."""

from __future__ import annotations

import pytest

from index.types import DocumentInfo, Hit
from ingest.types import Chunk
from service.answer.acronyms import acronym_definitions, widened
from service.answer.asked_party import asked_holder
from service.answer.asked_value import lacks_asked_value
from service.answer.attribution import passage_positions
from service.answer.coverage import missing_terms
from service.answer.intent import PARTIES, Intent, Party, read_question


@pytest.mark.parametrize(
    ("question", "holder"),
    [
        ("What did DOE dispute about the draft report?", "DOE"),
        ("How did the Energy Department respond to the recommendation?", "Energy Department"),
        (
            "What dangers does the International Seabed Authority see in it?",
            "International Seabed Authority",
        ),
        ("According to the ISA, what risks does unilateral licensing carry?", "ISA"),
        ("In the EDPB's view, must a controller have access to the data?", "EDPB"),
        ("Did the committee members believe they could refuse?", "committee members"),
        ("Do the firms that applied to NOAA expect conflicts?", "firms"),
        # Documents, numbers and pronouns hold no views; possessives are not holders.
        ("What did the 2006 studies find about the rate?", None),
        ("What does the brief argue about tariffs?", None),
        ("What did they say about the plan?", None),
        ("What is China's view of NATO?", None),
        ("According to the Northbridge brief, why did it fail?", None),
        # Asking what a body suggests is asking for a recommendation.
        ("What did the White House office suggest lawmakers consider?", None),
    ],
)
def test_the_holder_is_read_from_the_wording(question: str, holder: str | None) -> None:
    assert asked_holder(question) == holder


def test_a_holder_maps_to_a_known_party_through_its_organs_and_titles() -> None:
    for question in (
        "How did the Chinese foreign ministry respond to the fine?",
        "What did Chinese officials say about overcapacity?",
        "What did the head of the European Commission say in 2023?",
    ):
        read = read_question(question)
        assert read.intent is Intent.position
        assert read.party in PARTIES, question
    agency = read_question("What did the Energy Department say about R&D?")
    assert agency.party is not None and agency.party not in PARTIES
    assert "department of energy" in agency.party.aliases  # how papers write it


def test_how_a_body_responds_to_a_recommendation_is_its_position() -> None:
    read = read_question("How did the Energy Department respond to GAO's recommendation?")
    assert read.intent is Intent.position and read.asked_by_verb
    assert read_question("What does the brief recommend the EU do?").intent is (
        Intent.recommendations
    )


def test_acronyms_are_read_from_their_definitions() -> None:
    text = (
        "Several importers sued in the U.S. Court of International Trade (CIT). The "
        "Department of Energy (DOE) and the U.S. Department of Agriculture (USDA) commented. "
        "A later note (see Table 2) and a loose bracket (EU) define nothing new."
    )
    found = acronym_definitions([text])
    assert found["CIT"] == "Court of International Trade"
    assert found["DOE"] == "Department of Energy"
    assert found["USDA"] == "U.S. Department of Agriculture"
    assert "EU" not in found  # "bracket" does not spell it


def test_a_party_gains_the_acronym_and_full_name_the_paper_uses() -> None:
    definitions = {
        "DOE": "Department of Energy",
        "DIA": "Defense Intelligence Agency",
        "CIT": "Court of International Trade",
        "NMFS": "National Marine Fisheries Service",
    }
    energy = widened(Party("Energy Department", ("energy department",)), definitions)
    assert {"doe", "department of energy"} <= set(energy.aliases)
    intelligence = widened(
        Party("U.S. defense intelligence", ("u.s. defense intelligence",)), definitions
    )
    assert "dia" in intelligence.aliases
    court = widened(Party("trade court", ("trade court",)), definitions)
    assert "cit" in court.aliases
    by_acronym = widened(Party("DOE", ("doe",)), definitions)
    assert "department of energy" in by_acronym.aliases
    # A name that shares one word with a full name is not that body.
    fisheries = widened(Party("fisheries", ("fisheries",)), definitions)
    assert fisheries.aliases == ("fisheries",)


def _hit(text: str, char_start: int = 1000, similarity_rank: int = 1) -> Hit:
    document = DocumentInfo(
        id="d" * 64,
        source="paper.pdf",
        title="A Paper",
        series=None,
        number=None,
        date=None,
        authors=(),
        url=None,
        kind="pdf",
        n_pages=4,
        n_chunks=1,
        added_at="2026-01-01T00:00:00Z",
    )
    chunk = Chunk(
        id=f"c{similarity_rank}",
        doc_id=document.id,
        ordinal=similarity_rank,
        text=text,
        page_start=3,
        page_end=3,
        section="Agency Comments",
        char_start=char_start,
        char_end=char_start + len(text),
    )
    return Hit(chunk, document, score=1.0, rank=similarity_rank)


def test_sentences_that_report_the_partys_view_become_verbatim_positions() -> None:
    text = (
        "We provided a draft of this report to the agencies. DOE commented that the draft "
        "report wrongly attributed environmental concerns to enhanced oil recovery. "
        "In its written response, DOE did not comment on our recommendation to the Congress. "
        "The State Department stated that DOE was probably close to the limit in 2025. "
        "The doe and her fawn were counted in the survey, officials said."
    )
    hit = _hit(text)
    party = Party("DOE", ("doe", "department of energy"))
    found = passage_positions(party, [hit], {hit.chunk.id: 0.6}, {"recov"})
    texts = [h.statement.text for h in found]
    assert texts[0].startswith("DOE commented that")  # shares the question's topic
    assert any(t.startswith("In its written response, DOE did not comment") for t in texts)
    # Inside what the State Department said, and the animal, are not DOE's view.
    assert not any("State Department" in t or "fawn" in t for t in texts)
    for h in found:
        s = h.statement
        assert s.kind == "position" and s.actor == "DOE"
        start = s.char_start - hit.chunk.char_start
        assert text[start : start + len(s.text)] == s.text  # a verbatim span of the passage
        assert (s.page_start, s.page_end, s.section) == (3, 3, "Agency Comments")


def test_according_to_introduces_the_view_and_far_passages_give_none() -> None:
    text = (
        "According to the ISA, however, authorization of mining outside the convention may "
        "incur legal and reputational risks. Views on the potential for disagreements vary."
    )
    hit = _hit(text)
    party = Party("International Seabed Authority", ("isa", "international seabed authority"))
    found = passage_positions(party, [hit], {hit.chunk.id: 0.5}, set())
    assert [h.statement.actor for h in found] == ["the ISA"]
    # A passage not close enough to the question gives no position.
    assert passage_positions(party, [hit], {hit.chunk.id: 0.1}, set()) == []


@pytest.mark.parametrize(
    ("question", "sentences", "lacks"),
    [
        (
            "How much does Russia spend each year on its nuclear forces?",
            ["It has 1,718 warheads."],
            True,
        ),
        (
            "How much does Russia spend each year on its nuclear forces?",
            ["It spends $8 billion."],
            False,
        ),
        (
            "What tariff rates does the plan set on chips?",
            ["It was approved on March 12, 2026."],
            True,
        ),
        (
            "What corporate rate did the studies find?",
            ["A rate of around 30% maximised revenue."],
            False,
        ),
        (
            "What would the PRICE Act require of data centers?",
            ["Centers would generate their own power."],
            False,
        ),
        (
            "What is the estimated cost of the railway?",
            ["It has a reported cost of around 4.7 billion US dollars."],
            False,
        ),
        (
            "What war-risk insurance premium were shipowners paying?",
            ["About 130 ships passed each day."],
            True,
        ),
    ],
)
def test_an_amount_of_money_or_a_rate_needs_one_of_that_kind(
    question: str, sentences: list[str], lacks: bool
) -> None:
    assert lacks_asked_value(question, sentences) is lacks


def test_another_name_of_a_party_covers_the_name_a_question_uses() -> None:
    assert missing_terms(["tehran"], ["Since the conflict began, Iran has asserted control."]) == []
    assert missing_terms(["tehran"], ["Shipping through the Strait slowed."]) == ["tehran"]


def test_a_countrys_adjective_and_an_office_holders_body_name_the_party() -> None:
    read = read_question("What has Belarus's president claimed about the weapons?")
    assert read.intent is Intent.position and read.party is not None
    text = "Belarusian President Alexander Lukashenko stated in April 2024 that weapons arrived."
    hit = _hit(text)
    found = passage_positions(read.party, [hit], {hit.chunk.id: 0.5}, set())
    assert [h.statement.actor for h in found] == ["Belarusian"]
    head = read_question("How does the head of the seabed authority see unilateral mining?")
    assert head.party is not None and "seabed authority" in head.party.aliases
    widened_head = widened(head.party, {"ISA": "International Seabed Authority"})
    assert "isa" in widened_head.aliases


def test_compared_with_in_a_question_on_a_holders_view_is_not_a_comparison() -> None:
    read = read_question("How does EIA judge the costs of shale compared with new fields?")
    assert read.intent is Intent.position
    assert read_question("Compare the briefs on solar tariffs.").intent is Intent.comparison
