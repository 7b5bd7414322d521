// @ts-check
/**
 * Cahier entry module. Reads the page contract from `<script id="cahier-script">`:
 *   data-cahier-book, data-cahier-edition,
 *   data-cahier-offline (non-empty when the build wrote the edition's service worker);
 * and the UI strings and the list of pages from the edition's book file (keep.js `loadBook`), which the page
 * preloads: a few milliseconds from the cache once it has been fetched. Text typed meanwhile stays
 * (boxes.js); the boxes never wait for it more than BOOK_WAIT_MS.
 */
import { openStore } from "./store.js";
import { initBoxes } from "./boxes.js";
import { initKeep, loadBook } from "./keep.js";

async function main() {
  const script = document.getElementById("cahier-script");
  const data = script ? script.dataset : {};
  const book = data.cahierBook;
  const edition = data.cahierEdition;
  if (!book || !edition) {
    console.error("cahier: data-cahier-book / data-cahier-edition missing on #cahier-script");
    return;
  }
  const store = openStore({ book, edition });
  // Every script reads its strings from this one object when it speaks: filled from the book file,
  // which the page preloads. Saving never waits for it long: on a slow network the boxes are wired
  // without it after BOOK_WAIT_MS, and speak once it comes.
  /** @type {Record<string, string>} */
  const strings = {};
  const loaded = loadBook(document).then((found) => {
    Object.assign(strings, found.strings);
    return found;
  });
  await Promise.race([loaded, new Promise((resolve) => setTimeout(resolve, BOOK_WAIT_MS))]);
  const boxes = initBoxes(document, store, strings, loaded);
  /** @type {typeof import("./sketch.js") | null} */
  let sketches = null;
  // What an export needs from this page: pending saves done, and what only the screen holds.
  const flushAll = () => {
    boxes.flushAll();
    sketches?.flushSketches();
  };
  const unsavedAnswers = () => new Map([...(sketches?.unsavedSketches() ?? []), ...boxes.unsavedAnswers()]);
  try {
    // « Mon cahier », navigation progress, export, reminders (keep.js); never in the way of the boxes.
    initKeep({ doc: document, store, strings, loaded, book, edition, flushAll, unsavedAnswers });
  } catch (e) {
    console.error(e);
  }
  if (document.querySelector(".cahier-sketch[data-cahier-sketch]")) {
    // Drawing code only on pages with a drawing (each marks itself data-cahier-ready when wired),
    // with its strings (its tools are labelled as they are made).
    loaded
      .then(() => import("./sketch.js"))
      .then((m) => {
        sketches = m;
        m.initSketches(document, store, strings);
      })
      .catch((e) => console.error(e));
  }
  if (data.cahierOffline && navigator.serviceWorker) {
    // The offline copy (service worker) only after the page has loaded: it never slows the page.
    // offline.js (the offer of a new version) loads only when there is something to offer.
    const offline = { doc: document, strings, flushAll, unsavedAnswers };
    const watch = (/** @type {boolean} */ changed) =>
      import("./offline.js").then((m) => m.watchUpdates(offline, changed)).catch((e) => console.error(e));
    const start = () => registerOffline(watch);
    if (document.readyState === "complete") start();
    else window.addEventListener("load", start, { once: true });
  }
  script?.setAttribute("data-cahier-ready", "");
}

/** The longest the boxes wait for the book file (their strings) before they are wired without it. */
const BOOK_WAIT_MS = 1000;

/** How often a page left open asks whether a new edition was published (when it comes back into view). */
const CHECK_EVERY_MS = 30 * 60 * 1000;

/**
 * Register the edition's service worker (`sw.js` at the edition's root: this module sits in
 * `_static/cahier/<version>/`). `watch(controllerChanged)` loads the offer of a new version, only
 * when one may be there: a worker waiting or installing over the one that serves this page, or
 * another tab that moved to the new version.
 * @param {(controllerChanged: boolean) => void} watch
 */
function registerOffline(watch) {
  const root = new URL("../../../", import.meta.url);
  const container = navigator.serviceWorker;
  container
    .register(new URL("sw.js", root).href, { scope: root.href, updateViaCache: "none" })
    .then((registration) => {
      // The first install (nothing served this page yet) offers nothing: there is no older version.
      let controlled = Boolean(container.controller);
      if (controlled && (registration.waiting || registration.installing)) watch(false);
      registration.addEventListener("updatefound", () => container.controller && watch(false));
      container.addEventListener("controllerchange", () => {
        if (controlled) watch(true);
        controlled = true;
      });
      let checked = Date.now();
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState !== "visible" || Date.now() - checked < CHECK_EVERY_MS) return;
        checked = Date.now();
        registration.update().catch(() => {}); // offline: next time
      });
    })
    .catch((e) => console.warn("cahier: no offline copy in this browser", e)); // the workbook works as before
}

function start() {
  main().catch((e) => console.error(e));
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
