// KPI tiles: each indicator's figure, its numerator and denominator as links to the cases
// behind them, and what each counts — in the tile's title and in a tooltip that shows on
// hover and on keyboard focus (Escape hides it).

import { casesHref, count, element, figureValue, fill } from "./format.js";

function fractionLink(ctx, figure, side, tipId) {
  const value = figure[side];
  return element("a", {
    className: `kpi-${side}`, href: casesHref(ctx.urls, figure[`${side}_filter`]),
    "aria-describedby": tipId, dataset: { count: String(value) },
    "aria-label": `${ctx.labels[side]} ${count(value)}: ${fill(ctx.labels.listCases,
      { count: count(value) })}`,
  }, count(value));
}

function tipLines(ctx, figure) {
  const lines = [[ctx.labels.numerator, figure.numerator, figure.numerator_text]];
  if (figure.denominator !== null) {
    lines.push([ctx.labels.denominator, figure.denominator, figure.denominator_text]);
  }
  return lines;
}

function tile(ctx, figure) {
  const id = `kpi-${figure.key}`;
  const tipId = `${id}-tip`;
  const lines = tipLines(ctx, figure);
  const tip = element("div", { className: "kpi-tip", role: "tooltip", id: tipId },
    ...lines.map(([name, value, text]) => element("p", {},
      element("strong", {}, `${name} ${count(value)}`), `：${text}`)));
  if (figure.kind === "rate" && figure.value === null) {
    tip.append(element("p", { className: "muted" }, ctx.labels.noFigure));
  }
  const shown = figureValue(figure);
  const value = figure.value === null
    ? element("span", { className: "kpi-none", tabindex: "0", "aria-describedby": tipId }, shown)
    : element("a", { href: casesHref(ctx.urls, figure.numerator_filter),
      "aria-describedby": tipId }, shown);
  const body = [element("h3", { className: "kpi-label", id: `${id}-label` }, figure.label),
    element("p", { className: "kpi-value" }, value)];
  if (figure.kind === "rate") {
    body.push(element("p", { className: "kpi-fraction" },
      fractionLink(ctx, figure, "numerator", tipId), " / ",
      fractionLink(ctx, figure, "denominator", tipId)));
  } else {
    body.push(element("p", { className: "kpi-fraction" },
      fractionLink(ctx, figure, "numerator", tipId)));
  }
  if (figure.key === "urgent_open") {
    body.push(element("p", { className: "kpi-extra" },
      element("a", { href: ctx.urls.urgent }, ctx.labels.urgentBoard)));
  }
  const classes = ["kpi", `kpi-${figure.kind}`];
  if (!figure.higher_is_better && figure.kind === "count" && figure.value > 0) {
    classes.push("kpi-alert");
  }
  return element("li", {
    className: classes.join(" "), id, dataset: { key: figure.key },
    "aria-labelledby": `${id}-label`,
    title: lines.map(([name, v, text]) => `${name} ${count(v)}：${text}`).join("\n"),
  }, ...body, tip);
}

export function renderTiles(list, indicators, ctx) {
  list.replaceChildren(...indicators.map((figure) => tile(ctx, figure)));
}

// Escape hides the tooltip under the pointer or focus until the pointer or focus leaves.
export function dismissableTips(list) {
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    list.querySelectorAll(".kpi:hover, .kpi:focus-within")
      .forEach((tileNode) => tileNode.classList.add("tip-dismissed"));
  });
  const reset = (event) => {
    const tileNode = event.target.closest?.(".kpi");
    if (tileNode) tileNode.classList.remove("tip-dismissed");
  };
  list.addEventListener("mouseleave", reset, true);
  list.addEventListener("focusout", reset);
}
