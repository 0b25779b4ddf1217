// The county's risk weights and thresholds: read, edit, save with the version read (409:
// someone else saved first; offer their version). Only editors get a save button.

import { callJson } from "../case-api.js";
import { element, fill } from "../dashboard/format.js";

// Every message of a nested {field: [message]} answer.
function leaves(value) {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(leaves);
  return value && typeof value === "object" ? Object.values(value).flatMap(leaves) : [];
}

export function riskSettingsForm(form, config) {
  const { urls, labels } = config;
  const message = form.querySelector("#risk-message");
  const versionText = form.querySelector("#risk-version");
  let version = 0;

  function show(settings) {
    version = settings.version;
    form.dataset.version = String(version);
    for (const input of form.querySelectorAll("[data-weight]")) {
      input.value = settings.weights[input.dataset.weight];
    }
    for (const input of form.querySelectorAll("[data-threshold]")) {
      input.value = settings.thresholds[input.dataset.threshold];
    }
    versionText.textContent = `v${version}`;
  }

  function say(text, kind, ...extra) {
    message.className = kind;
    message.dataset.kind = kind;
    message.replaceChildren(element("p", {}, text, ...extra));
  }

  async function load() {
    const answer = await callJson(urls.riskSettings);
    if (answer.ok) show(answer.body);
    return answer;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const weights = {};
    const thresholds = {};
    for (const input of form.querySelectorAll("[data-weight]")) {
      weights[input.dataset.weight] = input.valueAsNumber;
    }
    for (const input of form.querySelectorAll("[data-threshold]")) {
      thresholds[input.dataset.threshold] = input.valueAsNumber;
    }
    if ([...Object.values(weights), ...Object.values(thresholds)].some(Number.isNaN)) {
      say(labels.notNumber, "form-error");
      return;
    }
    const answer = await callJson(urls.riskSettings,
      { method: "PUT", body: { version, weights, thresholds } });
    if (answer.ok) {
      show(answer.body);
      say(fill(labels.saved, { version: answer.body.version }), "notice");
    } else if (answer.status === 409) {
      const reload = element("button", { type: "button", className: "secondary", id: "risk-reload" },
        labels.reload);
      reload.addEventListener("click", async () => {
        await load();
        message.replaceChildren();
        delete message.dataset.kind;
      });
      say(labels.stale, "form-error", " ", reload);
    } else {
      const body = answer.body || {};
      const detail = body.errors ? leaves(body.errors).join(" ") : body.message;
      say(fill(labels.invalid, { message: detail || answer.status }), "form-error");
    }
  });

  load();
}
