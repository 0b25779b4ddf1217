// Leaflet maps for the phone: the configured base map when there is one (often none on an
// intranet: then our own boundaries are the map), the worker's grid cells, and markers.
/* global L */

import { config, t } from "./ui.js";

export function makeMap(element, { zoomControl = true } = {}) {
  const map = L.map(element, { zoomControl, attributionControl: Boolean(config.tileUrl), tap: true });
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { maxZoom: config.maxZoom, attribution: config.tileAttribution }).addTo(map);
  }
  return map;
}

export function cellLayer(collection, { highlight = null } = {}) {
  return L.geoJSON(collection, {
    style: (feature) => ({
      color: "#1d4ed8", weight: feature.properties.code === highlight ? 3 : 1.5,
      fillColor: "#3b82f6", fillOpacity: feature.properties.code === highlight ? 0.18 : 0.06,
    }),
    onEachFeature: (feature, layer) => layer.bindTooltip(feature.properties.name || feature.properties.code),
  });
}

export function unitLayer(feature) {
  return L.geoJSON(feature, { style: { color: "#64748b", weight: 2, fill: false, dashArray: "4 4" } });
}

export function meMarker(position) {
  const group = L.layerGroup();
  L.circle([position.lat, position.lon], {
    radius: Math.max(position.accuracy || 0, 5), color: "#0ea5e9", weight: 1, fillOpacity: 0.12,
  }).addTo(group);
  L.circleMarker([position.lat, position.lon], {
    radius: 7, color: "#fff", weight: 2, fillColor: "#0284c7", fillOpacity: 1,
  }).bindTooltip(t("grid.you_are_here")).addTo(group);
  return group;
}

const STATE_COLOURS = { reported: "#f59e0b", accepted: "#f97316", mediating: "#dc2626", suspended: "#6b7280", resolved: "#16a34a", referred: "#7c3aed" };

export function caseMarker(item, onOpen) {
  const marker = L.circleMarker([item.lat, item.lon], {
    radius: 9, color: "#fff", weight: 2, fillColor: STATE_COLOURS[item.state] || "#334155", fillOpacity: 0.95,
  });
  marker.bindTooltip(`${item.title} · ${t.of("state", item.state)}`);
  marker.on("click", () => onOpen(item));
  return marker;
}

// Fit the view to what is drawn, or to a fallback point.
export function fit(map, layers, fallback) {
  const bounds = L.latLngBounds([]);
  for (const layer of layers) {
    if (layer && layer.getBounds) {
      const b = layer.getBounds();
      if (b.isValid()) bounds.extend(b);
    }
  }
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12], maxZoom: 16 });
  else if (fallback) map.setView([fallback.lat, fallback.lon], 15);
  else map.setView([44.1, 123.3], 9);
}
