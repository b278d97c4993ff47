"""Answers shown by intent (a numbered list, a table of briefs) and the brief panel, in headless
Chromium against a real `briefqa serve` over the sample briefs, checked against the API."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import Server
from .steps import (
    api_ask,
    api_document,
    api_statements,
    ask_on_page,
    open_page,
    pages_label,
    series_label,
)

pytestmark = pytest.mark.slow

RECOMMENDATIONS = (
    "What are the recommendations of the brief on critical raw materials export controls?"
)
RAW_MATERIALS = "08-critical-raw-materials-export-controls.pdf"
COMPARISON = (
    "Which briefs examine what China's 2023 controls on gallium and germanium mean for Europe?"
)
expect.set_options(timeout=15_000)


def expect_marker_leads_to_citation(marker: Locator, n: int) -> None:
    expect(marker).to_have_text(f"[{n}]")
    expect(marker).to_have_attribute("href", f"#cite-{n}")


def expect_statements(items: Locator, statements: list[dict[str, Any]], who: str) -> None:
    """Each listed statement shows its text, label, pages and (in `.{who}`) its party."""
    expect(items).to_have_count(len(statements))
    for item, statement in zip(items.all(), statements, strict=True):
        expect(item.locator(".statement-text")).to_have_text(statement["text"])
        expect(item.locator(".statement-pages")).to_have_text(
            pages_label(statement["page_start"], statement["page_end"])
        )
        if statement["label"]:
            expect(item.locator(".statement-label")).to_have_text(statement["label"])
        party = statement["addressee"] if who == "statement-addressee" else statement["actor"]
        prefix = "to" if who == "statement-addressee" else "held by"
        expect(item.locator(f".{who}")).to_have_text(f"{prefix} {party}")


def test_recommendations_of_a_named_brief_are_a_numbered_list_of_cited_items(
    page: Page, server: Server
) -> None:
    doc = api_document(server, RAW_MATERIALS)
    expected = api_ask(server, RECOMMENDATIONS)
    assert expected["answered"] and expected["intent"] == "recommendations", expected["answer"]
    assert [d["doc_id"] for d in expected["documents"]] == [doc["id"]]
    items = expected["items"]
    assert len(items) == 8 and all(i["doc_id"] == doc["id"] for i in items), items

    open_page(page, server)
    ask_on_page(page, RECOMMENDATIONS)
    expect(page.locator("#answer-heading")).to_have_text("Answer")
    listed = page.locator("#answer ol.answer-list > li")
    expect(listed).to_have_count(8)
    for entry, item in zip(listed.all(), items, strict=True):
        expect(entry.locator(".item-text")).to_have_text(item["text"])
        expect(entry.locator(".item-meta")).to_have_text(f"to {item['addressee']}")
        markers = entry.locator("a.marker")
        expect(markers).to_have_count(1)
        expect_marker_leads_to_citation(markers, item["citation"])
        expect(page.locator(f"#cite-{item['citation']}")).to_have_count(1)

    scope = page.locator("#answer-scope")
    expect(scope).to_be_visible()
    expect(scope.get_by_role("button", name=doc["title"])).to_have_text(doc["title"])
    expect(scope).to_contain_text(f"(“{expected['documents'][0]['matched_text']}”)")

    last = items[-1]["citation"]
    listed.last.locator("a.marker").click()
    expect(page.locator(f"#cite-{last}")).to_be_focused()


def test_which_briefs_question_is_a_table_with_one_row_per_brief(
    page: Page, server: Server
) -> None:
    expected = api_ask(server, COMPARISON)
    assert expected["answered"] and expected["intent"] == "comparison", expected["answer"]
    items = expected["items"]
    assert len(items) >= 2 and len({i["doc_id"] for i in items}) == len(items), items
    citations = {c["n"]: c for c in expected["citations"]}

    open_page(page, server)
    ask_on_page(page, COMPARISON)
    table = page.get_by_role("table")
    expect(table).to_have_count(1)
    expect(table.get_by_role("columnheader")).to_have_text(["Brief", "What it says", "Pages"])
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(items))
    expect(table.get_by_role("rowheader")).to_have_count(len(items))
    for row, item in zip(rows.all(), items, strict=True):
        citation = citations[item["citation"]]
        doc = citation["document"]
        assert doc["id"] == item["doc_id"]
        expect(row.locator(".cmp-title")).to_have_text(doc["title"])
        expect(row.locator(".cmp-series")).to_have_text(series_label(doc))
        expect(row.locator(".cmp-entry")).to_contain_text(item["text"])
        expect_marker_leads_to_citation(row.locator(".cmp-entry a.marker"), item["citation"])
        expect(row.locator(".cmp-pages")).to_have_text(
            pages_label(citation["page_start"], citation["page_end"])
        )
    expect(page.locator("#answer-scope")).to_be_hidden()


def test_brief_panel_from_the_list_shows_recommendations_and_positions(
    page: Page, server: Server
) -> None:
    doc = api_document(server, "02-ecological-civilisation.pdf")
    recommendations = api_statements(server, doc["id"], "recommendation")
    positions = api_statements(server, doc["id"], "position")
    assert recommendations and all(s["addressee"] for s in recommendations), recommendations
    assert len({s["addressee"] for s in recommendations}) > 1, "addressees should differ here"
    assert positions and all(s["actor"] for s in positions), positions

    open_page(page, server)
    opener = page.get_by_role("button", name=f"About this brief: {doc['title']}")
    opener.click()
    panel = page.get_by_role("region", name=doc["title"])
    expect(panel).to_be_visible()
    expect(panel).to_have_attribute("aria-busy", "false")
    expect(page.locator("#brief-title")).to_be_focused()
    expect(page.locator("#brief-meta")).to_contain_text(series_label(doc))
    expect(panel.get_by_role("heading", name="Recommendations")).to_contain_text(
        f"({len(recommendations)})"
    )
    expect_statements(
        panel.locator("#brief-recommendations > li"), recommendations, "statement-addressee"
    )
    expect_statements(panel.locator("#brief-positions > li"), positions, "statement-actor")

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(opener).to_be_focused()

    opener.press("Enter")
    expect(panel).to_be_visible()
    panel.get_by_role("button", name="Ask only about this brief").click()
    expect(page.locator("#filter-title")).to_have_text(doc["title"])
    expect(page.locator("button.doc", has_text=doc["title"])).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_label("Your question")).to_be_focused()


def test_brief_panel_opens_from_a_citation(page: Page, server: Server) -> None:
    doc = api_document(server, RAW_MATERIALS)
    recommendations = api_statements(server, doc["id"], "recommendation")
    open_page(page, server)
    ask_on_page(page, RECOMMENDATIONS)
    opener = page.locator("#cite-1").get_by_role("button", name="About this brief")
    opener.click()
    panel = page.get_by_role("region", name=doc["title"])
    expect(panel).to_be_visible()
    expect_statements(
        panel.locator("#brief-recommendations > li"), recommendations, "statement-addressee"
    )
    panel.get_by_role("button", name="Close").click()
    expect(panel).to_be_hidden()
    expect(opener).to_be_focused()
