// The recent runs table: month, what, which cases, status (with the error of a failed one),
// when asked and finished (Asia/Shanghai), and the result in words.

import { element, localTime } from "../dashboard/format.js";

export function renderRuns(table, runs, labels) {
  const head = element("thead", {}, element("tr", {},
    ...[labels.month, labels.kind, labels.category, labels.status, labels.asked,
      labels.finished].map((text) => element("th", { scope: "col" }, text))));
  const rows = runs.map((run) => element("tr", { dataset: { runId: run.id, status: run.status } },
    element("td", {}, run.month),
    element("td", {}, labels.kinds[run.kind] || run.kind),
    element("td", {}, run.category || labels.allCases),
    element("td", { className: `run-status status-${run.status}`, title: run.error || null },
      run.status === "running"
        ? `${labels.statuses.running} · ${run.stage_label} (${run.progress}%)`
        : labels.statuses[run.status] || run.status),
    element("td", {}, localTime(run.created_at)),
    element("td", {}, run.finished_at ? localTime(run.finished_at) : "—")));
  const body = rows.length ? element("tbody", {}, ...rows)
    : element("tbody", {}, element("tr", {}, element("td", { colspan: 6, className: "empty muted" },
      labels.noRuns)));
  table.replaceChildren(head, body);
}
