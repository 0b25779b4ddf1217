// The map by ladder status: the townships (or a township's villages) filled by the highest
// step in force — 通报, 约谈, 挂牌督办, 一票否决 — or as in good standing, with a legend.
// Clicking a unit opens its unit page. No tile server is assumed (intranets): the units'
// own boundaries are the map. Leaflet is the vendored classic script loaded before this.

import { createMap } from "../base-map.js";

const L = window.L;
const ZOOM = 11; // boundaries simplified for this zoom
// The same colours as the badges (assessment.css): rising alarm, lowest step first.
export const STEP_COLOURS = {
  none: "#cfe3cf",
  notice: "#f3d36b",
  interview: "#ec8a3b",
  supervision: "#d9534f",
  veto: "#6d1b3a",
};

function legend(node, labels) {
  node.replaceChildren();
  const title = document.createElement("h3");
  title.textContent = labels.legend;
  const list = document.createElement("ul");
  for (const step of ["none", "notice", "interview", "supervision", "veto"]) {
    const item = document.createElement("li");
    item.dataset.step = step;
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = STEP_COLOURS[step];
    item.append(swatch, step === "none" ? labels.none : labels.steps[step]);
    list.append(item);
  }
  node.append(title, list);
}

function tooltip(props, labels) {
  const box = document.createElement("div");
  const name = document.createElement("strong");
  name.textContent = props.name;
  const step = document.createElement("div");
  step.textContent = props.step ? labels.steps[props.step] : labels.none;
  box.append(name, step);
  if (props.disqualified_until) {
    const until = document.createElement("div");
    until.textContent = labels.until.replace("%(day)s", props.disqualified_until);
    box.append(until);
  }
  if (props.proposed) {
    const waiting = document.createElement("div");
    waiting.textContent = labels.proposed.replace("%(count)s", String(props.proposed));
    box.append(waiting);
  }
  return box;
}

export async function standingMap(mapNode, legendNode, statusNode, config) {
  const { labels } = config;
  legend(legendNode, labels);
  const map = createMap(mapNode, { ...config.map, bounds: null });
  window.govgridStandingMap = map;
  const params = new URLSearchParams({ zoom: String(ZOOM) });
  if (config.unit) params.set("unit", config.unit);
  try {
    const response = await fetch(`${config.standingMap}?${params}`,
      { headers: { Accept: "application/geo+json" } });
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    const collection = await response.json();
    const layer = L.geoJSON(collection, {
      style: (feature) => ({
        color: "#263445", weight: 1, fillOpacity: 0.75,
        fillColor: STEP_COLOURS[feature.properties.step || "none"],
      }),
      onEachFeature: (feature, item) => {
        item.bindTooltip(tooltip(feature.properties, labels), { sticky: true });
        item.on("click", () => { window.location.href = feature.properties.unit_page; });
      },
    }).addTo(map);
    if (layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), { animate: false });
    mapNode.dataset.features = String(collection.features.length);
    mapNode.dataset.mapReady = "";
  } catch (error) {
    statusNode.textContent = labels.loadFailed;
    console.error("govgrid standing map:", error);
  }
}
