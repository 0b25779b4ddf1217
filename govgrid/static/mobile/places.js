// Where a point lies among the worker's own grid cells, worked out on the phone from the saved
// cell boundaries, so the report form names the cell with no signal. The server places the
// case again from the same point when it arrives; this is only what the worker sees first.

function inRing(lon, lat, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(lon, lat, rings) {
  if (!rings.length || !inRing(lon, lat, rings[0])) return false;
  return !rings.slice(1).some((hole) => inRing(lon, lat, hole));
}

export function contains(geometry, lon, lat) {
  if (!geometry) return false;
  if (geometry.type === "Polygon") return inPolygon(lon, lat, geometry.coordinates);
  if (geometry.type === "MultiPolygon") return geometry.coordinates.some((p) => inPolygon(lon, lat, p));
  return false;
}

// The feature (of a GeoJSON FeatureCollection) holding the point, or null.
export function cellAt(collection, lon, lat) {
  if (!collection || !collection.features) return null;
  return collection.features.find((feature) => contains(feature.geometry, lon, lat)) || null;
}

// One position from the phone: {lon, lat, accuracy} or an error code (denied, unavailable).
export function currentPosition({ timeout = 20000, maximumAge = 30000 } = {}) {
  return new Promise((resolve) => {
    if (!navigator.geolocation) { resolve({ error: "unavailable" }); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy }),
      (e) => resolve({ error: e.code === 1 ? "denied" : "unavailable" }),
      { enableHighAccuracy: true, timeout, maximumAge },
    );
  });
}
