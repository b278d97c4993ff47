"""Route logic of answers by intent, statements and chat follow-ups, in process (fake embedder)."""

from __future__ import annotations

from fake_app import BATTERY, SHORE, SOLAR
from fastapi.testclient import TestClient


def test_a_brief_named_by_number_restricts_the_answer_and_is_reported(api: TestClient) -> None:
    body = api.post("/v1/ask", json={"question": "What does Policy Brief 12 recommend?"}).json()
    assert body["intent"] == "recommendations" and body["answered"] is True
    (named,) = body["documents"]
    assert named["matched_by"] == "number" and named["matched_text"] == "Brief 12"
    assert {c["document"]["source"] for c in body["citations"]} == {SOLAR}
    assert [i["text"] for i in body["items"]] == [
        "The Commission should phase out the duties and support domestic wafer production with "
        "grants instead."
    ]
    assert body["items"][0]["addressee"] == "the Commission"


def test_a_document_filter_lists_all_its_recommendations_in_order(
    api: TestClient, fake_doc_ids: dict[str, str]
) -> None:
    body = api.post(
        "/v1/ask",
        json={
            "question": "What are all the recommendations?",
            "filters": {"doc_ids": [fake_doc_ids[SHORE]]},
        },
    ).json()
    assert [(i["addressee"], i["citation"]) for i in body["items"]] == [
        ("Port authorities", 1),
        ("Member states", 2),
    ]
    assert body["documents"][0]["matched_by"] == "filter"
    assert body["answer"].splitlines()[1].startswith("2. Member states should exempt")


def test_statements_of_a_brief_with_kind_filter(api: TestClient, fake_doc_ids) -> None:
    doc_id = fake_doc_ids[BATTERY]
    every = api.get(f"/v1/documents/{doc_id[:8]}/statements").json()
    assert every["document"]["id"] == doc_id
    recommendations = [s for s in every["statements"] if s["kind"] == "recommendation"]
    assert recommendations and recommendations[0]["addressee"] == "Governments"
    text = recommendations[0]["text"]
    page = every["statements"][0]["page_start"]
    assert page == 1 and text.startswith("Governments should sign offtake agreements")
    only = api.get(f"/v1/documents/{doc_id}/statements", params={"kind": "position"}).json()
    assert all(s["kind"] == "position" for s in only["statements"])
    bad = api.get(f"/v1/documents/{doc_id}/statements", params={"kind": "opinion"})
    assert bad.status_code == 422 and bad.json()["error"]["code"]
    missing = api.get("/v1/documents/" + "0" * 64 + "/statements")
    assert missing.status_code == 404


def test_chat_usage_and_a_follow_up_in_process(api: TestClient) -> None:
    first_question = "Which tariff should port authorities publish for shore power?"
    first = api.post(
        "/v1/chat/completions",
        json={"model": "briefqa", "messages": [{"role": "user", "content": first_question}]},
    ).json()
    usage = first["usage"]
    assert usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    follow = api.post(
        "/v1/chat/completions",
        json={
            "model": "briefqa",
            "messages": [
                {"role": "user", "content": first_question},
                {"role": "assistant", "content": first["choices"][0]["message"]["content"]},
                {"role": "user", "content": "And what should member states do about it?"},
            ],
        },
    ).json()
    # The follow-up stays with the brief the first reply cited.
    assert {c["document"]["source"] for c in follow["citations"]} == {SHORE}
    assert "Member states should exempt shore power" in follow["choices"][0]["message"]["content"]
