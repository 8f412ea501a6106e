// One deployment: status (live while it changes), configuration, queues, variables,
// hibernation, deploy history with rollback, the Airflow link; and its edit form.

import { api, request } from "../api.js";
import {
  TRANSITIONAL, badge, button, clear, code, definitionList, errorBox, field, form, h, input, masked, notice,
  pageHeader, pager, section, select, table, when,
} from "../ui.js";
import { poll } from "./deployments.js";

const DEPLOYS_PAGE = 10;

export async function detail(main, { params, navigate, alive, onCleanup }) {
  const path = `deployments/${params.id}`;
  let deployment = await api.get(path);
  if (!alive()) return;
  const messages = h("div", { "aria-live": "polite" });
  const status = h("div", { id: "deployment-status", class: "status-block", "aria-live": "polite" });
  const facts = h("div");
  const hibernation = h("div");
  const history = h("div");
  const airflow = h("div");

  let awaiting = null; // the status an action asked for, which the reconciler reaches later
  let watch = () => {};
  const act = (label, run, attrs = {}, expecting = null) => button(label, async () => {
    clear(messages);
    try {
      await run();
      awaiting = expecting;
      await refresh();
      watch();
    } catch (error) {
      clear(messages, errorBox(error));
    }
  }, attrs);

  const renderStatus = () => clear(status, badge(deployment.status),
    deployment.statusReason ? h("p", { class: "status-reason" }, deployment.statusReason) : null);
  const renderFacts = () => clear(facts, definitionList([
    ["ID", code(deployment.id)],
    ["Workspace", h("a", { href: `#/workspaces/${deployment.workspaceId}` }, deployment.workspaceName || deployment.workspaceId)],
    ["Type", deployment.type],
    ["Where", [deployment.cloudProvider, deployment.region, deployment.clusterName].filter(Boolean).join(" · ") || "—"],
    ["Runtime", `${deployment.runtimeVersion} (Airflow ${deployment.airflowVersion})`],
    ["Executor", deployment.executor],
    ["Scheduler", deployment.schedulerSize || `${deployment.schedulerAu ?? "?"} AU × ${deployment.schedulerReplicas}`],
    ["Image", code(`${deployment.imageRepository}:${deployment.imageTag}`)],
    ["DAG deploys", deployment.isDagDeployEnabled ? "enabled" : "disabled"],
    ["CI/CD enforced", deployment.isCicdEnforced ? "yes" : "no"],
    ["High availability", deployment.isHighAvailability ? "yes" : "no"],
    ["Development mode", deployment.isDevelopmentMode ? "yes" : "no"],
    ["Created", when(deployment.createdAt)],
    ["Updated", when(deployment.updatedAt)],
  ]));
  const renderHibernation = () => {
    const spec = deployment.scalingSpec?.hibernationSpec;
    const next = deployment.scalingStatus?.hibernationStatus;
    clear(hibernation, section("Hibernation",
      deployment.isDevelopmentMode ? null : h("p", { class: "hint" }, "Only development-mode deployments hibernate."),
      definitionList([
        ["Hibernating", next ? (next.isHibernating ? "yes" : "no") : (deployment.status === "HIBERNATING" ? "yes" : "no")],
        next?.reason ? ["Why", next.reason] : null,
        next?.nextEventType ? ["Next event", [next.nextEventType, " at ", when(next.nextEventAt)]] : null,
        spec?.override ? ["Override", `${spec.override.isHibernating ? "hibernate" : "stay awake"}${spec.override.overrideUntil ? ` until ${spec.override.overrideUntil}` : ""}`] : null,
        ["Schedules", spec?.schedules?.length ? spec.schedules.map((s) => `${s.hibernateAtCron} → ${s.wakeAtCron}${s.isEnabled ? "" : " (off)"}`).join("; ") : "none"],
      ]),
      h("div", { class: "actions" },
        act("Hibernate", () => api.post(`${path}/hibernation-override`, { isHibernating: true }), {}, "HIBERNATING"),
        act("Wake up", () => api.post(`${path}/hibernation-override`, { isHibernating: false }), {}, "HEALTHY"),
        spec?.override ? act("Clear override", () => api.delete(`${path}/hibernation-override`)) : null)));
  };
  const renderAirflow = () => {
    // the local runtime's URLs lead to this server's proxy; anywhere else there is no Airflow to reach
    const proxied = (url) => url && new URL(url).pathname.startsWith(`/v1/organizations/${deployment.organizationId}/deployments/${deployment.id}/airflow`);
    if (!proxied(deployment.uiUrl)) return clear(airflow);
    const result = h("div", { "aria-live": "polite" });
    clear(airflow, section("Airflow",
      h("p", {}, h("a", { href: new URL(deployment.uiUrl).pathname, target: "_blank", rel: "noopener", id: "airflow-ui" }, "Open the Airflow UI"),
        " (through astroplane's proxy, which needs your token in an Authorization header: the API below is the dependable route)"),
      button("Check the Airflow API", async () => {
        clear(result);
        try {
          const response = await request("GET", `${new URL(deployment.apiUrl).pathname.replace(/^\/v1/, "")}/version`, { raw: true });
          const body = await response.json();
          clear(result, notice(`Airflow ${body.version} answers through the proxy.`, "ok"));
        } catch (error) {
          clear(result, errorBox(error));
        }
      }), result));
  };

  let deploysOffset = 0;
  const renderHistory = async () => {
    const page = await api.get(`${path}/deploys`, { limit: DEPLOYS_PAGE, offset: deploysOffset });
    const current = deploysOffset === 0 ? page.deploys[0]?.id : undefined; // newest first: what runs now
    clear(history, section("Deploy history", table([
      ["Created", (d) => when(d.createdAt)],
      ["Type", (d) => d.type],
      ["Status", (d) => d.status],
      ["Image tag", (d) => code(d.imageTag)],
      ["Git", (d) => gitCell(d.git)],
      ["Description", (d) => [d.description || "", d.rollbackFromId ? h("small", {}, ` (rollback of ${d.rollbackFromId})`) : null]],
      ["", (d) => d.status === "DEPLOYED" && d.id !== current ? act("Roll back", async () => {
        if (!confirm(`Roll back to the deploy of ${d.createdAt}?`)) throw new Error("Rollback cancelled.");
        await api.post(`${path}/deploys/${d.id}/rollback`, { description: "rollback from the console" });
      }, { "aria-label": `Roll back to deploy ${d.id}` }) : null],
    ], page.deploys, { empty: "No deploys yet." }), pager(page, (next) => { deploysOffset = next; renderHistory(); })));
  };

  const renderAll = () => { renderStatus(); renderFacts(); renderHibernation(); renderAirflow(); };
  const refresh = async () => {
    deployment = await api.get(path);
    if (!alive()) return;
    renderAll();
    await renderHistory();
  };

  main.append(
    pageHeader(deployment.name,
      h("a", { class: "button", href: `#/deployments/${deployment.id}/logs` }, "Logs"),
      h("a", { class: "button", href: `#/deployments/${deployment.id}/edit` }, "Edit"),
      button("Delete", async () => {
        if (!confirm(`Delete the deployment ${deployment.name}? This cannot be undone.`)) return;
        try {
          await api.delete(path);
          navigate("/deployments");
        } catch (error) {
          clear(messages, errorBox(error));
        }
      }, { class: "danger" })),
    messages, status, facts,
    section("Worker queues", table([
      ["Name", (q) => q.name + (q.isDefault ? " (default)" : "")],
      ["Machine", (q) => q.astroMachine || q.nodePoolId || "—"],
      ["Workers", (q) => `${q.minWorkerCount}–${q.maxWorkerCount}`],
      ["Concurrency", (q) => String(q.workerConcurrency)],
      ["Pod CPU / memory", (q) => `${q.podCpu} / ${q.podMemory}`],
    ], deployment.workerQueues || [], { empty: "No worker queues (this executor has none)." })),
    section("Environment variables", table([
      ["Key", (v) => code(v.key)],
      ["Value", (v) => (v.isSecret ? masked() : code(v.value ?? ""))],
      ["Secret", (v) => (v.isSecret ? "yes" : "no")],
      ["Updated", (v) => when(v.updatedAt)],
    ], deployment.environmentVariables || [], { empty: "No environment variables." })),
    hibernation, airflow, history);
  renderAll();
  await renderHistory();
  watch = poll(() => TRANSITIONAL.has(deployment.status) || (awaiting !== null && deployment.status !== awaiting), async () => {
    deployment = await api.get(path);
    if (deployment.status === awaiting) awaiting = null;
    if (alive()) renderAll();
  }, onCleanup);
}

