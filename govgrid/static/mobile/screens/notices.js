// 通知: my inbox (催办, 督办, new assignments…); tapping one marks it read and opens its case.

import { api, cachedGet } from "../api.js";
import { formatTime, h, screenTitle, t } from "../ui.js";

export async function render(main, app) {
  screenTitle(t("notices.title"));
  const list = h("ul", { class: "notice-list", id: "notices" });
  const allRead = h("button", { type: "button", class: "secondary" }, t("notices.all_read"));
  main.append(h("div", { class: "heading-row" }, h("h2", {}, t("notices.title")), allRead), list);
  async function draw() {
    try {
      const { data, stale, savedAt } = await cachedGet("/notifications?page_size=50", "notices");
      list.replaceChildren(...(stale ? [h("li", { class: "notice" }, t("app.saved_copy", { time: formatTime(savedAt) }))] : []));
      for (const notice of data) {
        const open = async () => {
          if (!notice.read_at) await api(`/notifications/${notice.id}/read`, { method: "POST" }).catch(() => null);
          if (notice.case_id) app.go(`#/reports/${notice.case_id}`); else draw();
        };
        list.append(h("li", { class: notice.read_at ? "read" : "unread" },
          h("button", { type: "button", class: "notice-item", onclick: open },
            h("span", { class: "title" }, notice.title || notice.kind_label || notice.kind),
            notice.body ? h("span", { class: "body" }, notice.body) : null,
            h("small", {}, formatTime(notice.created_at)))));
      }
      if (!data.length) list.append(h("li", { class: "empty" }, t("notices.none")));
    } catch {
      list.replaceChildren(h("li", { class: "empty" }, t("app.not_loaded")));
    }
  }
  allRead.addEventListener("click", async () => {
    await api("/notifications/read-all", { method: "POST" }).catch(() => null);
    draw();
  });
  await draw();
}
