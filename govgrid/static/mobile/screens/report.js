// 上报: a report in under a minute. Only the category and the place are needed; the place
// comes from the phone's GPS (with its accuracy and a pin the worker may drag), the photos
// are shrunk on the phone, and everything is saved on the phone before it is sent.
/* global L */

import { cellLayer, fit, makeMap } from "../map.js";
import { compressPhoto, photoName } from "../photos.js";
import { cellAt, currentPosition } from "../places.js";
import { kvDelete, kvGet, kvSet, outboxGet } from "../store.js";
import { resubmit, saveReport } from "../sync.js";
import { h, screenTitle, t, toast, uuid4 } from "../ui.js";
import { loadCategories, pickCategory, rememberCategory } from "./category-picker.js";
import { myGrid } from "./grid.js";

const MAX_PHOTOS = 9;
const SEVERITIES = ["general", "major", "serious", "especially_serious"];
const ON_SPOT_OUTCOMES = ["oral_agreement", "written_agreement", "withdrawn"];
const SOURCES = ["walk_in", "hotline_12345", "police_110", "department"];

function localInputValue(date) {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return shifted.toISOString().slice(0, 16);
}

function field(label, control, hint) {
  return h("label", { class: "field" }, h("span", { class: "label" }, label), control, hint ? h("small", { class: "hint" }, hint) : null);
}

function choices(name, values, group, selected) {
  return h("div", { class: "choices", role: "radiogroup" }, values.map((value) => h("label", { class: "choice" },
    h("input", { type: "radio", name, value, checked: value === selected }), h("span", {}, t.of(group, value)))));
}

