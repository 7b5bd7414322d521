// @ts-check
/**
 * Cahier carry-over: offer — never force — to bring answers over from an earlier edition.
 *
 * Loaded (as its own module) only when `cahier_previous_editions` is set. Reads from
 * `<script id="cahier-script">`: data-cahier-book, data-cahier-edition,
 * data-cahier-previous-editions (JSON list, newest first); its strings from the edition's book file (keep.js `loadBook`).
 *
 * For the first earlier edition that holds answers for boxes that are empty here, it shows a
 * dismissible offer. Accepting copies those answers into the EMPTY boxes of this edition only
 * (a box with text, stored or on screen, is never overwritten), then reloads the page so the
 * boxes show them. Declining or accepting is remembered in this edition's `_meta` (through
 * store.js) as `carryOver: {"<edition>": "declined" | "accepted"}`. The earlier edition is only
 * ever read (readBox, listBoxIds). A box renamed on purpose (`cahier_renamed`, the manifest's
 * `renamed: {"<old-id>": "<new-id>"}`) brings its earlier answer to its new id.
 */
import { openStore } from "./store.js";
import { alertRegion, format, loadBook } from "./keep.js";

/** @typedef {import("./store.js").Store} Store */
/** @typedef {{edition: string, store: Store, ids: string[], renamed: Map<string, string>}} Offer */

/** @param {string | undefined} json @returns {unknown} */
function parseJSON(json) {
  try {
    return JSON.parse(json || "null");
  } catch {
    return null;
  }
}

/**
 * The boxes of this page, by id, with their textarea (a box with text on screen is not empty).
 * @param {Document} doc
 * @returns {Map<string, HTMLTextAreaElement | null>}
 */
function pageBoxes(doc) {
  /** @type {Map<string, HTMLTextAreaElement | null>} */
  const boxes = new Map();
  for (const el of doc.querySelectorAll("[data-cahier-box]")) {
    const id = el.getAttribute("data-cahier-box");
    if (id) boxes.set(id, el.querySelector("textarea"));
  }
  return boxes;
}

/** The manifest's kinds of box that hold text (export.js has the same list; it loads on demand). */
const TEXT_KINDS = ["reflection", "prompt"];

/**
 * The text box ids of this edition and its renamed ids (old → new), from the manifest written at build
 * time in `_static/cahier/`, the parent of the versioned folder that holds this script (see
 * cahier/assets.py).
 * @returns {Promise<{ids: Set<string>, renamed: Map<string, string>}>}
 */
async function currentBoxes() {
  const response = await fetch(new URL("../manifest.json", import.meta.url), { cache: "no-cache" });
  if (!response.ok) throw new Error(`cahier: manifest.json: HTTP ${response.status}`);
  const manifest = await response.json();
  /** @type {Set<string>} */
  const ids = new Set();
  for (const box of Array.isArray(manifest?.boxes) ? manifest.boxes : []) {
    // Text boxes only: an earlier edition's text never goes into a drawing's key.
    if (box && typeof box.id === "string" && TEXT_KINDS.includes(box.kind)) ids.add(box.id);
  }
  return { ids, renamed: renamedIds(manifest) };
}

/**
 * The manifest's renamed ids, `{"<old-id>": "<new-id>"}`, as a Map (strings only).
 * @param {unknown} manifest
 * @returns {Map<string, string>}
 */
export function renamedIds(manifest) {
  /** @type {Map<string, string>} */
  const renamed = new Map();
  const raw = manifest && typeof manifest === "object" ? /** @type {Record<string, unknown>} */ (manifest).renamed : null;
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    for (const [old, id] of Object.entries(raw)) if (typeof id === "string") renamed.set(old, id);
  }
  return renamed;
}

/**
 * Ids of boxes of the earlier edition whose answer in `previous` is non-empty while their box in this
 * edition (`known`; a renamed id's new id) is empty in `current`. One earlier box per box here.
 * @param {Store} previous
 * @param {Store} current
 * @param {Set<string>} known
 * @param {Map<string, string>} [renamed] old id → new id
 * @returns {string[]}
 */
export function idsToCarry(previous, current, known, renamed = new Map()) {
  /** @type {Set<string>} */
  const targets = new Set();
  return previous.listBoxIds().filter((id) => {
    const target = renamed.get(id) ?? id;
    if (!known.has(target) || targets.has(target)) return false;
    const old = previous.readBox(id);
    if (old.state !== "ok" || !old.text.trim()) return false;
    if (current.readBox(target).state !== "empty") return false;
    targets.add(target);
    return true;
  });
}

