// BriefQA web page: ask a question, read the cited answer, browse and add briefs.
// Plain browser JavaScript modules, no framework and no build step. Text from the server is only
// ever placed with textContent / text nodes, never parsed as HTML.

import { clearAnswer, renderAnswer } from "./answer.js";
import { api } from "./api.js";
import { forgetStatements, initBriefPanel, openBrief } from "./brief.js";
import { dateLabel, el, joined, linkButton, plural, seriesLabel, showMessage } from "./dom.js";

const API_KEY_STORAGE = "briefqa.apiKey";
const DEFAULT_CONFIG = {
  uploads_enabled: false,
  auth_required: false,
  modes: ["hybrid", "dense", "bm25"],
  default_mode: "hybrid",
};
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
    renderAnswer(data, filter ? filter.title : null);
    state.asked = true;
  } catch (err) {
    if (err.name === "AbortError") return;
    state.asked = false;
    clearAnswer();
    showMessage($("error"), `Could not answer: ${err.message}`);
  } finally {
    if (state.askController === controller) {
      state.askController = null;
      setLoading(false);
    }
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

// ---------------------------------------------------------------- documents

async function loadDocuments() {
  const status = $("docs-status");
  status.textContent = "Loading the list of briefs…";
  forgetStatements();
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
    const title = doc.title || doc.source;
    const selected = state.filter !== null && state.filter.id === doc.id;
    const button = el("button", {
      className: "doc",
      attrs: { type: "button", "aria-pressed": String(selected), "data-doc-id": doc.id },
    }, [
      el("span", { className: "doc-title", text: title }),
      el("span", { className: "doc-meta" }, joined([
        seriesLabel(doc),
        dateLabel(doc.date),
        typeof doc.pages === "number" ? plural(doc.pages, "page") : "",
      ])),
    ]);
    button.addEventListener("click", () => {
      const same = state.filter !== null && state.filter.id === doc.id;
      setFilter(same ? null : { id: doc.id, title });
      renderDocuments();
      $("question").focus();
    });
    const about = linkButton("About this brief", `About this brief: ${title}`, () => openBrief(doc, about), "doc-about");
    about.dataset.docId = doc.id;
    return el("li", { className: "doc-item" }, [button, about]);
  });
  $("documents").replaceChildren(...items);
}

function setFilter(filter) {
  state.filter = filter;
  $("filter").hidden = filter === null;
  $("filter-title").textContent = filter ? filter.title : "";
}

/** Limit the next questions to `doc` (from the brief panel) and return to the question. */
function limitTo(doc) {
  setFilter({ id: doc.id, title: doc.title || doc.source });
  renderDocuments();
  $("question").focus();
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
  initBriefPanel({ onLimit: limitTo });

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

// Modules run after the document is parsed, so the elements are there.
init();
