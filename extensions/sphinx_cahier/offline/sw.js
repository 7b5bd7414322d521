// @ts-check
/// <reference lib="webworker" />
/**
 * Cahier's service worker: one per edition, at the edition's root, its scope the edition's folder.
 * The build (cahier/offline.py) writes it as `sw.js` with `CAHIER_SW` defined above this text:
 *   {version, prefix, precache}: the build's content hash, "cahier:<book>:<edition>:", and every
 *   file of the edition (paths relative to the scope).
 * - install: precache every file of this version into the cache "<prefix><version>";
 * - activate: delete this edition's older caches (never another edition's, never another book's);
 * - pages: network first (3 s), the cache when the network is slow or gone, and the fresh copy kept;
 * - `_static/` files: cache first (their URLs change with their content);
 * - a new version waits until the participant accepts to reload (message "cahier:skip-waiting"):
 *   a page never changes under someone typing.
 * It reads nothing of the participant's answers: they stay in localStorage, which it cannot touch.
 */

/** @type {ServiceWorkerGlobalScope} */
const sw = /** @type {any} */ (self);
/** @type {{version: string, prefix: string, precache: string[]}} */
const CONFIG = /** @type {any} */ (self).CAHIER_SW;
const CACHE = CONFIG.prefix + CONFIG.version;
const SCOPE = sw.registration.scope;
const STATIC = new URL("_static/", SCOPE).href;
const MANIFEST = new URL("_static/cahier/manifest.json", SCOPE).href;
const NETWORK_TIMEOUT_MS = 3000;

sw.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // cache: "reload": this version's files from the server, not older copies from the HTTP cache.
      cache.addAll(CONFIG.precache.map((path) => new Request(new URL(path, SCOPE).href, { cache: "reload" }))),
    ),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(CONFIG.prefix) && key !== CACHE) await caches.delete(key);
      }
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener("message", (event) => {
  if (event.data && event.data.type === "cahier:skip-waiting") sw.skipWaiting();
});

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = request.url;
  if (!url.startsWith(SCOPE)) return; // another edition, another site: not ours
  if (request.mode !== "navigate" && url.startsWith(STATIC) && !url.startsWith(MANIFEST)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(event, request));
  }
});

/** @param {Response} response */
const keepable = (response) => response.ok && response.type === "basic" && !response.redirected;

/** @param {Request} request */
async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (keepable(response)) await cache.put(request, response.clone());
  return response;
}

/** @param {FetchEvent} event @param {Request} request */
async function networkFirst(event, request) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(async (response) => {
    if (keepable(response)) await cache.put(request, response.clone());
    return response;
  });
  event.waitUntil(network.catch(() => undefined)); // the fresh copy is kept even after a timeout
  /** @type {Promise<null>} */
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT_MS, null));
  try {
    const response = await Promise.race([network, slow]);
    if (response) return response;
  } catch {
    // offline: the cache answers
  }
  const cached = await cache.match(request, { ignoreSearch: true });
  return cached || network;
}
