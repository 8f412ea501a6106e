// The organization: deployment counts by status, and its clusters.

import { api, listAll, session } from "../api.js";
import { badge, definitionList, h, pageHeader, section, table, when } from "../ui.js";

export async function render(main, { alive }) {
  const [organization, deployments, clusters, workspaces] = await Promise.all([
    api.get(`/organizations/${session.organizationId}`),
    listAll("deployments", "deployments"),
    api.get("clusters", { limit: 100 }),
    api.get("workspaces", { limit: 1 }),
  ]);
  if (!alive()) return;
  const counts = {};
  for (const deployment of deployments) counts[deployment.status] = (counts[deployment.status] || 0) + 1;
  main.append(
    pageHeader(organization.name),
    definitionList([
      ["Organization ID", h("code", {}, organization.id)],
      ["Workspaces", h("a", { href: "#/workspaces" }, String(workspaces.totalCount))],
      ["Deployments", h("a", { href: "#/deployments" }, String(deployments.length))],
      ["IP allow-list", organization.hasAllowedIpAddressRanges ? "restricted" : "open to every address"],
      ["Created", when(organization.createdAt)],
    ]),
    section("Deployments by status",
      h("ul", { class: "status-counts" }, Object.keys(counts).sort().map((status) =>
        h("li", {}, badge(status), h("span", { class: "count", "data-count-for": status }, String(counts[status]))))),
      deployments.length ? null : h("p", { class: "empty" }, "No deployments yet.")),
    section("Clusters", table([
      ["Name", (c) => c.name],
      ["Type", (c) => c.type],
      ["Provider", (c) => c.cloudProvider],
      ["Region", (c) => c.region],
      ["Status", (c) => c.status],
      ["Created", (c) => when(c.createdAt)],
    ], clusters.clusters, { caption: `${clusters.totalCount} clusters`, empty: "No clusters." })));
}
