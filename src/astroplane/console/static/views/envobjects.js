// Environment objects: connections, Airflow variables, environment variables, metrics exports.
// Secret values never come back from the API; the console shows them masked.

import { api, listAll } from "../api.js";
import { button, clear, code, definitionList, errorBox, field, form, h, input, masked, pageHeader, pager, section, select, table, when } from "../ui.js";

const PAGE = 20;
const TYPES = ["ENVIRONMENT_VARIABLE", "AIRFLOW_VARIABLE", "CONNECTION", "METRICS_EXPORT"];
const BLOCK = { ENVIRONMENT_VARIABLE: "environmentVariable", AIRFLOW_VARIABLE: "airflowVariable", CONNECTION: "connection", METRICS_EXPORT: "metricsExport" };
const SECRET_FIELDS = new Set(["password", "basicToken"]);

async function pickScope(query) {
  const workspaces = await listAll("workspaces", "workspaces");
  const workspaceId = query.get("workspaceId") || workspaces[0]?.id || "";
  return { workspaces, workspaceId };
}

export async function list(main, { query, navigate, alive }) {
  const { workspaces, workspaceId } = await pickScope(query);
  if (!alive()) return;
  const offset = Number(query.get("offset") || 0);
  const header = pageHeader("Environment objects",
    h("a", { class: "button primary", href: `#/environment-objects/new?workspaceId=${workspaceId}` }, "Create object"));
  const picker = select(workspaces.map((w) => [w.id, w.name]), {
    value: workspaceId, onchange: (event) => navigate(`/environment-objects?workspaceId=${event.target.value}`),
  });
  main.append(header, h("div", { class: "filters" }, field("Workspace", picker)));
  if (!workspaceId) return main.append(h("p", { class: "empty" }, "Create a workspace first."));
  const page = await api.get("environment-objects", { workspaceId, limit: PAGE, offset, resolveLinked: false });
  if (!alive()) return;
  main.append(table([
    ["Key", (o) => h("a", { href: `#/environment-objects/${o.id}` }, o.objectKey)],
    ["Type", (o) => o.objectType],
    ["Scope", (o) => `${o.scope} ${o.scopeEntityId}`],
    ["Value", (o) => summary(o)],
    ["Links", (o) => String(o.links?.length || 0) + (o.autoLinkDeployments ? " + auto" : "")],
    ["Updated", (o) => when(o.updatedAt)],
  ], page.environmentObjects, { empty: "No environment objects in this workspace." }),
  pager(page, (next) => navigate(`/environment-objects?workspaceId=${workspaceId}&offset=${next}`)));
}

function summary(object) {
  const block = object[BLOCK[object.objectType]] || {};
  if ("isSecret" in block) return block.isSecret ? masked() : code(block.value ?? "");
  if (object.objectType === "CONNECTION") return [block.type, block.host].filter(Boolean).join(" · ");
  return block.endpoint || "";
}

// `secretValue`: the object's `value` is secret (so is an override of it, which carries no isSecret)
function blockFacts(block = {}, setFields = [], secretValue = block.isSecret) {
  const rows = [];
  const keys = new Set([...Object.keys(block), ...setFields.filter((f) => !f.includes("."))]);
  for (const key of keys) {
    const value = block[key];
    const secret = SECRET_FIELDS.has(key) || (key === "value" && secretValue);
    if (secret) rows.push([key, setFields.includes(key) || value ? masked() : "—"]);
    else if (value === undefined) rows.push([key, "—"]);
    else rows.push([key, typeof value === "object" ? code(JSON.stringify(value)) : String(value)]);
  }
  return definitionList(rows);
}

export async function detail(main, { params, navigate, alive }) {
  const path = `environment-objects/${params.id}`;
  const object = await api.get(path);
  if (!alive()) return;
  const problems = h("div");
  const blockName = BLOCK[object.objectType];
  main.append(
    pageHeader(object.objectKey, button("Delete", async () => {
      if (!confirm(`Delete ${object.objectKey}?`)) return;
      try {
        await api.delete(path);
        navigate(`/environment-objects${object.scope === "WORKSPACE" ? `?workspaceId=${object.scopeEntityId}` : ""}`);
      } catch (error) {
        clear(problems, errorBox(error));
      }
    }, { class: "danger" })),
    problems,
    definitionList([
      ["ID", code(object.id)], ["Type", object.objectType], ["Scope", `${object.scope} ${object.scopeEntityId}`],
      ["Description", object.description || "—"], ["Auto-link new deployments", object.autoLinkDeployments ? "yes" : "no"],
      ["Updated", when(object.updatedAt)],
    ]),
    section("Value", blockFacts(object[blockName], object.setFields)),
    section("Links", table([
      ["Deployment", (l) => h("a", { href: `#/deployments/${l.scopeEntityId}` }, l.scopeEntityId)],
      ["Overrides", (l) => {
        const overrides = l[`${blockName}Overrides`];
        return overrides || l.setFields?.length ? blockFacts(overrides, l.setFields, object[blockName]?.isSecret) : "none (inherits)";
      }],
    ], object.links || [], { empty: "Linked to no deployment." })),
    section("Excluded deployments", table([["Deployment", (l) => l.scopeEntityId]], object.excludeLinks || [], { empty: "None." })),
    object.scope === "WORKSPACE" ? section("Link a deployment", await linkForm(object, path, blockName, navigate)) : null);
}

