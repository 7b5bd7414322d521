// @ts-check
/**
 * Cahier entry module. Reads the page contract from `<script id="cahier-script">`:
 *   data-cahier-book, data-cahier-edition, data-cahier-strings (JSON object of translated UI strings).
 */
import { openStore } from "./store.js";
import { initBoxes } from "./boxes.js";
import { initKeep } from "./keep.js";

/** @returns {Record<string, string>} */
function readStrings(/** @type {string | undefined} */ json) {
  try {
    const data = JSON.parse(json || "{}");
    return data && typeof data === "object" && !Array.isArray(data) ? data : {};
  } catch {
    return {};
  }
}

function main() {
  const script = document.getElementById("cahier-script");
  const data = script ? script.dataset : {};
  const book = data.cahierBook;
  const edition = data.cahierEdition;
  if (!book || !edition) {
    console.error("cahier: data-cahier-book / data-cahier-edition missing on #cahier-script");
    return;
  }
  const store = openStore({ book, edition });
  const strings = readStrings(data.cahierStrings);
  const boxes = initBoxes(document, store, strings);
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
    initKeep({ doc: document, store, strings, book, edition, flushAll, unsavedAnswers });
  } catch (e) {
    console.error(e);
  }
  if (document.querySelector(".cahier-sketch[data-cahier-sketch]")) {
    // Drawing code only on pages with a drawing (each marks itself data-cahier-ready when wired).
    import("./sketch.js")
      .then((m) => {
        sketches = m;
        m.initSketches(document, store, strings);
      })
      .catch((e) => console.error(e));
  }
  script?.setAttribute("data-cahier-ready", "");
}

function start() {
  try {
    main();
  } catch (e) {
    console.error(e);
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
