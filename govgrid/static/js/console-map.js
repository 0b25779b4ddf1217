// The console's queue on a map: the cases of the filtered queue as markers, clustered, each
// coloured by its deadline state (超期 / 将到期 / 正常 / no clock), with a popup naming the
// case and linking to its page. A cluster takes the colour of the worst case inside it.
//
// No tile server is assumed (intranets): the base is our own boundaries — one's own unit
// and the level below it — as on the home map. Leaflet and Leaflet.markercluster are the
// vendored classic scripts loaded before this module. Words come from the page (#map-config),
// translated on the server: JavaScript has no catalog.

import { createMap, reducedMotion } from "./base-map.js";

const L = window.L;
const config = JSON.parse(document.getElementById("map-config").textContent);
const labels = config.labels;
const element = document.getElementById("queue-map");
const summary = document.getElementById("map-summary");

const WORST_FIRST = ["overdue", "due_soon", "normal", "none"];
const hasTiles = Boolean(config.tileUrl);
const css = getComputedStyle(document.documentElement);
const cssVar = (name) => css.getPropertyValue(name).trim();

const map = createMap(element, config);
window.govgridQueueMap = map;

const renderer = L.canvas({ padding: 0.3 });
const baseStyles = {
  unit: () => ({
    renderer, color: cssVar("--township-stroke"), weight: 2.5, opacity: 0.9,
    fillColor: "#f3ecd9", fillOpacity: hasTiles ? 0.1 : 0.8,
  }),
  below: () => ({
    renderer, color: cssVar("--village-stroke"), weight: 1, opacity: 0.8,
    fill: false,
  }),
};

function stateOf(properties) {
  return properties.deadline_state || "none";
}

// Names go into the page as text, never as HTML (Leaflet would use innerHTML for a string).
function popupFor(properties) {
  const box = document.createElement("div");
  box.className = "queue-popup";
  const title = document.createElement("a");
  title.href = config.caseUrl.replace(config.caseUrlId, encodeURIComponent(properties.id));
  title.textContent = properties.title;
  const line = document.createElement("p");
  const badge = document.createElement("span");
  badge.className = `badge deadline-${stateOf(properties)}`;
  badge.textContent = labels[stateOf(properties)];
  line.append(badge);
  if (properties.is_urgent) {
    const urgent = document.createElement("strong");
    urgent.className = "urgent-flag";
    urgent.textContent = ` ${labels.urgent}`;
    line.append(urgent);
  }
  box.append(title, line);
  if (properties.approximate) {
    const note = document.createElement("p");
    note.className = "muted";
    note.textContent = labels.approximate;
    box.append(note);
  }
  const open = document.createElement("a");
  open.href = title.href;
  open.textContent = labels.open;
  box.append(open);
  return box;
}

function marker(feature, latlng) {
  const state = stateOf(feature.properties);
  const classes = ["queue-pin", `queue-pin-${state}`];
  if (feature.properties.is_urgent) classes.push("queue-pin-urgent");
  const icon = L.divIcon({ className: classes.join(" "), iconSize: [16, 16] });
  const pin = L.marker(latlng, { icon, title: feature.properties.title, keyboard: true });
  pin.options.deadlineState = state;
  pin.bindPopup(() => popupFor(feature.properties));
  return pin;
}

function clusterIcon(cluster) {
  const states = new Set(cluster.getAllChildMarkers().map((m) => m.options.deadlineState));
  const worst = WORST_FIRST.find((s) => states.has(s)) || "none";
  const count = document.createElement("span");
  count.textContent = String(cluster.getChildCount());
  const inner = document.createElement("div");
  inner.append(count);
  return L.divIcon({
    html: inner, className: `marker-cluster queue-cluster queue-cluster-${worst}`,
    iconSize: L.point(40, 40),
  });
}

const clusters = L.markerClusterGroup({
  animate: !reducedMotion,
  iconCreateFunction: clusterIcon, showCoverageOnHover: false, maxClusterRadius: 50,
});

async function getJSON(href) {
  const response = await fetch(href, { headers: { Accept: "application/geo+json" } });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}: ${href}`);
  return response.json();
}

function reportFailure(error) {
  summary.textContent = labels.loadFailed;
  summary.classList.add("map-status");
  console.error("govgrid console map:", error);
}

async function loadBase() {
  for (const layer of config.base) {
    const data = await getJSON(layer.url);
    L.geoJSON(data, {
      style: baseStyles[layer.kind], interactive: false,
    }).addTo(map);
  }
}

async function loadPoints() {
  const data = await getJSON(config.pointsUrl);
  const layer = L.geoJSON(data, { pointToLayer: marker });
  clusters.addLayers(layer.getLayers());
  clusters.addTo(map);
  summary.textContent = labels.shown
    .replace("%(shown)s", String(data.features.length))
    .replace("%(total)s", String(data.total));
  element.dataset.points = String(data.features.length);
  element.dataset.total = String(data.total);
}

// Both at once: markers sit in their own pane, above the boundaries whichever comes first.
Promise.all([loadBase(), loadPoints()])
  .then(() => { element.dataset.mapReady = "1"; })
  .catch(reportFailure);
