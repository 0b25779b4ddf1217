// 我的上报: what is still on the phone (待同步, 同步中, 被退回 with the reason) above what the
// server holds, with each case's state and time limit.

import { cachedGet } from "../api.js";
import { outboxAll } from "../store.js";
import { Status } from "../sync.js";
import { formatTime, h, screenTitle, t } from "../ui.js";

export function localStatus(item) {
  if (item.status === Status.rejected) return "rejected";
  if (item.status === Status.sending) return "sending";
  return "pending";
}

function localRow(item) {
  const status = localStatus(item);
  const reason = item.status === Status.rejected ? item.rejection.message
    : item.lastError ? (item.lastError.auth ? t("sync.log_in_again") : t("sync.will_retry", { time: formatTime(item.nextAttemptAt) })) : "";
  return h("li", { class: `local local-${status}`, dataset: { id: item.id, status } },
    h("a", { href: `#/reports/${item.id}` },
      h("span", { class: `state local-state-${status}` }, t(`local.${status}`)),
      h("span", { class: "title" }, item.report.title),
      h("small", {}, formatTime(item.createdAt), item.photos.length ? ` · ${t("photo.count", { n: item.photos.length })}` : ""),
      reason ? h("small", { class: "reason" }, reason) : null));
}

function caseRow(item) {
  return h("li", { dataset: { id: item.id, state: item.state } },
    h("a", { href: `#/reports/${item.id}` },
      h("span", { class: `state state-${item.state}` }, t.of("state", item.state)),
      h("span", { class: "title" }, item.title),
      h("small", {}, formatTime(item.reported_at),
        item.deadline_state && item.deadline_state !== "normal" ? h("span", { class: `deadline deadline-${item.deadline_state}` }, ` · ${t.of("deadline", item.deadline_state)}`) : "")));
}

export async function render(main, app) {
  screenTitle(t("reports.title"));
  const user = app.session.user;
  const localList = h("ul", { class: "case-list", id: "local-reports" });
  const serverList = h("ul", { class: "case-list", id: "server-reports" });
  const note = h("p", { class: "notice", hidden: true });
  const syncButton = h("button", { type: "button", class: "secondary", onclick: async () => { syncButton.disabled = true; await app.sync(true); syncButton.disabled = false; } }, t("sync.now"));
  main.append(h("div", { class: "heading-row" }, h("h2", {}, t("reports.on_phone")), syncButton), localList,
    h("h2", {}, t("reports.sent")), note, serverList);

  // Drawings overlap (the outbox changes while a list is still loading) and their answers may
  // arrive out of order: only the latest drawing of each list may write it.
  let localDrawing = 0;
  let serverDrawing = 0;
  async function drawLocal() {
    const mine = ++localDrawing;
    const items = (await outboxAll()).filter((item) => item.userId === user.id).reverse();
    if (mine !== localDrawing) return items;
    localList.replaceChildren(...(items.length ? items.map(localRow) : [h("li", { class: "empty" }, t("reports.none_waiting"))]));
    syncButton.hidden = !items.some((item) => item.status !== Status.rejected);
    return items;
  }
  async function drawServer() {
    const mine = ++serverDrawing;
    try {
      const { data, stale, savedAt } = await cachedGet("/cases?mine=true&page_size=50", "reports:mine");
      const onPhone = new Set((await outboxAll()).map((item) => item.id));
      if (mine !== serverDrawing) return;
      note.hidden = !stale;
      if (stale) note.textContent = t("app.saved_copy", { time: formatTime(savedAt) });
      const rows = data.filter((item) => !onPhone.has(item.id)).map(caseRow);
      serverList.replaceChildren(...(rows.length ? rows : [h("li", { class: "empty" }, t("reports.none_sent"))]));
    } catch {
      if (mine !== serverDrawing) return;
      note.hidden = false;
      note.textContent = t("app.not_loaded");
    }
  }
  // Redraw as the outbox changes: a report sent moves from the upper list to the lower one.
  // Listening starts before the first drawing, so a report sent meanwhile is not missed.
  let timer = null;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => { await drawLocal(); if (app.online) await drawServer(); }, 300);
  };
  document.addEventListener("outbox-change", changed);
  await drawLocal();
  await drawServer();
  return () => { clearTimeout(timer); document.removeEventListener("outbox-change", changed); };
}
