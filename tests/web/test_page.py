"""The web page in headless Chromium against a real `briefqa serve`: ask, cite, filter, upload."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import TIMEOUT_MS, Server
from .steps import (
    api_ask,
    api_document,
    api_documents,
    ask_on_page,
    open_page,
    pages_label,
    series_label,
)

pytestmark = pytest.mark.slow

QUESTION = "Does China supply Russia with weapons?"
COMPARISON = (
    "Which briefs examine what China's 2023 controls on gallium and germanium mean for Europe?"
)
expect.set_options(timeout=15_000)


def test_page_and_assets_come_from_the_app_alone(page: Page, server: Server) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_page(page, server)
    assert requested and all(url.startswith(server.base) for url in requested), requested
    assert page.locator('meta[name="viewport"]').count() == 1
    for doc in api_documents(server):
        button = page.locator("button.doc", has_text=doc["title"])
        expect(button).to_contain_text(series_label(doc))
        expect(button).to_contain_text(f"{doc['pages']} pages")
        expect(button).to_have_attribute("aria-pressed", "false")
    for name in ("app.js", "answer.js", "brief.js", "api.js", "dom.js", "style.css"):
        assert f"{server.base}static/{name}" in requested, name
        response = httpx.get(f"{server.base}static/{name}", timeout=10)
        assert response.status_code == 200, name


def test_answer_shows_cited_passages_with_highlighted_sentences(page: Page, server: Server) -> None:
    expected = api_ask(server, QUESTION)
    assert expected["answered"], expected["answer"]
    open_page(page, server)
    ask_on_page(page, QUESTION)

    expect(page.locator("#answer-heading")).to_have_text("Answer")
    answer_text = " ".join(page.locator("#answer").inner_text().split())
    assert answer_text == " ".join(expected["answer"].split())
    expect(page.locator("#answer .marker")).to_have_count(len(expected["sentences"]))

    citations = page.locator("li.citation")
    expect(citations).to_have_count(len(expected["citations"]))
    for citation in expected["citations"]:
        item = page.locator(f"#cite-{citation['n']}")
        doc = citation["document"]
        expect(item.locator(".cite-title")).to_contain_text(doc["title"])
        expect(item.locator(".cite-series")).to_have_text(series_label(doc))
        expect(item.locator(".cite-pages")).to_have_text(
            pages_label(citation["page_start"], citation["page_end"])
        )
        if citation["section"]:
            expect(item.locator(".cite-section")).to_have_text(citation["section"])
        assert item.locator(".passage").text_content() == citation["text"]
        marked = item.locator("mark").all_text_contents()
        wanted = [citation["text"][start:end] for start, end in citation["highlights"]]
        assert marked == wanted and marked, (marked, wanted)


def test_markers_lead_to_their_passage_by_click_and_keyboard(page: Page, server: Server) -> None:
    open_page(page, server)
    ask_on_page(page, QUESTION)
    markers = page.locator("#answer .marker")
    expect(markers.first).to_be_visible()

    last = markers.last
    n = last.get_attribute("data-n")
    last.click()
    target = page.locator(f"#cite-{n}")
    expect(target).to_be_focused()
    expect(target).to_have_class(re.compile(r"\bactive\b"))
    expect(target).to_be_in_viewport()

    page.evaluate("window.scrollTo(0, 0)")
    first = markers.first
    first_n = first.get_attribute("data-n")
    first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#cite-{first_n}")).to_be_focused()
    expect(page.locator("li.citation.active")).to_have_count(1)


def test_switching_mode_asks_again_in_that_mode(page: Page, server: Server) -> None:
    open_page(page, server)
    ask_on_page(page, QUESTION)
    expect(page.locator("#answer-meta")).to_contain_text("Mode: hybrid")

    with page.expect_response("**/v1/ask") as response_info:
        page.get_by_role("radio", name="bm25").check()
    response = response_info.value
    assert response.request.post_data_json["mode"] == "bm25"
    assert response.json()["mode"] == "bm25"
    expect(page.locator("#answer-meta")).to_contain_text("Mode: bm25")
    feet = page.locator(".cite-foot").all_inner_texts()
    assert feet and all("bm25 #" in foot and "dense #" not in foot for foot in feet), feet


def test_choosing_a_brief_limits_the_question_to_it(page: Page, server: Server) -> None:
    doc = api_document(server, "02-ecological-civilisation.pdf")
    open_page(page, server)
    button = page.locator("button.doc", has_text=doc["title"])
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#filter")).to_be_visible()
    expect(page.locator("#filter-title")).to_have_text(doc["title"])

    page.get_by_label("Your question").fill("What should the EU ask of China?")
    with page.expect_request("**/v1/ask") as request_info:
        page.get_by_role("button", name="Ask").click()
    assert request_info.value.post_data_json["filters"] == {"doc_ids": [doc["id"]]}
    expect(page.locator("#results")).to_have_attribute("aria-busy", "false")
    titles = page.locator(".cite-title").all_text_contents()
    assert titles and all(doc["title"] in title for title in titles), titles
    scope = page.locator("#answer-scope")
    expect(scope).to_contain_text(doc["title"])
    expect(scope).to_contain_text("chosen in the list of indexed briefs")

    page.get_by_role("button", name="Search all briefs").click()
    expect(page.locator("#filter")).to_be_hidden()
    expect(button).to_have_attribute("aria-pressed", "false")


def test_unanswerable_question_says_so_and_lists_the_closest_passages(
    page: Page, server: Server
) -> None:
    question = "How long should spaghetti boil before it is al dente?"
    expected = api_ask(server, question)
    assert not expected["answered"], expected["answer"]
    closest = expected["closest"]
    assert closest
    open_page(page, server)
    ask_on_page(page, question)
    expect(page.locator("#answer-heading")).to_have_text("Not answered")
    expect(page.locator("#answer")).to_have_text(expected["answer"])
    expect(page.locator("#answer .marker")).to_have_count(0)
    expect(page.locator("#sources-heading")).to_have_text("Closest passages")
    expect(page.locator("#sources-hint")).to_be_visible()
    titles = page.locator(".cite-title").all_text_contents()
    assert len(titles) == len(closest)
    for title, passage in zip(titles, closest, strict=True):
        assert passage["document"]["title"] in title
    expect(page.locator("li.citation mark")).to_have_count(0)
    expect(page.locator("#answer-scope")).to_be_hidden()


def test_empty_question_is_refused_without_a_request(page: Page, server: Server) -> None:
    open_page(page, server)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.get_by_role("button", name="Ask").click()
    expect(page.get_by_role("alert").first).to_have_text("Type a question first.")
    expect(page.get_by_label("Your question")).to_be_focused()
    assert not [url for url in requested if "/v1/ask" in url]


def test_phone_width_has_no_horizontal_overflow(
    browser: Browser, server: Server, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 700}, is_mobile=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        open_page(page, server)
        for question, shown in ((QUESTION, "li.citation"), (COMPARISON, "table.comparison")):
            ask_on_page(page, question)
            expect(page.locator(shown).first).to_be_visible()
            page.screenshot(path=tmp_path / "phone.png", full_page=True)
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert widths[0] <= widths[1], f"{widths[0]} px wide in a {widths[1]} px viewport"
        for selector in ("#question", "#ask-button", "#mode-options", "button.doc"):
            box = page.locator(selector).first.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, selector
    finally:
        context.close()


def test_upload_needs_the_key_then_reports_each_file_and_lists_the_brief(
    page: Page, server: Server, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj this is not a real PDF\n")
    before = api_documents(server)
    open_page(page, server)
    key_field = page.get_by_label("API key")
    expect(key_field).to_be_visible()

    # A wrong key: the server's own error message is shown, nothing is added.
    wrong = httpx.post(
        f"{server.base}v1/documents",
        headers={"Authorization": "Bearer wrong"},
        files=[("files", ("broken.pdf", broken.read_bytes(), "application/pdf"))],
        timeout=30,
    )
    assert wrong.status_code == 401
    page.get_by_label("Files").set_input_files([server.upload_file, broken])
    key_field.fill("wrong")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#upload-error")).to_have_text(
        f"Upload failed: {wrong.json()['error']['message']}"
    )
    expect(key_field).to_be_focused()

    key_field.fill(server.api_key)
    with page.expect_response("**/v1/documents", timeout=120_000) as response_info:
        page.get_by_role("button", name="Upload").click()
    report = response_info.value.json()
    expect(page.locator("#upload-error")).to_be_hidden()
    added = page.locator("li.file-added")
    expect(added).to_have_count(1)
    expect(added).to_contain_text(server.upload_file.name)
    failed = page.locator("li.file-failed")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("broken.pdf")
    reason = next(f["reason"] for f in report["files"] if f["status"] == "failed")
    assert reason
    expect(failed.locator(".file-detail")).to_contain_text(reason)

    title = next(f["title"] for f in report["files"] if f["status"] == "added")
    expect(page.locator("button.doc")).to_have_count(len(before) + 1)
    expect(page.locator("button.doc", has_text=title)).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('briefqa.apiKey')") == server.api_key

    ask_on_page(page, "What share of battery cells does China produce?")
    expect(page.locator(".cite-title", has_text=title).first).to_be_visible()
