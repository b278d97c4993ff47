"""Documents over real HTTP: list, get by prefix, upload (auth, size, type, names), delete."""

from __future__ import annotations

import threading
import time

import pytest
from http_checks import assert_error_shape
from pdfs import generated_brief, png_bytes, render

# A real server process over the sample briefs (real model); test_routes_*.py run the same
# route logic in process in the fast tier.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def new_pdf() -> bytes:
    """A brief that is not in the served index."""
    return render(generated_brief(7))


def test_list_and_get_by_id_or_prefix(server) -> None:
    with server.client() as client:
        documents = client.get("/v1/documents").json()["documents"]
        assert len(documents) >= 12
        doc = next(d for d in documents if d["source"] == "05-debt-governance-lending.pdf")
        assert client.get(f"/v1/documents/{doc['id']}").json() == doc
        assert client.get(f"/v1/documents/{doc['id'][:8]}").json() == doc
        assert_error_shape(client.get(f"/v1/documents/{doc['id'][:3]}"), 404, "document_not_found")
        assert_error_shape(client.get("/v1/documents/" + "f" * 64), 404, "document_not_found")
    assert doc["series"] == "Northbridge Policy Brief" and doc["number"] == "5"
    assert doc["kind"] == "pdf" and doc["pages"] >= 4 and doc["chunks"] > 0


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}]
)
def test_write_endpoints_need_the_api_key(server, new_pdf: bytes, headers: dict[str, str]) -> None:
    with server.client() as client:
        upload = client.post("/v1/documents", files={"files": ("a.pdf", new_pdf)}, headers=headers)
        delete = client.delete("/v1/documents/" + "a" * 64, headers=headers)
    for response in (upload, delete):
        assert_error_shape(response, 401, "unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"


def test_upload_over_the_size_limit_is_413(server) -> None:
    too_big = b"A sentence about ports and ships. " * 40_000  # about 1.4 MB; the limit is 1 MB
    with server.client() as client:
        response = client.post(
            "/v1/documents", files={"files": ("big.txt", too_big)}, headers=server.auth()
        )
    assert "limit" in assert_error_shape(response, 413, "too_large")["message"]


def test_upload_that_is_not_a_brief_by_its_bytes_is_415(server) -> None:
    with server.client() as client:
        response = client.post(
            "/v1/documents",
            files=[
                ("files", ("photo.pdf", png_bytes())),
                ("files", ("notes.docx", b"PK\x03\x04zip")),
            ],
            headers=server.auth(),
        )
    error = assert_error_shape(response, 415, "unsupported_type")
    assert [d["file"] for d in error["details"]] == ["photo.pdf", "notes.docx"]


def test_upload_with_a_path_in_its_name_stays_in_the_upload_folder(server, new_pdf: bytes) -> None:
    uploads = server.index_dir / "uploads"
    with server.client() as client:
        response = client.post(
            "/v1/documents", files={"files": ("../../x.pdf", new_pdf)}, headers=server.auth()
        )
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["added"] == 1 and report["failed"] == 0 and report["chunks"] > 0
        (outcome,) = report["files"]
        assert outcome["path"] == "x.pdf" and outcome["status"] == "added"
        assert (uploads / "x.pdf").read_bytes() == new_pdf
        assert not (server.index_dir.parent / "x.pdf").exists()
        assert not (server.index_dir.parent.parent / "x.pdf").exists()
        # Searchable at once, then removed from every part of the index.
        doc_id = outcome["doc_id"]
        assert client.get(f"/v1/documents/{doc_id}").json()["source"] == "x.pdf"
        hits = client.post(
            "/v1/search", json={"query": "Harbour Policy Brief 7", "filters": {"doc_ids": [doc_id]}}
        ).json()["hits"]
        assert hits and {h["document"]["id"] for h in hits} == {doc_id}
        deleted = client.delete(f"/v1/documents/{doc_id[:10]}", headers=server.auth())
        assert deleted.json() == {"deleted": doc_id}
        assert_error_shape(client.get(f"/v1/documents/{doc_id}"), 404, "document_not_found")
        hits = client.post(
            "/v1/search", json={"query": "Harbour Policy Brief 7", "filters": {"doc_ids": [doc_id]}}
        ).json()["hits"]
        assert hits == []


def test_reuploading_the_same_bytes_is_unchanged(server, sample_brief) -> None:
    with server.client() as client:
        response = client.post(
            "/v1/documents",
            files={"files": (sample_brief.name, sample_brief.read_bytes())},
            headers=server.auth(),
        )
    assert response.status_code == 200
    assert response.json()["unchanged"] == 1 and response.json()["generation"] is None


def test_searches_go_on_while_an_upload_is_ingested(server) -> None:
    brief = render(generated_brief(8, sections=8, paragraphs=4))
    result: dict[str, object] = {}

    def upload() -> None:
        with server.client() as client:
            result["response"] = client.post(
                "/v1/documents", files={"files": ("during.pdf", brief)}, headers=server.auth()
            )
        result["done"] = time.monotonic()

    thread = threading.Thread(target=upload)
    thread.start()
    finished = []
    with server.client() as client:
        while thread.is_alive():
            r = client.post("/v1/search", json={"query": "sanctions on dual-use goods", "k": 3})
            assert r.status_code == 200
            finished.append(time.monotonic())
    thread.join()
    response = result["response"]
    assert response.status_code == 200, response.text
    assert [t for t in finished if t < result["done"]], "no search finished during the ingest"
    doc_id = response.json()["files"][0]["doc_id"]
    with server.client() as client:
        assert client.delete(f"/v1/documents/{doc_id}", headers=server.auth()).status_code == 200
