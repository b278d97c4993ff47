"""Questions that name a publisher, series, author or year favour the briefs that match."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FakeEmbedder

from index.ingestion import ingest_bytes
from index.metadata_match import favour, favoured_documents
from index.reader import IndexReader
from index.types import DocumentInfo, SearchMode


def _doc(doc_id: str, **fields: object) -> DocumentInfo:
    base: dict[str, object] = {
        "id": doc_id,
        "source": f"{doc_id}.pdf",
        "title": "A brief",
        "series": None,
        "number": None,
        "date": None,
        "authors": (),
        "url": None,
        "kind": "pdf",
        "n_pages": 1,
        "n_chunks": 1,
        "added_at": "2025-01-01T00:00:00Z",
    }
    return DocumentInfo(**{**base, **fields})  # type: ignore[arg-type]


DOCS = [
    _doc(
        "crs1",
        publisher="Congressional Research Service",
        publisher_acronym="CRS",
        authors=("Corrie E. Clark",),
        date="2026-03-02",
    ),
    _doc(
        "gao1",
        publisher="U.S. Government Accountability Office",
        publisher_acronym="GAO",
        date="2007-02-01",
    ),
    _doc("nb1", series="Northbridge Policy Brief", date="2025-05-22"),
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did GAO recommend to the Energy Secretary?", {"gao1"}),
        ("What does GAO’s report say about peak oil?", {"gao1"}),
        ("What does the Government Accountability Office say?", set()),  # not the whole name
        ("What does the U.S. Government Accountability Office say?", {"gao1"}),
        ("Which options does the Congressional Research Service list?", {"crs1"}),
        ("What does Clark write about mining loads?", {"crs1"}),
        ("What do the Northbridge briefs say about solar?", {"nb1"}),
        ("Which report published in 2007 discusses oil?", {"gao1"}),
        ("What happened to oil prices in 2007?", set()),  # a year of events, not of publication
        ("What does the crs think?", set()),  # acronyms match as written
        ("How do GAO and CRS and Northbridge differ?", set()),  # all of them: no preference
    ],
)
def test_named_briefs_are_found(question: str, expected: set[str]) -> None:
    assert favoured_documents(question, DOCS) == frozenset(expected)


def test_favour_lifts_favoured_rows_without_dropping_others() -> None:
    ranked = [(row, 1.0 / row, {"dense": row}) for row in range(1, 11)]
    lifted = favour(ranked, frozenset({4}))
    assert [item[0] for item in lifted][:2] == [4, 1]
    assert sorted(item[0] for item in lifted) == list(range(1, 11))
    assert favour(ranked, frozenset()) == ranked


TWIN = """---
title: {title}
publisher: {publisher}
---

# {title}

The Harbour Research Service (HRS) and the Coastal Studies Institute (CSI) both find that
shore power lets ships at berth switch off their engines. Connection fees in northern ports
remain high, and port authorities should publish a common tariff every year.
"""


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> IndexReader:
    folder: Path = tmp_path_factory.mktemp("twins")
    inputs = [
        (name, name, TWIN.format(title=title, publisher=publisher).encode())
        for name, title, publisher in (
            ("a.md", "Shore power in ports", "Harbour Research Service"),
            ("b.md", "Shore power at berth", "Coastal Studies Institute"),
        )
    ]
    ingest_bytes(folder, inputs, FakeEmbedder())
    return IndexReader(folder, FakeEmbedder())


def test_a_named_publisher_ranks_its_brief_first(reader: IndexReader) -> None:
    by_source = {d.source: d for d in reader.documents()}
    assert by_source["b.md"].publisher == "Coastal Studies Institute"
    assert by_source["b.md"].publisher_acronym == "CSI"
    assert by_source["a.md"].publisher_acronym == "HRS"
    # Both texts name both organisations: only the briefs' publishers tell them apart.
    for publisher, source in (
        ("CSI", "b.md"),
        ("HRS", "a.md"),
        ("Coastal Studies Institute", "b.md"),
    ):
        question = f"What does the {publisher} say about shore power tariffs?"
        hits = reader.search(question, k=2, mode=SearchMode.hybrid)
        assert hits[0].document.source == source
