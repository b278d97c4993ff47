"""A server started on an empty folder: 503 until an index exists; uploads create it, and an
ingest through the CLI into the same folder is picked up without a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from http_checks import assert_error_shape

BRIEFS = Path(__file__).resolve().parents[2] / "samples" / "briefs"


@pytest.fixture(scope="module")
def empty_server(start_server, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("empty") / "index"
    folder.mkdir()
    return start_server(folder)


@pytest.mark.slow
def test_empty_start_upload_then_cli_ingest(empty_server, run_cli) -> None:
    with empty_server.client() as client:
        assert client.get("/healthz").status_code == 200
        assert_error_shape(client.get("/readyz"), 503, "index_not_ready")
        for path, body in [
            ("/v1/search", {"query": "tariffs"}),
            ("/v1/ask", {"question": "tariffs?"}),
        ]:
            message = assert_error_shape(client.post(path, json=body), 503, "index_not_ready")[
                "message"
            ]
            assert "ingest" in message and "upload" in message
        assert client.get("/v1/documents").json() == {"documents": []}
        assert "briefqa_index_ready 0" in client.get("/metrics").text

        # An upload creates the index.
        first = BRIEFS / "07-ev-battery-supply-chains.pdf"
        report = client.post("/v1/documents", files={"files": (first.name, first.read_bytes())})
        assert report.status_code == 200, report.text
        assert report.json()["added"] == 1
        ready = client.get("/readyz").json()
        assert ready["documents"] == 1 and ready["status"] == "ready"
        answer = client.post(
            "/v1/ask", json={"question": "What is the EU Battery Regulation?"}
        ).json()
        assert answer["answered"] and answer["citations"][0]["document"]["source"] == first.name

        # Another process ingests into the same folder: the server sees it on the next request.
        second = BRIEFS / "12-cross-border-data-governance.pdf"
        done = run_cli(
            "ingest", str(second), "--index", str(empty_server.index_dir), "--no-progress"
        )
        assert done.returncode == 0, done.stderr
        after = client.get("/readyz").json()
        assert after["documents"] == 2 and after["generation"] != ready["generation"]
        hits = client.post("/v1/search", json={"query": "TikTok Project Clover", "k": 3}).json()[
            "hits"
        ]
        assert hits[0]["document"]["source"] == second.name
