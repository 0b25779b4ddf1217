// The ranking of the places one level down: every indicator per place, each figure a link
// to its cases, each place a link into its own dashboard; sortable by any column here in
// the browser (the rows are all on the page).

import { casesHref, count, element, figureValue, fill } from "./format.js";

const collator = new Intl.Collator(document.documentElement.lang || "zh-CN");

function figureCell(ctx, figure) {
  const value = figure.value === null
    ? element("span", { className: "none" }, figureValue(figure))
    : element("a", { href: casesHref(ctx.urls, figure.numerator_filter) }, figureValue(figure));
  const cell = element("td", {
    className: "num", dataset: { key: figure.key },
    title: figure.denominator === null
      ? `${figure.numerator_text}: ${count(figure.numerator)}`
      : `${ctx.labels.numerator} ${count(figure.numerator)}：${figure.numerator_text}\n`
        + `${ctx.labels.denominator} ${count(figure.denominator)}：${figure.denominator_text}`,
  }, value);
  if (figure.kind === "rate") {
    cell.append(element("span", { className: "fraction" },
      element("a", { href: casesHref(ctx.urls, figure.numerator_filter),
        className: "ranking-numerator" }, count(figure.numerator)),
      "/",
      element("a", { href: casesHref(ctx.urls, figure.denominator_filter),
        className: "ranking-denominator" }, count(figure.denominator))));
  }
  return cell;
}

function row(ctx, entry) {
  const place = entry.place;
  return element("tr", { dataset: { code: place.code, rank: String(entry.rank) } },
    element("td", { className: "num" }, String(entry.rank)),
    element("th", { scope: "row" },
      element("a", {
        href: ctx.drillHref(place.code), className: "drill",
        title: fill(ctx.labels.drillDown, { name: place.name }),
      }, place.name),
      element("span", { className: "code" }, place.code)),
    element("td", { className: "num" }, count(place.households)),
    ...entry.indicators.map((figure) => figureCell(ctx, figure)));
}

// Sort keys per column: a place's rank, name, households, or an indicator's value; places
// with no figure always last.
function sortKey(entry, column) {
  if (column === "rank") return entry.rank;
  if (column === "name") return entry.place.name;
  if (column === "households") return entry.place.households;
  const figure = entry.indicators.find((f) => f.key === column);
  return figure ? figure.value : null;
}

function compare(column, direction) {
  return (a, b) => {
    const x = sortKey(a, column);
    const y = sortKey(b, column);
    if (x === null && y === null) return a.rank - b.rank;
    if (x === null) return 1;
    if (y === null) return -1;
    const order = typeof x === "string" ? collator.compare(x, y) : x - y;
    return (order * direction) || a.rank - b.rank;
  };
}

function header(ctx, column, text, state, resort) {
  const sorted = state.column === column;
  const button = element("button", {
    type: "button", className: "sort", dataset: { column },
    title: fill(ctx.labels.sortBy, { column: text }),
  }, text);
  button.addEventListener("click", () => resort(column));
  return element("th", {
    scope: "col", "aria-sort": sorted ? (state.direction > 0 ? "ascending" : "descending")
      : "none",
  }, button);
}

export function renderRanking(table, rows, ctx) {
  const state = { column: "rank", direction: 1 };
  const columns = [["rank", ctx.labels.rank], ["name", ctx.labels.place],
    ["households", ctx.labels.households],
    ...(rows[0]?.indicators || []).map((f) => [f.key, f.label, f.higher_is_better])];
  const better = Object.fromEntries(columns.map(([column, , high]) => [column, high]));

  function draw() {
    const head = element("tr", {}, ...columns.map(([column, text]) =>
      header(ctx, column, text, state, resort)));
    const sorted = [...rows].sort(compare(state.column, state.direction));
    const body = sorted.length
      ? sorted.map((entry) => row(ctx, entry))
      : [element("tr", {}, element("td", { className: "empty", colspan: String(columns.length) },
        ctx.labels.noPlacesBelow))];
    table.replaceChildren(element("thead", {}, head), element("tbody", {}, ...body));
  }

  function resort(column) {
    // A new column starts with the best first: rank 1 and A first, the highest households,
    // the highest of an indicator where higher is better, the lowest where it is not.
    if (state.column === column) state.direction = -state.direction;
    else {
      state.column = column;
      state.direction = column === "rank" || column === "name" || better[column] === false
        ? 1 : -1;
    }
    draw();
    table.querySelector(`button[data-column="${column}"]`)?.focus();
  }

  draw();
}
