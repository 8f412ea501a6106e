// The organization's audit log, downloaded as newline-delimited JSON.

import { request } from "../api.js";
import { download, field, form, h, input, notice, pageHeader, section } from "../ui.js";

export async function render(main) {
  const status = h("div", { "aria-live": "polite" });
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
  main.append(pageHeader("Audit log"),
    h("p", {}, "Every change made through the API (refused ones included), one JSON object per line."),
    section("Download", form([
      field("From (UTC date)", input({ name: "startDate", type: "date", value: monthAgo })),
      field("To (UTC date, inclusive)", input({ name: "endDate", type: "date", value: today })),
    ], "Download audit log", async (values) => {
      const end = new Date(`${values.get("endDate")}T00:00:00Z`);
      end.setUTCDate(end.getUTCDate() + 1);
      const response = await request("GET", "audit-logs", {
        raw: true, params: { startDate: `${values.get("startDate")}T00:00:00Z`, endDate: end.toISOString().replace(/\.\d+Z$/, "Z") },
      });
      const blob = await response.blob();
      const lines = (await blob.text()).split("\n").filter(Boolean).length;
      download(`audit-log-${values.get("startDate")}-${values.get("endDate")}.ndjson`, new Blob([blob], { type: "application/x-ndjson" }));
      status.replaceChildren(notice(`Downloaded ${lines} entries.`, "ok"));
    }, { label: "Download audit log" })), status);
}