async function linkForm(object, path, blockName, navigate) {
  const deployments = await listAll("deployments", "deployments", { workspaceIds: object.scopeEntityId });
  const linked = new Set((object.links || []).map((l) => l.scopeEntityId));
  const choices = deployments.filter((d) => !linked.has(d.id));
  if (!choices.length) return h("p", { class: "empty" }, "Every deployment of the workspace is linked.");
  const valueField = object.objectType === "CONNECTION" ? "host" : object.objectType === "METRICS_EXPORT" ? "endpoint" : "value";
  return form([
    field("Deployment", select(choices.map((d) => [d.id, d.name]), { name: "deploymentId" })),
    field(`Override ${valueField} (optional)`, input({ name: "override" })),
  ], "Link", async (values) => {
    const link = { scope: "DEPLOYMENT", scopeEntityId: values.get("deploymentId") };
    if (values.get("override")) link.overrides = { [blockName]: { [valueField]: values.get("override") } };
    const links = (object.links || []).map((l) => ({ scope: l.scope, scopeEntityId: l.scopeEntityId }));
    await api.post(path, { links: [...links, link] });
    navigate(`/${path}`);
  });
}

export async function create(main, { query, navigate, alive }) {
  const { workspaces, workspaceId } = await pickScope(query);
  if (!alive()) return;
  const type = select(TYPES, { name: "objectType" });
  const blockFields = h("div");
  const showBlock = () => clear(blockFields, fieldsFor(type.value));
  type.addEventListener("change", showBlock);
  showBlock();
  main.append(pageHeader("Create environment object"), form([
    field("Workspace", select(workspaces.map((w) => [w.id, w.name]), { name: "workspaceId", value: workspaceId })),
    field("Type", type),
    field("Key", input({ name: "objectKey", required: true })),
    field("Description", input({ name: "description" })),
    field("Link every deployment of the workspace (auto-link)", h("input", { type: "checkbox", name: "autoLinkDeployments" })),
    blockFields,
  ], "Create", async (values) => {
    const objectType = values.get("objectType");
    const body = {
      objectType, objectKey: values.get("objectKey"), scope: "WORKSPACE", scopeEntityId: values.get("workspaceId"),
      autoLinkDeployments: values.get("autoLinkDeployments") === "on", [BLOCK[objectType]]: blockBody(objectType, values),
    };
    if (values.get("description")) body.description = values.get("description");
    const created = await api.post("environment-objects", body);
    navigate(`/environment-objects/${created.id}`);
  }, { label: "Create environment object" }));
}

function fieldsFor(type) {
  if (type === "CONNECTION") {
    return [field("Connection type", input({ name: "connType", required: true, placeholder: "postgres" })),
      field("Host", input({ name: "host" })), field("Port", input({ name: "port", type: "number", min: 1, max: 65535 })),
      field("Schema", input({ name: "schema" })), field("Login", input({ name: "login" })),
      field("Password", input({ name: "password", type: "password", autocomplete: "new-password" }))];
  }
  if (type === "METRICS_EXPORT") {
    return [field("Endpoint", input({ name: "endpoint", type: "url", required: true })),
      field("Auth token", input({ name: "basicToken", type: "password", autocomplete: "new-password" }))];
  }
  return [field("Value", input({ name: "value" })), field("Secret", h("input", { type: "checkbox", name: "isSecret" }))];
}

function blockBody(type, values) {
  const pick = (...names) => Object.fromEntries(names.filter((n) => values.get(n)).map((n) => [n, values.get(n)]));
  if (type === "CONNECTION") {
    const block = { type: values.get("connType"), ...pick("host", "schema", "login", "password") };
    if (values.get("port")) block.port = Number(values.get("port"));
    return block;
  }
  if (type === "METRICS_EXPORT") {
    const token = values.get("basicToken");
    return { exporterType: "PROMETHEUS", endpoint: values.get("endpoint"), ...(token ? { authType: "AUTH_TOKEN", basicToken: token } : {}) };
  }
  return { value: values.get("value") || "", isSecret: values.get("isSecret") === "on" };
}
