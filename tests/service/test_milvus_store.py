"""The Milvus store behind the real command line and server: a Milvus Lite file served over
HTTP by one worker, uploads and deletions through it, and a clear one-line error for a command
that finds the file in use."""

from __future__ import annotations

import subprocess
from pathlib import Path

from helpers import briefqa_command
from pdfs import generated_brief, render

from index.ingestion import ingest_paths
from index.location import MilvusLocation
from index.milvus_store import release


def test_a_milvus_lite_store_served_over_http(
    start_server, small_corpus: list[Path], embedder, tmp_path: Path
) -> None:
    db = tmp_path / "store" / "briefs.db"
    location = MilvusLocation(str(db))
    ingest_paths(location, small_corpus, embedder)
    release(location)  # the file is the server's now
    env = {"BRIEFQA_STORE__BACKEND": "milvus", "BRIEFQA_STORE__URI": str(db)}
    server = start_server(tmp_path / "index", BRIEFQA_SERVER__WORKERS="2", **env)
    assert "serving with one worker" in server.log.read_text()

    busy = subprocess.run(
        [*briefqa_command(), "docs", "list", "--store-uri", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert busy.returncode == 2
    assert busy.stderr.count("\n") == 1 and "open in another process" in busy.stderr

    with server.client() as client:
        assert client.get("/readyz").status_code == 200
        listed = client.get("/v1/documents").json()["documents"]
        assert len(listed) == len(small_corpus)
        hits = client.post(
            "/v1/search", json={"query": "shore power at berth", "k": 5, "mode": "hybrid"}
        ).json()["hits"]
        assert hits and all(h["page_start"] >= 1 and h["text"] for h in hits)
        upload = client.post(
            "/v1/documents", files={"files": ("harbour-9.pdf", render(generated_brief(9)))}
        )
        assert upload.status_code == 200, upload.text
        (added,) = upload.json()["files"]
        found = client.post(
            "/v1/search", json={"query": "Harbour Policy Brief 9", "k": 5, "mode": "bm25"}
        ).json()["hits"]
        assert added["doc_id"] in {h["document"]["id"] for h in found}
        assert client.delete(f"/v1/documents/{added['doc_id']}").status_code == 200
        assert len(client.get("/v1/documents").json()["documents"]) == len(small_corpus)
