"""Request checks in process: strict types on the public API, field names in errors, bodies that
are not UTF-8, and write requests from web pages on other origins."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_app import NEW_BRIEF, SHORE, OpenApp
from fastapi.testclient import TestClient
from helpers import copy_index
from http_checks import assert_error_shape

from service.api.origin import cross_origin_problem, is_loopback


@pytest.mark.parametrize("path", ["/v1/search", "/v1/ask"])
@pytest.mark.parametrize("k", ["5", True, 5.0, "five"])
def test_k_must_be_a_json_integer(api: TestClient, path: str, k: object) -> None:
    field = "query" if path == "/v1/search" else "question"
    error = assert_error_shape(api.post(path, json={field: "shore power", "k": k}), 422)
    assert [d["field"] for d in error["details"]] == ["k"]


def test_a_json_integer_k_is_accepted(api: TestClient) -> None:
    response = api.post("/v1/search", json={"query": "shore power", "k": 2})
    assert response.status_code == 200 and len(response.json()["hits"]) == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"query": ""}, "query"),
        ({"query": "   "}, "query"),
        ({"query": 5}, "query"),
        ({}, "query"),
        ({"query": "ports", "filters": {"date_from": "May"}}, "filters.date_from"),
    ],
)
def test_errors_name_the_field_even_when_it_is_called_query(
    api: TestClient, body: dict[str, object], field: str
) -> None:
    error = assert_error_shape(api.post("/v1/search", json=body), 422, "invalid_request")
    assert [d["field"] for d in error["details"]] == [field]
    assert error["message"].startswith(f"{field}: ")


def test_a_query_parameter_keeps_its_name(api: TestClient, fake_doc_ids: dict[str, str]) -> None:
    response = api.get(f"/v1/documents/{fake_doc_ids[SHORE]}/statements", params={"kind": "x"})
    error = assert_error_shape(response, 422, "invalid_request")
    assert [d["field"] for d in error["details"]] == ["kind"]


@pytest.mark.parametrize("body", [b'{"query": "caf\xe9"}', b"\x80{}", b'{"query": "\xc3"}'])
def test_a_body_that_is_not_utf8_is_malformed_json(api: TestClient, body: bytes) -> None:
    response = api.post("/v1/search", content=body, headers={"content-type": "application/json"})
    error = assert_error_shape(response, 400, "malformed_json")
    assert "UTF-8" in error["message"]


# -- write requests from web pages -----------------------------------------------------------


@pytest.fixture
def index_copy(fake_index: Path, tmp_path: Path) -> Path:
    return copy_index(fake_index, tmp_path / "index")


def upload(client: TestClient, headers: dict[str, str]):
    return client.post("/v1/documents", files={"files": ("new.md", NEW_BRIEF)}, headers=headers)


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://testserver:8080", "https://testserver", "null"]
)
def test_writes_from_another_origin_are_refused(
    open_app: OpenApp, index_copy: Path, fake_doc_ids: dict[str, str], origin: str
) -> None:
    client = open_app(index_copy)
    before = client.get("/readyz").json()
    headers = {"Origin": origin}
    error = assert_error_shape(upload(client, headers), 403, "cross_origin")
    assert "BRIEFQA_SERVER__CORS_ORIGINS" in error["message"]
    deleted = client.delete(f"/v1/documents/{fake_doc_ids[SHORE]}", headers=headers)
    assert_error_shape(deleted, 403, "cross_origin")
    assert client.get("/readyz").json() == before
    assert not (index_copy / "uploads").exists()
    # Reads are not writes: a page may still search (CORS decides whether it sees the answer).
    assert client.post("/v1/search", json={"query": "ports"}, headers=headers).status_code == 200


def test_the_origin_check_comes_before_the_api_key(open_app: OpenApp, index_copy: Path) -> None:
    client = open_app(index_copy, api_key="k")
    headers = {"Origin": "https://evil.example", "Authorization": "Bearer k"}
    assert_error_shape(upload(client, headers), 403, "cross_origin")


@pytest.mark.parametrize(
    ("settings", "origin"),
    [
        ({}, "http://testserver"),  # the server's own page
        ({"cors_origins": ["https://briefs.example"]}, "https://briefs.example"),
        ({"cors_origins": ["https://briefs.example/"]}, "https://Briefs.example"),
        ({}, None),  # not a browser: curl, SDKs
    ],
)
def test_writes_from_allowed_pages_and_non_browsers_go_on(
    open_app: OpenApp, index_copy: Path, settings: dict[str, object], origin: str | None
) -> None:
    client = open_app(index_copy, **settings)
    response = upload(client, {"Origin": origin} if origin else {})
    assert response.status_code == 200, response.text
    assert response.json()["added"] == 1


@pytest.mark.parametrize(
    ("origin", "host", "server", "allowed"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", "127.0.0.1", True),
        ("http://localhost:8000", "localhost:8000", "127.0.0.1", True),
        ("http://[::1]:8000", "[::1]:8000", "::1", True),
        ("http://localhost", "localhost:80", "127.0.0.1", True),
        ("http://127.0.0.1:8001", "127.0.0.1:8000", "127.0.0.1", False),
        ("https://127.0.0.1:8000", "127.0.0.1:8000", "127.0.0.1", False),
        # DNS rebinding: a public name resolving to loopback is not the server's own page.
        ("http://evil.example:8000", "evil.example:8000", "127.0.0.1", False),
        # A server reachable on the network serves its page under its own name.
        ("http://briefs.lan:8000", "briefs.lan:8000", "192.168.1.5", True),
        ("http://evil.example", "briefs.lan:8000", "192.168.1.5", False),
        ("http://127.0.0.1:8000", None, "127.0.0.1", False),
        ("not a url", "127.0.0.1:8000", "127.0.0.1", False),
    ],
)
def test_cross_origin_rules(origin: str, host: str | None, server: str, allowed: bool) -> None:
    problem = cross_origin_problem(origin, host, "http", server, [])
    assert (problem is None) is allowed, problem


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("app.localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("evil.example", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
