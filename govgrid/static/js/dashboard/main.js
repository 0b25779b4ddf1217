// The county dashboard: reads the view (place, period) the server put in #dashboard-config,
// asks the statistics API for the numbers and draws the tiles, charts, ranking and map.
// Drilling down is a link to the same page with another `unit`, so every view has its own
// URL (shared, bookmarked, the back button) and the server checks the jurisdiction anew.

import { categoryChart, trendChart } from "./charts.js";
import { localTime, fill, withQuery } from "./format.js";
import { dashboardMap } from "./map.js";
import { renderRanking } from "./ranking.js";
import { dismissableTips, renderTiles } from "./tiles.js";

const byId = (id) => document.getElementById(id);

function periodControls() {
  const form = byId("dashboard-controls");
  const preset = form.elements.period;
  const custom = form.querySelector(".custom-days");
  const sync = () => {
    const isCustom = preset.value === "custom";
    custom.hidden = !isCustom;
    // Fields not sent unless custom: the URL stays the preset's (shareable as "this month").
    for (const input of custom.querySelectorAll("input")) input.disabled = !isCustom;
  };
  preset.addEventListener("change", () => {
    sync();
    if (preset.value !== "custom") form.requestSubmit();
  });
  sync();
}

function printButton() {
  // The map refits itself for paper (dashboard/map.js); the rest is the print stylesheet.
  byId("print-button").addEventListener("click", () => window.print());
}

async function getJSON(url, params) {
  const response = await fetch(withQuery(url, params), { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}: ${url}`);
  return response.json();
}

function start(config) {
  const { place, period, trend, urls, labels } = config;
  const ctx = {
    ...config,
    drillHref: (code) => withQuery(urls.dashboard, { ...config.query, unit: code }),
  };
  const status = byId("dashboard-status");
  const loaded = new Set();
  const done = (part) => {
    loaded.add(part);
    document.body.dataset.loaded = [...loaded].sort().join(" ");
  };
  const fail = (error) => {
    status.textContent = labels.loadFailed;
    console.error("govgrid dashboard:", error);
  };
  const span = { unit: place.code, from: period.first, to: period.last };

  const tiles = byId("kpi-tiles");
  dismissableTips(tiles);
  getJSON(urls.indicators, span).then((answer) => {
    renderTiles(tiles, answer.indicators, ctx);
    byId("as-of").textContent = fill(labels.asOf, { time: localTime(answer.as_of) });
    done("indicators");
  }).catch(fail);

  const ranking = getJSON(urls.ranking, span);
  ranking.then((answer) => {
    renderRanking(byId("ranking"), answer.rows, ctx);
    done("ranking");
  }).catch(fail);

  getJSON(urls.trend, { unit: place.code, from: trend.first, to: trend.last }).then((answer) => {
    trendChart(byId("trend-chart"), answer.months,
      { ...ctx, title: byId("trend-title").textContent });
    done("trend");
  }).catch(fail);

  getJSON(urls.categories, span).then((answer) => {
    categoryChart(byId("category-chart"), answer.rows,
      { ...ctx, title: byId("category-title").textContent });
    done("categories");
  }).catch(fail);

  const ui = {
    indicator: byId("map-indicator"), measure: byId("map-measure"),
    legend: byId("map-legend"), status: byId("map-status"), analysisNote: byId("analysis-note"),
  };
  dashboardMap(byId("dashboard-map"), ui, ctx, ranking);
}

const configNode = byId("dashboard-config");
periodControls();
printButton();
if (configNode) start(JSON.parse(configNode.textContent));
