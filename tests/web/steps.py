"""Steps shared by the browser tests: the API asked directly (for expected values) and the page's
own actions (open it, ask a question)."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Page, expect

from .conftest import Server


def series_label(doc: dict[str, Any]) -> str:
    return f"{doc['series']} No. {doc['number']}"


def pages_label(start: int, end: int) -> str:
    return f"p. {start}" if start == end else f"pp. {start}–{end}"


def api_ask(server: Server, question: str, mode: str = "hybrid", **extra: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{server.base}v1/ask", json={"question": question, "mode": mode, **extra}, timeout=60
    )
    response.raise_for_status()
    return response.json()


def api_documents(server: Server) -> list[dict[str, Any]]:
    response = httpx.get(f"{server.base}v1/documents", timeout=30)
    response.raise_for_status()
    return response.json()["documents"]


def api_document(server: Server, source: str) -> dict[str, Any]:
    """The indexed brief made from the sample file `source`."""
    return next(d for d in api_documents(server) if d["source"] == source)


def api_statements(server: Server, doc_id: str, kind: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{server.base}v1/documents/{doc_id}/statements", params={"kind": kind}, timeout=30
    )
    response.raise_for_status()
    return response.json()["statements"]


def open_page(page: Page, server: Server) -> None:
    page.goto(server.base)
    expect(page.locator("button.doc")).to_have_count(len(api_documents(server)))


def ask_on_page(page: Page, question: str) -> None:
    page.get_by_label("Your question").fill(question)
    with page.expect_response("**/v1/ask"):
        page.get_by_label("Your question").press("Enter")
    expect(page.locator("#results")).to_have_attribute("aria-busy", "false")
