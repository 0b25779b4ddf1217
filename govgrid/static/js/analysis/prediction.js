// The predictive check: per month, hit rate and PAI at 1, 5 and 10 % of the area for our risk
// score and the kernel-density baseline, the averages, and what they mean in words.

import { element, fill, NO_FIGURE, rate } from "../dashboard/format.js";

const TARGETS = [0.01, 0.05, 0.1];
const METHODS = ["risk", "kde"];
const lang = document.documentElement.lang || "zh-CN";
const pais = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const shares = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 });

const pai = (value) => (value === null || value === undefined ? NO_FIGURE : pais.format(value));
const key = (method, target) => `${method}:${target.toFixed(2)}`;

function cellPair(found) {
  return [
    element("td", { className: "num", dataset: { field: "hit_rate" } }, rate(found?.hit_rate)),
    element("td", { className: "num", dataset: { field: "pai" } }, pai(found?.pai)),
  ];
}

function header(labels) {
  const methodName = { risk: labels.methodRisk, kde: labels.methodKde };
  const top = element("tr", {}, element("th", { rowspan: 3, scope: "col" }, labels.month),
    element("th", { rowspan: 3, scope: "col", className: "num" }, labels.cases),
    ...METHODS.map((m) => element("th", { colspan: 6, scope: "colgroup", className: `method-${m}` },
      methodName[m])));
  const middle = element("tr", {}, ...METHODS.flatMap(() => TARGETS.map((t) =>
    element("th", { colspan: 2, scope: "colgroup" },
      fill(labels.areaTarget, { share: shares.format(t) })))));
  const bottom = element("tr", {}, ...METHODS.flatMap(() => TARGETS.flatMap(() => [
    element("th", { scope: "col", className: "num" }, labels.hitRate),
    element("th", { scope: "col", className: "num" }, labels.pai)])));
  return element("thead", {}, top, middle, bottom);
}

export function renderPrediction(table, reading, answer, labels) {
  if (!answer || !answer.rows.length) {
    table.replaceChildren();
    reading.textContent = labels.noPrediction;
    table.dataset.months = "0";
    return;
  }
  const byMonth = new Map();
  for (const row of answer.rows) {
    if (!byMonth.has(row.month)) byMonth.set(row.month, new Map());
    byMonth.get(row.month).set(key(row.method, row.target), row);
  }
  const rows = [...byMonth.entries()].map(([month, checks]) => {
    const total = [...checks.values()][0]?.total ?? 0;
    return element("tr", { dataset: { month } }, element("th", { scope: "row" }, month),
      element("td", { className: "num" }, String(total)),
      ...METHODS.flatMap((m) => TARGETS.flatMap((t) => cellPair(checks.get(key(m, t))))));
  });
  const averages = new Map(answer.averages.map((a) => [key(a.method, a.target), a]));
  const months = answer.averages[0]?.months ?? 0;
  const foot = element("tfoot", {}, element("tr", { className: "average" },
    element("th", { scope: "row" }, fill(labels.averageOf, { months })),
    element("td", { className: "num" }, String(answer.averages[0]?.total ?? 0)),
    ...METHODS.flatMap((m) => TARGETS.flatMap((t) => cellPair(averages.get(key(m, t)))))));
  table.replaceChildren(header(labels), element("tbody", {}, ...rows), foot);
  table.dataset.months = String(byMonth.size);
  reading.replaceChildren(...readingOf(averages, labels));
}

// The plain-language reading, at 5 % of the area: how many of next month's cases each method
// caught, and whether the score beat the baseline and chance.
function readingOf(averages, labels) {
  const risk = averages.get(key("risk", 0.05));
  const kde = averages.get(key("kde", 0.05));
  if (!risk || !risk.months || risk.hit_rate === null) return [labels.noMonths];
  const text = fill(labels.reading, {
    months: risk.months, risk_hit: rate(risk.hit_rate), area: rate(risk.area_share),
    risk_pai: pai(risk.pai), kde_hit: rate(kde?.hit_rate), kde_pai: pai(kde?.pai),
  });
  let verdict = labels.verdictWorse;
  if ((risk.pai ?? 0) < 1.5 && (kde?.pai ?? 0) < 1.5) verdict = labels.verdictChance;
  else if ((risk.pai ?? 0) > (kde?.pai ?? 0)) verdict = labels.verdictBetter;
  return [element("span", {}, text), " ", element("strong", { className: "verdict" }, verdict)];
}
