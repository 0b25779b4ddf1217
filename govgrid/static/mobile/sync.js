// The outbox: every report is saved on the phone first and sent from here, so a report made
// with no signal is never lost. Sending is three steps, each safe to repeat: create the case
// (the id is made on the phone, so the server returns the same case to a retry), upload each
// photo (the server keeps one copy of the same bytes), and for 当场化解 resolve it on the spot.
// What the server refuses stays on the phone, marked with the reason, until the worker
// corrects or discards it; what fails for want of a network is retried with backoff.
// Runs in the pages and in the service worker (Background Sync), never both at once.

import { api, ApiError, NetworkError } from "./api.js";
import { kvGet, outboxAll, outboxDelete, outboxPut, outboxUpdate } from "./store.js";

const CHANNEL = "govgrid-outbox";
const LOCK = "govgrid-outbox-sync";
const FIRST_RETRY_MS = 5000;
const LONGEST_RETRY_MS = 15 * 60 * 1000;
const PHOTO_TIMEOUT_MS = 120000; // a 1 MB photo on a slow 2G link

export const Status = Object.freeze({ pending: "pending", sending: "sending", rejected: "rejected" });

function announce(detail) {
  try {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage(detail);
    channel.close();
  } catch {
    // No BroadcastChannel: the page refreshes on its own timer.
  }
}

// Call `listener` whenever an outbox item changes, here or in another tab or the worker.
export function onOutboxChange(listener) {
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event) => listener(event.data);
  return () => channel.close();
}

export function retryDelay(attempts, random = Math.random) {
  const base = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
  return Math.round(base * (0.8 + 0.4 * random())); // jitter: phones do not retry in step
}

// A new report, kept on the phone (status 待同步) before anything is sent.
export async function saveReport({ id, userId, report, photos, onSpot }) {
  const item = {
    id, userId, report, onSpot: onSpot || null, createdAt: Date.now(),
    photos: photos.map((photo, index) => ({ key: index, blob: photo.blob, name: photo.name, uploaded: false })),
    status: Status.pending, created: false, onSpotDone: false,
    attempts: 0, nextAttemptAt: 0, lastError: null, rejection: null,
  };
  await outboxPut(item);
  announce({ id, status: item.status });
  return item;
}

// A rejected report, corrected by the worker: sent again from the start of the failed step.
export async function resubmit(id, change = {}) {
  const item = await outboxUpdate(id, () => ({
    ...change, status: Status.pending, rejection: null, attempts: 0, nextAttemptAt: 0, lastError: null,
  }));
  announce({ id, status: Status.pending });
  return item;
}

export async function discard(id) {
  await outboxDelete(id);
  announce({ id, status: "discarded" });
}

// One sync at a time across the pages and the worker (Web Locks). A sync asked for while one
// runs is queued behind it, not dropped: the running one may have read the outbox before the
// newest report was saved. Requests made while one is already queued join that one.
let queued = null;

function withLock(work) {
  if (typeof navigator !== "undefined" && navigator.locks) {
    return navigator.locks.request(LOCK, work);
  }
  return work();
}

// Send every report that is due. `force` ignores the backoff (the connection just returned,
// or the worker pressed 立即同步). Returns counts of what happened.
export function syncAll({ force = false } = {}) {
  if (queued) {
    queued.force = queued.force || force;
    return queued.promise;
  }
  const entry = { force };
  entry.promise = withLock(() => {
    if (queued === entry) queued = null; // from now on, a new request queues behind this run
    return sendDue(entry.force);
  });
  queued = entry;
  return entry.promise;
}

async function sendDue(force) {
  const result = { sent: 0, rejected: 0, waiting: 0, auth: false };
  const session = await kvGet("session");
  if (!session || !session.token) return { ...result, auth: true };
  for (const item of await outboxAll()) {
    if (item.userId !== session.user.id || item.status === Status.rejected) continue;
    if (!force && item.nextAttemptAt > Date.now()) { result.waiting += 1; continue; }
    const outcome = await sendOne(item);
    if (outcome === "sent") result.sent += 1;
    else if (outcome === "rejected") result.rejected += 1;
    else result.waiting += 1;
    if (outcome === "auth") { result.auth = true; break; }
    if (outcome === "offline") break; // the others would fail the same way
  }
  return result;
}

async function step(item, change) {
  const next = await outboxUpdate(item.id, () => change);
  announce({ id: item.id, status: next ? next.status : "gone" });
  return next;
}

async function sendOne(start) {
  let item = await step(start, { status: Status.sending });
  if (!item) return "gone";
  let stage = "create";
  try {
    if (!item.created) {
      const { data } = await api("/cases", { method: "POST", json: { ...item.report, id: item.id } });
      item = await step(item, { created: true, caseVersion: data.version, caseState: data.state });
    }
    stage = "photos";
    for (const photo of item.photos) {
      if (photo.uploaded) continue;
      const form = new FormData();
      form.append("file", photo.blob, photo.name);
      await api(`/cases/${item.id}/attachments`, { method: "POST", form, timeoutMs: PHOTO_TIMEOUT_MS });
      item = await step(item, {
        photos: item.photos.map((p) => (p.key === photo.key ? { ...p, uploaded: true, blob: null } : p)),
      });
    }
    stage = "on_spot";
    if (item.onSpot && !item.onSpotDone) {
      await resolveOnSpot(item);
      item = await step(item, { onSpotDone: true });
    }
    await outboxDelete(item.id);
    announce({ id: item.id, status: "sent" });
    return "sent";
  } catch (error) {
    return failed(item, stage, error);
  }
}

// 当场化解 after the case exists; a retry finds it resolved already and stops there.
async function resolveOnSpot(item) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const { data: current } = await api(`/cases/${item.id}`);
    if (current.state !== "reported" && current.state !== "draft") return;
    try {
      await api(`/cases/${item.id}/transitions`, {
        method: "POST",
        json: { action: "resolve_on_spot", version: current.version, ...item.onSpot },
      });
      return;
    } catch (error) {
      // Someone changed the case in between (409): read it again once.
      if (!(error instanceof ApiError) || error.status !== 409 || attempt === 1) throw error;
    }
  }
}

async function failed(item, stage, error) {
  if (error instanceof ApiError && error.isRejection) {
    await step(item, {
      status: Status.rejected,
      rejection: { stage, status: error.status, message: error.message, at: Date.now() },
    });
    return "rejected";
  }
  const attempts = (item.attempts || 0) + 1;
  const offline = error instanceof NetworkError;
  const auth = error instanceof ApiError && error.status === 401;
  await step(item, {
    status: Status.pending, attempts,
    nextAttemptAt: auth ? 0 : Date.now() + retryDelay(attempts),
    lastError: { stage, offline, auth, status: error.status || null, message: error.message || "", at: Date.now() },
  });
  if (auth) return "auth";
  return offline ? "offline" : "retry";
}
