// 我的: who I am, my unit and cells, the language, and logging out (refused while reports
// wait on the phone: they would be lost).

import { logOut, pendingCount } from "../session.js";
import { kvSet } from "../store.js";
import { config, currentLanguage, h, languages, screenTitle, setLanguage, t, toast } from "../ui.js";

const LANGUAGE_NAMES = { "zh-CN": "中文", en: "English" };

export async function render(main, app) {
  screenTitle(t("me.title"));
  const user = app.session.user;
  const pending = await pendingCount();
  main.append(h("dl", { class: "facts" },
    h("dt", {}, t("me.name")), h("dd", {}, user.display_name),
    h("dt", {}, t("me.username")), h("dd", {}, user.username),
    h("dt", {}, t("me.unit")), h("dd", {}, user.unit.name),
    h("dt", {}, t("me.cells")), h("dd", {}, (user.cells || []).join("、") || "—"),
    h("dt", {}, t("me.on_phone")), h("dd", {}, t("me.pending_n", { n: pending })),
    h("dt", {}, t("me.version")), h("dd", {}, config.version)));
  const languageSwitch = h("div", { class: "choices" }, languages().map((code) => h("button", {
    type: "button", class: code === currentLanguage() ? "choice chosen" : "choice", lang: code,
    onclick: async () => { await kvSet("lang", code); setLanguage(code); app.go("#/me"); },
  }, LANGUAGE_NAMES[code] || code)));
  main.append(h("h2", {}, t("me.language")), languageSwitch);
  const logout = h("button", { type: "button", class: "danger wide" }, t("me.log_out"));
  logout.addEventListener("click", async () => {
    if (!(await logOut())) { toast(t("me.pending_block_logout", { n: await pendingCount() }), "warn"); return; }
    app.session = null;
    app.go("#/login");
  });
  main.append(h("div", { class: "actions" }, h("a", { class: "secondary wide", href: "/" }, t("me.desktop")), logout));
}
