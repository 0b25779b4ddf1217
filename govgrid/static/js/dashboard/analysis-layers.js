// The dashboard's analysis layers: hot-spot classes (Gi*), emerging trends and risk grades
// of the grid cells, from the latest finished hot-spot run of the dashboard's month (the
// month of its last day). One GeoJSON answer feeds the three layers. Each layer comes with
// its legend (with how many cells are in each class) and a plain-language explanation shown
// beside the map while it is on; a cell's tooltip says its facts in words. With no finished
// run for the month there is nothing to fetch: the note says so and links to /analysis.

import { count, element, fill, localTime, withQuery } from "./format.js";

// The palette is the server's (analysis/labels.py: one for the dashboard and the printed
// reports): labels.colours.
const HOT_ORDER = ["3", "2", "1", "0", "-1", "-2", "-3"];
const PATTERNS = ["new", "consecutive", "intensifying", "persistent", "diminishing", "sporadic",
  "oscillating", "historical"];
const CELL_ZOOM = 15;

const L = window.L;

function patternKey(props) {
  if (props.pattern === "none" || !props.pattern_side) return "none";
  return `${props.pattern_side > 0 ? "hot" : "cold"}:${props.pattern}`;
}

function patternColour(colours, key) {
  if (key === "none") return colours.noPattern;
  const [side, pattern] = key.split(":");
  return (side === "hot" ? colours.hotPattern : colours.coldPattern)[pattern];
}

export function analysisLayers({ ctx, renderer, drill }) {
  const { labels, urls, place, analysis } = ctx;
  const words = (props) => {
    const key = patternKey(props);
    const pattern = key === "none" ? labels.patterns.none
      : fill(key.startsWith("hot") ? labels.hotSide : labels.coldSide,
        { pattern: labels.patterns[props.pattern] });
    return fill(labels.cellFacts, {
      name: props.name, village: props.village, cases: count(props.cases),
      hot: `${labels.hotClasses[String(props.hot_class)]}${props.z === null ? ""
        : `, ${fill(labels.zScore, { z: props.z })}`}`,
      pattern, grade: labels.grades[props.grade], score: count(props.score),
      repeats: count(props.repeats), escalated: count(props.escalated),
      rebounded: count(props.rebounded), urgent: count(props.urgent),
    });
  };

  function layer(colourOf) {
    return L.geoJSON(null, {
      style: (feature) => ({
        renderer, color: "#5b6670", weight: 0.6, fillOpacity: 0.78,
        fillColor: colourOf(feature.properties),
      }),
      onEachFeature(feature, path) {
        path.bindTooltip(() => element("span", { className: "analysis-cell-tip" },
          words(feature.properties)), { sticky: true, className: "analysis-cell-tip" });
        path.on("click", () => drill(feature.properties.code));
      },
    });
  }

  const { hot: HOT, grades: GRADES } = labels.colours;
  const hot = layer((p) => HOT[String(p.hot_class)] || HOT["0"]);
  const emerging = layer((p) => patternColour(labels.colours, patternKey(p)));
  const risk = layer((p) => GRADES[p.grade] || GRADES.blue);
  let collection = null;
  let loaded = null;

  function load() {
    if (!analysis.run) return Promise.resolve();
    loaded ||= fetch(withQuery(urls.analysisCells, {
      month: analysis.month, unit: place.code, zoom: CELL_ZOOM,
    }), { headers: { Accept: "application/geo+json" } }).then((response) => {
      if (!response.ok) throw new Error(`${response.status}: analysis cells`);
      return response.json();
    }).then((geojson) => {
      collection = geojson;
      for (const target of [hot, emerging, risk]) target.addData(geojson);
    });
    return loaded;
  }

  function tally(keyOf) {
    const counts = new Map();
    for (const feature of collection?.features || []) {
      const key = keyOf(feature.properties);
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    return counts;
  }

  function legends(map) {
    const blocks = [];
    if (!collection) return blocks;
    if (map.hasLayer(hot)) {
      const counts = tally((p) => String(p.hot_class));
      blocks.push([labels.layerHot, HOT_ORDER.map((k) => ({
        colour: HOT[k], text: `${labels.hotClasses[k]} (${count(counts.get(k) || 0)})`,
      }))]);
    }
    if (map.hasLayer(emerging)) {
      const counts = tally(patternKey);
      const keys = [...PATTERNS.map((p) => `hot:${p}`), ...PATTERNS.map((p) => `cold:${p}`)]
        .filter((k) => counts.has(k));
      blocks.push([labels.layerEmerging, [...keys, "none"].map((k) => ({
        colour: patternColour(labels.colours, k),
        text: `${k === "none" ? labels.patterns.none : fill(k.startsWith("hot")
          ? labels.hotSide : labels.coldSide, { pattern: labels.patterns[k.split(":")[1]] })}`
          + ` (${count(counts.get(k) || 0)})`,
      }))]);
    }
    if (map.hasLayer(risk)) {
      const counts = tally((p) => p.grade);
      blocks.push([labels.layerRisk, Object.keys(GRADES).map((g) => ({
        colour: GRADES[g], text: `${labels.grades[g]} (${count(counts.get(g) || 0)})`,
      }))]);
    }
    return blocks;
  }

  // What the layers that are on mean, or how to get them when the month has no run.
  function describe(map, note) {
    const on = [[hot, labels.explainHot], [emerging, labels.explainEmerging],
      [risk, labels.explainRisk]].filter(([target]) => map.hasLayer(target));
    if (!on.length) {
      note.replaceChildren();
      delete note.dataset.state;
      return;
    }
    if (!analysis.run) {
      note.dataset.state = "missing";
      note.replaceChildren(element("p", { className: "analysis-missing" },
        fill(labels.noRun, { month: analysis.month }), " ",
        element("a", { href: analysis.page, id: "run-analysis-link" }, labels.runIt)));
      return;
    }
    const thresholds = (collection?.run?.settings || analysis.settings || {}).thresholds || {};
    note.dataset.state = "shown";
    note.replaceChildren(
      element("p", { className: "run-meta" }, fill(labels.analysisMonth, {
        month: analysis.month, time: analysis.finishedAt ? localTime(analysis.finishedAt) : "—",
      })),
      ...on.map(([, text]) => element("p", { className: "analysis-explain" },
        fill(text, { red: count(thresholds.red), orange: count(thresholds.orange),
          yellow: count(thresholds.yellow) }))));
  }

  return {
    overlays: { [labels.layerHot]: hot, [labels.layerEmerging]: emerging,
      [labels.layerRisk]: risk },
    loaders: [[hot, load], [emerging, load], [risk, load]],
    legends,
    describe,
  };
}
