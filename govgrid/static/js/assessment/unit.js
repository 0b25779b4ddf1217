// The unit page's actions (templates/assessment_unit_pages/unit.html): raise a step by hand,
// confirm or dismiss a proposal, report on a rectification with evidence files, review a
// report. Each form is sent as JSON to the assessment API with the version the page was
// rendered with; on success the page reloads to show the unit as it now is. A refusal is
// shown in the form (field errors beside their fields); a 409 (someone acted first) also
// offers to reload. Evidence files are uploaded one by one as they are chosen (multipart,
// with the CSRF token) and the report names them by the SHA-256 the upload answered.

import { callJson, csrfToken, fill } from "../case-api.js";
import { clear, refuse, say } from "../form-answers.js";

const root = document.querySelector("[data-unit-page]");
const config = JSON.parse(document.getElementById("unit-config")?.textContent || "{}");
const words = config.labels || {};
const urls = config.urls || {};

// "/api/v1/assessment/sanctions/0/evidence" with id 12 -> ".../sanctions/12/evidence"
function withId(url, id) {
  return url.replace(/\/0(?=\/|$)/, `/${id}`);
}

function text(form, name) {
  return (form.elements.namedItem(name)?.value ?? "").trim();
}

function factors(form) {
  return [...form.querySelectorAll('input[name="factors"]:checked')].map((box) => box.value);
}

function uploaded(form) {
  return [...form.querySelectorAll("[data-uploaded] [data-sha256]")].map((li) => li.dataset.sha256);
}

// The request each form makes: [url, body], or a message to show instead of sending.
function request(form) {
  const id = form.dataset.sanction;
  const version = Number(form.dataset.version);
  switch (form.dataset.act) {
    case "raise":
      if (!text(form, "reason")) return words.reasonRequired;
      return [urls.sanctions, { unit: root.dataset.unit, step: text(form, "step"),
        reason: text(form, "reason"), factors: factors(form) }];
    case "confirm":
      return [`${withId(urls.sanction, id)}/confirm`,
        { version, factors: factors(form), reason: text(form, "reason") || null }];
    case "dismiss":
      if (!text(form, "reason")) return words.reasonRequired;
      return [`${withId(urls.sanction, id)}/dismiss`, { version, reason: text(form, "reason") }];
    case "rectify":
      if (!text(form, "text")) return words.textRequired;
      return [`${withId(urls.sanction, id)}/rectifications`,
        { text: text(form, "text"), attachments: uploaded(form) }];
    case "review": {
      const accept = form.querySelector('input[name="accept"]:checked')?.value === "true";
      if (!accept && !text(form, "note")) return words.noteRequired;
      return [withId(urls.review, form.dataset.report), { version, accept, note: text(form, "note") || null }];
    }
    default:
      return words.failed;
  }
}

async function submit(form) {
  clear(form);
  const asked = request(form);
  if (typeof asked === "string") {
    say(form, asked, 422);
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    const answer = await callJson(asked[0], { method: "POST", body: asked[1] });
    if (!answer.ok) return refuse(form, answer, words, { stale: true });
    form.dataset.sent = "1";
    window.location.reload();
  } finally {
    if (form.dataset.sent !== "1") button.disabled = false;
  }
}

// --- evidence files ---------------------------------------------------------------------------

function size(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

async function upload(form, file) {
  const list = form.querySelector("[data-uploaded]");
  const item = document.createElement("li");
  item.textContent = fill(words.uploading, { name: file.name });
  list.append(item);
  const data = new FormData();
  data.append("file", file, file.name);
  let answer;
  try {
    const response = await fetch(withId(urls.evidence, form.dataset.sanction), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    });
    answer = { ok: response.ok, status: response.status, body: await response.json().catch(() => null) };
  } catch {
    answer = { ok: false, status: 0, body: null };
  }
  if (!answer.ok) {
    item.remove();
    refuse(form, answer, words, { stale: true });
    return;
  }
  item.dataset.sha256 = answer.body.sha256;
  item.textContent = fill(words.uploaded, { name: answer.body.name, size: size(answer.body.size) });
  const remove = Object.assign(document.createElement("button"), {
    type: "button", className: "link", textContent: words.remove,
  });
  remove.addEventListener("click", () => item.remove());
  item.append(" ", remove);
}

function wireEvidence(form) {
  const input = form.querySelector("[data-evidence-input]");
  if (!input) return;
  input.addEventListener("change", async () => {
    clear(form);
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      for (const file of input.files) await upload(form, file);
    } finally {
      button.disabled = false;
      input.value = "";
    }
  });
}

if (root) {
  for (const form of root.querySelectorAll("form.action-form")) {
    wireEvidence(form);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(form);
    });
    form.querySelector("[data-reload]").addEventListener("click", () => window.location.reload());
  }
  root.dataset.ready = "1";
}
