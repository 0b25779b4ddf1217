// IndexedDB, the phone's own storage: the reports waiting to be sent (the outbox, photos
// included as Blobs) and small saved values (the session, the last copies of the grid, the
// categories and my reports, so that the app works with no signal).
// Used by the pages and by the service worker, so nothing here may touch the DOM.

const DB_NAME = "govgrid-mobile";
const DB_VERSION = 1;
let opening = null;

export function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains("kv")) db.createObjectStore("kv");
        if (!db.objectStoreNames.contains("outbox")) {
          db.createObjectStore("outbox", { keyPath: "id" }).createIndex("createdAt", "createdAt");
        }
      };
      request.onsuccess = () => {
        const db = request.result;
        // Another tab or the worker upgrading the schema: let it, and reopen next time.
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = () => { opening = null; reject(request.error); };
    });
  }
  return opening;
}

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(storeName, mode, work) {
  const db = await openDb();
  const tx = db.transaction(storeName, mode);
  const result = await work(tx.objectStore(storeName));
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
  });
  return result;
}

export const kvGet = (key) => run("kv", "readonly", (s) => done(s.get(key)));
export const kvSet = (key, value) => run("kv", "readwrite", (s) => done(s.put(value, key)));
export const kvDelete = (key) => run("kv", "readwrite", (s) => done(s.delete(key)));

export async function outboxAll() {
  const items = await run("outbox", "readonly", (s) => done(s.index("createdAt").getAll()));
  return items;
}
export const outboxGet = (id) => run("outbox", "readonly", (s) => done(s.get(id)));
export const outboxPut = (item) => run("outbox", "readwrite", (s) => done(s.put(item)));
export const outboxDelete = (id) => run("outbox", "readwrite", (s) => done(s.delete(id)));

// Change one outbox item in a single transaction (read and write together, so the page and
// the service worker never overwrite each other's progress). Returns the new item or null.
export async function outboxUpdate(id, change) {
  return run("outbox", "readwrite", async (s) => {
    const item = await done(s.get(id));
    if (!item) return null;
    const next = { ...item, ...change(item) };
    await done(s.put(next));
    return next;
  });
}

// Logging out: everything this person's phone kept, except reports not yet sent (the caller
// refuses to log out while there are any).
export async function clearSaved() {
  await run("kv", "readwrite", (s) => done(s.clear()));
}
