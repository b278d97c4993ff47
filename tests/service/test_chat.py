"""The official `openai` client against the real server: models, chat completions, streaming."""

from __future__ import annotations

import httpx
import openai
import pytest
from http_checks import assert_error_shape

# A real server process over the sample briefs (real model); test_routes_chat.py runs the same
# route logic in process in the fast tier.
pytestmark = pytest.mark.slow

QUESTION = "What does the brief recommend on transparency in sovereign lending?"


@pytest.fixture(scope="module")
def client(server) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server.base}/v1", api_key="x", max_retries=0, timeout=60)


def test_models(client: openai.OpenAI) -> None:
    models = client.models.list()
    assert [m.id for m in models.data] == ["briefqa"]
    assert models.data[0].owned_by == "briefqa" and models.data[0].created > 0


def test_chat_completion_is_the_cited_answer_with_sources(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="briefqa",
        messages=[
            {"role": "system", "content": "You are helpful."},
            {"role": "user", "content": "Tell me about coal."},
            {"role": "assistant", "content": "Coal is discussed in brief 2."},
            {"role": "user", "content": QUESTION},
        ],
    )
    assert completion.object == "chat.completion" and completion.model == "briefqa"
    (choice,) = completion.choices
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    content = choice.message.content
    answer, sources = content.split("\n\nSources:\n")
    citations = completion.model_extra["citations"]
    assert citations and [c["n"] for c in citations] == list(range(1, len(citations) + 1))
    for c in citations:
        assert f"[{c['n']}]" in answer
        assert any(c["text"][a:b] in answer for a, b in c["highlights"])
    lines = sources.splitlines()
    assert len(lines) == len(citations)
    first = citations[0]
    doc = first["document"]
    assert lines[0].startswith(f"[1] {doc['title']} — {doc['series']} No. {doc['number']}, p")
    assert "05-debt" in doc["source"] and "transparency" in answer.lower()


def test_streamed_completion_matches_the_whole_one(client: openai.OpenAI) -> None:
    whole = client.chat.completions.create(
        model="briefqa", messages=[{"role": "user", "content": QUESTION}]
    )
    chunks = list(
        client.chat.completions.create(
            model="briefqa", messages=[{"role": "user", "content": QUESTION}], stream=True
        )
    )
    assert len(chunks) >= 3
    assert chunks[0].choices[0].delta.role == "assistant"
    assert all(c.object == "chat.completion.chunk" and c.id == chunks[0].id for c in chunks)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == whole.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["citations"] == whole.model_extra["citations"]


def test_content_parts_and_off_topic_questions(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="briefqa",
        messages=[
            {"role": "user", "content": [{"type": "text", "text": "Who won the 2022 World Cup?"}]}
        ],
    )
    assert "do not answer" in completion.choices[0].message.content
    assert completion.model_extra["citations"] == []


def test_raw_stream_ends_with_done(server) -> None:
    body = {"model": "briefqa", "stream": True, "messages": [{"role": "user", "content": QUESTION}]}
    with httpx.stream("POST", f"{server.base}/v1/chat/completions", json=body, timeout=60) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        events = [line for line in r.iter_lines() if line]
    assert all(e.startswith("data: ") for e in events)
    assert events[-1] == "data: [DONE]"


def test_chat_errors(client: openai.OpenAI, server) -> None:
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(
            model="briefqa", messages=[{"role": "system", "content": "x"}]
        )
    with httpx.Client(base_url=server.base) as http:
        assert_error_shape(
            http.post("/v1/chat/completions", json={"model": "briefqa", "messages": []}), 422
        )
        too_long = {"model": "briefqa", "messages": [{"role": "user", "content": "x" * 1001}]}
        assert_error_shape(http.post("/v1/chat/completions", json=too_long), 422, "invalid_request")
