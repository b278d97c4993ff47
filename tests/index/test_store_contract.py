"""One contract, every store backend: the embedded folder and Milvus (through Milvus Lite, a
`.db` file per test) add, replace, delete, filter, rank and cite alike."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from helpers import FakeEmbedder, milvus_lite_server

from index.backends import current_marker
from index.errors import DocumentNotFoundError, EmbedderRequiredError, ModelMismatchError
from index.ingestion import delete_documents, ingest_bytes
from index.location import Location, MilvusLocation
from index.opening import current_manifest
from index.reader import IndexReader
from index.roles import DEMOTED_ROLES
from index.types import FileStatus, SearchFilters, SearchMode
from ingest.chunk import ChunkerSettings
from ingest.errors import IngestCancelledError
from ingest.parse import ParseLimits
from ingest.prepare import prepare
from ingest.types import Statement, content_id

BRIEF = """---
title: {title}
series: {series}
date: {date}
---

# {title}

## Findings

{finding}

## Recommendations

- Port authorities should publish one common tariff for shore power every year.
- The ministry should fund grid connections at the busiest berths first.
"""
BRIEFS = {
    "shore.md": dict(
        title="Shore power in northern ports",
        series="Harbour Policy Brief",
        date="2024-03-01",
        finding="Shore power lets ships at berth switch off their engines, cutting soot and "
        "noise in harbour towns. Connection fees remain high in northern ports.",
    ),
    "dredging.md": dict(
        title="Dredging the access channels",
        series="Harbour Policy Brief",
        date="2025-06-30",
        finding="Dredging keeps the access channels deep enough for container ships, but "
        "the spoil must be stored away from the fisheries.",
    ),
    "dues.md": dict(
        title="Port dues after the pandemic",
        series="Coastal Notes",
        date="2023-11-15",
        finding="Port dues rose by a fifth in 2024 while traffic fell, and smaller "
        "harbours lost their ferry lines.",
    ),
}


# A brief that reports positions, and repeats the others' first recommendation word for word.
VIEWS = """---
title: Ports as strategic assets
series: Coastal Notes
date: 2022-05-10
---

# Ports as strategic assets

## Analysis

Beijing argues that its ports abroad are commercial ventures. The Commission maintains that
foreign port investments need screening.

## Recommendations

- Port authorities should publish one common tariff for shore power every year.
"""
TARIFF = "Port authorities should publish one common tariff for shore power every year."


def brief(name: str, **changes: str) -> bytes:
    return BRIEF.format(**{**BRIEFS[name], **changes}).encode()


def inputs(*names: str) -> list[tuple[str, str, bytes]]:
    return [(name, name, brief(name)) for name in names]


def views(text: str = VIEWS) -> tuple[str, str, bytes]:
    return ("views.md", "views.md", text.encode())


def expected_statements(
    files: list[tuple[str, str, bytes]],
) -> tuple[list[Statement], npt.NDArray[np.float32]]:
    """The statements ingest finds in `files`, by brief id and ordinal, with their vectors."""
    fake = FakeEmbedder()
    found = [
        s
        for name, _, data in files
        for s in prepare(name, data, ParseLimits(), ChunkerSettings(), fake.count_tokens).statements
    ]
    found.sort(key=lambda s: (s.doc_id, s.ordinal))
    return found, fake.embed_documents([" ".join(s.text.split()) for s in found])


@pytest.fixture(scope="module")
def milvus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One Milvus Lite server for the module's server-URI cases (a collection prefix each)."""
    with milvus_lite_server(tmp_path_factory.mktemp("milvus-server") / "data") as uri:
        yield uri


