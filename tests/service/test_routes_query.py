"""POST /v1/search and /v1/ask in process: modes, filters, the answer's shape, bad bodies."""

from __future__ import annotations

import pytest
from fake_app import (
    ANSWER_SENTENCE,
    BATTERY,
    HARBOUR_SERIES,
    OFF_TOPIC,
    ON_TOPIC,
    SHORE,
    SOLAR,
)
from fastapi.testclient import TestClient
from http_checks import assert_error_shape

from service.answer.answerer import NOT_ANSWERED

MODES = ["dense", "bm25", "hybrid"]
RETRIEVERS = {"dense": {"dense"}, "bm25": {"bm25"}, "hybrid": {"dense", "bm25"}}


def search(api: TestClient, **body: object) -> dict:
    response = api.post("/v1/search", json=body)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("mode", MODES)
def test_each_mode_ranks_the_matching_brief_first(api: TestClient, mode: str) -> None:
    body = search(api, query="anti-dumping duties on solar modules", k=4, mode=mode)
    assert (body["query"], body["mode"], body["k"]) == (
        "anti-dumping duties on solar modules",
        mode,
        4,
    )
    hits = body["hits"]
    assert 1 <= len(hits) <= 4
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1))
    assert hits[0]["document"]["source"] == SOLAR and "Anti-dumping" in hits[0]["text"]
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    for hit in hits:
        assert hit["ranks"] and set(hit["ranks"]) <= RETRIEVERS[mode]
        assert hit["page_start"] == hit["page_end"] == 1
        assert 0 <= hit["char_start"] < hit["char_end"]


def test_a_hit_carries_its_document(api: TestClient, fake_doc_ids: dict[str, str]) -> None:
    (hit,) = search(api, query="shore power tariff", k=1)["hits"]
    assert hit["section"] == "Recommendations"
    assert hit["role"] == "body"
    assert hit["document"] == {
        "id": fake_doc_ids[SHORE],
        "source": SHORE,
        "title": "Shore Power for Ships at Berth",
        "series": HARBOUR_SERIES,
        "number": "3",
        "date": "2024-05-14",
        "authors": ["Ada Example"],
        "url": None,
        "kind": "markdown",
        "publisher": None,
        "publisher_acronym": None,
        "pages": 1,
        "chunks": hit["document"]["chunks"],
        "added_at": hit["document"]["added_at"],
        "failed_pages": [],
    }
    assert hit["document"]["chunks"] >= 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"series": HARBOUR_SERIES.upper()}, {SHORE, BATTERY}),
        ({"date_from": "2024-01-01", "date_to": "2024-12-31"}, {SHORE}),
        ({"date_to": "2023-12-31"}, {SOLAR}),
        ({"series": "Meridian Policy Brief", "date_from": "2024-01-01"}, set()),
    ],
)
def test_filters_restrict_the_briefs(
    api: TestClient, mode: str, filters: dict[str, str], expected: set[str]
) -> None:
    # The query matches all three briefs: without a filter, every brief comes back.
    query = "Recommendations should"
    unfiltered = search(api, query=query, k=20, mode=mode)["hits"]
    assert {h["document"]["source"] for h in unfiltered} == {SHORE, SOLAR, BATTERY}
    hits = search(api, query=query, k=20, mode=mode, filters=filters)["hits"]
    assert {h["document"]["source"] for h in hits} == expected


@pytest.mark.parametrize("mode", MODES)
def test_filter_by_document_id(api: TestClient, fake_doc_ids: dict[str, str], mode: str) -> None:
    # A query about solar modules, restricted to the battery brief, finds only the battery brief.
    hits = search(
        api,
        query="solar module prices",
        k=10,
        mode=mode,
        filters={"doc_ids": [fake_doc_ids[BATTERY]]},
    )["hits"]
    assert {h["document"]["id"] for h in hits} <= {fake_doc_ids[BATTERY]}
    if mode != "bm25":  # bm25 finds nothing without a shared word; the vector search always does
        assert hits


