// BriefQA web page: ask a question, read the cited answer, browse and add briefs.
// Plain browser JavaScript, no framework and no build step. Text from the server is only ever
// placed with textContent / text nodes, never parsed as HTML.
"use strict";

(() => {
  const API_KEY_STORAGE = "briefqa.apiKey";
  const DEFAULT_CONFIG = {
    uploads_enabled: false,
    auth_required: false,
    modes: ["hybrid", "dense", "bm25"],
    default_mode: "hybrid",
  };
  const SEARCH_K = 5; // passages listed when a question is not answered (the API's default k)
  const MODE_HINTS = {
    hybrid: "meaning and keywords combined",
    dense: "meaning (embeddings)",
    bm25: "keywords",
  };

  const state = {
    config: DEFAULT_CONFIG,
    documents: [],
    filter: null, // {id, title} when questions are limited to one brief
    asked: false, // whether results for a question are on screen
    askController: null,
  };

  const $ = (id) => document.getElementById(id);
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  // ---------------------------------------------------------------- DOM helpers

  /** Create an element; `text` is set with textContent, children are nodes or strings. */
  function el(tag, options = {}, children = []) {
    const node = document.createElement(tag);
    if (options.className) node.className = options.className;
    if (options.text !== undefined) node.textContent = options.text;
    for (const [name, value] of Object.entries(options.attrs || {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined && child !== "") node.append(child);
    }
    return node;
  }

  /** Join non-empty parts with a middle dot, as a list of text nodes and elements. */
  function joined(parts) {
    const out = [];
    for (const part of parts.filter(Boolean)) {
      if (out.length) out.push(" · ");
      out.push(part);
    }
    return out;
  }

  function showMessage(box, message) {
    box.textContent = message;
    box.hidden = !message;
  }

  // ---------------------------------------------------------------- formatting

  function seriesLabel(doc) {
    if (doc.series && doc.number) return `${doc.series} No. ${doc.number}`;
    if (doc.series) return doc.series;
    if (doc.number) return `No. ${doc.number}`;
    return "";
  }

  function pagesLabel(start, end) {
    return start === end ? `p. ${start}` : `pp. ${start}–${end}`;
  }

  const dateFormat = new Intl.DateTimeFormat("en-GB", {
    day: "numeric", month: "short", year: "numeric", timeZone: "UTC",
  });

  function dateLabel(iso) {
    if (!iso) return "";
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!match) return iso;
    const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
  }

  function plural(count, word) {
    return `${count} ${word}${count === 1 ? "" : "s"}`;
  }

  // ---------------------------------------------------------------- HTTP

  class ApiError extends Error {
    constructor(message, status, code) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  /** Call the API; resolve with parsed JSON or reject with an ApiError carrying its message. */
  async function api(path, { method = "GET", json, body, headers = {}, signal } = {}) {
    const init = { method, headers: { Accept: "application/json", ...headers }, signal };
    if (json !== undefined) {
      init.body = JSON.stringify(json);
      init.headers["Content-Type"] = "application/json";
    } else if (body !== undefined) {
      init.body = body;
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (err) {
      if (err.name === "AbortError") throw err;
      throw new ApiError(
        "Could not reach the BriefQA server. Check that it is running, then try again.", 0, "network_error",
      );
    }
    let data = null;
    if ((response.headers.get("Content-Type") || "").includes("json")) {
      try {
        data = await response.json();
      } catch {
        data = null;
      }
    }
    if (!response.ok) {
      const error = data && typeof data === "object" ? data.error : null;
      const message = error && typeof error.message === "string" && error.message
        ? error.message
        : `The server answered with status ${response.status}${response.statusText ? ` (${response.statusText})` : ""}.`;
      throw new ApiError(message, response.status, error && error.code ? error.code : null);
    }
    if (data === null) {
      throw new ApiError("The server's reply was not JSON.", response.status, "bad_response");
    }
    return data;
  }

  function apiKeyHeaders() {
    const key = sessionStorage.getItem(API_KEY_STORAGE);
    return state.config.auth_required && key ? { Authorization: `Bearer ${key}` } : {};
  }

  // ---------------------------------------------------------------- configuration and modes

  async function loadConfig() {
    try {
      const config = await api("v1/config/public");
      state.config = { ...DEFAULT_CONFIG, ...config };
    } catch {
      state.config = DEFAULT_CONFIG; // the page still works for asking; uploads stay hidden
    }
    renderModes();
    $("upload-section").hidden = !state.config.uploads_enabled;
    $("api-key-field").hidden = !state.config.auth_required;
  }

  function renderModes() {
    const { modes, default_mode: chosen } = state.config;
    if (!Array.isArray(modes) || modes.length === 0) return;
    const current = selectedMode() || chosen;
    const options = modes.map((mode) => {
      const input = el("input", { attrs: { type: "radio", name: "mode", value: mode } });
      input.checked = mode === (modes.includes(current) ? current : modes[0]);
      const hint = MODE_HINTS[mode];
      return el("label", { attrs: { title: hint || null } }, [input, " ", el("span", { text: mode })]);
    });
    $("mode-options").replaceChildren(...options);
  }

  function selectedMode() {
    const checked = document.querySelector('input[name="mode"]:checked');
    return checked ? checked.value : null;
  }

  // ---------------------------------------------------------------- asking

  async function ask(question) {
    if (state.askController) state.askController.abort();
    const controller = new AbortController();
    state.askController = controller;
    const payload = { question, mode: selectedMode() || state.config.default_mode };
    const filter = state.filter; // as it was when asked, even if changed while waiting
    if (filter) payload.filters = { doc_ids: [filter.id] };

    showMessage($("error"), "");
    setLoading(true);
    try {
      const data = await api("v1/ask", { method: "POST", json: payload, signal: controller.signal });
      let passages = Array.isArray(data.citations) ? data.citations : [];
      if (!data.answered && passages.length === 0) passages = await closestPassages(payload, controller.signal);
      renderAnswer(data, passages, filter ? filter.title : null);
    } catch (err) {
      if (err.name === "AbortError") return;
      clearResults();
      showMessage($("error"), `Could not answer: ${err.message}`);
    } finally {
      if (state.askController === controller) {
        state.askController = null;
        setLoading(false);
      }
    }
  }

  /**
   * When the briefs do not answer, the passages that came closest (from /v1/search), so the reader
   * can judge for themselves. They carry no highlights: no sentence of theirs was used.
   */
  async function closestPassages(payload, signal) {
    const body = { query: payload.question, k: SEARCH_K, mode: payload.mode };
    if (payload.filters) body.filters = payload.filters;
    try {
      const result = await api("v1/search", { method: "POST", json: body, signal });
      return (Array.isArray(result.hits) ? result.hits : []).map((hit) => ({ ...hit, n: hit.rank, highlights: [] }));
    } catch (err) {
      if (err.name === "AbortError") throw err;
      return []; // the not-answered message stands on its own
    }
  }

  function setLoading(loading) {
    const results = $("results");
    results.setAttribute("aria-busy", String(loading));
    results.classList.toggle("loading", loading);
    $("ask-button").disabled = loading;
    $("ask-button").textContent = loading ? "Asking…" : "Ask";
    const status = $("status");
    status.textContent = loading ? "Searching the briefs…" : "";
    status.hidden = !loading;
  }

  function clearResults() {
    state.asked = false;
    $("answer").replaceChildren();
    $("answer-meta").textContent = "";
    $("citations").replaceChildren();
    $("answer-block").hidden = true;
    $("sources-block").hidden = true;
  }

  function renderAnswer(data, citations, filterTitle) {
    const byNumber = new Map(citations.map((c) => [c.n, c]));
    const answer = $("answer");
    answer.replaceChildren();
    answer.classList.toggle("not-answered", !data.answered);
    $("answer-block").classList.toggle("unanswered", !data.answered);

    const sentences = Array.isArray(data.sentences) ? data.sentences : [];
    if (data.answered && sentences.length) {
      sentences.forEach((sentence, i) => {
        if (i) answer.append(" ");
        answer.append(sentence.text, " ", marker(sentence.citation, byNumber));
      });
    } else {
      const text = data.answer || "The indexed briefs do not answer this question.";
      appendWithMarkers(answer, text, data.answered ? byNumber : new Map());
    }

    const timings = data.timings || {};
    $("answer-meta").replaceChildren(...joined([
      `Mode: ${data.mode}`,
      filterTitle ? `only in “${filterTitle}”` : "",
      typeof timings.total_ms === "number" ? `${Math.round(timings.total_ms)} ms` : "",
    ]));
    $("answer-heading").textContent = data.answered ? "Answer" : "Not answered";
    $("answer-block").hidden = false;

    $("sources-heading").textContent = data.answered ? "Sources" : "Closest passages";
    $("sources-hint").hidden = data.answered;
    $("citations").replaceChildren(...citations.map(renderCitation));
    $("sources-block").hidden = citations.length === 0;
    state.asked = true;
  }

  /** A clickable [n] marker that leads to citation n (plain text if there is no such citation). */
  function marker(n, byNumber) {
    const citation = byNumber.get(n);
    if (!citation) return `[${n}]`;
    const doc = citation.document || {};
    const link = el("a", {
      className: "marker",
      text: `[${n}]`,
      attrs: {
        href: `#cite-${n}`,
        "data-n": n,
        "aria-label": `Source ${n}: ${doc.title || "passage"}, ${pagesLabel(citation.page_start, citation.page_end)}`,
      },
    });
    link.addEventListener("click", (event) => {
      event.preventDefault();
      activateCitation(n);
    });
    return link;
  }

  /** Append text, turning "[n]" for known citations into markers. */
  function appendWithMarkers(container, text, byNumber) {
    const parts = text.split(/\[(\d+)\]/);
    parts.forEach((part, i) => {
      if (i % 2 === 0) {
        if (part) container.append(part);
      } else {
        container.append(marker(Number(part), byNumber));
      }
    });
  }

  function activateCitation(n) {
    const item = $(`cite-${n}`);
    if (!item) return;
    for (const other of document.querySelectorAll(".citation.active")) other.classList.remove("active");
    item.classList.add("active");
    item.scrollIntoView({ block: "start", behavior: reducedMotion.matches ? "auto" : "smooth" });
    item.focus({ preventScroll: true });
  }

  function renderCitation(citation) {
    const doc = citation.document || {};
    const id = `cite-${citation.n}`;
    const passage = el("blockquote", { className: "passage" });
    appendHighlighted(passage, citation.text || "", citation.highlights);

    const ranks = Object.entries(citation.ranks || {}).map(([name, rank]) => `${name} #${rank}`);
    const back = el("a", { className: "back", text: "Back to the answer", attrs: { href: "#answer" } });
    back.addEventListener("click", (event) => {
      event.preventDefault();
      const markerLink = document.querySelector(`#answer .marker[data-n="${citation.n}"]`);
      (markerLink || $("answer")).focus();
    });

    return el("li", { className: "citation", attrs: { id, tabindex: "-1", "aria-labelledby": `${id}-title` } }, [
      el("div", { className: "cite-head" }, [
        el("span", { className: "cite-n", text: `[${citation.n}]`, attrs: { "aria-hidden": "true" } }),
        el("div", {}, [
          el("h3", { className: "cite-title", attrs: { id: `${id}-title` } }, [
            el("span", { className: "visually-hidden", text: `Source ${citation.n}: ` }),
            doc.title || doc.source || "Untitled brief",
          ]),
          el("p", { className: "cite-meta" }, joined([
            seriesLabel(doc) ? el("span", { className: "cite-series", text: seriesLabel(doc) }) : "",
            dateLabel(doc.date) ? el("span", { className: "cite-date", text: dateLabel(doc.date) }) : "",
            el("span", { className: "cite-pages", text: pagesLabel(citation.page_start, citation.page_end) }),
            citation.section ? el("span", { className: "cite-section", text: citation.section }) : "",
          ])),
        ]),
      ]),
      passage,
      el("p", { className: "cite-foot" }, joined([
        typeof citation.score === "number" ? `score ${citation.score.toFixed(4)}` : "",
        ranks.join(", "),
        doc.source || "",
        back,
      ])),
    ]);
  }

  /**
   * Append `text` with the [start, end) spans of `highlights` wrapped in <mark>.
   * Offsets count Unicode code points (as the server's Python strings do), not UTF-16 units.
   */
  function appendHighlighted(container, text, highlights) {
    const chars = Array.from(text);
    const spans = (Array.isArray(highlights) ? highlights : [])
      .filter((span) => Array.isArray(span) && span.length === 2)
      .map(([start, end]) => [Math.max(0, Math.trunc(start)), Math.min(chars.length, Math.trunc(end))])
      .filter(([start, end]) => end > start)
      .sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const span of spans) {
      const last = merged[merged.length - 1];
      if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
      else merged.push([...span]);
    }
    let pos = 0;
    for (const [start, end] of merged) {
      if (start > pos) container.append(chars.slice(pos, start).join(""));
      container.append(el("mark", { text: chars.slice(start, end).join("") }));
      pos = end;
    }
    if (pos < chars.length) container.append(chars.slice(pos).join(""));
  }

  // ---------------------------------------------------------------- documents

  async function loadDocuments() {
    const status = $("docs-status");
    status.textContent = "Loading the list of briefs…";
    try {
      const data = await api("v1/documents");
      state.documents = Array.isArray(data.documents) ? data.documents : [];
      status.textContent = state.documents.length ? "" : "No briefs are indexed yet.";
    } catch (err) {
      state.documents = [];
      status.textContent = `Could not load the list of briefs: ${err.message}`;
    }
    if (state.filter && !state.documents.some((doc) => doc.id === state.filter.id)) setFilter(null);
    renderDocuments();
  }

  function renderDocuments() {
    $("docs-count").textContent = state.documents.length ? plural(state.documents.length, "brief") : "";
    const items = state.documents.map((doc) => {
      const selected = state.filter !== null && state.filter.id === doc.id;
      const button = el("button", {
        className: "doc",
        attrs: { type: "button", "aria-pressed": String(selected), "data-doc-id": doc.id },
      }, [
        el("span", { className: "doc-title", text: doc.title || doc.source }),
        el("span", { className: "doc-meta" }, joined([
          seriesLabel(doc),
          dateLabel(doc.date),
          typeof doc.pages === "number" ? plural(doc.pages, "page") : "",
        ])),
      ]);
      button.addEventListener("click", () => {
        const same = state.filter !== null && state.filter.id === doc.id;
        setFilter(same ? null : { id: doc.id, title: doc.title || doc.source });
        renderDocuments();
        $("question").focus();
      });
      return el("li", {}, [button]);
    });
    $("documents").replaceChildren(...items);
  }

  function setFilter(filter) {
    state.filter = filter;
    $("filter").hidden = filter === null;
    $("filter-title").textContent = filter ? filter.title : "";
  }

  // ---------------------------------------------------------------- upload

  async function upload(event) {
    event.preventDefault();
    const input = $("upload-files");
    const errorBox = $("upload-error");
    showMessage(errorBox, "");
    if (!input.files || input.files.length === 0) {
      showMessage(errorBox, "Choose at least one file to upload.");
      input.focus();
      return;
    }
    if (state.config.auth_required && !sessionStorage.getItem(API_KEY_STORAGE)) {
      showMessage(errorBox, "Enter the API key to add briefs.");
      $("api-key").focus();
      return;
    }
    const form = new FormData();
    for (const file of input.files) form.append("files", file, file.name);

    const button = $("upload-button");
    button.disabled = true;
    button.textContent = "Uploading…";
    $("upload-report").replaceChildren(el("p", { className: "status", text: "Reading and indexing…" }));
    try {
      const report = await api("v1/documents", { method: "POST", body: form, headers: apiKeyHeaders() });
      renderUploadReport(report);
      input.value = "";
      await loadDocuments();
    } catch (err) {
      $("upload-report").replaceChildren();
      showMessage(errorBox, `Upload failed: ${err.message}`);
      if (err.status === 401 && state.config.auth_required) $("api-key").focus();
    } finally {
      button.disabled = false;
      button.textContent = "Upload";
    }
  }

  function renderUploadReport(report) {
    const counts = joined([
      `${report.added || 0} added`,
      report.replaced ? `${report.replaced} replaced` : "",
      report.unchanged ? `${report.unchanged} unchanged` : "",
      report.failed ? `${report.failed} failed` : "",
    ]);
    const files = (report.files || []).map((file) => {
      const name = (file.path || "").split(/[\\/]/).pop();
      let detail;
      if (file.status === "failed") {
        detail = file.error_code ? `${file.reason || "failed"} (${file.error_code})` : file.reason || "failed";
      } else if (file.status === "unchanged") {
        detail = file.reason || "already indexed";
      } else {
        detail = joined([
          file.title || "",
          file.pages ? plural(file.pages, "page") : "",
          file.chunks ? plural(file.chunks, "passage") : "",
          file.reason || "",
        ]);
      }
      return el("li", { className: `file file-${file.status}` }, [
        el("span", { className: "badge", text: file.status }),
        el("span", { className: "file-name", text: name }),
        el("span", { className: "file-detail" }, Array.isArray(detail) ? detail : [detail]),
      ]);
    });
    $("upload-report").replaceChildren(
      el("p", { className: "report-summary" }, counts),
      el("ul", { className: "report-files" }, files),
    );
  }

  // ---------------------------------------------------------------- wiring

  function init() {
    const question = $("question");
    $("ask-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = question.value.trim();
      if (!text) {
        showMessage($("error"), "Type a question first.");
        question.focus();
        return;
      }
      ask(text);
    });
    question.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey
          && !event.isComposing) {
        event.preventDefault();
        $("ask-form").requestSubmit();
      }
    });
    $("mode-options").addEventListener("change", () => {
      // Asking again in the new mode makes the modes easy to compare.
      const text = question.value.trim();
      if (state.asked && text) ask(text);
    });
    $("filter-clear").addEventListener("click", () => {
      setFilter(null);
      renderDocuments();
      question.focus();
    });

    const keyInput = $("api-key");
    keyInput.value = sessionStorage.getItem(API_KEY_STORAGE) || "";
    keyInput.addEventListener("input", () => {
      const key = keyInput.value.trim();
      if (key) sessionStorage.setItem(API_KEY_STORAGE, key);
      else sessionStorage.removeItem(API_KEY_STORAGE);
    });
    $("upload-form").addEventListener("submit", upload);

    loadConfig();
    loadDocuments();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
