"""A real `briefqa serve` over HTTP: health, search, ask, one error shape, metrics, concurrency."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from http_checks import assert_error_shape

# A real server process over the sample briefs (real model); test_routes_*.py run the same
# route logic in process in the fast tier.
pytestmark = pytest.mark.slow

ON_TOPIC = "What share of Russia's machine tool imports came from China?"
OFF_TOPIC = "How do I make a classic Italian carbonara?"


def test_health_and_readiness(server) -> None:
    with server.client() as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200
        body = ready.json()
        assert body["status"] == "ready" and re.match(r"^gen-\d{6}$", body["generation"])
        assert body["documents"] >= 12 and body["chunks"] > body["documents"]


def test_search_returns_cited_passages(server) -> None:
    with server.client() as client:
        response = client.post("/v1/search", json={"query": "gallium export licensing", "k": 4})
    assert response.status_code == 200
    body = response.json()
    assert (
        body["query"] == "gallium export licensing" and body["mode"] == "hybrid" and body["k"] == 4
    )
    assert 1 <= len(body["hits"]) <= 4
    hit = body["hits"][0]
    assert hit["rank"] == 1 and hit["ranks"] and "gallium" in hit["text"].lower()
    assert hit["page_start"] >= 1 and hit["page_end"] >= hit["page_start"]
    doc = hit["document"]
    assert {"id", "source", "title", "series", "number", "date", "pages", "chunks"} <= set(doc)
    assert len(doc["id"]) == 64


@pytest.mark.parametrize("mode", ["dense", "bm25", "hybrid"])
def test_search_modes_and_filters(server, mode: str) -> None:
    with server.client() as client:
        docs = client.get("/v1/documents").json()["documents"]
        solar = next(d for d in docs if d["source"].startswith("11-"))
        body = client.post(
            "/v1/search",
            json={
                "query": "tariffs on panels",
                "k": 5,
                "mode": mode,
                "filters": {"doc_ids": [solar["id"]]},
            },
        ).json()
    assert body["mode"] == mode and body["hits"]
    assert {h["document"]["id"] for h in body["hits"]} == {solar["id"]}


def test_ask_answers_with_verbatim_cited_sentences(server) -> None:
    with server.client() as client:
        response = client.post("/v1/ask", json={"question": ON_TOPIC})
    assert response.status_code == 200
    body = response.json()
    assert body["answered"] is True and body["mode"] == "hybrid" and body["question"] == ON_TOPIC
    citations = {c["n"]: c for c in body["citations"]}
    assert body["sentences"]
    for sentence in body["sentences"]:
        cited = citations[sentence["citation"]]
        assert sentence["text"] in cited["text"]
        assert f"{sentence['text']} [{sentence['citation']}]" in body["answer"]
        assert any(cited["text"][a:b] == sentence["text"] for a, b in cited["highlights"])
    first = body["citations"][0]
    assert first["document"]["source"] == "01-china-russia-ukraine.pdf"
    assert first["document"]["series"] and first["document"]["number"] and first["document"]["date"]
    assert first["section"] and first["page_start"] >= 1 and isinstance(first["score"], float)
    assert set(body["timings"]) == {"retrieve_ms", "answer_ms", "total_ms"}


def test_ask_off_topic_is_not_answered(server) -> None:
    with server.client() as client:
        body = client.post("/v1/ask", json={"question": OFF_TOPIC, "k": 3}).json()
    assert body["answered"] is False
    assert body["sentences"] == [] and body["citations"] == []
    assert "do not answer" in body["answer"]


@pytest.mark.parametrize(
    ("path", "payload", "status", "code"),
    [
        ("/v1/ask", {"question": ""}, 422, "invalid_request"),
        ("/v1/ask", {"question": "   "}, 422, "invalid_request"),
        ("/v1/ask", {"question": "x" * 1001}, 422, "invalid_request"),
        ("/v1/ask", {"question": "tariffs", "k": 0}, 422, "invalid_request"),
        ("/v1/ask", {"question": "tariffs", "k": 21}, 422, "invalid_request"),
        ("/v1/search", {"query": "tariffs", "k": 101}, 422, "invalid_request"),
        ("/v1/ask", {"question": "tariffs", "mode": "semantic"}, 422, "invalid_request"),
        (
            "/v1/search",
            {"query": "x", "filters": {"date_from": "2024-02-30"}},
            422,
            "invalid_request",
        ),
        ("/v1/search", {"query": "x", "unknown": 1}, 422, "invalid_request"),
        ("/v1/ask", [1, 2], 422, "invalid_request"),
    ],
)
def test_bad_requests_say_what_to_fix(server, path: str, payload, status: int, code: str) -> None:
    with server.client() as client:
        error = assert_error_shape(client.post(path, json=payload), status, code)
    assert error["details"] and error["details"][0]["problem"]


def test_error_messages_name_the_field(server) -> None:
    with server.client() as client:
        error = assert_error_shape(client.post("/v1/ask", json={"question": "a", "k": 99}), 422)
    assert error["message"].startswith("k:") and "20" in error["message"]


def test_malformed_json_is_a_400(server) -> None:
    with server.client() as client:
        response = client.post(
            "/v1/ask", content=b'{"question": "x",', headers={"content-type": "application/json"}
        )
    assert "JSON" in assert_error_shape(response, 400, "malformed_json")["message"]


def test_form_body_and_unknown_routes(server) -> None:
    with server.client() as client:
        assert_error_shape(client.post("/v1/ask", data={"question": "x"}), 422, "invalid_request")
        assert_error_shape(client.get("/v1/nothing-here"), 404, "not_found")
        assert_error_shape(client.put("/v1/ask", json={}), 405, "method_not_allowed")
        assert_error_shape(client.get("/v1/documents/not-a-document"), 404, "document_not_found")


def test_oversized_json_body_is_refused(server) -> None:
    with server.client() as client:
        big = b'{"question": "' + b"x" * (5 * 1024 * 1024) + b'"}'
        response = client.post("/v1/ask", content=big, headers={"content-type": "application/json"})
    assert_error_shape(response, 413, "too_large")


def test_concurrent_requests_are_consistent(server) -> None:
    questions = [ON_TOPIC, "Why was TikTok fined by the Irish regulator?"] * 6

    def ask(question: str) -> tuple[int, str]:
        with server.client() as client:
            r = client.post("/v1/ask", json={"question": question})
            return r.status_code, r.json()["answer"]

    def search(question: str) -> int:
        with server.client() as client:
            return client.post("/v1/search", json={"query": question, "k": 10}).status_code

    with ThreadPoolExecutor(8) as pool:
        asked = list(pool.map(ask, questions))
        searched = list(pool.map(search, questions))
    assert {status for status, _ in asked} == {200} and set(searched) == {200}
    assert len({answer for _, answer in asked}) == 2


def test_metrics_count_requests_per_route(server) -> None:
    with server.client() as client:
        client.post("/v1/search", json={"query": "rare earth magnets"})
        client.post("/v1/search", json={"query": ""})
        text = client.get("/metrics").text
        documents = client.get("/readyz").json()["documents"]
    assert re.search(
        r'briefqa_requests_total\{method="POST",route="/v1/search",status="200"\} \d+', text
    )
    assert re.search(
        r'briefqa_requests_total\{method="POST",route="/v1/search",status="422"\} \d+', text
    )
    assert re.search(
        r'briefqa_request_duration_seconds_count\{method="POST",route="/v1/search"\} \d+', text
    )
    assert 'le="+Inf"' in text
    assert f"briefqa_index_documents {documents}" in text
    assert "briefqa_index_chunks " in text and "briefqa_index_ready 1" in text


def test_public_config_and_openapi(server) -> None:
    with server.client() as client:
        config = client.get("/v1/config/public").json()
        schema = client.get("/openapi.json").json()
    assert config == {
        "uploads_enabled": True,
        "auth_required": True,
        "modes": ["hybrid", "dense", "bm25"],
        "default_mode": "hybrid",
    }
    for path in [
        "/v1/search",
        "/v1/ask",
        "/v1/documents",
        "/v1/documents/{doc_id}",
        "/v1/models",
        "/v1/chat/completions",
        "/healthz",
        "/readyz",
        "/metrics",
    ]:
        assert path in schema["paths"], path
    ask_schema = schema["components"]["schemas"]["AskIn"]
    assert ask_schema["examples"]


def test_no_cors_by_default_and_the_web_page(server) -> None:
    with server.client() as client:
        response = client.get("/healthz", headers={"Origin": "https://example.org"})
        page = client.get("/")
    assert "access-control-allow-origin" not in response.headers
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
