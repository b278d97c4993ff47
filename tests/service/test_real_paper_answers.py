"""Position answers on published papers (a GAO report and a CRS brief from the real-paper
evaluation set), with the real model: agencies named by their acronyms or another form of
their name, views reported mid-sentence, and near misses refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.ingestion import ingest_paths
from index.reader import IndexReader
from service.answer.answerer import Answerer
from service.answer.intent import Intent
from service.answer.types import Answer

PAPERS = Path(__file__).resolve().parents[2] / "eval" / "sets" / "real_papers" / "pdfs"
FILES = ("gao-07-283-crude-oil-peak.pdf", "crs-if12672-russia-nuclear-weapons.pdf")


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory, embedder) -> Answerer:
    folder = tmp_path_factory.mktemp("real-papers") / "index"
    report = ingest_paths(folder, [PAPERS / name for name in FILES], embedder)
    assert not report.failed, report.files
    return Answerer(IndexReader(folder, embedder), embedder)


def _flat(text: str) -> str:
    return " ".join(re.sub(r"-\s+", "-", text).split())


def _on_cited_pages(answerer: Answerer, answer: Answer) -> None:
    """Every item's text is on the pages its citation names."""
    for item in answer.items:
        citation = answer.citations[item.citation - 1]
        chunk = citation.hit.chunk
        pages = answerer.reader.pages(chunk.doc_id)[chunk.page_start - 1 : chunk.page_end]
        assert _flat(item.text) in _flat(" ".join(pages))


@pytest.mark.slow
def test_a_department_named_another_way_is_found_by_the_name_the_paper_uses(
    answerer: Answerer,
) -> None:
    answer = answerer.ask(
        "What role did the Interior Department claim for itself in the peak oil question?"
    )
    assert answer.answered and answer.intent is Intent.position
    assert answer.items and {i.actor for i in answer.items} == {"Interior"}
    assert any("major role to play in estimating global oil" in i.text for i in answer.items)
    _on_cited_pages(answerer, answer)


@pytest.mark.slow
def test_an_acronym_the_question_uses_finds_the_agencys_comments(answerer: Answerer) -> None:
    answer = answerer.ask(
        "What did DOE dispute about the way the draft report treated enhanced oil recovery?"
    )
    assert answer.answered and answer.intent is Intent.position
    assert all(i.actor == "DOE" for i in answer.items)
    assert any("wrongly attributed environmental concerns" in i.text for i in answer.items)
    _on_cited_pages(answerer, answer)


@pytest.mark.slow
def test_a_spelled_out_agency_is_matched_to_the_acronym_the_paper_defines(
    answerer: Answerer,
) -> None:
    answer = answerer.ask(
        "How likely does U.S. defense intelligence think Russian nuclear use in the Ukraine war is?"
    )
    assert answer.answered and answer.intent is Intent.position
    assert answer.items and all(
        "DIA" in (i.actor or "") or "Defense Intelligence" in (i.actor or "") for i in answer.items
    )
    assert any("very unlikely to use nuclear weapons" in i.text for i in answer.items)
    _on_cited_pages(answerer, answer)


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        # An amount of money that the brief never gives (it counts warheads).
        "How much does Russia spend each year on modernizing its nuclear forces?",
        # A party the papers never report on this topic.
        "How did the Chinese foreign ministry respond to the peak oil estimates?",
    ],
)
def test_near_misses_on_real_papers_are_refused(answerer: Answerer, question: str) -> None:
    answer = answerer.ask(question)
    assert not answer.answered, answer.text
    assert answer.closest  # the closest passages still come back
