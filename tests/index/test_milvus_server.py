"""The Milvus store over a server URI (`http://host:port`), not a `.db` file: a Milvus Lite
server stands in for Milvus Standalone. Ingest, the three search modes and deletion; the whole
contract runs against Milvus Lite files in test_store_contract.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers import FakeEmbedder, milvus_lite_server

from index.ingestion import delete_documents, ingest_bytes
from index.location import MilvusLocation
from index.milvus_lease import read_lease
from index.milvus_store import release, shared_collections
from index.reader import IndexReader
from index.types import FileStatus, SearchMode

BRIEFS = {
    "shore.md": "# Shore power in northern ports\n\n## Findings\n\nShore power lets ships at "
    "berth switch off their engines, cutting soot and noise in harbour towns.\n",
    "dredging.md": "# Dredging the access channels\n\n## Findings\n\nDredging keeps the access "
    "channels deep enough for container ships; the spoil is stored away from fisheries.\n",
}


@pytest.fixture(scope="module")
def server_location(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MilvusLocation]:
    with milvus_lite_server(tmp_path_factory.mktemp("milvus") / "data") as uri:
        location = MilvusLocation(uri, collection="server_contract")
        yield location
        release(location)


def test_ingest_search_and_delete_over_a_server_uri(server_location: MilvusLocation) -> None:
    fake = FakeEmbedder()
    inputs = [(name, name, text.encode()) for name, text in BRIEFS.items()]
    report = ingest_bytes(server_location, inputs, fake)
    assert [f.status for f in report.files] == [FileStatus.added] * 2
    assert report.generation == 1
    assert read_lease(shared_collections(server_location)) is None  # released by the commit

    reader = IndexReader(server_location, fake)
    assert sorted(d.source for d in reader.documents()) == ["dredging.md", "shore.md"]
    for mode in SearchMode:
        hits = reader.search("dredging the access channels", 5, mode)
        assert hits and hits[0].document.source == "dredging.md", mode
        assert "deep enough for container ships" in hits[0].chunk.text

    victim = next(d for d in reader.documents() if d.source == "dredging.md")
    assert delete_documents(server_location, [victim.id]) == 2
    assert reader.refresh()
    assert [d.source for d in reader.documents()] == ["shore.md"]
    for mode in SearchMode:
        hits = reader.search("dredging the access channels", 5, mode)
        assert all(h.document.id != victim.id for h in hits), mode
