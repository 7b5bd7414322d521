// @ts-check
/**
 * The offer of a new version of the cahier. cahier.js registers the edition's service worker (`sw.js`
 * at the edition's root, which keeps every page and file of the edition for use without network) and
 * loads this module only when a new version may be there.
 *
 * When the organizers publish a corrected edition, the new worker waits, and the page offers
 * « Nouvelle version du cahier » with a button to reload. It never reloads by itself: on the click it
 * saves every pending edit first, and reloads only when nothing is left unsaved (else it says so,
 * and the text stays on screen).
 */
import { setText } from "./boxes.js";
import { alertRegion } from "./keep.js";

/**
 * @typedef {object} OfflineCtx
 * @property {Document} doc
 * @property {Record<string, string>} strings
 * @property {() => void} flushAll                       save every pending edit now
 * @property {() => Map<string, unknown>} unsavedAnswers  what only the screen holds
 */

/** The edition's root: this module sits in `_static/cahier/<version>/`. */
const ROOT = new URL("../../../", import.meta.url);

let watching = false;
let accepted = false;

/**
 * Follow the edition's worker and offer its new version (cahier.js loads this module only then).
 * @param {OfflineCtx} ctx
 * @param {boolean} controllerChanged another tab accepted the new version: this page stays as it
 *   is until the person reloads it
 */
export async function watchUpdates(ctx, controllerChanged) {
  const container = navigator.serviceWorker;
  if (controllerChanged && !accepted) showUpdate(ctx, () => location.reload());
  if (watching) return;
  watching = true;
  const registration = await container.getRegistration(ROOT.href);
  if (!registration) return;
  container.addEventListener("controllerchange", () => {
    if (accepted) location.reload();
  });
  /** @param {ServiceWorker} worker */
  const offer = (worker) =>
    showUpdate(ctx, () => {
      accepted = true;
      worker.postMessage({ type: "cahier:skip-waiting" });
    });
  /** @param {ServiceWorker | null} worker */
  const follow = (worker) =>
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed") offer(worker);
    });
  if (registration.waiting) offer(registration.waiting);
  follow(registration.installing);
  registration.addEventListener("updatefound", () => follow(registration.installing));
}

/**
 * The offer, once, in the page's one place for alerts and offers (keep.js alertRegion: nothing moves;
 * role="status": announced, never stealing focus).
 * @param {OfflineCtx} ctx
 * @param {() => void} reload
 */
function showUpdate(ctx, reload) {
  const { doc, strings } = ctx;
  const s = (/** @type {string} */ key) => strings[key] ?? key;
  if (doc.querySelector(".cahier-update")) return;
  const box = doc.createElement("div");
  box.className = "cahier-update";
  box.setAttribute("role", "status");
  const text = doc.createElement("p");
  text.textContent = s("update_ready");
  const button = doc.createElement("button");
  button.type = "button";
  button.className = "cahier-update-reload";
  button.textContent = s("update_reload");
  const note = doc.createElement("p");
  note.className = "cahier-update-note";
  button.addEventListener("click", () => {
    try {
      ctx.flushAll();
      if (ctx.unsavedAnswers().size) {
        setText(note, s("update_unsaved")); // a save failed: reloading would lose the text
        return;
      }
      button.disabled = true;
      reload();
    } catch (e) {
      console.error(e);
    }
  });
  box.append(text, button, note);
  alertRegion(doc).append(box);
}
