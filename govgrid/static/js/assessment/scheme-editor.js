// The scheme editor (templates/assessment_unit_pages/scheme.html): make a draft from the
// version in force, edit its numbers, save it with the revision read, put it in force.
//
// The form holds only the numbers; everything else of the draft (codes, kinds, severities)
// is kept from the draft as read. Each input names its place in the scheme (data-path, the
// same path the server's checks report), so a 422 lands beside its field. Rates are edited
// in per cent (data-scale="100") and sent as fractions. Numbers are checked here (a number,
// whole where needed, within the input's range); the rules that weigh fields against each
// other (weights adding up to 100, a floor on the bad side of its target) are the server's.

import { callJson, fill } from "../case-api.js";

const config = JSON.parse(document.getElementById("scheme-config")?.textContent || "{}");
const words = config.labels || {};
const urls = config.urls || {};

function withId(url, id) {
  return url.replace(/\/0(?=\/|$)/, `/${id}`);
}

function tokens(path) {
  return path.split(/[.[\]]+/).filter(Boolean).map((t) => (/^\d+$/.test(t) ? Number(t) : t));
}

function setPath(data, path, value) {
  const keys = tokens(path);
  let node = data;
  for (const key of keys.slice(0, -1)) node = node[key];
  node[keys[keys.length - 1]] = value;
}

function say(element, text, kind = "form-error") {
  element.textContent = text;
  element.className = `form-message scheme-message ${kind}`;
}

// --- making a draft ---------------------------------------------------------------------------

const create = document.getElementById("create-draft");
if (create) {
  create.addEventListener("submit", async (event) => {
    event.preventDefault();
    const note = create.elements.namedItem("note").value.trim() || null;
    const answer = await callJson(urls.schemes, { method: "POST", body: { year: config.year, note } });
    if (answer.ok) {
      window.location.reload();
      return;
    }
    say(document.getElementById("create-message"),
      answer.status === 0 ? words.network : answer.body?.message || words.failed);
  });
}

// --- editing the draft ------------------------------------------------------------------------

const form = document.getElementById("scheme-form");
const draft = config.draft;
let dirty = false;

function clearErrors() {
  for (const slot of form.querySelectorAll("[data-error-for]")) {
    slot.hidden = true;
    slot.textContent = "";
  }
  for (const input of form.querySelectorAll("input.invalid")) input.classList.remove("invalid");
  form.querySelector("[data-reload]").hidden = true;
}

function mark(path, text) {
  let slot = null;
  for (let p = path; slot === null; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, "")) {
    slot = form.querySelector(`[data-error-for="${CSS.escape(p)}"]`);
    if (p === "") break;
  }
  if (slot === null) return false;
  slot.textContent = text;
  slot.hidden = false;
  form.querySelector(`input[data-path="${CSS.escape(path)}"]`)?.classList.add("invalid");
  return true;
}

function weightsTotal() {
  const cell = document.getElementById("weights-total");
  let total = 0;
  for (const input of form.querySelectorAll('input[data-path$=".weight"]')) total += Number(input.value) || 0;
  total = Math.round(total * 1e6) / 1e6;
  cell.textContent = String(total);
  cell.dataset.ok = total === 100 ? "1" : "0";
  cell.title = total === 100 ? "" : fill(words.weightsSum, { total });
}

// The draft's data with the form's numbers in it, or null after marking what is wrong.
function collect() {
  const data = structuredClone(draft.data);
  let valid = true;
  for (const input of form.querySelectorAll("input[data-path]")) {
    const raw = input.value.trim();
    const path = input.dataset.path;
    const scale = Number(input.dataset.scale || 1);
    if (raw === "" && input.dataset.nullable) {
      setPath(data, path, null);
      continue;
    }
    const number = raw === "" ? Number.NaN : Number(raw);
    let problem = null;
    if (!Number.isFinite(number)) problem = words.notNumber;
    else if (input.dataset.kind === "integer" && !Number.isInteger(number)) problem = words.problems.must_be_integer;
    else if ((input.min !== "" && number < Number(input.min)) || (input.max !== "" && number > Number(input.max))) {
      problem = fill(words.problems.out_of_range, { low: input.min || "0", high: input.max || "∞" });
    }
    if (problem) {
      mark(path, problem);
      valid = false;
      continue;
    }
    setPath(data, path, scale === 1 ? number : Math.round((number / scale) * 1e10) / 1e10);
  }
  return valid ? data : null;
}

// A refusal of the server: beside its field when it names one (details.path), else below.
function refuse(answer) {
  const message = document.getElementById("scheme-message");
  const body = answer.body || {};
  if (answer.status === 409) {
    say(message, `${words.stale} ${body.message || ""}`.trim());
    form.querySelector("[data-reload]").hidden = false;
    return;
  }
  const details = body.details || {};
  if (answer.status === 422 && details.path !== undefined) {
    const params = { ...(details.params || {}) };
    const input = form.querySelector(`input[data-path="${CSS.escape(details.path)}"]`);
    const scale = Number(input?.dataset.scale || 1);
    for (const key of ["low", "high", "target"]) {
      if (key in params && scale !== 1 && params[key] !== "None") params[key] = Number(params[key]) * scale;
    }
    const text = details.problem in (words.problems || {})
      ? fill(words.problems[details.problem], params) : body.message;
    if (!mark(details.path, text)) say(message, body.message || words.failed);
    else say(message, words.notSaved);
    return;
  }
  say(message, answer.status === 0 ? words.network : body.message || words.failed);
}

async function save() {
  clearErrors();
  const message = document.getElementById("scheme-message");
  const data = collect();
  if (data === null) {
    say(message, words.notSaved);
    return false;
  }
  const note = form.elements.namedItem("note").value.trim();
  const answer = await callJson(withId(urls.scheme, draft.id), {
    method: "PUT", body: { revision: draft.revision, data, note },
  });
  if (!answer.ok) {
    refuse(answer);
    return false;
  }
  draft.revision = answer.body.revision;
  draft.data = answer.body.data;
  dirty = false;
  document.getElementById("draft-revision").textContent = fill(words.revision, { revision: answer.body.revision });
  say(message, fill(words.draftSaved, { revision: answer.body.revision }), "notice");
  return true;
}

async function activate() {
  if (dirty && !(await save())) return;
  if (!window.confirm(fill(words.confirmActivate, { version: draft.version, year: config.year }))) return;
  const answer = await callJson(`${withId(urls.activate, draft.id)}`, {
    method: "POST", body: { revision: draft.revision },
  });
  if (!answer.ok) {
    refuse(answer);
    return;
  }
  window.location.reload();
}

if (form && draft) {
  form.addEventListener("input", () => {
    dirty = true;
    weightsTotal();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save();
  });
  document.getElementById("activate-draft").addEventListener("click", activate);
  form.querySelector("[data-reload]").addEventListener("click", () => window.location.reload());
  weightsTotal();
  form.dataset.ready = "1";
}