export async function render(main, app, editId) {
  const user = app.session.user;
  const editing = editId ? await outboxGet(editId) : null;
  // A report being typed is saved as it is typed, so a call, a dead battery or a killed app
  // loses nothing; it is restored the next time the form opens.
  const draftKey = `draft:${user.id}`;
  const saved = editing ? null : await kvGet(draftKey);
  const draft = editing ? editing.report : (saved ? saved.report : {});
  screenTitle(editing ? t("report.correct_title") : t("report.title"));

  // What is being reported.
  let categories = [];
  let category = null;
  const categoryButton = h("button", { type: "button", class: "picker", id: "category" }, t("category.choose"));
  try {
    categories = await loadCategories();
    category = categories.find((c) => c.code === draft.category_code) || null;
  } catch {
    categoryButton.disabled = true;
    categoryButton.textContent = t("category.unavailable");
  }
  const showCategory = () => { if (category) categoryButton.textContent = `${category.name} · ${category.parent_name}`; };
  showCategory();
  categoryButton.addEventListener("click", async () => {
    const chosen = await pickCategory(categories);
    if (chosen) {
      category = chosen;
      showCategory();
      if (chosen.default_severity && !draft.severity) setRadio("severity", chosen.default_severity);
      update();
      form.dispatchEvent(new Event("change"));
    }
  });

  const severity = choices("severity", SEVERITIES, "severity", draft.severity || "general");
  const urgent = h("input", { type: "checkbox", name: "is_urgent", checked: Boolean(draft.is_urgent) });
  const description = h("textarea", { name: "description", rows: 4, maxlength: 5000, placeholder: t("report.description_hint") }, draft.description || "");
  const title = h("input", { name: "title", maxlength: 200, value: draft.title || "", placeholder: t("report.title_hint") });
  const people = h("input", { name: "people_involved", type: "number", inputmode: "numeric", min: 0, max: 1000000, value: draft.people_involved ?? 2 });
  const amount = h("input", { name: "amount_involved", type: "number", inputmode: "decimal", min: 0, step: "0.01", value: draft.amount_involved ?? "", placeholder: "0" });
  const occurred = h("input", { name: "occurred_at", type: "datetime-local", value: localInputValue(draft.occurred_at ? new Date(draft.occurred_at) : new Date()) });
  const source = user.role === "grid_worker" ? null : h("select", { name: "source" }, SOURCES.map((s) => h("option", { value: s, selected: s === draft.source }, t.of("source", s))));

  // Speech: the browser's own dictation where it has one (the keyboard's microphone works too).
  const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  let mic = null;
  if (Recognition) {
    mic = h("button", { type: "button", class: "secondary mic" }, t("report.dictate"));
    mic.addEventListener("click", () => {
      const recognition = new Recognition();
      recognition.lang = document.documentElement.lang || "zh-CN";
      recognition.onresult = (event) => {
        description.value = `${description.value}${description.value ? " " : ""}${event.results[0][0].transcript}`;
      };
      recognition.onerror = () => toast(t("report.dictate_failed"), "warn");
      recognition.onend = () => mic.classList.remove("listening");
      mic.classList.add("listening");
      recognition.start();
    });
  }

  // 当事人 (optional, quick): name, phone, role.
  const partyRows = h("div", { class: "parties" });
  const addParty = (party = {}) => {
    const row = h("div", { class: "party" },
      h("input", { name: "party_name", maxlength: 100, placeholder: t("party.name"), value: party.name || "", "aria-label": t("party.name") }),
      h("input", { name: "party_phone", type: "tel", inputmode: "tel", maxlength: 20, placeholder: t("party.phone"), value: party.phone || "", "aria-label": t("party.phone") }),
      h("select", { name: "party_role", "aria-label": t("party.role") }, ["applicant", "respondent", "other"].map((r) => h("option", { value: r, selected: r === party.role }, t.of("party_role", r)))),
      h("button", { type: "button", class: "icon-button", "aria-label": t("party.remove"), onclick: () => row.remove() }, "×"));
    partyRows.append(row);
  };
  (draft.parties || []).forEach(addParty);

  // Photos, shrunk as they are taken.
  const photos = editing ? editing.photos.filter((p) => !p.uploaded).map((p) => ({ blob: p.blob, name: p.name }))
    : (saved ? saved.photos : []);
  const thumbs = h("div", { class: "thumbs" });
  const camera = h("input", { type: "file", accept: "image/*", capture: "environment", multiple: true, class: "visually-hidden", id: "photo-input", name: "photos" });
  const drawThumbs = () => {
    thumbs.dispatchEvent(new CustomEvent("photos-change", { bubbles: true }));
    thumbs.replaceChildren(...photos.map((photo, index) => {
      const url = URL.createObjectURL(photo.blob);
      return h("figure", { class: "thumb" }, h("img", { src: url, alt: photo.name, onload: () => URL.revokeObjectURL(url) }),
        h("button", { type: "button", class: "icon-button", "aria-label": t("photo.remove"), onclick: () => { photos.splice(index, 1); drawThumbs(); } }, "×"));
    }));
  };
  camera.addEventListener("change", async () => {
    const files = [...camera.files].slice(0, MAX_PHOTOS - photos.length);
    camera.value = "";
    for (const file of files) {
      const busy = h("figure", { class: "thumb busy" }, t("photo.shrinking"));
      thumbs.append(busy);
      try {
        photos.push({ blob: await compressPhoto(file), name: photoName(photos.length) });
      } catch {
        toast(t("photo.unreadable"), "warn");
      }
      busy.remove();
    }
    drawThumbs();
  });
  drawThumbs();

  // Where: GPS with its accuracy, a pin to drag, the grid cell it falls in.
  const placeText = h("p", { class: "place", id: "place", "aria-live": "polite" }, t("place.locating"));
  const mapBox = h("div", { class: "map small", id: "report-map" });
  let position = draft.lat != null ? { lon: draft.lon, lat: draft.lat, accuracy: draft.accuracy_m, manual: draft.accuracy_m == null } : null;
  let geometry = { cells: null };

  // 当场化解 for small matters: an agreement reached (or the complaint withdrawn) on the spot.
  const spot = editing ? editing.onSpot : saved?.onSpot;
  const onSpot = h("input", { type: "checkbox", name: "on_spot", checked: Boolean(spot) });
  const onSpotOutcome = choices("on_spot_outcome", ON_SPOT_OUTCOMES, "outcome", spot?.outcome || "oral_agreement");
  const onSpotNote = h("textarea", { name: "on_spot_note", rows: 2, maxlength: 2000, placeholder: t("onspot.note_hint") }, spot?.note || "");
  const onSpotBox = h("div", { class: "on-spot-details", hidden: true }, onSpotOutcome, onSpotNote);

  const error = h("p", { class: "notice error", role: "alert", hidden: true });
  if (editing && editing.rejection) {
    error.textContent = `${t("report.rejected_because")} ${editing.rejection.message}`;
    error.hidden = false;
  }
  const restored = saved ? h("p", { class: "notice", id: "draft-restored" }, t("report.draft_restored"), " ",
    h("button", { type: "button", class: "secondary", onclick: async () => { await kvDelete(draftKey); app.go("#/report"); } }, t("report.start_over"))) : null;
  const submit = h("button", { type: "submit", class: "primary wide big" }, editing ? t("report.resend") : t("report.submit"));
  const form = h("form", { class: "form report", novalidate: true }, restored,
    field(t("report.category"), categoryButton),
    h("fieldset", {}, h("legend", {}, t("report.severity")), severity,
      h("label", { class: "switch" }, urgent, h("span", {}, t("report.urgent")))),
    h("div", { class: "field" }, h("span", { class: "label" }, t("report.place")), mapBox, placeText,
      h("button", { type: "button", class: "secondary", onclick: () => locate(true) }, t("place.relocate"))),
    h("div", { class: "field" }, h("span", { class: "label" }, t("report.description")), h("div", { class: "with-mic" }, description, mic)),
    h("div", { class: "field" }, h("span", { class: "label" }, t("report.photos")), thumbs,
      h("label", { class: "secondary camera", for: "photo-input" }, t("photo.take")), camera),
    h("div", { class: "row" }, field(t("report.people"), people), field(t("report.amount"), amount)),
    h("details", { class: "more", open: Boolean(draft.parties && draft.parties.length) || null },
      h("summary", {}, t("report.parties_more")),
      partyRows,
      h("button", { type: "button", class: "secondary", onclick: () => addParty() }, t("party.add")),
      field(t("report.title_field"), title),
      field(t("report.occurred_at"), occurred),
      source ? field(t("report.source"), source) : null),
    h("fieldset", { class: "on-spot" }, h("label", { class: "switch" }, onSpot, h("span", {}, t("onspot.label"))),
      h("small", { class: "hint" }, t("onspot.hint")), onSpotBox),
    error, submit);
  // The form is on screen before the map has loaded: a quick tap on submit then must neither
  // reach the browser's own form submission (a page load that would lose the report) nor be
  // dropped. It is held until the form is ready.
  let send = null;
  let sendAsked = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (send) send(); else sendAsked = true;
  });
  main.append(form);

  function setRadio(name, value) {
    const input = form.querySelector(`input[name=${name}][value=${value}]`);
    if (input) input.checked = true;
  }
  const checked = (name) => form.querySelector(`input[name=${name}]:checked`)?.value;

  // 当场化解 is for general, non-urgent matters only (the server checks this again).
  function update() {
    const small = checked("severity") === "general" && !urgent.checked;
    onSpot.disabled = !small;
    if (!small) onSpot.checked = false;
    onSpotBox.hidden = !onSpot.checked;
  }
  form.addEventListener("change", update);
  update();

  // The map: the worker's cells and a draggable pin.
  const map = makeMap(mapBox, { zoomControl: false });
  let pin = null;
  try {
    geometry = await myGrid(user);
    if (geometry.cells) fit(map, [cellLayer(geometry.cells).addTo(map)], position);
  } catch {
    fit(map, [], position);
  }
  function showPlace() {
    if (!position) { placeText.textContent = t("place.none"); return; }
    const cell = cellAt(geometry.cells, position.lon, position.lat);
    const accuracy = position.manual ? t("place.manual") : t("place.accuracy", { m: Math.round(position.accuracy || 0) });
    const where = cell ? t("place.cell", { name: cell.properties.name || cell.properties.code }) : (geometry.cells ? t("place.outside_cells") : "");
    placeText.textContent = `${accuracy} · ${where}`;
    placeText.classList.toggle("warn", Boolean(geometry.cells) && !cell);
    if (!pin) {
      pin = L.marker([position.lat, position.lon], { draggable: true, title: t("place.pin") }).addTo(map);
      pin.on("dragend", () => {
        const at = pin.getLatLng();
        position = { lon: at.lng, lat: at.lat, accuracy: null, manual: true };
        showPlace();
        form.dispatchEvent(new Event("change")); // saved with the draft
      });
    } else {
      pin.setLatLng([position.lat, position.lon]);
    }
    // Keep the worker's cell in view when the pin is in it; follow the pin when it is not.
    if (!map.getBounds().contains(pin.getLatLng())) map.setView(pin.getLatLng(), Math.max(map.getZoom() || 0, 14));
  }
  map.on("click", (event) => {
    position = { lon: event.latlng.lng, lat: event.latlng.lat, accuracy: null, manual: true };
    showPlace();
  });
  let locating = null; // the GPS fix on its way, if one is
  async function locate(force) {
    if (position && position.manual && !force) { showPlace(); return; }
    placeText.textContent = t("place.locating");
    locating = currentPosition({ maximumAge: force ? 0 : 30000 });
    const fix = await locating;
    if (fix.error) {
      placeText.textContent = `${t(`place.${fix.error}`)} ${t("place.tap_map")}`;
      if (position) showPlace();
      return;
    }
    position = { ...fix, manual: false };
    showPlace();
  }
  if (position) showPlace();
  else locate(false);

  // The form as the worker left it (a draft may lack the category or the place).
  function values() {
    const text = description.value.trim();
    const amountValue = amount.value.trim();
    return {
      report: {
        category_code: category ? category.code : undefined,
        title: title.value.trim(),
        description: text,
        source: source ? source.value : "grid_worker",
        severity: checked("severity"),
        is_urgent: urgent.checked,
        people_involved: Math.max(0, parseInt(people.value, 10) || 0),
        amount_involved: amountValue || null,
        occurred_at: occurred.value ? new Date(occurred.value).toISOString() : new Date().toISOString(),
        parties: [...partyRows.querySelectorAll(".party")].map((row) => ({
          name: row.querySelector("[name=party_name]").value.trim(),
          phone: row.querySelector("[name=party_phone]").value.trim() || null,
          role: row.querySelector("[name=party_role]").value,
        })).filter((p) => p.name),
        ...(position
          ? { lon: position.lon, lat: position.lat, accuracy_m: position.manual ? null : position.accuracy }
          : { unit_code: user.unit.code }),
      },
      onSpot: onSpot.checked ? { outcome: checked("on_spot_outcome"), note: onSpotNote.value.trim() || undefined } : null,
    };
  }

  let saving = null;
  let submitted = false;
  const saveDraft = () => {
    if (editing || submitted) return;
    clearTimeout(saving);
    saving = setTimeout(() => {
      const { report, onSpot: spotValue } = values();
      // A GPS fix goes stale; only a place marked by hand is kept.
      if (!position || !position.manual) { delete report.lon; delete report.lat; delete report.accuracy_m; }
      kvSet(draftKey, { report, onSpot: spotValue, photos, savedAt: Date.now() });
    }, 600);
  };
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
  form.addEventListener("photos-change", saveDraft);
  map.on("click", saveDraft);

  let waitingForFix = false;
  send = async () => {
    if (submitted || waitingForFix) return;
    if (!position && locating) {
      // Sent while the GPS is still looking: the place is worth the few seconds' wait.
      waitingForFix = true;
      submit.disabled = true;
      await locating;
      waitingForFix = false;
      submit.disabled = false;
    }
    error.hidden = true;
    const problems = [];
    if (!category) problems.push(t("report.need_category"));
    if (!position && user.unit.level !== "village") problems.push(t("report.need_place"));
    const amountValue = amount.value.trim();
    if (amountValue && !(Number(amountValue) >= 0)) problems.push(t("report.bad_amount"));
    if (problems.length) { error.textContent = problems.join(" "); error.hidden = false; return; }
    const { report, onSpot: resolveOnSpot } = values();
    report.title = report.title || `${category.name}${report.description ? `：${report.description.slice(0, 24)}` : ""}`;
    report.amount_involved = amountValue ? Number(amountValue).toFixed(2) : null;
    submit.disabled = true;
    submitted = true;
    clearTimeout(saving);
    if (editing) {
      await resubmit(editing.id, {
        report, onSpot: resolveOnSpot,
        photos: [...editing.photos.filter((p) => p.uploaded), ...photos.map((p, i) => ({ key: Date.now() + i, blob: p.blob, name: p.name, uploaded: false }))],
      });
    } else {
      await saveReport({ id: uuid4(), userId: user.id, report, photos, onSpot: resolveOnSpot });
      await kvDelete(draftKey);
    }
    await rememberCategory(category.code);
    toast(app.online ? t("report.saved_sending") : t("report.saved_offline"), "ok");
    app.go("#/reports");
    app.backgroundSync();
    app.sync(true);
  };
  if (sendAsked) send();

  return () => map.remove();
}
