// The case page's actions panel: each form (templates/cases_pages/_actions.html) is sent as
// JSON to the cases API with the case version the page was rendered with, then the page
// reloads to show the case as it now is. A refusal ({"code", "message"} in the user's
// language, field errors under errors.json) is shown in the form; a 409 (someone acted
// first, or the case moved on) also offers to reload.
//
// Resolving with a written agreement takes two calls: the agreement is recorded (and
// numbered) first, then the case is resolved; if the second is refused the first stays done,
// and the form says so instead of recording a second agreement on the next try.
//
// Also here: unmasking a party's ID number and phone for those who handle the case (the
// audited API; the page itself only ever renders masked values).

import { callJson, fill } from "./case-api.js";
import { loadSuggestions } from "./case-suggestions.js";
import { clear, refuse } from "./form-answers.js";

const panel = document.querySelector("[data-case-actions]");
const words = JSON.parse(document.getElementById("case-actions-words")?.textContent || "{}");

// --- reading a form ---------------------------------------------------------------------------

function convert(raw, type) {
  switch (type) {
    case "int":
      return Number.parseInt(raw, 10);
    case "bool":
      return raw === "true";
    case "list":
      return raw.split(/[、,，;；\n]+/).map((s) => s.trim()).filter(Boolean);
    case "datetime": // datetime-local typed in Beijing time
      return `${raw.length === 16 ? `${raw}:00` : raw}+08:00`;
    default:
      return raw;
  }
}

// The values of one group's inputs; empty and disabled (hidden) ones are left out, so the
// API's defaults and its "required" answers apply.
export function values(form, group) {
  const out = {};
  for (const input of form.querySelectorAll(`[data-group="${group}"]`)) {
    if (input.disabled) continue;
    const type = input.dataset.type;
    if (input.type === "radio" && !input.checked) continue;
    if (input.type === "checkbox") {
      if (!input.checked) continue;
      if (type === "list") (out[input.name] ??= []).push(input.value);
      else out[input.name] = true;
      continue;
    }
    const raw = input.value.trim();
    if (raw !== "") out[input.name] = convert(raw, type);
  }
  return out;
}

// --- fields shown for one answer only ---------------------------------------------------------

function wireConditions(form) {
  const wrappers = [...form.querySelectorAll("[data-shown-when]")];
  if (wrappers.length === 0) return;
  const update = () => {
    for (const wrapper of wrappers) {
      const [name, wanted] = wrapper.dataset.shownWhen.split("=");
      const control = form.elements.namedItem(name);
      const shown = control?.value === wanted;
      wrapper.hidden = !shown;
      for (const input of wrapper.querySelectorAll("input, textarea, select")) {
        const recorded = form.dataset.agreementDone === "1" && input.dataset.group === "agreement";
        input.disabled = !shown || recorded;
      }
    }
  };
  form.addEventListener("change", update);
  update();
}

// --- sending ----------------------------------------------------------------------------------

function wantsAgreement(form) {
  if (form.dataset.agreementDone === "1") return false;
  const inputs = [...form.querySelectorAll('[data-group="agreement"]')].filter((i) => !i.disabled);
  // Required when the case has none yet; otherwise only if the user wrote one.
  return inputs.some((i) => i.required || (i.tagName === "TEXTAREA" && i.value.trim() !== ""));
}

async function submit(form) {
  clear(form);
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  let prefix = "";
  try {
    if (wantsAgreement(form)) {
      const made = await callJson(panel.dataset.agreementsUrl, { method: "POST", body: values(form, "agreement") });
      if (!made.ok) return refuse(form, made, words);
      form.dataset.agreementDone = "1";
      for (const input of form.querySelectorAll('[data-group="agreement"]')) input.disabled = true;
      prefix = fill(words.agreementSaved, { number: made.body?.number ?? "" });
    }
    const body = { action: form.dataset.action, version: Number(panel.dataset.version), ...values(form, "transition") };
    const done = await callJson(panel.dataset.transitionsUrl, { method: "POST", body });
    if (!done.ok) return refuse(form, done, words, { prefix });
    form.dataset.sent = "1"; // the button stays disabled while the page reloads
    window.location.reload();
  } finally {
    if (form.dataset.sent !== "1") button.disabled = false;
  }
}

function wireForms() {
  const details = [...panel.querySelectorAll("details.action")];
  for (const item of details) {
    item.addEventListener("toggle", () => {
      if (!item.open) return;
      for (const other of details) if (other !== item) other.open = false; // one at a time
      const suggestions = item.querySelector("[data-suggestions]");
      if (suggestions) loadSuggestions(suggestions, panel.dataset.suggestionsUrl, words);
    });
  }
  for (const form of panel.querySelectorAll("form.action-form")) {
    wireConditions(form);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(form);
    });
    form.querySelector("[data-reload]").addEventListener("click", () => window.location.reload());
  }
}

// --- unmasking a party (handlers only; audited by the API) ------------------------------------

function wireUnmask() {
  for (const form of document.querySelectorAll("form[data-unmask-url]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = form.querySelector("[data-result]");
      const answer = await callJson(form.dataset.unmaskUrl, {
        method: "POST",
        body: { reason: form.elements.namedItem("reason").value.trim() },
      });
      if (!answer.ok) {
        result.textContent = answer.status === 0 ? words.network : answer.body?.message || words.failed;
        result.hidden = false;
        return;
      }
      const row = form.closest("tr[data-party]");
      for (const key of ["id_number", "phone"]) {
        const cell = row.querySelector(`[data-pii="${key}"]`);
        if (cell && answer.body[key]) {
          cell.textContent = answer.body[key];
          cell.dataset.unmasked = "1";
        }
      }
      form.closest("details").replaceWith(Object.assign(document.createElement("span"), {
        className: "muted", textContent: words.unmasked,
      }));
    });
  }
}

// --- raising a major event from the case (the assessment's register) ---------------------------

function wireEventFromCase() {
  const form = document.querySelector("form[data-event-from-case]");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = form.querySelector("[data-result]");
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    const answer = await callJson(form.dataset.url, { method: "POST", body: {
      case_id: form.dataset.caseId, kind: form.elements.namedItem("kind").value,
      severity: form.elements.namedItem("severity").value,
    } });
    result.hidden = false;
    if (!answer.ok) {
      button.disabled = false;
      result.textContent = answer.status === 0 ? words.network : answer.body?.message || words.failed;
      return;
    }
    const link = Object.assign(document.createElement("a"), {
      href: `${form.dataset.eventsUrl}?event=${answer.body.id}`, textContent: `#${answer.body.id}`,
    });
    link.dataset.eventLink = String(answer.body.id);
    result.replaceChildren(`${form.dataset.recorded} `, link);
    result.className = "notice"; // no longer the form's refusal
  });
}

if (panel) wireForms();
wireUnmask();
wireEventFromCase();
// Tests (and the curious) can tell the forms are live: until then a form would not be sent.
if (panel) panel.dataset.ready = "1";
