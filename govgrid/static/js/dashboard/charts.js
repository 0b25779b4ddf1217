// The dashboard's two charts as inline SVG, drawn here (no chart library): the monthly
// trend (cases reported as bars, 化解率 as a line) and the categories (cases reported as
// horizontal bars, with each category's 化解率). Every bar and point is a link to the cases
// behind it and carries a <title> saying what it is.

import { casesHref, count, fill, rate, sameQuery, wholeRate } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) node.setAttribute(key, String(value));
  }
  node.append(...children);
  return node;
}

function titled(text, node) {
  node.prepend(svg("title", {}, text));
  return node;
}

function link(href, text, ...children) {
  return titled(text, svg("a", { href, "aria-label": text }, ...children));
}

// A round upper bound for the axis: 1, 2, 5, 10, 20, 50, …
function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= value);
}

const lang = document.documentElement.lang || "zh-CN";
const monthName = new Intl.DateTimeFormat(lang, { month: "short", timeZone: "UTC" });
const yearMonthName = new Intl.DateTimeFormat(lang, {
  year: "numeric", month: "short", timeZone: "UTC",
});

// "2026-03" -> a tick (the month's short name; with the year in January and on the first
// tick) and the full "2026-03" for titles.
function monthLabel(month, first) {
  const [year, number] = month.split("-").map(Number);
  const day = new Date(Date.UTC(year, number - 1, 1));
  const tick = (first || number === 1 ? yearMonthName : monthName).format(day);
  return { tick, long: month };
}

export function trendChart(container, months, ctx) {
  const width = 640;
  const height = 240;
  const margin = { top: 16, right: 46, bottom: 30, left: 40 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const band = plotW / Math.max(months.length, 1);
  const top = niceMax(Math.max(0, ...months.map((m) => m.reported)));
  const yCount = (v) => margin.top + plotH - (v / top) * plotH;
  const yRate = (v) => margin.top + plotH - v * plotH;
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`, class: "chart chart-trend", role: "group",
    "aria-label": ctx.title,
  });
  const axis = svg("g", { class: "axis" });
  for (const f of [0, 0.5, 1]) {
    const y = margin.top + plotH - f * plotH;
    axis.append(
      svg("line", { x1: margin.left, x2: width - margin.right, y1: y, y2: y, class: "grid" }),
      svg("text", { x: margin.left - 6, y: y + 4, "text-anchor": "end" }, count(top * f)),
      svg("text", { x: width - margin.right + 6, y: y + 4, class: "rate-axis" }, wholeRate(f)));
  }
  root.append(axis);
  const bars = svg("g", { class: "bars" });
  const points = [];
  const every = Math.ceil(months.length / 12);
  months.forEach((month, index) => {
    const x = margin.left + index * band;
    const label = monthLabel(month.month, index === 0);
    const resolution = month.indicators.find((f) => f.key === "resolution_rate");
    const reportedFilter = sameQuery(resolution.denominator_filter, "reported");
    const barH = plotH - (yCount(month.reported) - margin.top);
    const text = fill(ctx.labels.monthReported, { month: label.long, count: month.reported });
    bars.append(link(casesHref(ctx.urls, reportedFilter), text,
      svg("rect", {
        class: "bar", x: x + band * 0.2, y: yCount(month.reported), width: band * 0.6,
        height: Math.max(barH, 0), "data-month": month.month, "data-count": month.reported,
      })));
    if (index % every === 0) {
      bars.append(svg("text", {
        x: x + band / 2, y: height - margin.bottom + 16, "text-anchor": "middle",
        class: "tick",
      }, label.tick));
    }
    if (resolution.value !== null) {
      points.push({ x: x + band / 2, y: yRate(resolution.value), figure: resolution, label });
    }
  });
  root.append(bars);
  const line = svg("g", { class: "rate-line" });
  if (points.length > 1) {
    line.append(svg("polyline", { points: points.map((p) => `${p.x},${p.y}`).join(" ") }));
  }
  for (const p of points) {
    const text = fill(ctx.labels.monthRate, {
      month: p.label.long, rate: rate(p.figure.value), numerator: p.figure.numerator,
      denominator: p.figure.denominator,
    });
    line.append(link(casesHref(ctx.urls, p.figure.numerator_filter), text,
      svg("circle", { class: "point", cx: p.x, cy: p.y, r: 4.5 })));
  }
  root.append(line);
  container.replaceChildren(root, legend(ctx));
}

function legend(ctx) {
  const box = document.createElement("p");
  box.className = "chart-legend";
  const bar = document.createElement("span");
  bar.className = "key key-bar";
  const rateKey = document.createElement("span");
  rateKey.className = "key key-line";
  box.append(bar, ctx.labels.reported, rateKey, ctx.labels.resolutionRate);
  return box;
}

export function categoryChart(container, rows, ctx, limit = 12) {
  const shown = rows.slice(0, limit);
  if (!shown.length) {
    const empty = document.createElement("p");
    empty.className = "muted chart-empty";
    empty.textContent = ctx.labels.noCases;
    container.replaceChildren(empty);
    return;
  }
  const width = 640;
  const row = 26;
  const margin = { top: 6, right: 150, bottom: 6, left: 150 };
  const height = margin.top + margin.bottom + row * shown.length;
  const countRoom = 40; // after the longest bar, for its count
  const plotW = width - margin.left - margin.right - countRoom;
  const top = niceMax(Math.max(...shown.map((r) => r.reported)));
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`, class: "chart chart-categories", role: "group",
    "aria-label": ctx.title,
  });
  shown.forEach((entry, index) => {
    const y = margin.top + index * row;
    const figure = entry.resolution_rate;
    const reportedFilter = sameQuery(figure.denominator_filter, "reported");
    const barW = Math.max((entry.reported / top) * plotW, 1);
    const reportedText = fill(ctx.labels.categoryReported,
      { name: entry.name, count: entry.reported });
    const rateText = fill(ctx.labels.categoryRate, {
      name: entry.name, rate: rate(figure.value), numerator: figure.numerator,
      denominator: figure.denominator,
    });
    root.append(
      svg("text", { x: margin.left - 8, y: y + row / 2 + 4, "text-anchor": "end",
        class: "category-name" }, entry.name),
      link(casesHref(ctx.urls, reportedFilter), reportedText,
        svg("rect", { class: "bar", x: margin.left, y: y + 4, width: barW, height: row - 8,
          "data-code": entry.code, "data-count": entry.reported })),
      svg("text", { x: margin.left + barW + 6, y: y + row / 2 + 4, class: "bar-count" },
        count(entry.reported)),
      link(casesHref(ctx.urls, figure.numerator_filter), rateText,
        svg("text", { x: width - 8, y: y + row / 2 + 4, "text-anchor": "end",
          class: "bar-rate" }, `${ctx.labels.resolutionRate} ${rate(figure.value)}`)));
  });
  container.replaceChildren(root);
}
