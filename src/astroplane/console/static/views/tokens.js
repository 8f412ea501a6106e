// API tokens: the value is shown once (on create and on rotate); then only its short form.

import { api, listAll } from "../api.js";
import { button, clear, code, errorBox, field, form, h, input, pageHeader, pager, section, select, table, when } from "../ui.js";

const PAGE = 20;
export const ROLES = {
  ORGANIZATION: ["ORGANIZATION_OWNER", "ORGANIZATION_BILLING_ADMIN", "ORGANIZATION_OBSERVE_ADMIN", "ORGANIZATION_OBSERVE_MEMBER", "ORGANIZATION_MEMBER"],
  WORKSPACE: ["WORKSPACE_OWNER", "WORKSPACE_OPERATOR", "WORKSPACE_AUTHOR", "WORKSPACE_MEMBER", "WORKSPACE_ACCESSOR"],
  DEPLOYMENT: ["DEPLOYMENT_ADMIN"],
};

function revealOnce(token, action) {
  return h("div", { class: "reveal", role: "alert", id: "token-value-once" },
    h("p", {}, `Copy the ${action} token now: it is shown only this once.`),
    h("div", { class: "reveal-row" },
      h("code", { class: "token-value" }, token.token),
      button("Copy", (event) => navigator.clipboard?.writeText(token.token).then(() => { event.target.textContent = "Copied"; }))));
}

export async function list(main, { query, navigate, alive }) {
  const offset = Number(query.get("offset") || 0);
  const [page, workspaces] = await Promise.all([
    api.get("tokens", { limit: PAGE, offset }),
    listAll("workspaces", "workspaces").catch(() => []),
  ]);
  if (!alive()) return;
  const once = h("div", { "aria-live": "assertive" });
  const problems = h("div");
  const scope = select(Object.keys(ROLES), { name: "scope" });
  const role = select(ROLES.ORGANIZATION, { name: "role" });
  const entity = select(workspaces.map((w) => [w.id, w.name]), { name: "entityId" });
  const entityField = field("Workspace", entity);
  entityField.hidden = true;
  scope.addEventListener("change", () => {
    clear(role, ROLES[scope.value].map((r) => h("option", { value: r }, r)));
    entityField.hidden = scope.value !== "WORKSPACE";
  });
  const create = form([
    field("Name", input({ name: "name", required: true })),
    field("Description", input({ name: "description" })),
    field("Scope", scope), field("Role", role), entityField,
    field("Expires after (days, empty: never)", input({ name: "tokenExpiryPeriodInDays", type: "number", min: 1, max: 3650 })),
  ], "Create token", async (values) => {
    const body = { name: values.get("name"), description: values.get("description") || "", scope: values.get("scope"), role: values.get("role") };
    if (body.scope === "WORKSPACE") body.entityId = values.get("entityId");
    if (values.get("tokenExpiryPeriodInDays")) body.tokenExpiryPeriodInDays = Number(values.get("tokenExpiryPeriodInDays"));
    const created = await api.post("tokens", body);
    await refresh();
    clear(once, revealOnce(created, "new"));
  }, { label: "Create API token" });
  scope.querySelector("option[value=DEPLOYMENT]")?.remove(); // deployment tokens are made from a deployment's roles
  const listing = h("div");
  const refresh = async (loaded) => {
    const current = loaded || await api.get("tokens", { limit: PAGE, offset });
    clear(listing, table([
      ["Name", (t) => t.name],
      ["Scope", (t) => t.scope],
      ["Roles", (t) => (t.roles || []).map((r) => r.role).join(", ")],
      ["Token", (t) => code(t.shortToken)],
      ["Expires", (t) => when(t.endAt)],
      ["Last used", (t) => when(t.lastUsedAt)],
      ["", (t) => h("div", { class: "actions" },
        button("Rotate", async () => {
          if (!confirm(`Rotate ${t.name}? The current value stops working at once.`)) return;
          try {
            const rotated = await api.post(`tokens/${t.id}/rotate`);
            clear(once, revealOnce(rotated, "rotated"));
            await refresh();
          } catch (error) { clear(problems, errorBox(error)); }
        }, { "aria-label": `Rotate ${t.name}` }),
        button("Delete", async () => {
          if (!confirm(`Delete ${t.name}?`)) return;
          try {
            await api.delete(`tokens/${t.id}`);
            await refresh();
          } catch (error) { clear(problems, errorBox(error)); }
        }, { class: "danger", "aria-label": `Delete ${t.name}` }))],
    ], current.tokens, { empty: "No API tokens." }), pager(current, (next) => navigate(`/tokens?offset=${next}`)));
  };
  main.append(pageHeader("API tokens"), once, problems, section("New token", create), listing);
  await refresh(page);
}
