// The map every desktop page starts from: Leaflet (the vendored classic script, loaded before
// the page's module), zoom limits, and a tile layer only when the deployment names a tile
// server (intranets have none: pages draw our own boundaries as the base instead).
//
// maxZoom is always set: Leaflet.markercluster refuses a map without one, and with no tile
// layer nothing else would set it.

const L = window.L;

// People who ask their system for less motion get maps that jump instead of gliding (zoom,
// fade, cluster animations); browser tests ask for it too, so a click never lands on a
// marker still in flight.
export const reducedMotion = Boolean(
  window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);

// config: {maxZoom, tileUrl, tileAttribution, bounds?} as the pages' views give it.
export function createMap(element, config) {
  const map = L.map(element, {
    maxZoom: config.maxZoom, minZoom: 6, zoomSnap: 0.5,
    zoomAnimation: !reducedMotion, fadeAnimation: !reducedMotion,
    markerZoomAnimation: !reducedMotion,
  });
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, {
      attribution: config.tileAttribution, maxZoom: config.maxZoom,
    }).addTo(map);
  }
  if (config.bounds) map.fitBounds(config.bounds);
  else map.setView([35, 105], 4); // China, until the caller fits its own area
  return map;
}
