"""/v1/documents in process: list, get by id or prefix, upload and delete with the API key,
uploads switched off, bad uploads, and a server that starts before its index exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_app import BATTERY, BRIEFS, MAX_FILE_MB, NEW_BRIEF, SHORE, SOLAR, OpenApp
from fastapi.testclient import TestClient
from helpers import copy_index
from http_checks import assert_error_shape

from ingest.types import content_id

KEY = "route-test-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
NEW_ID = content_id(NEW_BRIEF)


@pytest.fixture
def index_copy(fake_index: Path, tmp_path: Path) -> Path:
    return copy_index(fake_index, tmp_path / "index")


@pytest.fixture
def keyed(open_app: OpenApp, index_copy: Path) -> TestClient:
    """An app on a private copy of the index, with an API key and uploads on."""
    return open_app(index_copy, api_key=KEY)


def kept_uploads(index_dir: Path) -> list[str]:
    """Names of the files in the upload folder (temporary copies included)."""
    folder = index_dir / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def upload(client: TestClient, *files: tuple[str, bytes], headers: dict[str, str] | None = None):
    return client.post(
        "/v1/documents", files=[("files", file) for file in files], headers=headers or {}
    )


def test_list_and_get_by_id_or_prefix(api: TestClient, fake_doc_ids: dict[str, str]) -> None:
    documents = api.get("/v1/documents").json()["documents"]
    assert {d["source"]: d["id"] for d in documents} == fake_doc_ids
    solar = next(d for d in documents if d["source"] == SOLAR)
    assert (solar["series"], solar["number"], solar["date"]) == (
        "Meridian Policy Brief",
        "12",
        "2023-02-01",
    )
    assert solar["kind"] == "markdown" and solar["chunks"] >= 1
    assert api.get(f"/v1/documents/{solar['id']}").json() == solar
    assert api.get(f"/v1/documents/{solar['id'][:6]}").json() == solar


@pytest.mark.parametrize(
    ("doc_id", "status", "code"),
    [
        ("abc", 404, "document_not_found"),  # a prefix must have 6 characters
        ("f" * 64, 404, "document_not_found"),
        ("f" * 65, 422, "invalid_request"),
    ],
)
def test_unknown_or_invalid_ids(api: TestClient, doc_id: str, status: int, code: str) -> None:
    assert_error_shape(api.get(f"/v1/documents/{doc_id}"), status, code)


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {KEY}"}]
)
def test_writes_need_the_api_key(
    keyed: TestClient, index_copy: Path, fake_doc_ids: dict[str, str], headers: dict[str, str]
) -> None:
    responses = [
        upload(keyed, ("new.md", NEW_BRIEF), headers=headers),
        keyed.delete(f"/v1/documents/{fake_doc_ids[SHORE]}", headers=headers),
    ]
    for response in responses:
        assert_error_shape(response, 401, "unauthorized")
        assert response.headers["www-authenticate"] == "Bearer"
    sources = {d["source"] for d in keyed.get("/v1/documents").json()["documents"]}
    assert sources == {SHORE, SOLAR, BATTERY}
    assert not (index_copy / "uploads").exists()


def test_upload_is_searchable_at_once_then_delete_removes_it(
    keyed: TestClient, index_copy: Path
) -> None:
    generation = keyed.get("/readyz").json()["generation"]
    response = upload(keyed, ("../../dredging.md", NEW_BRIEF), headers=AUTH)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["added"], report["replaced"], report["unchanged"], report["failed"]) == (
        1,
        0,
        0,
        0,
    )
    assert report["chunks"] >= 1 and report["generation"] == int(generation[-6:]) + 1
    (outcome,) = report["files"]
    assert (outcome["path"], outcome["status"], outcome["doc_id"]) == (
        "dredging.md",
        "added",
        NEW_ID,
    )
    assert outcome["title"] == "Dredging Access Channels"
    # The original bytes are kept under the cleaned name, inside the upload folder.
    assert (index_copy / "uploads" / "dredging.md").read_bytes() == NEW_BRIEF
    assert not (index_copy.parent / "dredging.md").exists()

    assert keyed.get("/readyz").json()["documents"] == 4
    hits = keyed.post("/v1/search", json={"query": "dredging sediment disposal", "k": 1}).json()
    assert hits["hits"][0]["document"]["id"] == NEW_ID

    deleted = keyed.delete(f"/v1/documents/{NEW_ID[:10]}", headers=AUTH)
    assert deleted.status_code == 200 and deleted.json() == {"deleted": NEW_ID}
    assert_error_shape(keyed.get(f"/v1/documents/{NEW_ID}"), 404, "document_not_found")
    assert_error_shape(keyed.delete(f"/v1/documents/{NEW_ID}", headers=AUTH), 404)
    hits = keyed.post(
        "/v1/search", json={"query": "dredging sediment disposal", "filters": {"doc_ids": [NEW_ID]}}
    ).json()
    assert hits["hits"] == []
    assert keyed.get("/readyz").json()["documents"] == 3


def test_the_same_bytes_again_are_unchanged(keyed: TestClient, index_copy: Path) -> None:
    generation = keyed.get("/readyz").json()["generation"]
    response = upload(keyed, (SOLAR, BRIEFS[SOLAR].encode()), headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.json()["unchanged"] == 1 and response.json()["generation"] is None
    assert keyed.get("/readyz").json()["generation"] == generation
    assert kept_uploads(index_copy) == []


def test_a_server_without_a_key_accepts_writes(open_app: OpenApp, index_copy: Path) -> None:
    client = open_app(index_copy)
    assert upload(client, ("new.md", NEW_BRIEF)).json()["added"] == 1
    assert client.delete(f"/v1/documents/{NEW_ID}").json() == {"deleted": NEW_ID}


def test_uploads_disabled_is_403_after_the_key_check(open_app: OpenApp, index_copy: Path) -> None:
    client = open_app(index_copy, api_key=KEY, allow_uploads=False)
    assert_error_shape(upload(client, ("new.md", NEW_BRIEF), headers=AUTH), 403, "uploads_disabled")
    assert_error_shape(upload(client, ("new.md", NEW_BRIEF)), 401, "unauthorized")
    config = client.get("/v1/config/public").json()
    assert config["uploads_enabled"] is False and config["auth_required"] is True
    assert client.get("/readyz").json()["documents"] == 3
    assert not (index_copy / "uploads").exists()


@pytest.mark.parametrize(
    ("files", "status", "code"),
    [
        ([("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)], 415, "unsupported_type"),
        ([("empty.md", b""), ("blank.txt", b"   \n")], 400, "empty_file"),
        ([("big.txt", b"Ports and ships. " * int(MAX_FILE_MB * 1e6 / 10))], 413, "too_large"),
    ],
)
def test_unusable_uploads_change_nothing(
    keyed: TestClient, index_copy: Path, files: list[tuple[str, bytes]], status: int, code: str
) -> None:
    generation = keyed.get("/readyz").json()["generation"]
    assert_error_shape(upload(keyed, *files, headers=AUTH), status, code)
    assert keyed.get("/readyz").json()["generation"] == generation
    assert kept_uploads(index_copy) == []


def test_an_upload_without_files_is_422(keyed: TestClient) -> None:
    response = keyed.post("/v1/documents", data={"note": "x"}, headers=AUTH)
    error = assert_error_shape(response, 422, "invalid_request")
    assert error["details"][0]["field"] == "files"


def test_an_empty_folder_is_not_ready_until_an_upload_builds_the_index(
    open_app: OpenApp, tmp_path: Path
) -> None:
    folder = tmp_path / "index"
    folder.mkdir()
    client = open_app(folder)
    assert client.get("/healthz").json() == {"status": "ok"}
    message = assert_error_shape(client.get("/readyz"), 503, "index_not_ready")["message"]
    assert "briefqa ingest" in message and "POST /v1/documents" in message
    for path, body in [("/v1/search", {"query": "tariffs"}), ("/v1/ask", {"question": "why?"})]:
        assert_error_shape(client.post(path, json=body), 503, "index_not_ready")
    chat = {"model": "briefqa", "messages": [{"role": "user", "content": "why?"}]}
    assert_error_shape(client.post("/v1/chat/completions", json=chat), 503, "index_not_ready")
    assert client.get("/v1/documents").json() == {"documents": []}
    assert_error_shape(client.get(f"/v1/documents/{NEW_ID}"), 404, "document_not_found")
    assert_error_shape(client.delete(f"/v1/documents/{NEW_ID}"), 404, "document_not_found")
    assert "briefqa_index_ready 0" in client.get("/metrics").text

    assert upload(client, ("dredging.md", NEW_BRIEF)).json()["generation"] == 1
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "generation": "gen-000001",
        "documents": 1,
        "chunks": ready.json()["chunks"],
    }
    assert ready.json()["chunks"] >= 1
    hits = client.post("/v1/search", json={"query": "sediment disposal rules"}).json()["hits"]
    assert hits and hits[0]["document"]["id"] == NEW_ID


def test_an_upload_with_an_unreadable_page_reports_it_and_keeps_the_rest(
    open_app: OpenApp, index_copy: Path
) -> None:
    from real_layouts import real_paper_with_undecodable_page

    keyed = open_app(index_copy, limits={"max_file_mb": 2}, api_key=KEY)
    name, data, page = real_paper_with_undecodable_page()
    response = upload(keyed, (name, data), headers=AUTH)
    assert response.status_code == 200, response.text
    (outcome,) = response.json()["files"]
    assert outcome["status"] == "added" and outcome["chunks"] > 0
    assert [f["page"] for f in outcome["failed_pages"]] == [page]
    listed = keyed.get(f"/v1/documents/{outcome['doc_id']}").json()
    assert [f["page"] for f in listed["failed_pages"]] == [page]
    assert listed["failed_pages"][0]["reason"]
