// 类别选择: the categories a worker used last first, then a search over all of them.
// The dictionary is kept on the phone, so choosing works offline.

import { cachedGet } from "../api.js";
import { kvGet, kvSet } from "../store.js";
import { h, t } from "../ui.js";

const RECENT_KEY = "recentCategories";
const RECENT_MAX = 6;

export async function loadCategories() {
  // The county's dictionary changes a few times a year: asked for at most hourly.
  const { data } = await cachedGet("/categories", "categories", { fresh: 60 * 60 * 1000 });
  const parents = new Map(data.filter((c) => !c.parent_code).map((c) => [c.code, c]));
  return data.filter((c) => c.parent_code).map((c) => ({
    ...c, parent_name: parents.get(c.parent_code)?.name || "",
  }));
}

export async function rememberCategory(code) {
  const recent = ((await kvGet(RECENT_KEY)) || []).filter((c) => c !== code);
  await kvSet(RECENT_KEY, [code, ...recent].slice(0, RECENT_MAX));
}

function matches(category, words) {
  const text = `${category.code} ${category.name} ${category.parent_name}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

// Opens a full-screen chooser; resolves with the chosen category or null.
export async function pickCategory(categories) {
  const recentCodes = (await kvGet(RECENT_KEY)) || [];
  const byCode = new Map(categories.map((c) => [c.code, c]));
  const recent = recentCodes.map((code) => byCode.get(code)).filter(Boolean);
  return new Promise((resolve) => {
    const search = h("input", { type: "search", class: "search", placeholder: t("category.search"), "aria-label": t("category.search"), enterkeyhint: "search" });
    const list = h("div", { class: "category-list" });
    const close = (value) => { overlay.remove(); resolve(value); };
    const item = (c) => h("button", { type: "button", class: "category", dataset: { code: c.code }, onclick: () => close(c) },
      h("span", {}, c.name), h("small", {}, c.parent_name));
    const draw = () => {
      const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      list.replaceChildren();
      if (!words.length && recent.length) {
        list.append(h("h3", {}, t("category.recent")), ...recent.map(item));
      }
      let group = null;
      for (const c of categories) {
        if (words.length && !matches(c, words)) continue;
        if (!words.length && c.parent_name !== group) { group = c.parent_name; list.append(h("h3", {}, group)); }
        list.append(item(c));
      }
      if (!list.children.length) list.append(h("p", { class: "empty" }, t("category.none")));
    };
    search.addEventListener("input", draw);
    const overlay = h("div", { class: "overlay", role: "dialog", "aria-modal": "true", "aria-label": t("category.choose") },
      h("div", { class: "overlay-bar" },
        h("button", { type: "button", class: "icon-button", "aria-label": t("app.back"), onclick: () => close(null) }, "‹"),
        search),
      list);
    document.body.append(overlay);
    draw();
    search.focus();
  });
}
