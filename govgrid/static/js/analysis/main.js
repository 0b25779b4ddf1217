// The analysis page: ask for a run (POST), then follow it (poll its row every 1.5 s: stage
// and progress bar, then done or failed with the error); the recent runs, the predictive
// check and the risk settings form. Every word comes from the server (#analysis-config).

import { callJson } from "../case-api.js";
import { element, fill, withQuery } from "../dashboard/format.js";
import { renderPrediction } from "./prediction.js";
import { renderRuns } from "./runs.js";
import { riskSettingsForm } from "./settings.js";

const POLL_MS = 1500;
const byId = (id) => document.getElementById(id);
const config = JSON.parse(byId("analysis-config").textContent);
const { urls, labels } = config;
const runUrl = (id) => urls.run.replace(/\/0$/, `/${id}`);

function summaryText(run) {
  const s = run.summary || {};
  if (run.kind === "backtest") return fill(labels.backtestSummary, { months: s.months ?? 0 });
  const grades = s.grades || {};
  return fill(labels.hotSummary, {
    cells: s.cells ?? 0, cases: s.cases ?? 0, hot: s.hot ?? 0, cold: s.cold ?? 0,
    red: grades.red ?? 0, orange: grades.orange ?? 0, yellow: grades.yellow ?? 0,
  });
}

function messageOf(answer) {
  if (answer.status === 0) return labels.offline;
  const body = answer.body || {};
  const fields = body.errors ? Object.values(body.errors).flat().join(" ") : "";
  return fill(labels.requestFailed, { message: fields || body.message || answer.status });
}

// ---- one run, followed until it ends ---------------------------------------------------------
const progressBox = byId("run-progress");
let following = null;

function showRun(run) {
  progressBox.hidden = false;
  progressBox.dataset.status = run.status;
  progressBox.dataset.runId = String(run.id);
  byId("run-bar").value = run.status === "done" ? 100 : run.progress;
  const links = byId("run-links");
  links.replaceChildren();
  let text;
  if (run.status === "queued") text = labels.queued;
  else if (run.status === "running") {
    text = fill(labels.running, { stage: run.stage_label, progress: `${run.progress}%` });
  } else if (run.status === "failed") text = fill(labels.failed, { error: run.error || "" });
  else {
    text = fill(labels.done, { summary: summaryText(run) });
    if (run.kind === "hotspots") {
      links.append(element("a", { href: withQuery(urls.dashboard, {
        period: "custom", from: `${run.month}-01`, to: lastDay(run.month),
      }) }, labels.showOnDashboard));
    } else {
      links.append(element("a", { href: "#prediction-title" }, labels.showPrediction));
    }
  }
  byId("run-stage").textContent = `${labels.kinds[run.kind]} · ${run.month} · ${text}`;
}

function lastDay(month) {
  const [year, m] = month.split("-").map(Number);
  const day = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, "0")}`;
}

async function follow(runId) {
  following = runId;
  while (following === runId) {
    const answer = await callJson(runUrl(runId));
    if (following !== runId) return;
    if (answer.ok) {
      showRun(answer.body);
      if (answer.body.status === "done" || answer.body.status === "failed") {
        following = null;
        loadRuns();
        if (answer.body.kind === "backtest") loadPrediction();
        return;
      }
    }
    await new Promise((resolve) => { setTimeout(resolve, POLL_MS); });
  }
}

// ---- asking for a run --------------------------------------------------------------------------
const form = byId("run-form");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const kind = event.submitter?.value || "hotspots";
  const body = { kind, month: byId("run-month").value };
  const category = byId("run-category").value;
  if (category) body.category = category;
  for (const button of form.querySelectorAll("button")) button.disabled = true;
  const answer = await callJson(urls.runs, { method: "POST", body });
  for (const button of form.querySelectorAll("button")) button.disabled = !config.canRun;
  if (!answer.ok) {
    progressBox.hidden = false;
    progressBox.dataset.status = "refused";
    byId("run-links").replaceChildren();
    byId("run-stage").textContent = messageOf(answer);
    return;
  }
  showRun(answer.body);
  loadRuns();
  follow(answer.body.id);
});

// ---- the lists ---------------------------------------------------------------------------------
async function loadRuns() {
  const answer = await callJson(urls.runs);
  if (!answer.ok) return;
  renderRuns(byId("runs"), answer.body, labels);
  // A run still going when the page opened (asked from another tab, or before a reload).
  const open = answer.body.find((r) => r.status === "queued" || r.status === "running");
  if (open && following === null) {
    showRun(open);
    follow(open.id);
  }
}

async function loadPrediction() {
  const answer = await callJson(urls.prediction);
  renderPrediction(byId("prediction"), byId("prediction-reading"),
    answer.ok ? answer.body : null, labels);
}

loadRuns();
if (config.hasPrediction) loadPrediction();
else renderPrediction(byId("prediction"), byId("prediction-reading"), null, labels);
riskSettingsForm(byId("risk-form"), config);
