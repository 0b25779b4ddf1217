// The unread badge on the header's 通知 link: rendered by the server with the page, then
// refreshed every minute from GET /api/v1/notifications/unread-count. On any failure (logged
// out, server down, offline) it stops quietly and leaves the last count shown: a badge is
// not worth an error message, and the next page load renders a fresh count anyway.

const REFRESH_MS = 60_000;

const link = document.querySelector("a.bell[data-unread-url]");
const badge = link?.querySelector("[data-unread]");
const count = badge?.querySelector("[data-unread-count]");

function show(unread) {
  count.textContent = String(unread);
  badge.hidden = unread === 0;
}

async function refresh() {
  try {
    const response = await fetch(link.dataset.unreadUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    });
    if (!response.ok) return false;
    const body = await response.json();
    if (!Number.isInteger(body.unread)) return false;
    show(body.unread);
    return true;
  } catch {
    return false;
  }
}

if (link && badge && count) {
  const timer = setInterval(async () => {
    if (!(await refresh())) clearInterval(timer);
  }, REFRESH_MS);
}
