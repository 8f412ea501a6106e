// Deployments: the list (status badges, filters, paging, live status) and the simplified create.

import { api, listAll } from "../api.js";
import { TRANSITIONAL, badge, button, clear, field, form, h, input, pageHeader, pager, section, select, table, when } from "../ui.js";

const PAGE = 25;
export const POLL_MS = 1000;

function rows(deployments) {
  return table([
    ["Name", (d) => h("a", { href: `#/deployments/${d.id}` }, d.name)],
    ["Status", (d) => badge(d.status)],
    ["Workspace", (d) => d.workspaceName || d.workspaceId],
    ["Runtime", (d) => d.runtimeVersion],
    ["Executor", (d) => d.executor || "—"],
    ["Type", (d) => d.type || "—"],
    ["Updated", (d) => when(d.updatedAt)],
  ], deployments, { empty: "No deployments match." });
}

export async function list(main, { query, navigate, alive, onCleanup }) {
  const offset = Number(query.get("offset") || 0);
  const workspaceId = query.get("workspaceId") || "";
  const name = query.get("name") || "";
  const params = { limit: PAGE, offset, workspaceIds: workspaceId, names: name, sorts: "name:asc" };
  const firstPage = api.get("deployments", params); // on its way while the page is built
  const results = h("div", { id: "deployment-list", "aria-live": "polite" });
  const workspaceFilter = select([["", "All workspaces"]], { name: "workspaceId", value: workspaceId });
  const filters = h("form", { class: "filters", role: "search", "aria-label": "Filter deployments" },
    field("Workspace", workspaceFilter),
    field("Name", input({ name: "name", value: name, placeholder: "exact name" })),
    h("button", { type: "submit" }, "Filter"));
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = new URLSearchParams(new FormData(filters));
    for (const [key, value] of [...values]) if (!value) values.delete(key);
    navigate(`/deployments?${values}`);
  });
  main.append(pageHeader("Deployments", h("a", { class: "button primary", href: "#/deployments/new" }, "Create deployment")),
    filters, results);

  const show = (page) => {
    clear(results, rows(page.deployments), pager(page, (next) => {
      const values = new URLSearchParams({ ...(workspaceId && { workspaceId }), ...(name && { name }), offset: next });
      navigate(`/deployments?${values}`);
    }));
    results.dataset.rendered = "true";
  };
  const first = await firstPage;
  if (!alive()) return;
  show(first);
  performance.mark("deployments-rendered");
  listAll("workspaces", "workspaces").then((workspaces) => {
    for (const w of workspaces) workspaceFilter.append(h("option", { value: w.id, selected: w.id === workspaceId }, w.name));
  }, () => { /* the filter keeps "All workspaces" */ });
  poll(() => first.deployments.some((d) => TRANSITIONAL.has(d.status)), async () => {
    const page = await api.get("deployments", params);
    if (alive()) { show(page); first.deployments = page.deployments; }
  }, onCleanup);
}

// Re-run `refresh` every POLL_MS while `busy()` says something is still changing. Returns a
// function that starts it again (after an action whose effect the reconciler applies later).
export function poll(busy, refresh, onCleanup) {
  let timer = null;
  let stopped = false;
  const tick = async () => {
    timer = null;
    if (stopped || !busy()) return;
    try { await refresh(); } catch { /* the next tick retries */ }
    if (!stopped) timer = setTimeout(tick, POLL_MS);
  };
  const start = () => { if (timer === null && !stopped) timer = setTimeout(tick, POLL_MS); };
  onCleanup(() => { stopped = true; clearTimeout(timer); });
  start();
  return start;
}

export async function create(main, { query, navigate, alive }) {
  const workspaces = await listAll("workspaces", "workspaces");
  if (!alive()) return;
  main.append(pageHeader("Create deployment"),
    section("Deployment", h("p", {}, "Name and workspace are enough: where it runs comes from the workspace's defaults ",
      "(or the organization's only cluster)."),
    form([
      field("Name", input({ name: "name", required: true })),
      field("Workspace", select(workspaces.map((w) => [w.id, w.name]), { name: "workspaceId", required: true, value: query.get("workspaceId") || "" })),
    ], "Create deployment", async (values) => {
      const created = await api.post("deployments", { name: values.get("name"), workspaceId: values.get("workspaceId") });
      navigate(`/deployments/${created.id}`);
    })));
}
