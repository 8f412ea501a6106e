// Workspaces: list, create, edit, delete.

import { api } from "../api.js";
import { button, clear, errorBox, field, form, h, input, pageHeader, pager, section, select, table, when } from "../ui.js";

const PAGE = 20;
const PROVIDERS = [["", "none"], ["AWS", "AWS"], ["GCP", "GCP"], ["AZURE", "Azure"]];

function workspaceFields(workspace = {}) {
  return [
    field("Name", input({ name: "name", required: true, value: workspace.name })),
    field("Description", input({ name: "description", value: workspace.description })),
    field("Default cloud provider", select(PROVIDERS, { name: "defaultCloudProvider", value: workspace.defaultCloudProvider || "" }),
      "With a default region, a deployment created with only a name runs there."),
    field("Default region", input({ name: "defaultRegion", value: workspace.defaultRegion, placeholder: "us-east-1" })),
    field("Enforce CI/CD deploys by default", h("input", { type: "checkbox", name: "cicdEnforcedDefault", checked: workspace.cicdEnforcedDefault })),
  ];
}

function workspaceBody(values) {
  const body = {
    name: values.get("name"), description: values.get("description") || "",
    cicdEnforcedDefault: values.get("cicdEnforcedDefault") === "on",
  };
  if (values.get("defaultCloudProvider")) body.defaultCloudProvider = values.get("defaultCloudProvider");
  if (values.get("defaultRegion")) body.defaultRegion = values.get("defaultRegion");
  return body;
}

export async function list(main, { query, navigate, alive }) {
  const offset = Number(query.get("offset") || 0);
  const page = await api.get("workspaces", { limit: PAGE, offset, sorts: "name:asc" });
  if (!alive()) return;
  const creating = h("div", { hidden: true },
    section("New workspace", form(workspaceFields(), "Create workspace", async (values) => {
      const created = await api.post("workspaces", workspaceBody(values));
      navigate(`/workspaces/${created.id}`);
    })));
  main.append(
    pageHeader("Workspaces", button("New workspace", () => { creating.hidden = false; creating.querySelector("input").focus(); })),
    creating,
    table([
      ["Name", (w) => h("a", { href: `#/workspaces/${w.id}` }, w.name)],
      ["Description", (w) => w.description || ""],
      ["Defaults", (w) => [w.defaultCloudProvider, w.defaultRegion].filter(Boolean).join(" ") || "—"],
      ["Created", (w) => when(w.createdAt)],
    ], page.workspaces, { empty: "No workspaces yet." }),
    pager(page, (next) => navigate(`/workspaces?offset=${next}`)));
}

export async function detail(main, { params, navigate, alive }) {
  const workspace = await api.get(`workspaces/${params.id}`);
  if (!alive()) return;
  const problems = h("div");
  main.append(
    pageHeader(workspace.name,
      h("a", { class: "button", href: `#/deployments?workspaceId=${workspace.id}` }, "Deployments"),
      button("Delete workspace", async () => {
        if (!confirm(`Delete the workspace ${workspace.name}?`)) return;
        try {
          await api.delete(`workspaces/${workspace.id}`);
          navigate("/workspaces");
        } catch (error) {
          clear(problems, errorBox(error));
        }
      }, { class: "danger" })),
    problems,
    h("p", {}, "ID ", h("code", {}, workspace.id)),
    section("Edit", form(workspaceFields(workspace), "Save", async (values, element) => {
      await api.post(`workspaces/${workspace.id}`, workspaceBody(values));
      element.querySelector(".form-status").append(h("p", { class: "saved" }, "Saved."));
    })));
}
