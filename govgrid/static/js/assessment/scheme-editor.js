// The scheme editor (templates/assessment_unit_pages/scheme.html): make a draft from the
// version in force, edit it, save it with the revision read, put it in force.
//
// The lines (indicators, deductions, veto and event triggers) are table rows: a row per item
// of its list, added from the row <template id="new-GROUP"> and removed by its button. The
// settings are kept from the draft as read, with the form's numbers in them. Each control
// names its place in the scheme (data-path, the same path the server's checks report; the
// rows are renumbered after each add or remove), so a 422 lands beside its field, new lines
// included. A new line's code is made from its basis, unique within the scheme, and shown
// read-only. Rates are edited in per cent (data-scale="100") and sent as fractions. Numbers
// are checked here (a number, whole where needed, within the input's range); everything
// else (weights adding up to 100, kinds required, a window for several events) is the
// server's to judge.

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

const GROUPS = ["indicators", "deductions", "veto_triggers", "event_triggers"];
const EVENT_BASES = new Set(["major_event", "events"]);

function clearErrors() {
  for (const slot of form.querySelectorAll("[data-error-for]")) {
    slot.hidden = true;
    slot.textContent = "";
  }
  for (const control of form.querySelectorAll(".invalid")) control.classList.remove("invalid");
  form.querySelector("[data-reload]").hidden = true;
}

function mark(path, text) {
  let p = path;
  let slot = form.querySelector(`[data-error-for="${CSS.escape(p)}"]`);
  while (slot === null && p !== "") {
    p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
    slot = form.querySelector(`[data-error-for="${CSS.escape(p)}"]`);
  }
  if (slot === null) return false;
  slot.textContent = text;
  slot.hidden = false;
  form.querySelector(`[data-path="${CSS.escape(p)}"]`)?.classList.add("invalid");
  return true;
}

function rows(group) {
  return [...form.querySelectorAll(`tbody[data-lines="${group}"] > tr[data-line]`)];
}

// Each row's controls and error slots named by the row's place in its list.
function renumber() {
  for (const group of GROUPS) {
    rows(group).forEach((row, index) => {
      for (const control of row.querySelectorAll("[data-field]")) {
        control.dataset.path = `${group}[${index}].${control.dataset.field}`;
      }
      for (const slot of row.querySelectorAll("[data-error-field]")) {
        const field = slot.dataset.errorField;
        slot.dataset.errorFor = `${group}[${index}]${field ? `.${field}` : ""}`;
      }
    });
  }
}

function control(row, field) {
  return row.querySelector(`[data-field="${field}"]`);
}

// A code from the basis, unique among the codes of every line but this row's.
function freshCode(basis, row) {
  const taken = new Set([...form.querySelectorAll("tr[data-line] [data-code]")]
    .filter((code) => !row.contains(code)).map((code) => code.textContent.trim()));
  if (!taken.has(basis)) return basis;
  for (let n = 2; ; n += 1) if (!taken.has(`${basis}_${n}`)) return `${basis}_${n}`;
}

// Kinds, severity and window only for event bases; a count only for events and failed periods.
function applicable(row) {
  const basis = control(row, "basis")?.value;
  if (!basis) return;
  const events = EVENT_BASES.has(basis);
  for (const cell of row.querySelectorAll("td[data-events-only]")) {
    cell.classList.toggle("not-applicable", !events);
    for (const c of cell.querySelectorAll("[data-field]")) c.disabled = !events;
  }
  const count = control(row, "count");
  if (count) {
    const none = basis === "concealment";
    count.closest("td").classList.toggle("not-applicable", none);
    count.disabled = none;
    count.min = basis === "failed_periods" ? "2" : "1";
    count.max = basis === "failed_periods" ? "12" : "100";
  }
  if (row.dataset.new) row.querySelector("[data-code]").textContent = freshCode(basis, row);
}

// --- indicators to add ---------------------------------------------------------------------

const picker = document.getElementById("add-indicator-key");
const choices = picker ? [...picker.options] : [];
const removedIndicators = new Map(); // key -> its row as it was, to put back as it was

