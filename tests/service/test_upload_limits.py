"""Uploads in process: file count and size limits (with the real size), refusals that change
nothing, the parse budget, all-failed uploads, stored names, and the bounded writer-lock wait."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fake_app import MAX_FILE_MB, NEW_BRIEF, OpenApp
from fastapi.testclient import TestClient
from helpers import copy_index
from http_checks import assert_error_shape
from pdfs import harbour_brief, page_bomb_pdf, render, running_lines_only_pdf

from index.generations import writer_lock
from ingest.types import content_id
from service.api.uploads import MAX_FILES_PER_UPLOAD

LIMIT = int(MAX_FILE_MB * 1024 * 1024)  # 52,428 bytes


@pytest.fixture
def index_copy(fake_index: Path, tmp_path: Path) -> Path:
    return copy_index(fake_index, tmp_path / "index")


@pytest.fixture
def client(open_app: OpenApp, index_copy: Path) -> TestClient:
    return open_app(index_copy)


def upload(client: TestClient, *files: tuple[str, bytes], **kwargs: object):
    return client.post("/v1/documents", files=[("files", f) for f in files], **kwargs)


def kept(index_dir: Path) -> list[str]:
    folder = index_dir / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def generation(client: TestClient) -> str:
    return str(client.get("/readyz").json()["generation"])


def text_brief(n: int) -> bytes:
    return b"# Brief %d\n\nHarbour dues and dredging costs rose in port %d this year.\n" % (n, n)


def test_more_files_than_allowed_is_413_and_nothing_is_kept(
    client: TestClient, index_copy: Path
) -> None:
    before = generation(client)
    files = [(f"b{n}.md", text_brief(n)) for n in range(MAX_FILES_PER_UPLOAD + 1)]
    error = assert_error_shape(upload(client, *files), 413, "too_many_files")
    assert str(MAX_FILES_PER_UPLOAD) in error["message"]
    assert generation(client) == before and kept(index_copy) == []


def test_the_allowed_number_of_files_is_accepted(client: TestClient) -> None:
    files = [(f"b{n}.md", text_brief(n)) for n in range(MAX_FILES_PER_UPLOAD)]
    response = upload(client, *files)
    assert response.status_code == 200, response.text
    assert response.json()["added"] == MAX_FILES_PER_UPLOAD


@pytest.mark.parametrize("size", [LIMIT + 1, 10 * LIMIT + 7])
def test_a_file_over_the_limit_is_413_with_its_real_size(
    client: TestClient, index_copy: Path, size: int
) -> None:
    before = generation(client)
    big = b"Harbour dues rose. " * (size // 19) + b"x" * (size % 19)
    assert len(big) == size
    error = assert_error_shape(upload(client, ("ok.md", NEW_BRIEF), ("big.txt", big)), 413)
    assert error["code"] == "too_large"
    message = error["message"]
    assert f"'big.txt' is {size / 2**20:,.2f} MiB ({size:,} bytes)" in message
    assert f"over the {LIMIT / 2**20:,.2f} MiB ({LIMIT:,} bytes) limit per file" in message
    assert "MB " not in message  # one unit throughout
    assert generation(client) == before and kept(index_copy) == []


def test_a_body_over_the_request_limit_states_its_size(client: TestClient) -> None:
    body = b"x" * (MAX_FILES_PER_UPLOAD * (LIMIT + 16 * 1024) + 1)
    response = client.post(
        "/v1/documents", content=body, headers={"content-type": "multipart/form-data; boundary=x"}
    )
    message = assert_error_shape(response, 413, "too_large")["message"]
    assert f"the request body is {len(body) / 2**20:,.2f} MiB ({len(body):,} bytes)" in message


def test_a_malformed_multipart_body_is_400(client: TestClient) -> None:
    response = client.post(
        "/v1/documents",
        content=b"--x\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--x--\r\n",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert_error_shape(response, 400, "malformed_upload")


def test_a_name_of_dots_is_stored_as_upload(client: TestClient, index_copy: Path) -> None:
    response = upload(client, ("....md", NEW_BRIEF))
    assert response.status_code == 200, response.text
    (outcome,) = response.json()["files"]
    assert outcome["path"] == "upload.md" and outcome["status"] == "added"
    assert kept(index_copy) == ["upload.md"]
    assert client.get(f"/v1/documents/{outcome['doc_id']}").json()["source"] == "upload.md"


def test_delete_removes_the_uploaded_original(client: TestClient, index_copy: Path) -> None:
    response = upload(client, ("dredging.md", NEW_BRIEF), ("other.md", text_brief(1)))
    assert response.status_code == 200, response.text
    assert kept(index_copy) == ["dredging.md", "other.md"]
    deleted = client.delete(f"/v1/documents/{content_id(NEW_BRIEF)}")
    assert deleted.status_code == 200, deleted.text
    assert kept(index_copy) == ["other.md"]


def test_delete_keeps_a_different_file_of_the_same_name(
    client: TestClient, index_copy: Path
) -> None:
    upload(client, ("dredging.md", NEW_BRIEF))
    # Bytes under that name that are not the indexed document are someone else's file.
    (index_copy / "uploads" / "dredging.md").write_bytes(b"another file")
    assert client.delete(f"/v1/documents/{content_id(NEW_BRIEF)}").status_code == 200
    assert (index_copy / "uploads" / "dredging.md").read_bytes() == b"another file"


def test_a_document_with_no_passage_is_failed_not_added(
    client: TestClient, index_copy: Path
) -> None:
    before = generation(client)
    empty = running_lines_only_pdf()
    mixed = upload(client, ("headers.pdf", empty), ("dredging.md", NEW_BRIEF))
    assert mixed.status_code == 200, mixed.text
    report = mixed.json()
    assert (report["added"], report["failed"]) == (1, 1)
    failed = next(f for f in report["files"] if f["path"] == "headers.pdf")
    assert failed["status"] == "failed" and failed["error_code"] == "no_text"
    assert "no passage" in failed["reason"]
    sources = {d["source"] for d in client.get("/v1/documents").json()["documents"]}
    assert "headers.pdf" not in sources and "dredging.md" in sources
    assert kept(index_copy) == ["dredging.md"]
    assert generation(client) != before


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ([("cut.pdf", render(harbour_brief())[:3000])], "corrupt"),
        ([("headers.pdf", running_lines_only_pdf())], "no_text"),
        (
            [
                ("cut.pdf", render(harbour_brief())[:3000]),
                ("headers.pdf", running_lines_only_pdf()),
            ],
            "ingest_failed",
        ),
    ],
)
def test_an_upload_whose_every_file_fails_is_422(
    client: TestClient, index_copy: Path, files: list[tuple[str, bytes]], code: str
) -> None:
    before = generation(client)
    error = assert_error_shape(upload(client, *files), 422, code)
    assert [d["file"] for d in error["details"]] == [name for name, _ in files]
    assert all(d["code"] and d["reason"] for d in error["details"])
    assert "nothing was changed" in error["message"]
    assert generation(client) == before and kept(index_copy) == []


def test_a_page_bomb_is_refused_as_too_slow_within_the_budget(
    open_app: OpenApp, index_copy: Path
) -> None:
    # About 6 CPU seconds of parsing on the development machine; the budget is 1 s.
    client = open_app(index_copy, limits={"parse_cpu_seconds": 1, "parse_wall_seconds": 4})
    started = time.monotonic()
    response = upload(client, ("bomb.pdf", page_bomb_pdf(40, 3_800_000)))
    took = time.monotonic() - started
    error = assert_error_shape(response, 422, "too_slow")
    assert "parse budget" in error["message"]
    assert took < 4.0 + 3.0, took
    # The worker was replaced: the next upload parses normally.
    assert upload(client, ("dredging.md", NEW_BRIEF)).json()["added"] == 1


def test_an_upload_waits_a_bounded_time_for_another_writer(
    open_app: OpenApp, index_copy: Path
) -> None:
    client = open_app(index_copy, write_wait_seconds=0.5)
    before = generation(client)
    lock = writer_lock(index_copy, timeout=1)  # as a `briefqa ingest` in another process holds it
    try:
        started = time.monotonic()
        response = upload(client, ("dredging.md", NEW_BRIEF))
        took = time.monotonic() - started
        deleted = client.delete(
            f"/v1/documents/{client.get('/v1/documents').json()['documents'][0]['id']}"
        )
    finally:
        lock.release()
    error = assert_error_shape(response, 429, "index_busy")
    assert response.headers["retry-after"] == "5" and "try again" in error["message"]
    assert took < 5, took
    assert_error_shape(deleted, 429, "index_busy")
    assert generation(client) == before and kept(index_copy) == []
    assert upload(client, ("dredging.md", NEW_BRIEF)).status_code == 200
