// The scorecard page (/assessment): the ranking is rendered by the server; here the period
// picker submits itself when changed, and the map by ladder status is drawn from
// /api/v1/assessment/standing-map (standing-map.js) with the words the page put in
// #scorecard-config.

import { standingMap } from "./standing-map.js";

const form = document.getElementById("score-controls");
const select = document.getElementById("period-select");
if (form && select) {
  select.addEventListener("change", () => form.requestSubmit());
}

const configNode = document.getElementById("scorecard-config");
if (configNode) {
  const config = JSON.parse(configNode.textContent);
  standingMap(document.getElementById("standing-map"),
    document.getElementById("standing-legend"), document.getElementById("map-status"), config);
}