function gitCell(git) {
  if (!git) return "—";
  const sha = git.commitSha.slice(0, 10);
  return h("span", { class: "git" },
    [[git.account, git.repo].filter(Boolean).join("/") || git.remoteUrl, git.branch].filter(Boolean).join(" @ "), " ",
    git.commitUrl ? h("a", { href: git.commitUrl, rel: "noopener" }, sha) : code(sha),
    git.authorName || git.authorUsername ? ` by ${git.authorName || git.authorUsername}` : "");
}

// ------------------------------------------------------------------ edit

function variableRow(variable = {}) {
  const row = h("fieldset", { class: "variable" },
    h("legend", {}, variable.key ? `Variable ${variable.key}` : "New variable"),
    field("Key", input({ name: "envKey", value: variable.key, required: true })),
    field("Value", input({ name: "envValue", type: variable.isSecret ? "password" : "text", value: variable.isSecret ? "" : variable.value,
      placeholder: variable.isSecret ? "unchanged (secret)" : "" })),
    field("Secret", h("input", { type: "checkbox", name: "envSecret", checked: variable.isSecret })),
    button("Remove", () => row.remove(), { "aria-label": `Remove variable ${variable.key || ""}`.trim() }));
  return row;
}

export async function edit(main, { params, navigate, alive }) {
  const path = `deployments/${params.id}`;
  const deployment = await api.get(path);
  if (!alive()) return;
  const variables = h("div", { class: "variables" }, (deployment.environmentVariables || []).map(variableRow));
  const hybrid = deployment.type === "HYBRID";
  main.append(pageHeader(`Edit ${deployment.name}`, h("a", { class: "button", href: `#/${path}` }, "Back")),
    form([
      field("Name", input({ name: "name", required: true, value: deployment.name })),
      field("Description", input({ name: "description", value: deployment.description })),
      field("Executor", select(["CELERY", "KUBERNETES", "ASTRO"], { name: "executor", value: deployment.executor })),
      hybrid ? null : field("Scheduler size", select(["SMALL", "MEDIUM", "LARGE", "EXTRA_LARGE"], { name: "schedulerSize", value: deployment.schedulerSize })),
      field("DAG deploys enabled", h("input", { type: "checkbox", name: "isDagDeployEnabled", checked: deployment.isDagDeployEnabled })),
      field("CI/CD enforced", h("input", { type: "checkbox", name: "isCicdEnforced", checked: deployment.isCicdEnforced })),
      hybrid ? null : field("High availability", h("input", { type: "checkbox", name: "isHighAvailability", checked: deployment.isHighAvailability })),
      hybrid ? null : field("Development mode (allows hibernation)", h("input", { type: "checkbox", name: "isDevelopmentMode", checked: deployment.isDevelopmentMode })),
      h("h2", {}, "Environment variables"), variables,
      button("Add variable", () => { const row = variableRow(); variables.append(row); row.querySelector("input").focus(); }),
    ], "Save and redeploy", async (values, element) => {
      const body = {
        type: deployment.type, workspaceId: deployment.workspaceId, name: values.get("name"),
        description: values.get("description") || "", executor: values.get("executor"),
        isDagDeployEnabled: values.get("isDagDeployEnabled") === "on", isCicdEnforced: values.get("isCicdEnforced") === "on",
        environmentVariables: [...element.querySelectorAll("fieldset.variable")].map((row) => {
          const value = row.querySelector("[name=envValue]").value;
          const isSecret = row.querySelector("[name=envSecret]").checked;
          return { key: row.querySelector("[name=envKey]").value, isSecret, ...(value || !isSecret ? { value } : {}) };
        }),
      };
      if (deployment.contactEmails) body.contactEmails = deployment.contactEmails;
      if (hybrid) {
        body.scheduler = { au: deployment.schedulerAu, replicas: deployment.schedulerReplicas };
        if (deployment.taskPodNodePoolId) body.taskPodNodePoolId = deployment.taskPodNodePoolId;
      } else {
        body.schedulerSize = values.get("schedulerSize");
        body.isHighAvailability = values.get("isHighAvailability") === "on";
        body.isDevelopmentMode = values.get("isDevelopmentMode") === "on";
      }
      await api.post(path, body);
      navigate(`/${path}`);
    }, { label: "Edit deployment" }));
}