function refreshPicker() {
  const present = new Set(rows("indicators").map((row) => row.dataset.key));
  picker.replaceChildren(...choices.filter((option) => !present.has(option.value)));
  const none = picker.options.length === 0;
  picker.disabled = none;
  document.getElementById("add-indicator").disabled = none;
}

function newIndicator(option) {
  const row = document.getElementById("new-indicators").content.firstElementChild.cloneNode(true);
  row.dataset.key = option.value;
  row.dataset.direction = option.dataset.direction;
  row.querySelector("[data-name]").textContent = option.textContent;
  row.querySelector("[data-direction-label]").textContent = option.dataset.directionLabel;
  const rate = option.dataset.rate === "1";
  row.querySelector("[data-percent]").hidden = !rate;
  for (const field of ["target", "floor"]) {
    const input = control(row, field);
    if (rate) {
      input.dataset.scale = "100";
      input.max = "100";
    } else {
      delete input.dataset.scale;
      input.removeAttribute("max");
    }
  }
  return row;
}

function addIndicator() {
  const option = picker.selectedOptions[0];
  if (!option) return;
  const row = removedIndicators.get(option.value) || newIndicator(option);
  removedIndicators.delete(option.value);
  form.querySelector('tbody[data-lines="indicators"]').append(row);
  changed();
  control(row, "target").focus();
}

// --- lines -----------------------------------------------------------------------------------

function addLine(group) {
  const row = document.getElementById(`new-${group}`).content.firstElementChild.cloneNode(true);
  form.querySelector(`tbody[data-lines="${group}"]`).append(row);
  applicable(row);
  changed();
  const first = control(row, "basis").disabled ? control(row, "kinds") : control(row, "basis");
  first?.focus();
}

function removeLine(row) {
  if (row.dataset.line === "indicators") removedIndicators.set(row.dataset.key, row);
  row.remove();
  changed();
}

function changed() {
  dirty = true;
  renumber();
  if (picker) refreshPicker();
  weightsTotal();
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

// A row as its list's item, before its numbers are read (those are set by their paths).
function item(group, row) {
  if (group === "indicators") {
    return { key: row.dataset.key, target: null, floor: null, weight: null, direction: row.dataset.direction };
  }
  const basis = control(row, "basis").value;
  const events = EVENT_BASES.has(basis);
  const line = {
    code: row.querySelector("[data-code]").textContent.trim(),
    basis,
    kinds: events ? [...control(row, "kinds").selectedOptions].map((o) => o.value) : [],
    min_severity: control(row, "min_severity").value,
  };
  if (group === "deductions") return { ...line, points: null, cap: null };
  return {
    ...line,
    step: control(row, "step").value,
    count: basis === "concealment" ? 1 : null,
    within_days: null,
  };
}

// The draft's data with the form's lines and numbers in it, or null after marking what is wrong.
function collect() {
  renumber();
  const data = structuredClone(draft.data);
  for (const group of GROUPS) data[group] = rows(group).map((row) => item(group, row));
  let valid = true;
  for (const input of form.querySelectorAll("input[type=number][data-path]")) {
    if (input.disabled) continue;
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
  for (const row of form.querySelectorAll("tr[data-new]")) {
    delete row.dataset.new;
    control(row, "basis").disabled = true;
  }
  removedIndicators.clear();
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
  form.addEventListener("change", (event) => {
    const row = event.target.closest("tr[data-line]");
    if (row && event.target.dataset.field === "basis") applicable(row);
  });
  form.addEventListener("click", (event) => {
    const remove = event.target.closest("[data-remove-line]");
    if (remove) removeLine(remove.closest("tr[data-line]"));
    const add = event.target.closest("[data-add-line]");
    if (add) addLine(add.dataset.addLine);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save();
  });
  document.getElementById("add-indicator").addEventListener("click", addIndicator);
  document.getElementById("activate-draft").addEventListener("click", activate);
  form.querySelector("[data-reload]").addEventListener("click", () => window.location.reload());
  for (const row of form.querySelectorAll("tr[data-line]")) applicable(row);
  refreshPicker();
  weightsTotal();
  form.dataset.ready = "1";
}
