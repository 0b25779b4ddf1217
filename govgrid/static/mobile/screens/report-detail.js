// One report: on the phone (why it waits or was refused, and what to do), or on the server
// (state, time limit, photos and the timeline of who did what).

import { api, cachedGet } from "../api.js";
import { outboxGet } from "../store.js";
import { discard, resubmit, Status } from "../sync.js";
import { formatTime, h, screenTitle, t, toast } from "../ui.js";
import { localStatus } from "./reports.js";

function facts(rows) {
  return h("dl", { class: "facts" }, rows.filter(([, value]) => value !== null && value !== undefined && value !== "")
    .flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]));
}

function renderLocal(main, app, item) {
  const status = localStatus(item);
  const report = item.report;
  main.append(h("p", { class: `banner local-state-${status}`, id: "local-status" }, t(`local.${status}`)));
  if (item.status === Status.rejected) {
    main.append(h("div", { class: "notice error", role: "alert", id: "rejection" },
      h("strong", {}, t("report.rejected_because")), " ", item.rejection.message));
  } else if (item.lastError) {
    main.append(h("p", { class: "notice warn" }, item.lastError.auth ? t("sync.log_in_again") : t("sync.will_retry", { time: formatTime(item.nextAttemptAt) })));
  }
  main.append(facts([
    [t("report.title_field"), report.title],
    [t("report.severity"), t.of("severity", report.severity)],
    [t("report.description"), report.description],
    [t("report.place"), report.lat != null ? `${report.lat.toFixed(5)}, ${report.lon.toFixed(5)}` : t("place.none")],
    [t("report.photos"), item.photos.length ? t("photo.count", { n: item.photos.length }) : ""],
    [t("report.saved_at"), formatTime(item.createdAt)],
  ]));
  const actions = h("div", { class: "actions" });
  if (item.status === Status.rejected && item.rejection.stage === "create") {
    actions.append(h("a", { class: "primary wide", href: `#/report/${item.id}` }, t("report.correct")));
  } else if (item.status === Status.rejected) {
    actions.append(h("button", { type: "button", class: "primary wide", onclick: async () => { await resubmit(item.id); app.sync(true); app.go("#/reports"); } }, t("report.retry")));
  } else {
    actions.append(h("button", { type: "button", class: "primary wide", onclick: async () => { await app.sync(true); app.go("#/reports"); } }, t("sync.now")));
  }
  actions.append(h("button", {
    type: "button", class: "danger wide", onclick: async () => {
      if (!confirm(t("report.discard_confirm"))) return;
      await discard(item.id);
      toast(t("report.discarded"));
      app.go("#/reports");
    },
  }, t("report.discard")));
  main.append(actions);
}

async function photoStrip(caseId) {
  const strip = h("div", { class: "thumbs" });
  try {
    const { data } = await api(`/cases/${caseId}/attachments`);
    for (const photo of data.filter((a) => a.media_type.startsWith("image/"))) {
      const { data: blob } = await api(photo.content_url.replace(/^\/api\/v1/, ""));
      const url = URL.createObjectURL(blob);
      strip.append(h("figure", { class: "thumb" }, h("img", { src: url, alt: photo.name })));
    }
  } catch {
    strip.append(h("small", { class: "hint" }, t("photo.not_loaded")));
  }
  return strip;
}

async function renderCase(main, id) {
  const { data: item, stale, savedAt } = await cachedGet(`/cases/${id}`, `case:${id}`);
  screenTitle(item.title);
  if (stale) main.append(h("p", { class: "notice" }, t("app.saved_copy", { time: formatTime(savedAt) })));
  main.append(h("p", { class: `banner state-${item.state}`, id: "case-state" }, t.of("state", item.state),
    item.deadline_state ? h("span", { class: `deadline deadline-${item.deadline_state}` }, ` · ${t.of("deadline", item.deadline_state)}`) : ""));
  main.append(facts([
    [t("report.category"), item.category_name],
    [t("report.severity"), t.of("severity", item.severity)],
    [t("report.description"), item.description],
    [t("report.address"), item.address],
    [t("report.people"), item.people_involved],
    [t("report.amount"), item.amount_involved],
    [t("report.reported_at"), formatTime(item.reported_at)],
    [t("report.due_at"), item.due_at ? formatTime(item.due_at) : ""],
    [t("report.parties"), item.parties.map((p) => `${p.name}（${t.of("party_role", p.role)}）${p.phone ? ` ${p.phone}` : ""}`).join("；")],
  ]));
  if (!stale) main.append(await photoStrip(id));
  main.append(h("h2", {}, t("report.timeline")), h("ol", { class: "timeline", id: "timeline" },
    item.timeline.map((event) => h("li", {},
      h("strong", {}, t.of("action", event.action)),
      h("small", {}, formatTime(event.at)),
      event.note ? h("p", {}, event.note) : null))));
}

export async function render(main, app, id) {
  screenTitle(t("report.detail_title"));
  const local = await outboxGet(id);
  if (local) { renderLocal(main, app, local); return null; }
  try {
    await renderCase(main, id);
  } catch (error) {
    main.append(h("p", { class: "notice error" }, error.message || t("app.not_loaded")));
  }
  return null;
}
