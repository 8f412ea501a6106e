// Users, invites, teams and roles.

import { api, listAll } from "../api.js";
import { button, clear, code, definitionList, errorBox, field, form, h, input, notice, pageHeader, pager, section, select, table, when } from "../ui.js";
import { ROLES } from "./tokens.js";

const PAGE = 20;

function guarded(problems, run) {
  return async () => {
    clear(problems);
    try { await run(); } catch (error) { clear(problems, errorBox(error)); }
  };
}

export async function users(main, { query, navigate, alive }) {
  const offset = Number(query.get("offset") || 0);
  const page = await api.get("users", { limit: PAGE, offset });
  if (!alive()) return;
  const problems = h("div");
  main.append(pageHeader("Users", h("a", { class: "button", href: "#/invites" }, "Invite someone")), problems,
    table([
      ["Username", (u) => u.username],
      ["Name", (u) => u.fullName],
      ["Status", (u) => u.status],
      ["Organization role", (u) => {
        const role = select(ROLES.ORGANIZATION, { value: u.organizationRole, "aria-label": `Organization role of ${u.username}` });
        role.addEventListener("change", guarded(problems, async () => {
          await api.post(`users/${u.id}/roles`, { organizationRole: role.value, workspaceRoles: u.workspaceRoles || [], deploymentRoles: u.deploymentRoles || [] });
          problems.append(notice(`${u.username} is now ${role.value}.`, "ok"));
        }));
        return role;
      }],
      ["Workspace roles", (u) => (u.workspaceRoles || []).map((r) => `${r.workspaceId}: ${r.role}`).join(", ") || "—"],
      ["Joined", (u) => when(u.createdAt)],
    ], page.users),
    pager(page, (next) => navigate(`/users?offset=${next}`)));
}

export async function invites(main, { alive }) {
  const pending = (await listAll("users", "users")).filter((u) => u.status === "PENDING");
  if (!alive()) return;
  const created = h("div", { "aria-live": "polite" });
  const problems = h("div");
  main.append(pageHeader("Invites"),
    section("Invite a person", form([
      field("Email", input({ name: "inviteeEmail", type: "email", required: true })),
      field("Organization role", select(ROLES.ORGANIZATION, { name: "role", value: "ORGANIZATION_MEMBER" })),
    ], "Send invite", async (values) => {
      const invite = await api.post("invites", { inviteeEmail: values.get("inviteeEmail"), role: values.get("role") });
      created.append(h("div", { class: "notice notice-ok" }, `Invited ${invite.invitee.username}; invite `, code(invite.inviteId),
        ` open until ${invite.expiresAt}. `,
        button("Withdraw", guarded(problems, async () => {
          await api.delete(`invites/${invite.inviteId}`);
          created.append(notice(`Invite ${invite.inviteId} withdrawn.`));
        }))));
    }, { label: "Invite a person" })),
    created, problems,
    section("Pending people", h("p", { class: "hint" }, "People invited and not yet signed in (their invites expire on their own)."),
      table([["Username", (u) => u.username], ["Invited", (u) => when(u.createdAt)]], pending, { empty: "Nobody is pending." })));
}

export async function teams(main, { query, navigate, alive }) {
  const offset = Number(query.get("offset") || 0);
  const [page, people] = await Promise.all([api.get("teams", { limit: PAGE, offset }), listAll("users", "users")]);
  if (!alive()) return;
  main.append(pageHeader("Teams"),
    section("New team", form([
      field("Name", input({ name: "name", required: true })),
      field("Description", input({ name: "description" })),
      field("Organization role", select(ROLES.ORGANIZATION, { name: "organizationRole", value: "ORGANIZATION_MEMBER" })),
      field("Members", select(people.map((u) => [u.id, u.username]), { name: "memberIds", multiple: true, size: Math.min(6, people.length || 1) })),
    ], "Create team", async (values) => {
      const team = await api.post("teams", {
        name: values.get("name"), description: values.get("description") || "",
        organizationRole: values.get("organizationRole"), memberIds: values.getAll("memberIds"),
      });
      navigate(`/teams/${team.id}`);
    }, { label: "Create team" })),
    table([
      ["Name", (t) => h("a", { href: `#/teams/${t.id}` }, t.name)],
      ["Description", (t) => t.description || ""],
      ["Organization role", (t) => t.organizationRole],
      ["Roles", (t) => String(t.rolesCount ?? "—")],
      ["Created", (t) => when(t.createdAt)],
    ], page.teams, { empty: "No teams." }),
    pager(page, (next) => navigate(`/teams?offset=${next}`)));
}

export async function team(main, { params, navigate, alive }) {
  const path = `teams/${params.id}`;
  const [details, members, people] = await Promise.all([api.get(path), listAll(`${path}/members`, "teamMembers"), listAll("users", "users")]);
  if (!alive()) return;
  const problems = h("div");
  const inTeam = new Set(members.map((m) => m.userId));
  const reload = () => navigate(`/${path}`);
  main.append(pageHeader(details.name, button("Delete team", guarded(problems, async () => {
    if (!confirm(`Delete the team ${details.name}?`)) return;
    await api.delete(path);
    navigate("/teams");
  }), { class: "danger" })), problems,
  definitionList([["ID", code(details.id)], ["Description", details.description || "—"], ["Organization role", details.organizationRole],
    ["Workspace roles", (details.workspaceRoles || []).map((r) => `${r.workspaceId}: ${r.role}`).join(", ") || "—"]]),
  section("Members", table([
    ["Username", (m) => m.username], ["Name", (m) => m.fullName || ""],
    ["", (m) => button("Remove", guarded(problems, async () => { await api.delete(`${path}/members/${m.userId}`); reload(); }),
      { "aria-label": `Remove ${m.username}` })],
  ], members, { empty: "No members." }),
  people.some((u) => !inTeam.has(u.id)) ? form([
    field("Add member", select(people.filter((u) => !inTeam.has(u.id)).map((u) => [u.id, u.username]), { name: "memberId" })),
  ], "Add", async (values) => { await api.post(`${path}/members`, { memberIds: [values.get("memberId")] }); reload(); }, { label: "Add a member" }) : null));
}

export async function roles(main, { query, navigate, alive }) {
  const offset = Number(query.get("offset") || 0);
  const page = await api.get("roles", { includeDefaultRoles: true, limit: PAGE, offset });
  if (!alive()) return;
  const problems = h("div");
  main.append(pageHeader("Roles"), problems,
    section("Custom roles", table([
      ["Name", (r) => r.name], ["Scope", (r) => r.scopeType], ["Description", (r) => r.description || ""],
      ["Updated", (r) => when(r.updatedAt)],
      ["", (r) => button("Delete", guarded(problems, async () => {
        if (!confirm(`Delete the role ${r.name}?`)) return;
        await api.delete(`roles/${r.id}`);
        navigate(`/roles?offset=${offset}`);
      }), { class: "danger", "aria-label": `Delete role ${r.name}` })],
    ], page.roles, { empty: "No custom roles." }), pager(page, (next) => navigate(`/roles?offset=${next}`))),
    section("Default roles", table([
      ["Name", (r) => r.name], ["Scope", (r) => r.scopeType], ["Description", (r) => r.description || ""],
    ], page.defaultRoles || [])));
}
