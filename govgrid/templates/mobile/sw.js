// GovGrid mobile service worker, build {{ version }}.
// Keeps the app shell, its modules and styles, and the map library on the phone (one cache per
// build; older builds' caches are dropped on activation), answers them from there first, and
// sends waiting reports when Background Sync wakes it. API calls always go to the network:
// the app keeps its own data in IndexedDB.

import { syncAll } from "{{ sync_module }}";

const CACHE = "govgrid-mobile-{{ version }}";
const PRECACHE = {{ precache | tojson }};
const SHELL = PRECACHE[0];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("govgrid-mobile-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// Cached first: everything here belongs to this build (a changed file is a new build and a
// new worker), so opening the app never waits for a weak signal. The network is the fallback.
async function fromCache(request, key) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(key, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) cache.put(key, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === SHELL) {
    event.respondWith(fromCache(request, SHELL));
  } else if (PRECACHE.includes(url.pathname)) {
    event.respondWith(fromCache(request, url.pathname));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "govgrid-outbox") event.waitUntil(syncAll({ force: true }));
});
