"""Retrieval over a real index: the three modes, hybrid fusion, filters, what a hit carries."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfs import HARBOUR_TITLE, UNTITLED_TITLE

from index.errors import DocumentNotFoundError, EmbedderRequiredError
from index.reader import FUSION_DEPTH, IndexReader
from index.types import SearchFilters, SearchMode
from ingest.types import PAGE_SEPARATOR

# The real model over the small corpus (built once per session).
pytestmark = pytest.mark.slow

MODES = list(SearchMode)
QUERIES = [
    "How should shore power tariffs for ships at berth be set?",
    "dredging budgets and sediment disposal rules",
    "icebreakers",
    "screening foreign stakes in port terminals",
]


@pytest.fixture(scope="module")
def reader(small_index: Path, embedder) -> IndexReader:
    return IndexReader(small_index, embedder)


@pytest.fixture(scope="module")
def docs(reader: IndexReader) -> dict[str, str]:
    """Source file name -> document id."""
    return {d.source: d.id for d in reader.documents()}


def test_documents_and_their_metadata(reader: IndexReader) -> None:
    by_source = {d.source: d for d in reader.documents()}
    assert sorted(by_source) == [
        "generated-1.pdf",
        "generated-2.pdf",
        "generated-3.pdf",
        "harbour-20.pdf",
        "harbour-21.pdf",
    ]
    harbour = by_source["harbour-20.pdf"]
    assert (harbour.title, harbour.series, harbour.number, harbour.date) == (
        HARBOUR_TITLE,
        "Meridian Policy Brief",
        "20",
        "2025-12-12",
    )
    assert harbour.authors == ("Ada Example", "Bo Sample")
    assert harbour.n_pages == 5 and harbour.n_chunks > 5
    assert by_source["harbour-21.pdf"].title == UNTITLED_TITLE
    assert by_source["generated-1.pdf"].series == "Harbour Policy Brief"


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
@pytest.mark.parametrize("query", QUERIES)
def test_hits_are_ranked_and_complete(reader: IndexReader, query: str, mode: SearchMode) -> None:
    hits = reader.search(query, 7, mode)
    assert 1 <= len(hits) <= 7
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert len({h.chunk.id for h in hits}) == len(hits)
    for hit in hits:
        expected = {"dense", "bm25"} if mode is SearchMode.hybrid else {mode.value}
        assert set(hit.ranks) <= expected and hit.ranks
        assert hit.document.id == hit.chunk.doc_id
        assert 1 <= hit.chunk.page_start <= hit.chunk.page_end <= hit.document.n_pages
        text = PAGE_SEPARATOR.join(reader.pages(hit.document.id))
        assert text[hit.chunk.char_start : hit.chunk.char_end] == hit.chunk.text


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
def test_the_relevant_passage_comes_first(reader: IndexReader, docs, mode: SearchMode) -> None:
    hits = reader.search("common tariff for shore power and electricity prices", 3, mode)
    assert hits[0].document.source in {"harbour-20.pdf", "harbour-21.pdf"}
    assert "shore power" in hits[0].chunk.text.lower()
    topical = reader.search("This brief is about icebreakers", 3, mode)
    assert topical[0].document.id == docs["generated-1.pdf"]


def test_hybrid_ranks_are_the_dense_and_bm25_ranks(reader: IndexReader) -> None:
    query = QUERIES[0]
    dense = [h.chunk.id for h in reader.search(query, FUSION_DEPTH, SearchMode.dense)]
    bm25 = [h.chunk.id for h in reader.search(query, FUSION_DEPTH, SearchMode.bm25)]
    hybrid = reader.search(query, 10, SearchMode.hybrid)
    for hit in hybrid:
        if "dense" in hit.ranks:
            assert dense[hit.ranks["dense"] - 1] == hit.chunk.id
        else:
            assert hit.chunk.id not in dense
        if "bm25" in hit.ranks:
            assert bm25[hit.ranks["bm25"] - 1] == hit.chunk.id
        else:
            assert hit.chunk.id not in bm25
        expected = sum(1 / (60 + r) for r in hit.ranks.values())
        assert hit.score == pytest.approx(expected)
    assert hybrid[0].chunk.id in {dense[0], bm25[0]}


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
def test_filter_by_document(reader: IndexReader, docs, mode: SearchMode) -> None:
    target = docs["generated-2.pdf"]
    hits = reader.search(QUERIES[0], 20, mode, SearchFilters(doc_ids=(target,)))
    assert hits and {h.document.id for h in hits} == {target}
    two = (docs["generated-2.pdf"], docs["harbour-20.pdf"])
    hits = reader.search(QUERIES[0], 50, mode, SearchFilters(doc_ids=two))
    assert {h.document.id for h in hits} == set(two)


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
def test_filter_by_series_ignores_case(reader: IndexReader, mode: SearchMode) -> None:
    hits = reader.search(QUERIES[1], 30, mode, SearchFilters(series="meridian POLICY brief"))
    assert hits
    assert {h.document.source for h in hits} <= {"harbour-20.pdf", "harbour-21.pdf"}
    assert {h.document.series for h in hits} == {"Meridian Policy Brief"}


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
def test_filter_by_date_range(reader: IndexReader, mode: SearchMode) -> None:
    in_2024 = SearchFilters(date_from="2024-01-01", date_to="2024-12-31")
    hits = reader.search(QUERIES[0], 40, mode, in_2024)
    assert hits
    assert all("2024-01-01" <= (h.document.date or "") <= "2024-12-31" for h in hits)
    assert "harbour-21.pdf" in {h.document.source for h in hits}
    late = reader.search(QUERIES[0], 40, mode, SearchFilters(date_from="2025-01-01"))
    assert {h.document.source for h in late} == {"harbour-20.pdf"}
    early = reader.search(QUERIES[0], 40, mode, SearchFilters(date_to="2024-12-31"))
    assert "harbour-20.pdf" not in {h.document.source for h in early}
    exact = SearchFilters(date_from="2024-06-03", date_to="2024-06-03")
    assert {h.document.source for h in reader.search(QUERIES[0], 40, mode, exact)} == {
        "harbour-21.pdf"
    }


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
def test_filters_that_match_nothing(reader: IndexReader, docs, mode: SearchMode) -> None:
    nothing = [
        SearchFilters(series="No Such Series"),
        SearchFilters(doc_ids=("0" * 64,)),
        SearchFilters(date_from="2030-01-01"),
        SearchFilters(doc_ids=(docs["harbour-20.pdf"],), date_to="2024-12-31"),
    ]
    for filters in nothing:
        assert reader.search(QUERIES[0], 10, mode, filters) == []


def test_bm25_with_no_known_word_returns_nothing(reader: IndexReader) -> None:
    assert reader.search("zyxxqj wqqpz", 5, SearchMode.bm25) == []
    assert reader.search("the and of", 5, SearchMode.bm25) == []
    assert reader.search("zyxxqj wqqpz", 5, SearchMode.dense)  # dense always finds neighbours


def test_k_larger_than_the_index(reader: IndexReader) -> None:
    total = reader.manifest.chunks
    for mode in MODES:
        hits = reader.search("ports", total + 50, mode)
        assert len(hits) <= total
    assert len(reader.search("ports", total + 50, SearchMode.dense)) == total


def test_dense_and_hybrid_need_the_model(small_index: Path) -> None:
    reader = IndexReader(small_index)
    assert reader.search("dredging", 3, SearchMode.bm25)
    for mode in (SearchMode.dense, SearchMode.hybrid):
        with pytest.raises(EmbedderRequiredError):
            reader.search("dredging", 3, mode)


def test_documents_by_id_prefix(reader: IndexReader, docs) -> None:
    full = docs["harbour-20.pdf"]
    assert reader.document(full[:8]).id == full
    assert reader.pages(full[:8])[0].startswith("MERIDIAN INSTITUTE")


def test_id_prefixes_are_matched_literally(reader: IndexReader, docs) -> None:
    """SQL wildcards in a typed id are characters, not patterns; case does not matter."""
    full = docs["harbour-20.pdf"]
    for typed in ("______", "%%%%%%", full[:6] + "%", full[:7] + "_"):
        with pytest.raises(DocumentNotFoundError):
            reader.document(typed)
    assert reader.document(full[:10].upper()).id == full


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
def test_filter_by_a_short_document_id(reader: IndexReader, docs, mode: SearchMode) -> None:
    """`docs list` shows 12-character ids: they work as filters like full ones."""
    target = docs["generated-3.pdf"]
    hits = reader.search(QUERIES[0], 20, mode, SearchFilters(doc_ids=(target[:12],)))
    assert hits and {h.document.id for h in hits} == {target}
    for typed in ("______", target[:5]):  # no wildcards, and at least six characters
        assert reader.search(QUERIES[0], 5, mode, SearchFilters(doc_ids=(typed,))) == []
