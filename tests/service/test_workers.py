"""`briefqa serve` in two worker processes: both answer, and an upload through one is searched
by every worker (each reloads the published generation)."""

from __future__ import annotations

from pathlib import Path

import psutil
import pytest
from helpers import copy_index
from pdfs import generated_brief, render

pytestmark = pytest.mark.slow  # two real server processes, each with the model


def test_two_workers_serve_one_index_and_see_each_others_uploads(
    start_server, samples_index: Path, tmp_path: Path
) -> None:
    folder = copy_index(samples_index, tmp_path / "index")
    server = start_server(folder, api_key="workers-key", BRIEFQA_SERVER__WORKERS="2")
    workers = [
        p for p in psutil.Process(server.pid).children(recursive=True) if "python" in p.name()
    ]
    assert len(workers) >= 2
    brief = render(generated_brief(9))
    with server.client() as client:
        response = client.post(
            "/v1/documents", files={"files": ("harbour-9.pdf", brief)}, headers=server.auth()
        )
        assert response.status_code == 200, response.text
        (added,) = response.json()["files"]
        # Requests are spread over the workers: every one of them must find the new brief.
        for _ in range(12):
            hits = client.post(
                "/v1/search",
                json={"query": "Harbour Policy Brief 9", "k": 5, "mode": "bm25"},
            ).json()["hits"]
            assert added["doc_id"] in {h["document"]["id"] for h in hits}
        assert client.get("/readyz").status_code == 200
