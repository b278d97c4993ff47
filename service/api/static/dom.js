// Building DOM nodes and formatting labels (series, pages, dates) for the BriefQA page.
// Text from the server is only ever placed with textContent / text nodes, never parsed as HTML.

/** Create an element; `text` is set with textContent, children are nodes or strings. */
export function el(tag, options = {}, children = []) {
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
export function joined(parts) {
  const out = [];
  for (const part of parts.filter(Boolean)) {
    if (out.length) out.push(" · ");
    out.push(part);
  }
  return out;
}

/**
 * A text button styled as a link. `name`, when given, is its accessible name: the visible text
 * with the context a screen reader user would otherwise miss (which brief it is about).
 */
export function linkButton(text, name, onClick, className = "") {
  const button = el("button", {
    className: `link-button ${className}`.trim(),
    text,
    attrs: { type: "button", "aria-label": name || null },
  });
  button.addEventListener("click", onClick);
  return button;
}

export function showMessage(box, message) {
  box.textContent = message;
  box.hidden = !message;
}

const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

/** Scroll `node` to the top of the view, smoothly unless the reader asked for less motion. */
export function scrollToTop(node) {
  node.scrollIntoView({ block: "start", behavior: reducedMotion.matches ? "auto" : "smooth" });
}

export function seriesLabel(doc) {
  if (doc.series && doc.number) return `${doc.series} No. ${doc.number}`;
  if (doc.series) return doc.series;
  if (doc.number) return `No. ${doc.number}`;
  return "";
}

export function pagesLabel(start, end) {
  return start === end ? `p. ${start}` : `pp. ${start}–${end}`;
}

const dateFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric", month: "short", year: "numeric", timeZone: "UTC",
});

export function dateLabel(iso) {
  if (!iso) return "";
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

export function plural(count, word, many = `${word}s`) {
  return `${count} ${count === 1 ? word : many}`;
}

/** "to the EU": whom a recommendation addresses. */
export function addresseeLabel(addressee) {
  return addressee ? `to ${addressee}` : "";
}

/** "held by Beijing": who holds a reported position. */
export function actorLabel(actor) {
  return actor ? `held by ${actor}` : "";
}
