// Small DOM helpers and the app's words. The words come from the server's Flask-Babel
// catalogs, rendered into the page for both languages (JavaScript has no catalog), so the
// app speaks the chosen language offline too.

const boot = JSON.parse(document.getElementById("boot").textContent);
export const config = boot.config;
let words = boot.labels["zh-CN"];
let language = "zh-CN";

export function setLanguage(code) {
  language = boot.labels[code] ? code : "zh-CN";
  words = boot.labels[language];
  document.documentElement.lang = language;
}
export const currentLanguage = () => language;
export const languages = () => Object.keys(boot.labels);

// t("key") or t("key", {n: 3}) for "%(n)s" placeholders; a missing key shows itself.
export function t(key, params) {
  let text = words[key] ?? key;
  if (params) text = text.replace(/%\((\w+)\)s/g, (_, name) => String(params[name] ?? ""));
  return text;
}

// t() on a group: t.of("state", "reported") -> words["state.reported"], or the raw value.
t.of = (group, value) => words[`${group}.${value}`] ?? value;

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// Dates are stored in UTC and shown in Asia/Shanghai, whatever the phone's own zone.
export function formatTime(value) {
  if (!value) return "";
  const date = typeof value === "number" ? new Date(value) : new Date(value);
  return new Intl.DateTimeFormat(language, {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hour12: false,
  }).format(date);
}

let toastTimer = null;
export function toast(message, kind = "info") {
  let box = document.getElementById("toast");
  if (!box) {
    box = h("div", { id: "toast", role: "status", "aria-live": "polite" });
    document.body.append(box);
  }
  box.textContent = message;
  box.className = `toast toast-${kind} shown`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => box.classList.remove("shown"), 4000);
}

export function screenTitle(text) {
  const title = document.getElementById("screen-title");
  if (title) title.textContent = text;
  document.title = `${text} · ${t("app.name")}`;
}

export function uuid4() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
