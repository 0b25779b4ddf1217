// The register of major events (templates/assessment_unit_pages/events.html): record an
// event, or correct one (the row's "Edit" fills the form with it and its version). Sent as
// JSON to the assessment API; the time is typed in Beijing time. On success the page reloads
// with the register as it now is; a refusal is shown in the form with field errors beside
// their fields, and a 409 (someone corrected it first) offers to reload.

import { callJson } from "../case-api.js";
import { clear, refuse } from "../form-answers.js";

const config = JSON.parse(document.getElementById("events-config")?.textContent || "{}");
const words = config.labels || {};
const urls = config.urls || {};
const form = document.getElementById("event-form");
const INTEGERS = ["deaths", "injuries", "people_involved"];
const TEXTS = ["unit", "kind", "severity", "title", "summary"];

function field(name) {
  return form.elements.namedItem(name);
}

function body() {
  const out = {};
  for (const name of TEXTS) out[name] = field(name).value.trim();
  for (const name of INTEGERS) out[name] = Number.parseInt(field(name).value, 10);
  const typed = field("occurred_at").value;
  out.occurred_at = `${typed.length === 16 ? `${typed}:00` : typed}+08:00`;
  out.reported_late = field("reported_late").checked;
  out.concealed = field("concealed").checked;
  return out;
}

function edit(data) {
  for (const name of [...TEXTS, ...INTEGERS, "occurred_at"]) field(name).value = data[name] ?? "";
  field("reported_late").checked = Boolean(data.reported_late);
  field("concealed").checked = Boolean(data.concealed);
  form.dataset.eventId = String(data.id);
  form.dataset.version = String(data.version);
  form.querySelector("[data-new]").hidden = false;
  clear(form);
  const details = document.getElementById("record-event");
  details.open = true;
  details.scrollIntoView({ block: "start" });
}

function startNew() {
  form.reset();
  form.dataset.eventId = "";
  form.dataset.version = "";
  form.querySelector("[data-new]").hidden = true;
  clear(form);
}

async function submit() {
  clear(form);
  if (!field("unit").value) {
    refuse(form, { status: 422, body: { message: words.unitRequired } }, words);
    return;
  }
  const button = form.querySelector("[data-record]");
  button.disabled = true;
  const id = form.dataset.eventId;
  try {
    const answer = id
      ? await callJson(urls.event.replace(/\/0$/, `/${id}`),
        { method: "PUT", body: { ...body(), version: Number(form.dataset.version) } })
      : await callJson(urls.events, { method: "POST", body: body() });
    if (!answer.ok) {
      refuse(form, answer, words, { stale: true });
      return;
    }
    form.dataset.sent = "1";
    window.location.reload();
  } finally {
    if (form.dataset.sent !== "1") button.disabled = false;
  }
}

if (form) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  form.querySelector("[data-reload]").addEventListener("click", () => window.location.reload());
  form.querySelector("[data-new]").addEventListener("click", startNew);
  for (const button of document.querySelectorAll("[data-edit]")) {
    button.addEventListener("click", () => edit(JSON.parse(button.dataset.edit)));
  }
  form.dataset.ready = "1";
}
