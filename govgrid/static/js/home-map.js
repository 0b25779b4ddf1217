// Home map: the county's townships, then villages (zoom >= 10) and grid cells (zoom >= 12)
// for the current view. Leaflet is the vendored classic script loaded before this module.

import { createMap } from "./base-map.js";

const L = window.L;
const config = JSON.parse(document.getElementById("map-config").textContent);
const labels = config.labels;

const VILLAGE_ZOOM = 10;
const CELL_ZOOM = 12;
// Township names: below LABEL_MIN_ZOOM they overlap (a phone showing the whole county),
// above LABEL_MAX_ZOOM they would sit among cell outlines.
const LABEL_MIN_ZOOM = 8.5;
const LABEL_MAX_ZOOM = 11;
const TOWNSHIP_DETAIL_ZOOM = 13; // townships load once, simplified for this zoom
const DEBOUNCE_MS = 250;

// Colours live in app.css (custom properties), shared with the legend.
const css = getComputedStyle(document.documentElement);
const cssVar = (name) => css.getPropertyValue(name).trim();
const townshipFills = cssVar("--township-fills").split(/\s+/);
const hasTiles = Boolean(config.tileUrl);

const renderer = L.canvas({ padding: 0.3 });
const styles = {
  township: (feature) => ({
    renderer, color: cssVar("--township-stroke"), weight: 3, opacity: 0.9,
    fillColor: townshipFills[feature.properties.index % townshipFills.length],
    fillOpacity: hasTiles ? 0.15 : 0.85,
  }),
  village: () => ({
    renderer, color: cssVar("--village-stroke"), weight: 1.2, opacity: 0.9,
    fill: true, fillOpacity: 0,
  }),
  cell: (feature) => ({
    renderer, color: cssVar("--cell-stroke"), weight: 1, opacity: 0.8, dashArray: "4 3",
    fill: true, fillColor: cssVar("--dedicated-fill"),
    fillOpacity: feature.properties.kind === "dedicated" ? 0.45 : 0,
  }),
};

const map = createMap("map", config);
window.govgridMap = map;

// ---- side panel -------------------------------------------------------------------------

const panel = {
  hint: document.getElementById("unit-hint"),
  info: document.getElementById("unit-info"),
  status: document.getElementById("map-status"),
};
const numbers = new Intl.NumberFormat(document.documentElement.lang || "zh-CN");
let pinned = null; // the feature last clicked; shown again when the pointer leaves a unit

function levelLabel(props) {
  return labels[props.level] || labels[props.kind] || "";
}

function showUnit(feature) {
  const props = feature ? feature.properties : null;
  panel.hint.hidden = Boolean(props);
  panel.info.hidden = !props;
  if (!props) return;
  const values = {
    name: props.name, level: levelLabel(props), code: props.code,
    population: numbers.format(props.population ?? 0),
    households: numbers.format(props.households ?? 0),
  };
  for (const [field, value] of Object.entries(values)) {
    panel.info.querySelector(`[data-field="${field}"]`).textContent = value;
  }
}

// ---- layers -----------------------------------------------------------------------------

// Names go into the page as text, never as HTML (Leaflet would use innerHTML for a string).
function textElement(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span;
}

function featureLayer(kind) {
  const layer = L.geoJSON(null, {
    style: styles[kind],
    onEachFeature(feature, path) {
      path.bindTooltip(() => textElement(feature.properties.name), { sticky: true });
      path.on({
        mouseover() {
          path.setStyle({ color: cssVar("--highlight"), weight: kind === "township" ? 4 : 2.5 });
          path.bringToFront(); // so neighbours do not overdraw the highlighted outline
          showUnit(feature);
        },
        mouseout() {
          layer.resetStyle(path);
          showUnit(pinned);
        },
        click() {
          pinned = feature;
          showUnit(feature);
        },
      });
    },
  });
  return layer.addTo(map);
}

