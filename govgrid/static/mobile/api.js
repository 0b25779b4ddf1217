// Talking to the server: the bearer token (never the cookie, so no CSRF token is needed and a
// page cached for days still works), the chosen language for the server's messages, and
// errors sorted into "the server refused this" (ApiError) and "no connection" (NetworkError).

import { kvGet, kvSet } from "./store.js";

export const API = "/api/v1";

export class ApiError extends Error {
  constructor(status, body) {
    super(messageOf(body) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
  // A refusal that sending again will not change: the report must be corrected.
  get isRejection() {
    return this.status >= 400 && this.status < 500 && ![401, 408, 425, 429].includes(this.status);
  }
}

export class NetworkError extends Error {}

// The server's message, then each field's own messages ("纬度: 超出本县范围").
function messageOf(body) {
  if (!body || typeof body !== "object") return "";
  const parts = [];
  if (body.message) parts.push(body.message);
  const fieldErrors = body.errors && (body.errors.json || body.errors.files || body.errors.query || body.errors);
  if (fieldErrors && typeof fieldErrors === "object") {
    for (const messages of Object.values(fieldErrors)) {
      for (const text of flatten(messages)) if (!parts.includes(text)) parts.push(text);
    }
  }
  return parts.join(" ");
}

function flatten(value) {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(flatten);
  if (value && typeof value === "object") return Object.values(value).flatMap(flatten);
  return [];
}

// fetch() with the session's token. `json` sends a JSON body, `form` a FormData.
export async function api(path, { method = "GET", json, form, token, timeoutMs = 30000 } = {}) {
  const session = token ? { token } : await kvGet("session");
  const language = (await kvGet("lang")) || "zh-CN";
  const headers = { Accept: "application/json", "Accept-Language": language };
  if (session && session.token) headers.Authorization = `Bearer ${session.token}`;
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(API + path, {
      method, headers, body, credentials: "omit", cache: "no-store", signal: controller.signal,
    });
  } catch (error) {
    throw new NetworkError(error && error.message);
  } finally {
    clearTimeout(timer);
  }
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json().catch(() => null) : await response.blob();
  if (!response.ok) throw new ApiError(response.status, data);
  return { status: response.status, data, headers: response.headers };
}

// GET with a saved copy for when there is no connection: {data, savedAt, stale}.
// What is saved is this person's own view (their grid, their reports); logging out clears it.
//
// `fresh` (ms): a saved copy younger than this is used without asking at all. For what seldom
// changes (the worker's cells, the categories) that saves round trips of most of a second each
// on a rural connection every time a screen opens.
export async function cachedGet(path, key = `get:${path}`, { fresh = 0 } = {}) {
  if (fresh > 0) {
    const saved = await kvGet(key);
    if (saved && Date.now() - saved.savedAt < fresh) return { ...saved, stale: false };
  }
  try {
    const { data, headers } = await api(path);
    const pagination = headers.get("X-Pagination");
    const saved = { data, savedAt: Date.now(), pagination: pagination ? JSON.parse(pagination) : null };
    await kvSet(key, saved);
    return { ...saved, stale: false };
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    const saved = await kvGet(key);
    if (!saved) throw error;
    return { ...saved, stale: true };
  }
}
