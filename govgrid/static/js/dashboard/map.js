// The dashboard's map: the places one level down coloured by an indicator of the ranking
// (joined by code), the grid-cell choropleth (cases per 1,000 households or unresolved,
// quantile classes), a heat layer of the cases and clustered case markers, and the analysis
// layers (hot spots, emerging trends, risk grades: analysis-layers.js), switched with a
// layer control. Clicking a place or a grid cell opens its own dashboard.
//
// No tile server is assumed (intranets): our own boundaries are the base, as on the home
// map. Leaflet, Leaflet.markercluster and Leaflet.heat are the vendored classic scripts
// loaded before the modules.

import { createMap, reducedMotion } from "../base-map.js";
import { analysisLayers } from "./analysis-layers.js";
import { classOf, classRanges, colourOf, quantileBreaks } from "./classes.js";
import { count, element, figureValue, fill, rate, withQuery } from "./format.js";

const L = window.L;
const UNIT_ZOOM = 13; // boundaries load once, simplified for this zoom
const CELL_ZOOM = 15;
const MAX_POINTS = 5000;
// Bad to good (a rate where higher is better reads left to right), and few to many.
const VERDICT = ["#c0392b", "#ec8a53", "#f5d76e", "#8fbcd4", "#2c6fa8"];
const AMOUNT = ["#fdf1e3", "#fbd09c", "#f7a35c", "#e2632a", "#a8321a"];
const NO_DATA = "#d9dde2";

// Leaflet.heat weighs a point by the zoom through its `maxZoom` option, which the layer
// control also reads as "not above zoom N" (and greys the layer out there). Here a case
// weighs the same at every zoom (saturating at `max` cases close together), and the control
// never sees a maxZoom.
const SteadyHeat = L.HeatLayer.extend({
  _redraw() {
    this.options.maxZoom = this._map.getZoom();
    try {
      L.HeatLayer.prototype._redraw.call(this);
    } finally {
      delete this.options.maxZoom;
    }
  },
});

