// A deployment's logs: sources, time range, text search, and "load more" pinned by searchId.

import { api } from "../api.js";
import { button, clear, errorBox, field, h, input, pageHeader, select, when } from "../ui.js";

const SOURCES = ["scheduler", "worker", "webserver", "triggerer", "dag-processor", "apiserver"];
const RANGES = [[3600, "Last hour"], [86400, "Last day"], [7 * 86400, "Last 7 days"], ["custom", "Between dates…"]];
const PAGE = 100;

export async function render(main, { params, alive }) {
  const path = `deployments/${params.id}`;
  const deployment = await api.get(path);
  if (!alive()) return;
  const start = input({ name: "startDate", type: "datetime-local" });
  const end = input({ name: "endDate", type: "datetime-local" });
  const dates = h("div", { class: "dates", hidden: true }, field("From (UTC)", start), field("To (UTC)", end));
  const range = select(RANGES, { name: "range", value: 86400, onchange: () => { dates.hidden = range.value !== "custom"; } });
  const form = h("form", { class: "filters", role: "search", "aria-label": "Search logs" },
    h("fieldset", { class: "sources" }, h("legend", {}, "Sources"),
      SOURCES.map((source) => field(source, h("input", { type: "checkbox", name: "sources", value: source, checked: true })))),
    field("Time", range), dates,
    field("Text", input({ name: "searchText", type: "search", placeholder: "contains…" })),
    h("button", { type: "submit", class: "primary" }, "Search"));
  const output = h("div", { id: "log-results", "aria-live": "polite" });
  main.append(pageHeader(`Logs · ${deployment.name}`, h("a", { class: "button", href: `#/${path}` }, "Back to deployment")),
    form, output);

  let query;
  let shown = 0;
  const lines = h("ol", { class: "log-lines" });
  const more = h("div");
  const load = async () => {
    const page = await api.get(`${path}/logs`, { ...query, limit: PAGE, offset: shown });
    if (!alive()) return;
    query.searchId = page.searchId;
    for (const entry of page.results) {
      lines.append(h("li", { class: `log-line source-${entry.source}` },
        when(entry.timestamp), h("span", { class: "source" }, entry.source), h("span", { class: "raw" }, entry.raw)));
    }
    shown += page.results.length;
    // a full page may have more behind it; the searchId keeps the next page to this search's lines
    clear(more, h("p", { class: "log-count" }, `${shown} ${shown === 1 ? "line" : "lines"}`),
      page.resultCount === PAGE ? button("Load more", () => load().catch((error) => more.append(errorBox(error))), { id: "load-more" }) : null);
  };
  const search = async () => {
    const values = new FormData(form);
    query = { sources: values.getAll("sources"), searchText: values.get("searchText") };
    if (range.value === "custom") {
      query.startDate = `${start.value}:00Z`;
      query.endDate = `${end.value}:00Z`;
    } else {
      query.range = range.value;
    }
    shown = 0;
    clear(lines);
    clear(output, lines, more);
    try {
      await load();
    } catch (error) {
      clear(output, errorBox(error));
    }
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); search(); });
  await search();
}
