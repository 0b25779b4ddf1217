// The reports list: ask for a report (POST /api/v1/reports) and follow each unfinished
// report's progress every 1.5 s until it is done or failed.
const config = JSON.parse(document.getElementById("reports-config").textContent);
const labels = config.labels;
const table = document.querySelector("#reports tbody");
const form = document.getElementById("report-request");
const statusLine = document.getElementById("request-status");
const csrf = document.querySelector("meta[name=csrf-token]")?.content ?? "";
const POLL_MS = 1500;
const polling = new Set();

const timeFormat = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit",
});
const shown = (iso) => (iso ? timeFormat.format(new Date(iso)) : "");

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

function statusCell(report) {
  const cell = el("td", { class: "report-status", "data-status": report.status },
    el("span", { class: "status-label" }, labels[report.status] ?? report.status));
  if (report.status === "queued" || report.status === "running") {
    const bar = el("progress", { max: "100", value: String(report.progress) });
    const stage = report.stage ? ` · ${labels.stages[report.stage] ?? report.stage}` : "";
    cell.append(bar, el("span", { class: "progress-text" }, `${report.progress}%${stage}`));
  } else if (report.status === "failed") {
    cell.append(el("span", { class: "field-error" }, report.error ?? ""));
  }
  return cell;
}

function linksCell(report) {
  const cell = el("td", { class: "report-links" });
  if (report.status === "done") {
    cell.append(el("a", { href: report.links.html }, labels.open), " · ",
      el("a", { href: report.links.xlsx }, labels.download));
  }
  return cell;
}

function rowFor(report) {
  return el("tr", { "data-id": String(report.id), "data-self": report.links.self },
    el("td", {}, report.unit.name), el("td", {}, report.month), statusCell(report),
    el("td", { class: "nowrap" }, shown(report.created_at)),
    el("td", { class: "nowrap finished" }, shown(report.finished_at)), linksCell(report));
}

function show(report) {
  const existing = table.querySelector(`tr[data-id="${report.id}"]`);
  const row = rowFor(report);
  if (existing) existing.replaceWith(row);
  else {
    table.querySelector("tr.empty")?.remove();
    table.prepend(row);
  }
  if (report.status === "queued" || report.status === "running") follow(report.links.self);
}

function follow(url) {
  if (polling.has(url)) return;
  polling.add(url);
  const tick = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const report = await response.json();
        polling.delete(url);
        show(report);
        return;
      }
    } catch {
      // offline for a moment: keep trying
    }
    setTimeout(tick, POLL_MS);
  };
  setTimeout(tick, POLL_MS);
}

for (const row of table.querySelectorAll("tr[data-self]")) {
  const status = row.querySelector(".report-status")?.dataset.status;
  if (status === "queued" || status === "running") follow(row.dataset.self);
}

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  statusLine.textContent = "";
  const body = Object.fromEntries(new FormData(form));
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const response = await fetch(config.urls.reports, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json",
                 "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (response.status === 202) show(answer);
    else {
      const fields = answer.errors?.json ? Object.values(answer.errors.json).flat() : [];
      statusLine.textContent = [answer.message ?? labels.requestFailed, ...fields].join(" ");
    }
  } catch {
    statusLine.textContent = labels.requestFailed;
  } finally {
    button.disabled = false;
  }
});