@pytest.fixture(params=["embedded", "milvus", "milvus-server"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Location]:
    """The folder; Milvus Lite through a `.db` file (one process); Milvus through a server's
    `http://` URI, as a Milvus Standalone or Distributed deployment is reached."""
    if request.param == "embedded":
        yield tmp_path / "index"
        return
    from index.milvus_store import release

    if request.param == "milvus":
        milvus = MilvusLocation(str(tmp_path / "milvus.db"), collection="contract")
    else:
        uri = request.getfixturevalue("milvus_server")
        milvus = MilvusLocation(uri, collection=f"contract_{next(_PREFIXES)}")
    yield milvus
    release(milvus)


_PREFIXES = itertools.count()


@pytest.fixture
def built(location: Location) -> Location:
    report = ingest_bytes(location, inputs(*BRIEFS), FakeEmbedder())
    assert [f.status for f in report.files] == [FileStatus.added] * len(BRIEFS)
    assert report.generation == 1
    return location


def test_added_briefs_are_listed_and_unchanged_ones_skipped(built: Location) -> None:
    reader = IndexReader(built, FakeEmbedder())
    assert sorted(d.source for d in reader.documents()) == sorted(BRIEFS)
    assert [d.date for d in reader.documents()] == ["2023-11-15", "2024-03-01", "2025-06-30"]
    manifest = current_manifest(built)
    assert (manifest.documents, manifest.model_id) == (3, FakeEmbedder().model_id)
    assert manifest.chunks == sum(d.n_chunks for d in reader.documents())
    again = ingest_bytes(built, inputs(*BRIEFS), FakeEmbedder())
    assert again.generation is None
    assert {f.status for f in again.files} == {FileStatus.unchanged}


def test_a_changed_file_replaces_its_document(built: Location) -> None:
    old = content_id(brief("dues.md"))
    new_bytes = brief("dues.md", finding="Ferry operators now pay a flat berth levy instead.")
    report = ingest_bytes(built, [("dues.md", "dues.md", new_bytes)], FakeEmbedder())
    (outcome,) = report.files
    assert outcome.status is FileStatus.replaced and outcome.doc_id == content_id(new_bytes)
    reader = IndexReader(built, FakeEmbedder())
    assert len(reader.documents()) == 3
    assert old not in {d.id for d in reader.documents()}
    for mode in SearchMode:
        texts = [h.chunk.text for h in reader.search("ferry berth levy", 10, mode)]
        assert any("flat berth levy" in t for t in texts), mode
        assert not any("rose by a fifth" in t for t in texts), mode
    assert not any(s.statement.doc_id == old for s in reader.statements.of_documents([old]))


def test_a_deleted_document_leaves_every_part(built: Location) -> None:
    reader = IndexReader(built, FakeEmbedder())
    victim = next(d for d in reader.documents() if d.source == "dredging.md")
    assert reader.statements.of_documents([victim.id])
    assert delete_documents(built, [victim.id]) == 2
    assert reader.refresh()
    assert victim.id not in {d.id for d in reader.documents()}
    for mode in SearchMode:
        hits = reader.search("dredging access channels spoil", 10, mode)
        assert all(h.document.id != victim.id for h in hits), mode
    assert not reader.statements.of_documents([victim.id])
    with pytest.raises(DocumentNotFoundError):
        reader.pages(victim.id)
    with pytest.raises(DocumentNotFoundError):
        delete_documents(built, [victim.id])


@pytest.mark.parametrize("mode", list(SearchMode))
def test_filters_by_id_prefix_series_and_dates(built: Location, mode: SearchMode) -> None:
    reader = IndexReader(built, FakeEmbedder())
    dues = next(d for d in reader.documents() if d.source == "dues.md")
    cases = [
        SearchFilters(doc_ids=(dues.id[:8].upper(),)),
        SearchFilters(series="harbour POLICY brief"),
        SearchFilters(date_from="2024-01-01"),
        SearchFilters(date_to="2024-12-31", series="Harbour Policy Brief"),
        SearchFilters(doc_ids=("zz%_zz",)),  # not an id: matches nothing, never a wildcard
    ]
    for filters in cases:
        hits = reader.search("port harbour ships shore dredging dues", 20, mode, filters)
        expected = {d.id for d in reader.documents() if filters.admits(d)}
        assert {h.document.id for h in hits} == expected, filters


def test_the_three_modes_rank_and_explain(built: Location) -> None:
    reader = IndexReader(built, FakeEmbedder())
    for mode in SearchMode:
        hits = reader.search("shore power at berth", 5, mode)
        assert hits and hits[0].document.source == "shore.md", mode
        assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
        names = {"dense", "bm25"} if mode is SearchMode.hybrid else {mode.value}
        assert set().union(*(h.ranks for h in hits)) <= names
    keyword_only = IndexReader(built)
    assert keyword_only.search("dredging", 3, SearchMode.bm25)
    with pytest.raises(EmbedderRequiredError):
        keyword_only.search("dredging", 3, SearchMode.dense)
    assert keyword_only.unknown_words(["dredged", "zeppelin", "the"]) == ["zeppelin", "the"]


def test_demotion_and_favouring_see_each_chunks_role_and_document(built: Location) -> None:
    listed = brief("dues.md", title="Port dues listed") + (
        b"\n## References\n\n- Harbour Board (2023). Annual dues schedule. Port Press.\n"
        b"- Ferry Council (2024). Lines lost in small harbours. Coastal Press.\n"
    )
    ingest_bytes(built, [("listed.md", "listed.md", listed)], FakeEmbedder())
    for searched_first in (False, True):
        generation = IndexReader(built).generation
        if searched_first:
            generation.keyword("port dues harbour press", 100, None)
        rows = list(range(1, 200))
        records = generation.chunks_by_rows(rows)
        rows = sorted(records)
        demoted = {row for row, (chunk, _) in records.items() if chunk.role in DEMOTED_ROLES}
        assert demoted, "the reference list is a chunk of its own"
        assert generation.demoted_among(rows) & set(rows) == demoted
        doc_id = content_id(listed)
        mine = {row for row, (chunk, _) in records.items() if chunk.doc_id == doc_id}
        assert mine and generation.rows_of_documents(rows, {doc_id}) == mine


def test_cited_text_is_verbatim_on_the_cited_pages(built: Location) -> None:
    reader = IndexReader(built, FakeEmbedder())
    hits = reader.search("connection fees shore power", 10, SearchMode.hybrid)
    assert hits
    for hit in hits:
        pages = reader.pages(hit.document.id)
        on_pages = "\n".join(pages[hit.chunk.page_start - 1 : hit.chunk.page_end])
        assert hit.chunk.text in on_pages
        assert hit.document.title == BRIEFS[hit.document.source]["title"]
        assert hit.document.series == BRIEFS[hit.document.source]["series"]
    vector = FakeEmbedder().embed_query("connection fees")
    retrieval = reader.retrieve("connection fees shore power", 3, SearchMode.bm25, None, vector)
    assert len(retrieval.similarities) == len(retrieval.hits)
    assert all(-1.0 <= s <= 1.0 for s in retrieval.similarities)


def test_statements_are_stored_with_their_vectors(built: Location) -> None:
    reader = IndexReader(built, FakeEmbedder())
    assert len(reader.statements) >= 6
    query = FakeEmbedder().embed_query("publish a common tariff for shore power")
    best = reader.statements.search(query, 3, kinds=("recommendation",))
    assert best and "common tariff" in best[0].statement.text
    assert best[0].statement.text in "\n".join(reader.pages(best[0].document.id))


def test_statements_are_listed_ranked_counted_and_named_alike(built: Location) -> None:
    fake = FakeEmbedder()
    ingest_bytes(built, [views()], fake)
    statements, vectors = expected_statements([*inputs(*BRIEFS), views()])
    stored = IndexReader(built, fake).statements
    assert len(stored) == len(statements)
    actors = {s.actor for s in statements if s.kind == "position" and s.actor}
    assert "Beijing" in actors and stored.actors == actors

    every = stored.of_documents({s.doc_id for s in statements} | {"0" * 64})
    assert [h.statement for h in every] == statements  # by brief id, then the brief's order
    assert all(h.document.id == h.statement.doc_id and h.score == 0.0 for h in every)
    query = fake.embed_query("fund grid connections and screen port investments")
    scores = vectors @ query
    two = {content_id(VIEWS.encode()), content_id(brief("dues.md"))}
    wanted = [i for i, s in enumerate(statements) if s.doc_id in two and s.kind == "position"]
    listed = stored.of_documents(two, ("position",), query)
    assert wanted and [h.statement for h in listed] == [statements[i] for i in wanted]
    assert [h.score for h in listed] == pytest.approx([scores[i] for i in wanted], abs=1e-5)

    ranked = stored.search(query, len(statements))
    assert sorted(h.statement.id for h in ranked) == sorted(s.id for s in statements)
    by_id = {s.id: float(score) for s, score in zip(statements, scores, strict=True)}
    expected = [by_id[h.statement.id] for h in ranked]
    assert [h.score for h in ranked] == pytest.approx(expected, abs=1e-6)
    assert [h.score for h in ranked] == sorted((h.score for h in ranked), reverse=True)
    one = content_id(brief("shore.md"))
    only = stored.search(query, 2, ("recommendation",), {one})
    assert len(only) == 2 and {(h.document.id, h.statement.kind) for h in only} == {
        (one, "recommendation")
    }
    assert stored.search(query, 5, doc_ids=set()) == []
    # The same recommendation in all four briefs: equal scores, in brief id order.
    tied = stored.search(fake.embed_query(TARIFF), 4, kinds=("recommendation",))
    assert [h.statement for h in tied] == [s for s in statements if "common tariff" in s.text]
    positions = stored.search(query, 10, kinds=("position",))
    assert {h.statement.actor for h in positions} == actors


def test_statements_of_a_replaced_or_deleted_brief_are_gone(built: Location) -> None:
    fake = FakeEmbedder()
    ingest_bytes(built, [views()], fake)
    reader = IndexReader(built, fake)
    before = len(reader.statements)
    changed = views(VIEWS.replace("Beijing argues", "Lisbon argues"))
    report = ingest_bytes(built, [changed], fake)
    assert report.files[0].status is FileStatus.replaced
    old, new = content_id(VIEWS.encode()), content_id(changed[2])
    assert reader.refresh()
    statements = reader.statements
    assert len(statements) == before
    assert "Lisbon" in statements.actors and "Beijing" not in statements.actors
    assert not statements.of_documents({old}) and statements.of_documents({new})
    query = fake.embed_query("argues that its ports abroad are commercial ventures")
    found = {h.statement.doc_id for h in statements.search(query, 100)}
    assert new in found and old not in found
    assert not statements.search(query, 5, doc_ids={old})

    assert delete_documents(built, [new]) is not None
    assert reader.refresh()
    statements = reader.statements
    assert len(statements) == len(expected_statements(inputs(*BRIEFS))[0])
    assert statements.actors == frozenset() and not statements.of_documents({new})
    assert new not in {h.statement.doc_id for h in statements.search(query, 100)}


def test_a_readers_statements_stay_those_of_its_state(built: Location) -> None:
    fake = FakeEmbedder()
    reader = IndexReader(built, fake)
    statements = reader.statements
    if isinstance(built, MilvusLocation):
        from index.milvus_statements import MilvusStatements

        # Kept in Milvus: the reader holds no statement rows or vectors, only how to ask.
        assert isinstance(statements, MilvusStatements)
        held = vars(statements).values()
        assert not any(isinstance(v, (np.ndarray, list, tuple)) for v in held)
    ingest_bytes(built, [views()], fake)  # another writer publishes a brief with positions
    added = content_id(VIEWS.encode())
    query = fake.embed_query("Beijing argues that its ports abroad are commercial ventures")
    # Counted, named and searched only now, after the new state was published.
    assert len(statements) == len(expected_statements(inputs(*BRIEFS))[0])
    assert statements.actors == frozenset()
    assert added not in {h.statement.doc_id for h in statements.search(query, 100)}
    assert not statements.of_documents({added})
    fresh = IndexReader(built, fake).statements
    assert len(fresh) == len(statements) + len(expected_statements([views()])[0])
    assert "Beijing" in fresh.actors
    assert fresh.search(query, 1)[0].statement.actor == "Beijing"
    assert reader.refresh() and "Beijing" in reader.statements.actors


def test_another_model_is_refused(built: Location) -> None:
    other = FakeEmbedder(model_id="test/other-model")
    with pytest.raises(ModelMismatchError):
        ingest_bytes(built, inputs("dues.md"), other)
    with pytest.raises(ModelMismatchError):
        IndexReader(built, other)


def test_a_new_state_is_noticed_and_a_withdrawn_one_never_seen(location: Location) -> None:
    assert current_marker(location) is None
    ingest_bytes(location, inputs("shore.md"), FakeEmbedder())
    reader = IndexReader(location, FakeEmbedder())
    first = current_marker(location)
    assert first == reader.generation.name and not reader.refresh()
    with pytest.raises(IngestCancelledError):
        ingest_bytes(location, inputs("dues.md"), FakeEmbedder(), cancelled=lambda: True)
    assert current_marker(location) == first
    assert [d.source for d in IndexReader(location).documents()] == ["shore.md"]
    ingest_bytes(location, inputs("dredging.md"), FakeEmbedder())
    assert current_marker(location) != first
    assert reader.refresh() and reader.generation.name == current_marker(location)
    assert sorted(d.source for d in reader.documents()) == ["dredging.md", "shore.md"]
    assert reader.search("dues ferry", 5, SearchMode.bm25) == []  # the withdrawn brief


def test_milvus_ranks_as_the_embedded_store_with_the_real_model(
    tmp_path: Path, small_corpus: list[Path], small_index: Path, embedder
) -> None:
    from index.ingestion import ingest_paths
    from index.milvus_store import release

    milvus = MilvusLocation(str(tmp_path / "real.db"))
    try:
        ingest_paths(milvus, small_corpus, embedder)
        ours, theirs = IndexReader(small_index, embedder), IndexReader(milvus, embedder)
        assert [d.id for d in ours.documents()] == [d.id for d in theirs.documents()]
        for query in ("What should ports do about shore power?", "harbour dredging costs"):
            for mode in SearchMode:
                a, b = ours.search(query, 10, mode), theirs.search(query, 10, mode)
                assert [h.chunk.text for h in a] == [h.chunk.text for h in b], (query, mode)
                assert [h.chunk.page_start for h in a] == [h.chunk.page_start for h in b]
                if mode is SearchMode.dense:
                    assert [h.score for h in b] == pytest.approx([h.score for h in a], abs=1e-5)
    finally:
        release(milvus)


def test_milvus_rows_of_an_interrupted_writer_are_cleared_by_the_next(tmp_path: Path) -> None:
    from index.backends import open_writer
    from index.milvus_store import release, shared_collections
    from ingest.chunk import ChunkerSettings
    from ingest.parse import ParseLimits
    from ingest.prepare import prepare

    milvus = MilvusLocation(str(tmp_path / "milvus.db"))
    fake = FakeEmbedder()
    try:
        ingest_bytes(milvus, inputs("shore.md"), fake)
        writer = open_writer(milvus, model_id=fake.model_id, dim=fake.dim,
                             precision=fake.precision, chunker=ChunkerSettings())  # fmt: skip
        parsed = prepare("dues.md", brief("dues.md"), ParseLimits(), ChunkerSettings(),
                         fake.count_tokens)  # fmt: skip
        texts = [c.text for c in parsed.chunks] + [s.text for s in parsed.statements]
        vectors = fake.embed_documents(texts)
        n = len(parsed.chunks)
        writer.add(parsed.document, parsed.chunks, vectors[:n], parsed.statements, vectors[n:])
        writer.delete(content_id(brief("shore.md")))
        writer._lock.release()  # the process died here: its lock went with it, nothing else did
        assert [d.source for d in IndexReader(milvus).documents()] == ["shore.md"]
        ingest_bytes(milvus, inputs("dredging.md"), fake)
        reader = IndexReader(milvus, fake)
        assert sorted(d.source for d in reader.documents()) == ["dredging.md", "shore.md"]
        stored = shared_collections(milvus).query("chunks", "id >= 0", ["id"], limit=10_000)
        assert len(stored) == current_manifest(milvus).chunks
    finally:
        release(milvus)


def test_milvus_statements_leave_out_later_revisions_and_unpurged_briefs(tmp_path: Path) -> None:
    from index.milvus_rows import document_row
    from index.milvus_schema import DOCUMENTS, DUMMY_VECTOR, META, STATEMENTS
    from index.milvus_state import META_KEY, MilvusPublished, read_meta
    from index.milvus_statements import MilvusStatements
    from index.milvus_store import release, shared_collections

    def published() -> MilvusPublished:
        generation = IndexReader(milvus).generation
        assert isinstance(generation, MilvusPublished)
        return generation

    milvus = MilvusLocation(str(tmp_path / "milvus.db"))
    fake = FakeEmbedder()
    added = content_id(VIEWS.encode())
    query = fake.embed_query("Beijing argues that its ports abroad are commercial ventures")
    try:
        ingest_bytes(milvus, inputs(*BRIEFS), fake)
        first = published()
        ingest_bytes(milvus, [views()], fake)
        second = published()
        # The first revision asked with the second's briefs: the revision filter alone keeps
        # the new brief's rows out.
        earlier = MilvusStatements(second.collections, first.revision, second.by_id)
        assert not earlier.of_documents({added}) and earlier.actors == frozenset()
        assert not earlier.search(query, 10, doc_ids={added})
        assert earlier.of_documents({content_id(brief("shore.md"))})
        assert len(earlier) == len(expected_statements(inputs(*BRIEFS))[0])

        # A commit that published the brief's removal, then died before purging its rows: its
        # document row marked as the writer marks it, and the meta row naming the revision.
        collections = shared_collections(milvus)
        meta = read_meta(collections)
        assert meta is not None
        retired_at = meta.revision + 1
        collections.upsert(DOCUMENTS, [document_row(second.by_id[added], 0, retired_at)])
        state = {"key": META_KEY, "revision": retired_at, "next_row": meta.next_row}
        manifest = json.dumps(asdict(meta.manifest))
        collections.upsert(META, [{**state, "manifest": manifest, "vector": DUMMY_VECTOR}])
        assert collections.count(STATEMENTS, f'doc_id == "{added}"') > 0
        statements = published().statements
        assert len(statements) == len(expected_statements(inputs(*BRIEFS))[0])
        assert statements.actors == frozenset() and not statements.of_documents({added})
        assert added not in {h.statement.doc_id for h in statements.search(query, 100)}
    finally:
        release(milvus)
