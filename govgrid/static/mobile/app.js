// The app: start-up (language, session, service worker), the screens behind the #/ routes,
// the bottom tabs, and the moments the outbox is sent: at start, when the connection
// returns, when the app comes back to the front, after each new report, and on a timer.

import { currentSession, refreshUser } from "./session.js";
import { kvGet, kvSet } from "./store.js";
import { onOutboxChange, syncAll } from "./sync.js";
import { h, setLanguage, t, toast } from "./ui.js";
import * as login from "./screens/login.js";
import * as grid from "./screens/grid.js";
import * as report from "./screens/report.js";
import * as reports from "./screens/reports.js";
import * as reportDetail from "./screens/report-detail.js";
import * as notices from "./screens/notices.js";
import * as me from "./screens/me.js";

const SYNC_EVERY_MS = 15000;
const ROUTES = [
  [/^#\/login$/, login, null],
  [/^#\/report(?:\/([\w-]+))?$/, report, "report"],
  [/^#\/reports$/, reports, "reports"],
  [/^#\/reports\/([\w-]+)$/, reportDetail, "reports"],
  [/^#\/notices$/, notices, "notices"],
  [/^#\/me$/, me, "me"],
  [/^#\/?$/, grid, "grid"],
];
const TABS = [["grid", "#/", "tab.grid"], ["report", "#/report", "tab.report"], ["reports", "#/reports", "tab.reports"], ["notices", "#/notices", "tab.notices"], ["me", "#/me", "tab.me"]];

const app = {
  session: null,
  online: navigator.onLine,
  cleanup: null,
  go(hash) { if (location.hash === hash) render(); else location.hash = hash; },
  async sync(force = false) {
    const result = await syncAll({ force });
    if (result && result.auth && app.session) {
      app.session = { ...app.session, expired: true };
      toast(t("sync.log_in_again"), "warn");
    }
    if (result && result.rejected) toast(t("sync.rejected", { n: result.rejected }), "warn");
    else if (result && result.sent) toast(t("sync.sent", { n: result.sent }), "ok");
    return result;
  },
};

// Tab icons as SVG paths (24 x 24): no icon font or emoji to depend on.
const ICONS = {
  grid: "M3 3h18v18H3zM9 3v18M15 3v18M3 9h18M3 15h18",
  report: "M12 5v14M5 12h14",
  reports: "M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01",
  notices: "M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10 21h4",
  me: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 4-6 8-6s8 2 8 6",
};

function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "tab-icon");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", ICONS[name]);
  svg.append(path);
  return svg;
}

function tabs(active) {
  return h("nav", { class: "tabs", "aria-label": t("tab.label") },
    TABS.map(([name, href, key]) => h("a", {
      href, class: `tab tab-${name}`, "aria-current": name === active ? "page" : null,
    }, icon(name), h("span", { class: "tab-text" }, t(key)))));
}

function connectionBar() {
  return h("div", { class: "offline-bar", id: "offline-bar", hidden: app.online ? true : null, role: "status" }, t("app.offline"));
}

// Screens render asynchronously; when the worker moves on before one has finished, its
// clean-up (maps, position watches) must still run, and must not replace the newer screen's.
let rendering = 0;

async function render() {
  const generation = ++rendering;
  const hash = location.hash || "#/";
  const [pattern, screen, tab] = ROUTES.find(([re]) => re.test(hash)) || ROUTES[ROUTES.length - 1];
  const params = hash.match(pattern).slice(1);
  if (!app.session && screen !== login) { location.replace("#/login"); return; }
  if (app.cleanup) { app.cleanup(); app.cleanup = null; }
  const root = document.getElementById("app");
  const header = h("header", { class: "bar" }, h("h1", { id: "screen-title" }, t("app.name")));
  const main = h("main", { class: `screen screen-${tab || "login"}` });
  root.replaceChildren(header, connectionBar(), main, tab ? tabs(tab) : "");
  if (app.session && app.session.expired && screen !== login) {
    main.append(h("p", { class: "notice warn" }, t("app.session_expired"), " ",
      h("a", { href: "#/login" }, t("login.again"))));
  }
  try {
    const cleanup = (await screen.render(main, app, ...params)) || null;
    if (generation === rendering) app.cleanup = cleanup;
    else if (cleanup) cleanup(); // already left: nothing of it may linger
  } catch (error) {
    main.append(h("p", { class: "notice error" }, t("app.screen_failed"), " ", String(error.message || error)));
  }
}

function setOnline(online) {
  app.online = online;
  const bar = document.getElementById("offline-bar");
  if (bar) bar.hidden = online;
  if (online) app.sync(true);
}

async function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  try {
    const registration = await navigator.serviceWorker.register(document.body.dataset.sw, { scope: document.body.dataset.scope, type: "module" });
    app.registration = registration;
  } catch (error) {
    console.warn("service worker not registered", error); // the app still works online
  }
}

// Ask the service worker to send the outbox later even if the app is closed (Android Chrome).
app.backgroundSync = async () => {
  try {
    const registration = app.registration || (await navigator.serviceWorker?.ready);
    if (registration && registration.sync) await registration.sync.register("govgrid-outbox");
  } catch {
    // Not supported or not allowed: the app sends when it is next opened.
  }
};

async function start() {
  const language = (await kvGet("lang")) || (navigator.language.startsWith("en") ? "en" : "zh-CN");
  setLanguage(language);
  await kvSet("lang", language); // the server answers in it too (Accept-Language)
  app.session = await currentSession();
  window.addEventListener("hashchange", render);
  window.addEventListener("online", () => setOnline(true));
  window.addEventListener("offline", () => setOnline(false));
  document.addEventListener("visibilitychange", () => { if (!document.hidden) app.sync(); });
  onOutboxChange(() => document.dispatchEvent(new CustomEvent("outbox-change")));
  await render();
  registerWorker();
  if (app.session && !app.session.expired && navigator.onLine) {
    refreshUser(app.session).then((session) => { app.session = session; });
  }
  app.sync(true);
  setInterval(() => app.sync(), SYNC_EVERY_MS);
}

start();
