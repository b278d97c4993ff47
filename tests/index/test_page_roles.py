"""Real-paper layouts through the index: skipped pages reported and stored, chunk roles stored
and returned, reference lists ranked below body text unless the question asks for sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FakeEmbedder
from real_layouts import footnoted_paper, with_undecodable_page

from index.ingestion import ingest_bytes
from index.reader import IndexReader
from index.types import FileStatus, SearchMode
from ingest.types import BODY, FOOTNOTE, REFERENCES


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("roles")
    damaged = with_undecodable_page(footnoted_paper(), 2)
    report = ingest_bytes(
        folder,
        [
            ("westbrook-7.pdf", "westbrook-7.pdf", footnoted_paper()),
            ("westbrook-7-damaged.pdf", "westbrook-7-damaged.pdf", damaged),
        ],
        FakeEmbedder(),
    )
    intact, damaged = report.files
    assert intact.status is FileStatus.added and intact.failed_pages == ()
    assert damaged.status is FileStatus.added
    assert [f.page for f in damaged.failed_pages] == [3]
    return folder


@pytest.fixture(scope="module")
def reader(index_dir: Path) -> IndexReader:
    return IndexReader(index_dir, FakeEmbedder())


def test_skipped_pages_are_stored_with_the_document(reader: IndexReader) -> None:
    by_source = {d.source: d for d in reader.documents()}
    damaged = by_source["westbrook-7-damaged.pdf"]
    assert damaged.n_pages == 5 and damaged.n_chunks > 0
    assert [(f.page, "decompress" in f.reason) for f in damaged.failed_pages] == [(3, True)]
    assert by_source["westbrook-7.pdf"].failed_pages == ()


@pytest.mark.parametrize("mode", list(SearchMode))
def test_hits_carry_their_role(reader: IndexReader, mode: SearchMode) -> None:
    hits = reader.search("Interviews held under the Chatham House rule", k=20, mode=mode)
    notes = [h for h in hits if h.chunk.role == FOOTNOTE]
    assert notes and all("Chatham House" in h.chunk.text for h in notes[:1])
    assert {h.chunk.role for h in hits} <= {BODY, FOOTNOTE, REFERENCES, "contents", "cover"}


@pytest.mark.parametrize("mode", list(SearchMode))
def test_reference_lists_rank_below_body_text(reader: IndexReader, mode: SearchMode) -> None:
    question = "Who owns the crane in port governance after privatisation?"
    roles = [h.chunk.role for h in reader.search(question, k=20, mode=mode)]
    assert REFERENCES in roles and BODY in roles
    first_reference = roles.index(REFERENCES)
    assert all(role != BODY for role in roles[first_reference:])


def test_a_question_about_sources_ranks_references_by_relevance(reader: IndexReader) -> None:
    question = "Which sources discuss who owns the crane in port governance after privatisation?"
    hits = reader.search(question, k=5, mode=SearchMode.bm25)
    assert hits[0].chunk.role == REFERENCES


def test_chunks_are_found_by_their_briefs_title_and_cited_verbatim(reader: IndexReader) -> None:
    # "Payments" is only in the title: every body passage is found by it, and the passage
    # returned is the verbatim text (no title in front).
    hits = reader.search("payments", k=50, mode=SearchMode.bm25)
    body = [h for h in hits if h.chunk.role == BODY and h.chunk.page_start > 1]
    assert len(body) >= 3
    for hit in body:
        assert "Payments" not in hit.chunk.text
        pages = reader.pages(hit.document.id)
        page_text = pages[hit.chunk.page_start - 1]
        assert hit.chunk.text in page_text
