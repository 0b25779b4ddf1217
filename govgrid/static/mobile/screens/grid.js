// 我的网格: my cells on a map, where I am, the open cases around me, and the way to report.

import { cachedGet } from "../api.js";
import { caseMarker, cellLayer, fit, makeMap, meMarker, unitLayer } from "../map.js";
import { currentPosition } from "../places.js";
import { outboxAll } from "../store.js";
import { formatTime, h, screenTitle, t } from "../ui.js";

export const OPEN_STATES = new Set(["reported", "accepted", "mediating", "suspended", "resolved", "referred"]);

// The worker's grid: their cells (a grid worker reads only their own), or their unit's outline.
// Both asked for at once, and not again for ten minutes (boundaries change by the year).
const GRID_FRESH_MS = 10 * 60 * 1000;

export async function myGrid(user) {
  const unit = user.unit;
  const result = { cells: null, unit: null, stale: false };
  const [cells, outline] = await Promise.all([
    unit.level === "village"
      ? cachedGet(`/grid-cells?village=${unit.code}&zoom=15`, "grid:cells", { fresh: GRID_FRESH_MS })
      : null,
    // The outline is a nicety; the cells are what matters.
    cachedGet(`/units/${unit.code}?zoom=14`, "grid:unit", { fresh: GRID_FRESH_MS }).catch(() => null),
  ]);
  if (cells) {
    result.cells = cells.data;
    result.stale = cells.stale;
  }
  if (outline) result.unit = outline.data;
  return result;
}

export async function render(main, app) {
  const user = app.session.user;
  screenTitle(t("grid.title"));
  const mapBox = h("div", { class: "map", id: "grid-map", role: "region", "aria-label": t("grid.map") });
  const summary = h("div", { class: "summary" });
  const list = h("ul", { class: "case-list" });
  main.append(
    h("p", { class: "who" }, h("strong", {}, user.display_name), " · ", user.unit.name,
      user.cells && user.cells.length ? ` · ${t("grid.cells_n", { n: user.cells.length })}` : ""),
    mapBox, summary,
    h("a", { class: "primary wide big", href: "#/report" }, t("grid.report_now")),
    h("h2", {}, t("grid.open_cases")), list);
  const map = makeMap(mapBox);
  const layers = [];
  let geometry = { cells: null, unit: null, stale: false };
  try {
    geometry = await myGrid(user);
    if (geometry.unit) layers.push(unitLayer(geometry.unit).addTo(map));
    if (geometry.cells) layers.push(cellLayer(geometry.cells).addTo(map));
  } catch {
    summary.append(h("p", { class: "notice warn" }, t("grid.no_geometry")));
  }
  fit(map, layers.slice().reverse(), null);

  const pending = (await outboxAll()).filter((item) => item.userId === user.id);
  if (pending.length) {
    summary.append(h("a", { class: "notice warn block", href: "#/reports" }, t("grid.pending_n", { n: pending.length })));
  }
  try {
    const { data, stale, savedAt } = await cachedGet("/cases?page_size=100", "grid:cases");
    const open = data.filter((item) => OPEN_STATES.has(item.state));
    if (stale) summary.append(h("p", { class: "notice" }, t("app.saved_copy", { time: formatTime(savedAt) })));
    for (const item of open) {
      if (item.lat != null) caseMarker(item, () => app.go(`#/reports/${item.id}`)).addTo(map);
      list.append(h("li", {}, h("a", { href: `#/reports/${item.id}` },
        h("span", { class: `state state-${item.state}` }, t.of("state", item.state)),
        h("span", { class: "title" }, item.title),
        h("small", {}, formatTime(item.reported_at)))));
    }
    if (!open.length) list.append(h("li", { class: "empty" }, t("grid.no_open_cases")));
  } catch {
    list.append(h("li", { class: "empty" }, t("app.not_loaded")));
  }

  // Where am I: one fix now, then follow the phone while this screen is open.
  // Not awaited: the screen is ready (and can be left) before the first fix arrives.
  let me = null;
  currentPosition({ timeout: 10000 }).then((here) => {
    if (here.error) summary.append(h("p", { class: "notice" }, t(`place.${here.error}`)));
    else if (!me && mapBox.isConnected) me = meMarker(here).addTo(map);
  });
  let watch = null;
  if (navigator.geolocation) {
    watch = navigator.geolocation.watchPosition((p) => {
      if (me) me.remove();
      me = meMarker({ lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy }).addTo(map);
    }, () => {}, { enableHighAccuracy: true, maximumAge: 30000 });
  }
  return () => {
    if (watch !== null) navigator.geolocation.clearWatch(watch);
    map.remove();
  };
}
