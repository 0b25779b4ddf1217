// Numbers, words and links of the dashboard: one place that knows how a figure is written
// and where the cases behind it are listed.

const lang = document.documentElement.lang || "zh-CN";
const counts = new Intl.NumberFormat(lang);
const rates = new Intl.NumberFormat(lang, {
  style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1,
});
const wholeRates = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 });
const times = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", hour12: false,
});

export const NO_FIGURE = "—";

// "%(count)s cases" with {count: 3}: the server's placeholders, filled here.
export function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, (match, name) =>
    (name in values ? String(values[name]) : match));
}

export function count(value) {
  return value === null || value === undefined ? NO_FIGURE : counts.format(value);
}

export function rate(value) {
  return value === null || value === undefined ? NO_FIGURE : rates.format(value);
}

export function wholeRate(value) {
  return wholeRates.format(value);
}

// A figure of the statistics API as shown: a rate as a percentage, a count as a count.
export function figureValue(figure) {
  return figure.kind === "rate" ? rate(figure.value) : count(figure.value);
}

// The moment in Asia/Shanghai, whatever the browser's own zone.
export function localTime(iso) {
  const parts = Object.fromEntries(times.formatToParts(new Date(iso))
    .map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") search.set(key, value);
  }
  return search.toString();
}

export function withQuery(base, params) {
  return `${base}?${query(params)}`;
}

// The centre console's list of the cases behind a number (its filter, as the API gave it).
export function casesHref(urls, filter) {
  return withQuery(urls.console, filter);
}

// A filter for the cases behind another count of the same period and place: the trend and
// category rows give the 化解率's filters only, the reported count is the same query with
// another metric.
export function sameQuery(filter, metric) {
  return { ...filter, metric };
}

export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "className") node.className = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}