/**
 * Copy the answers of `ids` into the current edition (a renamed id into its new id), each only if its
 * box is still empty.
 * @param {Store} previous
 * @param {Store} current
 * @param {string[]} ids
 * @param {Map<string, HTMLTextAreaElement | null>} onScreen
 * @param {Map<string, string>} [renamed] old id → new id
 * @returns {{copied: number, failed: number}}
 */
export function carryOver(previous, current, ids, onScreen, renamed = new Map()) {
  let copied = 0;
  let failed = 0;
  for (const id of ids) {
    const target = renamed.get(id) ?? id;
    const old = previous.readBox(id);
    if (old.state !== "ok" || !old.text.trim()) continue;
    if (current.readBox(target).state !== "empty") continue; // written meanwhile, maybe in another tab
    const field = onScreen.get(target);
    if (field && field.value.trim()) continue; // typed here, not yet saved
    const result = current.writeBox(target, old.text, Date.now());
    if (result.ok) copied++;
    else failed++;
  }
  return { copied, failed };
}

/**
 * @param {Store} current
 * @param {string} edition
 * @param {"declined" | "accepted"} answer
 */
function remember(current, edition, answer) {
  const meta = current.readMeta();
  if (meta === null) return;
  const previous = meta.carryOver && typeof meta.carryOver === "object" ? meta.carryOver : {};
  current.writeMeta({ ...meta, carryOver: { ...previous, [edition]: answer } });
}

/**
 * @param {Store} current
 * @param {string} edition
 */
function alreadyAnswered(current, edition) {
  const meta = current.readMeta();
  if (meta === null) return true; // unreadable or newer: do not ask again and again
  const answers = meta.carryOver;
  return Boolean(answers && typeof answers === "object" && edition in answers);
}

/**
 * @param {Document} doc
 * @param {Offer} offer
 * @param {Store} current
 * @param {Record<string, string>} strings
 */
function showOffer(doc, offer, current, strings) {
  const values = { edition: offer.edition, count: offer.ids.length };
  const region = doc.createElement("section");
  region.className = "cahier-carry-over";
  region.setAttribute("data-cahier-carry-over", offer.edition);
  region.setAttribute("aria-label", strings.carry_over_region || "");

  const question = doc.createElement("p");
  question.className = "cahier-carry-over-question";
  question.textContent = format(strings.carry_over_offer || "", values);
  const detail = doc.createElement("p");
  detail.textContent = format(strings.carry_over_detail || "", values);
  const status = doc.createElement("p");
  status.setAttribute("role", "status");

  const accept = doc.createElement("button");
  accept.type = "button";
  accept.className = "cahier-carry-over-accept";
  accept.textContent = strings.carry_over_accept || "";
  const decline = doc.createElement("button");
  decline.type = "button";
  decline.className = "cahier-carry-over-decline";
  decline.textContent = strings.carry_over_decline || "";

  accept.addEventListener("click", () => {
    accept.disabled = decline.disabled = true;
    const { failed } = carryOver(offer.store, current, offer.ids, pageBoxes(doc), offer.renamed);
    if (failed) {
      status.textContent = strings.carry_over_failed || "";
      accept.disabled = decline.disabled = false;
      return;
    }
    remember(current, offer.edition, "accepted");
    doc.defaultView?.location.reload();
  });
  decline.addEventListener("click", () => {
    remember(current, offer.edition, "declined");
    region.remove();
  });

  const actions = doc.createElement("p");
  actions.append(accept, " ", decline);
  region.append(question, detail, actions, status);
  alertRegion(doc).append(region); // the page's one place for alerts and offers (keep.js)
}

async function main() {
  const script = document.getElementById("cahier-script");
  if (!script) return;
  const data = script.dataset;
  const book = data.cahierBook;
  const edition = data.cahierEdition;
  const previousEditions = parseJSON(data.cahierPreviousEditions);
  if (!book || !edition || !Array.isArray(previousEditions)) return;
  const current = openStore({ book, edition });
  if (!current.available) return;
  const pending = previousEditions.filter(
    (previous) => typeof previous === "string" && previous !== edition && !alreadyAnswered(current, previous),
  );
  if (!pending.length) return;
  const { ids: known, renamed } = await currentBoxes();
  for (const previous of pending) {
    const store = openStore({ book, edition: previous });
    const ids = idsToCarry(store, current, known, renamed);
    if (ids.length) {
      const { strings } = await loadBook(document);
      showOffer(document, { edition: previous, store, ids, renamed }, current, strings);
      return;
    }
  }
}

/** Never let a failure here disturb the page: the offer is a convenience. */
function start() {
  main().catch((e) => console.error(e));
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