async function getJSON(href) {
  const response = await fetch(href, { headers: { Accept: "application/geo+json" } });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}: ${href}`);
  return response.json();
}

// Names go into the page as text, never as HTML (Leaflet would use innerHTML for a string).
function textNode(text) {
  return element("span", {}, text);
}

export function dashboardMap(mapElement, ui, ctx, rankingPromise) {
  const { place, period, urls, labels } = ctx;
  // Fitted to the place once its boundary has loaded.
  const map = createMap(mapElement, { ...ctx.map, bounds: null });
  window.govgridDashboardMap = map;
  // SVG rather than canvas: it redraws at once when the map is refitted for paper (a canvas
  // waits for the next animation frame, which printing does not give it).
  const renderer = L.svg({ padding: 0.3 });
  const cellsQuery = { unit: place.code, from: period.first, to: period.last, zoom: CELL_ZOOM };

  function fail(error) {
    ui.status.textContent = labels.mapLoadFailed;
    console.error("govgrid dashboard map:", error);
  }

  // On paper the map's box has another size: show the whole place there, and the view the
  // reader had on screen again afterwards.
  let home = null;
  let screenView = null;
  window.matchMedia("print").addEventListener("change", (event) => {
    map.invalidateSize({ animate: false, pan: false });
    if (event.matches) {
      screenView = { center: map.getCenter(), zoom: map.getZoom() };
      if (home) map.fitBounds(home, { animate: false });
    } else if (screenView) {
      map.setView(screenView.center, screenView.zoom, { animate: false });
    }
  });

  // ---- the places one level down, coloured by an indicator -------------------------------
  let figuresByCode = new Map();
  let unitLegend = [];
  const units = L.geoJSON(null, {
    style: () => ({ renderer, color: "#263445", weight: 1.5, fillOpacity: 0.75 }),
    onEachFeature(feature, path) {
      path.bindTooltip(() => textNode(unitTooltip(feature.properties)), { sticky: true });
      path.on("click", () => drill(feature.properties.code));
      path.on("mouseover", () => path.setStyle({ weight: 3.5, color: "#d62828" }));
      path.on("mouseout", () => path.setStyle({ weight: 1.5, color: "#263445" }));
    },
  });

  function chosenFigure(code) {
    return (figuresByCode.get(code) || []).find((f) => f.key === ui.indicator.value);
  }

  function unitTooltip(props) {
    const figure = chosenFigure(props.code);
    if (!figure) return props.name;
    const fraction = figure.kind === "rate"
      ? ` (${count(figure.numerator)}/${count(figure.denominator)})` : "";
    return `${props.name} · ${figure.label} ${figureValue(figure)}${fraction}`;
  }

  function drill(code) {
    if (code !== place.code) window.location.assign(ctx.drillHref(code));
  }

  function fillIndicatorChoice(figures) {
    if (ui.indicator.options.length) return;
    ui.indicator.append(...figures.map((f) => element("option", { value: f.key }, f.label)));
    // A grid cell has no places below to colour.
    ui.indicator.closest("label").hidden = !figures.length;
  }

  function restyleUnits() {
    const values = [...figuresByCode.keys()].map((code) => chosenFigure(code)?.value ?? null);
    const breaks = quantileBreaks(values);
    const classes = breaks.length + 1;
    const sample = chosenFigure([...figuresByCode.keys()][0]);
    const palette = sample && sample.higher_is_better ? VERDICT : [...VERDICT].reverse();
    units.setStyle((feature) => {
      const figure = chosenFigure(feature.properties.code);
      const value = figure ? figure.value : null;
      return {
        renderer, color: "#263445", weight: 1.5, fillOpacity: 0.75,
        fillColor: value === null ? NO_DATA : colourOf(classOf(value, breaks), classes, palette),
      };
    });
    const show = sample && sample.kind === "rate" ? rate : count;
    unitLegend = classRanges(values, breaks).map((r) => ({
      colour: colourOf(r.index, classes, palette),
      text: r.min === r.max ? show(r.min) : `${show(r.min)} – ${show(r.max)}`,
    }));
    if (values.some((v) => v === null)) unitLegend.push({ colour: NO_DATA, text: labels.noData });
    drawLegend();
  }

  function unitsHref() {
    if (place.level === "county" || place.level === "township") {
      return withQuery(urls.units, {
        level: place.level === "county" ? "township" : "village", parent: place.code,
        zoom: UNIT_ZOOM,
      });
    }
    // A village's places below are its grid cells; a grid cell shows itself.
    return withQuery(urls.gridCells, cellsQuery);
  }

  async function loadUnits() {
    const [geojson, ranking] = await Promise.all([getJSON(unitsHref()), rankingPromise]);
    figuresByCode = new Map(ranking.rows.map((r) => [r.place.code, r.indicators]));
    fillIndicatorChoice(ranking.rows[0]?.indicators || []);
    units.addData(geojson);
    restyleUnits();
    if (units.getLayers().length) {
      home = units.getBounds();
      map.fitBounds(home, { padding: [10, 10] });
    }
    mapElement.dataset.units = String(units.getLayers().length);
  }

  // ---- grid-cell choropleth ----------------------------------------------------------------
  let cellLegend = [];
  let cellsLoaded = null;
  const cells = L.geoJSON(null, {
    onEachFeature(feature, path) {
      path.bindTooltip(() => textNode(fill(labels.cellTooltip, {
        name: feature.properties.name, village: feature.properties.village,
        reported: count(feature.properties.reported),
        per_1000: count(feature.properties.per_1000),
        unresolved: count(feature.properties.unresolved),
      })), { sticky: true });
      path.on("click", () => drill(feature.properties.code));
    },
  });

  function restyleCells() {
    const measure = ui.measure.value;
    const values = [];
    cells.eachLayer((path) => values.push(path.feature.properties[measure]));
    // Zero is its own class, the lightest: quantiles are taken over the places with cases.
    const breaks = quantileBreaks(values.filter((v) => v > 0));
    const classes = breaks.length + 1;
    const palette = AMOUNT.slice(1);
    const colour = (value) => {
      if (value === null || value === undefined) return NO_DATA;
      if (value <= 0) return AMOUNT[0];
      return colourOf(classOf(value, breaks), classes, palette);
    };
    cells.setStyle((feature) => ({
      renderer, color: "#8a6d3b", weight: 0.8, fillOpacity: 0.8,
      fillColor: colour(feature.properties[measure]),
    }));
    cellLegend = [];
    if (values.some((v) => v === 0)) cellLegend.push({ colour: AMOUNT[0], text: count(0) });
    for (const r of classRanges(values.filter((v) => v > 0), breaks)) {
      cellLegend.push({ colour: colourOf(r.index, classes, palette),
        text: r.min === r.max ? count(r.min) : `${count(r.min)} – ${count(r.max)}` });
    }
    if (values.some((v) => v === null)) cellLegend.push({ colour: NO_DATA, text: labels.noData });
    drawLegend();
  }

  function loadCells() {
    cellsLoaded ||= getJSON(withQuery(urls.gridCells, cellsQuery)).then((geojson) => {
      cells.addData(geojson);
      restyleCells();
      mapElement.dataset.cells = String(cells.getLayers().length);
    });
    return cellsLoaded;
  }

  // ---- case points: heat and clusters ------------------------------------------------------
  let pointsLoaded = null;
  const heat = new SteadyHeat([], { radius: 20, blur: 18, max: 4, minOpacity: 0.3 });
  const pinIcon = L.divIcon({ className: "dash-pin", iconSize: [12, 12] });
  const clusters = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 50, animate: !reducedMotion,
  });

  function popupFor(props) {
    const href = urls.casePage.replace(urls.casePageId, encodeURIComponent(props.id));
    return element("div", { className: "dash-popup" },
      element("a", { href }, props.title),
      element("p", { className: "muted" }, labels.openCase));
  }

  function loadPoints() {
    pointsLoaded ||= getJSON(withQuery(urls.points, {
      unit: place.code, reported_from: period.start, reported_to: period.end,
      limit: MAX_POINTS,
    })).then((geojson) => {
      const latlngs = [];
      const markers = [];
      for (const feature of geojson.features) {
        const [lon, lat] = feature.geometry.coordinates;
        latlngs.push([lat, lon]);
        const pin = L.marker([lat, lon], { icon: pinIcon, title: feature.properties.title });
        pin.bindPopup(() => popupFor(feature.properties));
        markers.push(pin);
      }
      heat.setLatLngs(latlngs);
      clusters.addLayers(markers);
      ui.status.textContent = fill(labels.pointsShown,
        { shown: count(geojson.features.length), total: count(geojson.total) });
      mapElement.dataset.points = String(geojson.features.length);
    });
    return pointsLoaded;
  }

  // ---- analysis layers ---------------------------------------------------------------------
  const analysis = analysisLayers({ ctx, renderer, drill });

  // ---- layer control and legend ------------------------------------------------------------
  const overlays = {
    [labels.layerUnits]: units,
    [labels.layerCells]: cells,
    [labels.layerHeat]: heat,
    [labels.layerClusters]: clusters,
    ...analysis.overlays,
  };
  const loaders = new Map([[cells, loadCells], [heat, loadPoints], [clusters, loadPoints],
    ...analysis.loaders]);
  L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  units.addTo(map);

  function legendBlock(title, entries) {
    return element("div", { className: "legend-block" },
      element("p", { className: "legend-title" }, title),
      element("ul", { className: "legend" }, ...entries.map((e) => element("li", {},
        element("span", { className: "swatch", style: `background:${e.colour}` }), e.text))));
  }

  function drawLegend() {
    const blocks = [];
    if (map.hasLayer(units) && unitLegend.length) {
      blocks.push(legendBlock(ui.indicator.selectedOptions[0]?.textContent || "", unitLegend));
    }
    if (map.hasLayer(cells) && cellLegend.length) {
      blocks.push(legendBlock(ui.measure.selectedOptions[0]?.textContent || "", cellLegend));
    }
    for (const [title, entries] of analysis.legends(map)) blocks.push(legendBlock(title, entries));
    ui.legend.replaceChildren(...blocks);
    analysis.describe(map, ui.analysisNote);
  }

  function layersChanged() {
    const active = Object.entries(overlays).filter(([, layer]) => map.hasLayer(layer))
      .map(([name]) => name);
    mapElement.dataset.layers = String(active.length);
    drawLegend();
  }

  map.on("overlayadd", (event) => {
    const load = loaders.get(event.layer);
    if (load) load().then(layersChanged).catch(fail);
    layersChanged();
  });
  map.on("overlayremove", layersChanged);
  ui.indicator.addEventListener("change", () => { restyleUnits(); });
  ui.measure.addEventListener("change", () => { if (cellsLoaded) restyleCells(); });

  loadUnits().then(() => {
    layersChanged();
    mapElement.dataset.mapReady = "1";
  }).catch(fail);
  return map;
}
