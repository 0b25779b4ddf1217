// Who is using the phone: logging in for a bearer token (kept in IndexedDB, so the app opens
// offline), and logging out, which revokes the token and forgets what the phone kept.

import { api, ApiError } from "./api.js";
import { clearSaved, kvGet, kvSet, outboxAll } from "./store.js";

export async function currentSession() {
  const session = await kvGet("session");
  if (!session || !session.token) return null;
  if (session.expiresAt && Date.parse(session.expiresAt) <= Date.now()) return { ...session, expired: true };
  return session;
}

// The token's name says which phone holds it, so a lost phone's token can be found and revoked
// on the web (账号 → 令牌).
function deviceName() {
  const ua = navigator.userAgent;
  const model = (ua.match(/Android [^;)]*;\s*([^;)]+)/) || [])[1];
  return `网格通 ${model ? model.trim() : "mobile"}`.slice(0, 100);
}

export async function logIn(username, password) {
  const previous = await kvGet("session");
  const { data } = await api("/session", {
    method: "POST", token: null,
    json: { username, password, token_name: deviceName() },
  });
  const session = { token: data.token, expiresAt: data.expires_at, user: data.user };
  // Someone else's saved copies must not show to this person.
  if (previous && previous.user && previous.user.id !== data.user.id) {
    const language = await kvGet("lang");
    await clearSaved();
    if (language) await kvSet("lang", language);
  }
  await kvSet("session", session);
  return session;
}

// Refresh who I am (role, unit, cells) when online; the saved copy otherwise.
export async function refreshUser(session) {
  try {
    const { data } = await api("/session");
    const next = { ...session, user: data };
    await kvSet("session", next);
    return next;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return { ...session, expired: true };
    return session;
  }
}

export async function pendingCount() {
  return (await outboxAll()).length;
}

// Refuses while reports wait to be sent: they would be lost with the token.
export async function logOut() {
  if ((await pendingCount()) > 0) return false;
  try {
    await api("/session", { method: "DELETE" });
  } catch {
    // Offline or already revoked: the token expires on its own; forget it here anyway.
  }
  const language = await kvGet("lang");
  await clearSaved();
  if (language) await kvSet("lang", language);
  return true;
}
