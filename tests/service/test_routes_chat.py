"""The OpenAI-compatible routes in process: models, a whole completion, a streamed one, errors."""

from __future__ import annotations

import json

import pytest
from fake_app import ANSWER_SENTENCE, OFF_TOPIC, ON_TOPIC, SHORE
from fastapi.testclient import TestClient
from http_checks import assert_error_shape

from service.answer.answerer import NOT_ANSWERED


def chat(question: object, **extra: object) -> dict[str, object]:
    return {"model": "briefqa", "messages": [{"role": "user", "content": question}], **extra}


def stream_events(api: TestClient, body: dict[str, object]) -> list[str]:
    with api.stream("POST", "/v1/chat/completions", json=body) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = list(response.iter_lines())
    events = [line for line in lines if line]
    assert all(e.startswith("data: ") for e in events), events
    return [e.removeprefix("data: ") for e in events]


def test_models_lists_the_one_model(api: TestClient) -> None:
    body = api.get("/v1/models").json()
    assert body["object"] == "list"
    (model,) = body["data"]
    assert (model["id"], model["object"], model["owned_by"]) == ("briefqa", "model", "briefqa")
    assert model["created"] > 0


def test_a_completion_is_the_cited_answer_and_its_sources(api: TestClient) -> None:
    body = {
        "model": "briefqa",
        "messages": [
            {"role": "system", "content": "Answer briefly."},
            {"role": "user", "content": "Tell me about solar modules."},
            {"role": "assistant", "content": "Solar is in brief 12."},
            {"role": "user", "content": ON_TOPIC},
        ],
    }
    response = api.post("/v1/chat/completions", json=body)
    assert response.status_code == 200, response.text
    completion = response.json()
    assert completion["object"] == "chat.completion" and completion["model"] == "briefqa"
    assert completion["id"].startswith("chatcmpl-")
    (choice,) = completion["choices"]
    assert choice["finish_reason"] == "stop" and choice["message"]["role"] == "assistant"
    # The last user message is the question: the answer is the one /v1/ask gives.
    asked = api.post("/v1/ask", json={"question": ON_TOPIC}).json()
    answer, sources = choice["message"]["content"].split("\n\nSources:\n")
    # A recommendation question: the reply is a Markdown list, the same lines /v1/ask gives.
    assert answer == asked["answer"] and answer.startswith(f"1. {ANSWER_SENTENCE} [1]")
    citations = completion["citations"]
    assert [c["n"] for c in citations] == [c["n"] for c in asked["citations"]]
    assert [c["chunk_id"] for c in citations] == [c["chunk_id"] for c in asked["citations"]]
    lines = sources.splitlines()
    assert len(lines) == len(citations)
    assert citations[0]["document"]["source"] == SHORE
    assert lines[0] == (
        "[1] Shore Power for Ships at Berth — Harbour Policy Brief No. 3, p. 1, Recommendations"
    )


def test_a_question_in_content_parts(api: TestClient) -> None:
    parts = [{"type": "image_url", "image_url": {"url": "x"}}, {"type": "text", "text": ON_TOPIC}]
    completion = api.post("/v1/chat/completions", json=chat(parts)).json()
    assert completion["choices"][0]["message"]["content"].startswith(f"1. {ANSWER_SENTENCE}")


def test_an_off_topic_question_gets_no_sources(api: TestClient) -> None:
    completion = api.post("/v1/chat/completions", json=chat(OFF_TOPIC)).json()
    assert completion["choices"][0]["message"]["content"] == NOT_ANSWERED
    assert completion["citations"] == []


def test_a_streamed_completion_adds_up_to_the_whole_one(api: TestClient) -> None:
    whole = api.post("/v1/chat/completions", json=chat(ON_TOPIC)).json()
    events = stream_events(api, chat(ON_TOPIC, stream=True))
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert len(chunks) >= 4  # role, at least one sentence, the sources, the final chunk
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    assert len({c["id"] for c in chunks}) == 1 and chunks[0]["id"] != whole["id"]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1])
    assert all("citations" not in c for c in chunks[:-1])
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert text == whole["choices"][0]["message"]["content"]
    last = chunks[-1]
    assert last["choices"][0] == {"index": 0, "delta": {}, "finish_reason": "stop"}
    assert last["citations"] == whole["citations"]


def test_a_streamed_off_topic_answer(api: TestClient) -> None:
    events = stream_events(api, chat(OFF_TOPIC, stream=True))
    chunks = [json.loads(e) for e in events[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert text == NOT_ANSWERED and chunks[-1]["citations"] == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}, 404),
        ({"model": "briefqa", "messages": [{"role": "system", "content": "x"}]}, 422),
        ({"model": "briefqa", "messages": []}, 422),
        ({"messages": [{"role": "user", "content": "hi"}]}, 422),
        (chat("x" * 1001), 422),
        (chat("   "), 422),
        (chat("hi", stream="yes"), 422),
        ({"model": "briefqa", "messages": [{"role": "robot", "content": "hi"}]}, 422),
    ],
    ids=[
        "unknown-model",
        "no-user-message",
        "no-messages",
        "no-model",
        "too-long",
        "blank",
        "stream-not-bool",
        "unknown-role",
    ],
)
def test_bad_chat_requests(api: TestClient, body: dict, status: int) -> None:
    code = "model_not_found" if status == 404 else "invalid_request"
    error = assert_error_shape(api.post("/v1/chat/completions", json=body), status, code)
    assert error["message"]
