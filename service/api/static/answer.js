// Showing a reply of POST /v1/ask by its intent (sentences, a numbered list, a table with one row
// per brief, or a refusal), every [n] a link to its passage, and the cited or closest passages.

import { openBrief } from "./brief.js";
import {
  actorLabel, addresseeLabel, dateLabel, el, joined, linkButton, pagesLabel, scrollToTop, seriesLabel,
} from "./dom.js";

const $ = (id) => document.getElementById(id);
const list = (value) => (Array.isArray(value) ? value : []);

// How the server recognised a brief the answer was restricted to (ResolvedBriefOut.matched_by).
const MATCHED_BY = {
  number: (text) => `named by its number in the question (“${text}”)`,
  title: (text) => `recognised from its title in the question (“${text}”)`,
  filter: () => "chosen in the list of indexed briefs",
};

export function clearAnswer() {
  $("answer").replaceChildren();
  $("answer-meta").textContent = "";
  $("answer-scope").replaceChildren();
  $("citations").replaceChildren();
  $("answer-block").hidden = true;
  $("sources-block").hidden = true;
}

/** Show `data` (a /v1/ask reply); `filterTitle` is the brief chosen in the list, if any. */
export function renderAnswer(data, filterTitle) {
  const passages = passagesOf(data);
  const byNumber = new Map(data.answered ? passages.map((c) => [c.n, c]) : []);
  const answer = $("answer");
  answer.replaceChildren(answerBody(data, byNumber));
  answer.classList.toggle("not-answered", !data.answered);
  $("answer-block").classList.toggle("unanswered", !data.answered);
  $("answer-heading").textContent = data.answered ? "Answer" : "Not answered";

  const documents = list(data.documents);
  renderScope(documents);
  const timings = data.timings || {};
  $("answer-meta").replaceChildren(...joined([
    `Mode: ${data.mode}`,
    filterTitle && documents.length === 0 ? `only in “${filterTitle}”` : "",
    typeof timings.total_ms === "number" ? `${Math.round(timings.total_ms)} ms` : "",
  ]));
  $("answer-block").hidden = false;

  $("sources-heading").textContent = data.answered ? "Sources" : "Closest passages";
  $("sources-hint").hidden = data.answered;
  $("citations").replaceChildren(...passages.map(renderCitation));
  $("sources-block").hidden = passages.length === 0;
}

/**
 * The cited passages; when the briefs do not answer, the closest ones, so the reader can judge the
 * refusal. Those carry no highlights: no sentence of theirs was used.
 */
function passagesOf(data) {
  if (data.answered) return list(data.citations);
  const closest = list(data.closest).map((hit) => ({ ...hit, n: hit.rank, highlights: [] }));
  return closest.length ? closest : list(data.citations);
}

function answerBody(data, byNumber) {
  const items = list(data.items);
  if (!data.answered) {
    return el("p", { text: data.answer || "The indexed briefs do not answer this question." });
  }
  if (items.length && data.intent === "comparison") return comparisonTable(items, byNumber);
  if (items.length) return itemList(items, byNumber);
  const paragraph = el("p");
  const sentences = list(data.sentences);
  if (sentences.length) {
    sentences.forEach((sentence, i) => {
      if (i) paragraph.append(" ");
      paragraph.append(sentence.text, " ", marker(sentence.citation, byNumber));
    });
  } else {
    appendWithMarkers(paragraph, data.answer || "", byNumber);
  }
  return paragraph;
}

/** Recommendations or positions: one numbered entry each, with whom it addresses or who holds it. */
function itemList(items, byNumber) {
  const severalBriefs = new Set(items.map((item) => item.doc_id)).size > 1;
  return el("ol", { className: "answer-list" }, items.map((item) => {
    const doc = (byNumber.get(item.citation) || {}).document || {};
    const meta = joined([
      item.kind === "recommendation" ? addresseeLabel(item.addressee) : "",
      item.kind === "position" ? actorLabel(item.actor) : "",
      severalBriefs ? doc.title : "",
    ]);
    return el("li", { className: `answer-item item-${item.kind}` }, [
      item.label ? el("span", { className: "item-label", text: item.label }) : "",
      el("span", { className: "item-text", text: item.text }),
      " ",
      marker(item.citation, byNumber),
      meta.length ? el("span", { className: "item-meta" }, meta) : "",
    ]);
  }));
}

/** A comparison: one row per brief with its entry, [n] and pages. */
function comparisonTable(items, byNumber) {
  const head = (text) => el("th", { text, attrs: { scope: "col" } });
  const rows = items.map((item) => {
    const citation = byNumber.get(item.citation);
    const doc = (citation && citation.document) || {};
    return el("tr", {}, [
      el("th", { className: "cmp-brief", attrs: { scope: "row" } }, [
        el("span", { className: "cmp-title", text: doc.title || doc.source || item.doc_id }),
        seriesLabel(doc) ? el("span", { className: "cmp-series", text: seriesLabel(doc) }) : "",
      ]),
      el("td", { className: "cmp-entry" }, [item.text, " ", marker(item.citation, byNumber)]),
      el("td", {
        className: "cmp-pages",
        text: citation ? pagesLabel(citation.page_start, citation.page_end) : "",
      }),
    ]);
  });
  return el("table", { className: "comparison" }, [
    el("caption", { text: "One entry per brief, each from the passage cited after it" }),
    el("thead", {}, [el("tr", {}, [head("Brief"), head("What it says"), head("Pages")])]),
    el("tbody", {}, rows),
  ]);
}

/** Which briefs the answer was restricted to, and how the question (or the list) named them. */
function renderScope(documents) {
  const box = $("answer-scope");
  box.replaceChildren();
  box.hidden = documents.length === 0;
  if (!documents.length) return;
  box.append("Answered only from ");
  documents.forEach((doc, i) => {
    if (i) box.append(i === documents.length - 1 ? " and " : ", ");
    const how = MATCHED_BY[doc.matched_by] || ((text) => `recognised by ${doc.matched_by} (“${text}”)`);
    const button = linkButton(doc.title, `About the brief “${doc.title}”`, () => {
      openBrief({ id: doc.doc_id, title: doc.title }, button);
    }, "scope-brief");
    box.append(button, `, ${how(doc.matched_text)}`);
  });
  box.append(".");
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
  text.split(/\[(\d+)\]/).forEach((part, i) => {
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
  scrollToTop(item);
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
  const about = linkButton("About this brief", `About this brief: ${doc.title || "the cited brief"}`, () => {
    openBrief(doc, about);
  }, "cite-brief");

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
      doc.id ? about : "",
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
  const spans = list(highlights)
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