const townships = featureLayer("township");
const villages = featureLayer("village");
const cells = featureLayer("cell");
const townshipLabels = L.layerGroup();

function labelMarker(path) {
  const html = textElement(path.feature.properties.name);
  const icon = L.divIcon({ className: "township-label", html, iconSize: null });
  return L.marker(path.getCenter(), { icon, interactive: false, keyboard: false });
}

function setCount(name, layer) {
  document.body.dataset[name] = String(layer.getLayers().length);
}

// ---- data -------------------------------------------------------------------------------

function url(base, params) {
  return `${base}?${new URLSearchParams(params)}`;
}

async function getJSON(href, signal) {
  const response = await fetch(href, { signal, headers: { Accept: "application/geo+json" } });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}: ${href}`);
  return response.json();
}

function reportFailure(error) {
  if (error.name === "AbortError") return;
  panel.status.textContent = labels.loadFailed;
  console.error("govgrid map:", error);
}

// One loader per view-dependent layer: fetches on demand, aborts its stale request and skips
// the fetch when the last response already covers the view at this zoom.
function viewLoader(layer, countName, minZoom, hrefFor) {
  let controller = null;
  let loaded = null; // {zoom, bounds}
  return async function refresh() {
    const zoom = Math.round(map.getZoom());
    const view = map.getBounds();
    if (map.getZoom() < minZoom) {
      controller?.abort();
      layer.clearLayers();
      loaded = null;
      setCount(countName, layer);
      return;
    }
    if (loaded && loaded.zoom === zoom && loaded.bounds.contains(view)) return;
    controller?.abort();
    controller = new AbortController();
    const bounds = view.pad(0.25); // a margin, so small pans need no new request
    const bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map((v) => v.toFixed(5)).join(",");
    try {
      const data = await getJSON(hrefFor(bbox, zoom), controller.signal);
      layer.clearLayers();
      layer.addData(data);
      loaded = { zoom, bounds };
      setCount(countName, layer);
    } catch (error) {
      reportFailure(error);
    }
  };
}

const refreshVillages = viewLoader(villages, "villages", VILLAGE_ZOOM, (bbox, zoom) =>
  url(config.unitsUrl, { level: "village", bbox, zoom }));
const refreshCells = viewLoader(cells, "cells", CELL_ZOOM, (bbox, zoom) =>
  url(config.cellsUrl, { bbox, zoom }));

function updateLabels() {
  const show = map.getZoom() >= LABEL_MIN_ZOOM && map.getZoom() <= LABEL_MAX_ZOOM;
  if (show && !map.hasLayer(townshipLabels)) townshipLabels.addTo(map);
  if (!show && map.hasLayer(townshipLabels)) townshipLabels.remove();
}

// Leaving the page (the logout form, a link) sends no new requests: once the logout answer
// has ended the session they could only be refused. Coming back from the back-forward cache
// resumes.
let leaving = false;
window.addEventListener("beforeunload", () => { leaving = true; clearTimeout(timer); });
window.addEventListener("pageshow", (event) => { if (event.persisted) leaving = false; });

let timer = null;
function onViewChange() {
  clearTimeout(timer);
  if (leaving) return;
  timer = setTimeout(() => {
    if (leaving) return;
    updateLabels();
    refreshVillages();
    refreshCells();
  }, DEBOUNCE_MS);
}

async function loadTownships() {
  const data = await getJSON(url(config.unitsUrl, {
    level: config.topLevel || "township", zoom: TOWNSHIP_DETAIL_ZOOM,
  }));
  data.features.forEach((feature, index) => { feature.properties.index = index; });
  townships.addData(data);
  townships.eachLayer((path) => townshipLabels.addLayer(labelMarker(path)));
  setCount("townships", townships);
  updateLabels();
  map.on("moveend", onViewChange);
  onViewChange();
  document.body.dataset.mapReady = "1";
}

if (config.countyCode) loadTownships().catch(reportFailure);
