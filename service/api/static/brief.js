// The brief panel: one brief's details, the recommendations it makes (with whom each addresses)
// and the positions it reports (with who holds each), from GET /v1/documents/{id}/statements.

import { api } from "./api.js";
import {
  actorLabel, addresseeLabel, dateLabel, el, joined, pagesLabel, plural, scrollToTop, seriesLabel,
} from "./dom.js";

const $ = (id) => document.getElementById(id);

const replies = new Map(); // doc id -> promise of its statements reply, while the page lives
let shown = null; // {doc, opener, token} of the brief on screen
let limitTo = () => {};

/** Wire the panel's controls; `onLimit(doc)` limits the next questions to that brief. */
export function initBriefPanel({ onLimit }) {
  limitTo = onLimit;
  $("brief-close").addEventListener("click", closeBrief);
  $("brief").addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      closeBrief();
    }
  });
  $("brief-limit").addEventListener("click", () => {
    if (shown) limitTo(shown.doc);
  });
}

/** Forget loaded statements (after an upload a brief may have been replaced). */
export function forgetStatements() {
  replies.clear();
}

/**
 * Show the panel for `doc` ({id, title, ...}) and move focus to it; `opener` gets focus back when
 * the panel is closed.
 */
export async function openBrief(doc, opener) {
  const token = {};
  shown = { doc, opener, token };
  const panel = $("brief");
  renderHead(doc);
  $("brief-statements").replaceChildren();
  $("brief-status").textContent = "Loading the brief's recommendations and positions…";
  panel.setAttribute("aria-busy", "true");
  panel.hidden = false;
  scrollToTop(panel);
  $("brief-title").focus({ preventScroll: true });
  try {
    const reply = await statementsOf(doc.id);
    if (!shown || shown.token !== token) return;
    shown.doc = reply.document;
    renderHead(reply.document);
    renderStatements(Array.isArray(reply.statements) ? reply.statements : []);
  } catch (err) {
    replies.delete(doc.id);
    if (!shown || shown.token !== token) return;
    $("brief-status").textContent = `Could not load this brief's recommendations and positions: ${err.message}`;
  } finally {
    if (shown && shown.token === token) panel.setAttribute("aria-busy", "false");
  }
}

export function closeBrief() {
  if (!shown) return;
  const { opener } = shown;
  shown = null;
  $("brief").hidden = true;
  (opener && opener.isConnected ? opener : $("question")).focus();
}

function statementsOf(docId) {
  if (!replies.has(docId)) replies.set(docId, api(`v1/documents/${encodeURIComponent(docId)}/statements`));
  return replies.get(docId);
}

function renderHead(doc) {
  $("brief-title").textContent = doc.title || doc.source || "Untitled brief";
  $("brief-meta").replaceChildren(...joined([
    seriesLabel(doc),
    dateLabel(doc.date),
    typeof doc.pages === "number" ? plural(doc.pages, "page") : "",
    doc.source || "",
  ]));
}

function renderStatements(statements) {
  const recommendations = statements.filter((s) => s.kind === "recommendation");
  const positions = statements.filter((s) => s.kind === "position");
  $("brief-status").textContent = `${plural(recommendations.length, "recommendation")} and `
    + `${plural(positions.length, "reported position")}.`;
  $("brief-statements").replaceChildren(
    group("brief-recommendations", "Recommendations", "ol", recommendations,
      "No recommendation was recognised in this brief."),
    group("brief-positions", "Positions reported", "ul", positions,
      "No position of a named party was recognised in this brief."),
  );
}

function group(id, title, tag, statements, empty) {
  return el("section", { className: "statement-group", attrs: { "aria-labelledby": `${id}-heading` } }, [
    el("h3", { attrs: { id: `${id}-heading` } }, [
      title, " ", el("span", { className: "count", text: `(${statements.length})` }),
    ]),
    statements.length
      ? el(tag, { className: "statements", attrs: { id } }, statements.map(statementItem))
      : el("p", { className: "hint", text: empty }),
  ]);
}

function statementItem(statement) {
  const who = statement.kind === "recommendation"
    ? addresseeLabel(statement.addressee) && el("span", {
      className: "statement-addressee", text: addresseeLabel(statement.addressee),
    })
    : actorLabel(statement.actor) && el("span", {
      className: "statement-actor", text: actorLabel(statement.actor),
    });
  return el("li", { className: `statement statement-${statement.kind}` }, [
    statement.label ? el("p", { className: "statement-label", text: statement.label }) : "",
    el("p", { className: "statement-text", text: statement.text }),
    el("p", { className: "statement-meta" }, joined([
      who,
      el("span", { className: "statement-pages", text: pagesLabel(statement.page_start, statement.page_end) }),
      statement.section ? el("span", { className: "statement-section", text: statement.section }) : "",
    ])),
  ]);
}