def test_ask_answers_with_a_verbatim_cited_sentence(api: TestClient) -> None:
    response = api.post("/v1/ask", json={"question": ON_TOPIC, "k": 3})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {
        "question",
        "mode",
        "intent",
        "answered",
        "answer",
        "items",
        "documents",
        "sentences",
        "citations",
        "closest",
        "timings",
    }
    assert body["answered"] is True and body["question"] == ON_TOPIC and body["mode"] == "hybrid"
    # "Which tariff should ...?" asks for a recommendation: a list of the brief's items.
    assert body["intent"] == "recommendations" and body["closest"] == []
    assert body["sentences"][0] == {"text": ANSWER_SENTENCE, "citation": 1}
    assert body["items"][0]["text"] == ANSWER_SENTENCE
    assert body["items"][0]["kind"] == "recommendation"
    assert body["answer"].startswith(f"1. {ANSWER_SENTENCE} [1]")
    by_n = {c["n"]: c for c in body["citations"]}
    assert sorted(by_n) == list(range(1, len(by_n) + 1))
    for sentence in body["sentences"]:
        cited = by_n[sentence["citation"]]
        assert f"{sentence['text']} [{sentence['citation']}]" in body["answer"]
        assert any(cited["text"][a:b] == sentence["text"] for a, b in cited["highlights"])
    assert by_n[1]["document"]["source"] == SHORE and by_n[1]["section"] == "Recommendations"
    assert set(body["timings"]) == {"retrieve_ms", "answer_ms", "total_ms"}


@pytest.mark.parametrize("mode", MODES)
def test_ask_in_each_mode(api: TestClient, mode: str) -> None:
    body = api.post("/v1/ask", json={"question": ON_TOPIC, "mode": mode}).json()
    assert body["mode"] == mode and body["answered"] is True
    assert body["sentences"][0]["text"] == ANSWER_SENTENCE


def test_ask_with_a_filter_that_excludes_the_answer(
    api: TestClient, fake_doc_ids: dict[str, str]
) -> None:
    body = api.post(
        "/v1/ask", json={"question": ON_TOPIC, "filters": {"doc_ids": [fake_doc_ids[SOLAR]]}}
    ).json()
    assert ANSWER_SENTENCE not in body["answer"]
    assert {c["document"]["source"] for c in body["citations"]} <= {SOLAR}


def test_an_off_topic_question_is_not_answered(api: TestClient) -> None:
    response = api.post("/v1/ask", json={"question": OFF_TOPIC})
    assert response.status_code == 200
    body = response.json()
    assert body["answered"] is False and body["answer"] == NOT_ANSWERED
    assert body["sentences"] == [] and body["citations"] == []


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/v1/ask", {"question": ""}, "question"),
        ("/v1/ask", {"question": "   "}, "question"),
        ("/v1/ask", {"question": "x" * 1001}, "question"),
        ("/v1/ask", {"question": "a\x00b"}, "question"),
        ("/v1/ask", {}, "question"),
        ("/v1/ask", {"question": "tariffs", "k": 0}, "k"),
        ("/v1/ask", {"question": "tariffs", "k": 21}, "k"),
        ("/v1/ask", {"question": "tariffs", "mode": "semantic"}, "mode"),
        ("/v1/search", {"query": "tariffs", "k": 101}, "k"),
        ("/v1/search", {"query": "x", "filters": {"date_from": "2024-02-30"}}, "filters.date_from"),
        ("/v1/search", {"query": "x", "filters": {"doc_ids": [""]}}, "filters.doc_ids.0"),
        ("/v1/search", {"query": "x", "filters": {"author": "A"}}, "filters.author"),
        ("/v1/search", {"query": "x", "unknown": 1}, "unknown"),
        ("/v1/ask", [1, 2], ""),
    ],
)
def test_bad_bodies_are_422_naming_the_field(
    api: TestClient, path: str, payload: object, field: str
) -> None:
    error = assert_error_shape(api.post(path, json=payload), 422, "invalid_request")
    assert error["details"][0]["field"] == field and error["details"][0]["problem"]
    if field:
        assert error["message"].startswith(f"{field}: ")


def test_a_body_that_is_not_json_is_400(api: TestClient) -> None:
    response = api.post(
        "/v1/ask", content=b'{"question": "x",', headers={"content-type": "application/json"}
    )
    assert "not valid JSON" in assert_error_shape(response, 400, "malformed_json")["message"]


def test_a_form_body_is_422(api: TestClient) -> None:
    error = assert_error_shape(api.post("/v1/ask", data={"question": "x"}), 422)
    assert "JSON" in error["message"]


def test_an_oversized_body_is_413(api: TestClient) -> None:
    big = b'{"question": "' + b"x" * (5 * 1024 * 1024) + b'"}'
    response = api.post("/v1/ask", content=big, headers={"content-type": "application/json"})
    assert "limit" in assert_error_shape(response, 413, "too_large")["message"]


def test_unknown_routes_and_methods(api: TestClient) -> None:
    error = assert_error_shape(api.get("/v1/nothing-here"), 404, "not_found")
    assert "/v1/nothing-here" in error["message"]
    response = api.put("/v1/ask", json={})
    assert_error_shape(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "POST"
    # Two routes serve /v1/documents/{doc_id}: Allow lists the methods of both.
    response = api.post("/v1/documents/abcdef")
    assert_error_shape(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "DELETE, GET"
