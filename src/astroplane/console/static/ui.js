// Small DOM helpers. Text always goes in as text nodes, never as HTML.

let fieldCount = 0;

export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (key === "class") element.className = value;
    else if (key === "value") element.value = value;
    else if (key === "checked") element.checked = Boolean(value);
    else element.setAttribute(key, value === true ? "" : value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

const STATUS_CLASS = {
  HEALTHY: "ok", CREATING: "busy", DEPLOYING: "busy", HIBERNATING: "sleep", UNHEALTHY: "bad", UNKNOWN: "unknown",
};
export const TRANSITIONAL = new Set(["CREATING", "DEPLOYING"]);

export function badge(status) {
  return h("span", { class: `badge badge-${STATUS_CLASS[status] || "unknown"}`, "data-status": status }, status);
}

// An API error as the person should see it: the server's message and the request id to quote.
export function errorBox(error) {
  return h("div", { class: "error", role: "alert" },
    h("p", { class: "error-message" }, error.message || String(error)),
    error.status ? h("p", { class: "error-meta" }, `HTTP ${error.status}`,
      error.requestId ? [" · Request ID ", h("code", { class: "request-id" }, error.requestId)] : null) : null);
}

export function notice(text, kind = "info") {
  return h("div", { class: `notice notice-${kind}`, role: "status" }, text);
}

// A labelled control: the label is tied to the control by id.
export function field(label, control, hint) {
  const id = control.id || `field-${++fieldCount}`;
  control.id = id;
  if (!control.name) control.name = id;
  const isCheck = control.type === "checkbox";
  return h("div", { class: isCheck ? "field field-check" : "field" },
    isCheck ? [control, h("label", { for: id }, label)] : [h("label", { for: id }, label), control],
    hint ? h("small", { class: "hint" }, hint) : null);
}

export const input = (attrs = {}) => h("input", { type: "text", ...attrs });

export function select(options, attrs = {}) {
  return h("select", attrs, options.map((option) => {
    const [value, label] = Array.isArray(option) ? option : [option, option];
    return h("option", { value, selected: String(value) === String(attrs.value ?? "") }, label);
  }));
}

export const button = (label, onclick, attrs = {}) => h("button", { type: "button", onclick, ...attrs }, label);

// A form whose submit handler runs `action(values)`; errors appear above the buttons.
export function form(fields, submitLabel, action, { extraButtons = [], label } = {}) {
  const status = h("div", { class: "form-status", "aria-live": "polite" });
  const submit = h("button", { type: "submit", class: "primary" }, submitLabel);
  const element = h("form", { class: "form", "aria-label": label || submitLabel }, fields, status,
    h("div", { class: "actions" }, submit, extraButtons));
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    clear(status);
    submit.disabled = true;
    try {
      await action(new FormData(element), element);
    } catch (error) {
      clear(status, errorBox(error));
    } finally {
      submit.disabled = false;
    }
  });
  return element;
}

// A table; `columns` are [label, row => cell content].
export function table(columns, rows, { caption, empty = "Nothing here yet." } = {}) {
  if (!rows.length) return h("p", { class: "empty" }, empty);
  return h("table", {},
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, columns.map(([label]) => h("th", { scope: "col" }, label)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, columns.map(([, cell]) => h("td", {}, cell(row)))))));
}

export function pager({ offset, limit, totalCount }, go) {
  const last = Math.max(0, Math.ceil(totalCount / limit) - 1);
  const page = Math.floor(offset / limit);
  return h("nav", { class: "pager", "aria-label": "Pages" },
    button("Previous", () => go(Math.max(0, offset - limit)), { disabled: page === 0, "aria-label": "Previous page" }),
    h("span", { class: "pager-status" },
      totalCount ? `${offset + 1}–${Math.min(offset + limit, totalCount)} of ${totalCount}` : "0 of 0"),
    button("Next", () => go(offset + limit), { disabled: page >= last, "aria-label": "Next page" }));
}

// Times in UTC, as the API gives them (formatted by hand: the first locale-aware format costs
// more than rendering a whole list)
export function when(value) {
  if (!value) return "—";
  const iso = new Date(typeof value === "number" ? value * 1000 : value).toISOString();
  return h("time", { datetime: iso }, `${iso.slice(0, 10)} ${iso.slice(11, typeof value === "number" ? 23 : 19)} UTC`);
}

export const code = (text) => h("code", {}, text);

export function section(title, ...children) {
  return h("section", { class: "card", "aria-label": title }, h("h2", {}, title), children);
}

export function definitionList(pairs) {
  return h("dl", { class: "facts" }, pairs.filter(Boolean).map(([term, detail]) =>
    [h("dt", {}, term), h("dd", {}, detail ?? "—")]));
}

export function masked() {
  return h("span", { class: "masked", title: "secret: the API never returns its value" }, "••••••••");
}

export function pageHeader(title, ...actions) {
  return h("header", { class: "page-header" }, h("h1", {}, title), h("div", { class: "actions" }, actions));
}

export function download(filename, blob) {
  const url = URL.createObjectURL(blob);
  const anchor = h("a", { href: url, download: filename });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
