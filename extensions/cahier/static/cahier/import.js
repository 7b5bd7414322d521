// @ts-check
/**
 * Import (loaded on demand): the HTML export or its bare JSON, validated before anything is touched.
 * - at most 5 MB; an HTML file is parsed inert (DOMParser: no script runs, nothing loads) and only the
 *   textContent of `#cahier-data` is read;
 * - the export contract only: format "cahier-export", v 1 (a newer v is named as such), strings where
 *   strings belong, no unknown field; `__proto__`, `constructor`, `prototype` keys are ignored; box ids
 *   well formed. The answers land in a Map, never in an object with a prototype;
 * - another workbook is refused; another edition imports the ids this edition has.
 * - a drawing's entry is {"strokes", "t"}: its strokes are checked strictly (sketch-codec.js: types,
 *   ranges, lengths, sizes) and it is written only over a drawing (readSketch), never over text.
 * Errors are keys of the UI strings (import_*), shown in French by the caller.
 */
import { validateStrokes } from "./sketch-codec.js";
import { isBoxId } from "./store.js";

export const MAX_BYTES = 5 * 1024 * 1024;
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);
const TOP = new Set(["format", "v", "book", "edition", "exported", "answers"]);
const ENTRY = new Set(["text", "t"]);
const DRAWING = new Set(["strokes", "t"]);

/** @typedef {import("./store.js").Store} Store */
/** @typedef {{text: string, t: number, strokes?: undefined} | {strokes: unknown[], t: number, text?: undefined}} Entry */
/** @typedef {{book: string, edition: string, exported: string, answers: Map<string, Entry>}} Parsed */
/** @typedef {{ok: true, data: Parsed} | {ok: false, error: string, book?: string}} ParseResult */

/** @param {unknown} x @returns {x is Record<string, unknown>} */
const isObject = (x) => typeof x === "object" && x !== null && !Array.isArray(x);

/** @param {Record<string, unknown>} obj @param {string} key */
const own = (obj, key) => (Object.hasOwn(obj, key) ? obj[key] : undefined);

/** @param {Record<string, unknown>} obj @param {Set<string>} known */
const onlyKnown = (obj, known) => Object.keys(obj).every((k) => FORBIDDEN.has(k) || known.has(k));

/**
 * @param {string} text the file's text
 * @param {string} book this workbook
 * @returns {ParseResult}
 */
export function parseImport(text, book) {
  const body = text.replace(/^\uFEFF/, "").trim();
  let json = body;
  const html = body.startsWith("<");
  if (html) {
    const doc = new DOMParser().parseFromString(body, "text/html");
    const el = doc.getElementById("cahier-data");
    if (!el || el.localName !== "script" || el.getAttribute("type") !== "application/json") {
      return { ok: false, error: "import_not_ours" };
    }
    json = el.textContent || "";
  } else if (!body.startsWith("{")) return { ok: false, error: "import_not_ours" };
  /** @type {unknown} */
  let data;
  try {
    data = JSON.parse(json);
  } catch {
    return { ok: false, error: html || json.includes('"cahier-export"') ? "import_damaged" : "import_not_ours" };
  }
  if (!isObject(data) || own(data, "format") !== "cahier-export") {
    return { ok: false, error: html ? "import_damaged" : "import_not_ours" };
  }
  const v = own(data, "v");
  if (typeof v === "number" && Number.isInteger(v) && v > 1) return { ok: false, error: "import_newer" };
  const fileBook = own(data, "book");
  const edition = own(data, "edition");
  const exported = own(data, "exported");
  const answers = own(data, "answers");
  if (
    v !== 1 ||
    !onlyKnown(data, TOP) ||
    typeof fileBook !== "string" ||
    typeof edition !== "string" ||
    !fileBook ||
    !edition ||
    typeof exported !== "string" ||
    !isObject(answers)
  ) {
    return { ok: false, error: "import_damaged" };
  }
  if (fileBook !== book) return { ok: false, error: "import_other_book", book: fileBook.slice(0, 80) };
  /** @type {Parsed["answers"]} */
  const map = new Map();
  for (const id of Object.keys(answers)) {
    if (FORBIDDEN.has(id)) continue;
    const entry = answers[id];
    if (!isBoxId(id) || !isObject(entry)) return { ok: false, error: "import_damaged" };
    const t = own(entry, "t");
    if (Object.hasOwn(entry, "strokes")) {
      const strokes = own(entry, "strokes");
      if (!onlyKnown(entry, DRAWING) || !Array.isArray(strokes) || !validateStrokes(strokes)) {
        return { ok: false, error: "import_damaged" };
      }
      if (typeof t !== "number" || !Number.isFinite(t) || t < 0) return { ok: false, error: "import_damaged" };
      map.set(id, { strokes, t });
      continue;
    }
    if (!onlyKnown(entry, ENTRY)) return { ok: false, error: "import_damaged" };
    const value = own(entry, "text");
    if (typeof value !== "string" || typeof t !== "number" || !Number.isFinite(t) || t < 0) {
      return { ok: false, error: "import_damaged" };
    }
    map.set(id, { text: value, t });
  }
  return { ok: true, data: { book: fileBook, edition: edition.slice(0, 80), exported, answers: map } };
}

/**
 * @param {File} file
 * @param {string} book
 * @returns {Promise<ParseResult>}
 */
export async function readImportFile(file, book) {
  if (file.size > MAX_BYTES) return { ok: false, error: "import_too_large" };
  let text;
  try {
    text = await file.text();
  } catch {
    return { ok: false, error: "import_read_failed" };
  }
  if (text.length > MAX_BYTES) return { ok: false, error: "import_too_large" };
  return parseImport(text, book);
}

/**
 * What the import would do: new and different answers get written; the others are listed.
 * @param {Parsed} data
 * @param {Store} store
 * @param {Set<string>} known the box ids of this edition
 */
export function planImport(data, store, known) {
  /** @type {({id: string, text: string, t: number} | {id: string, strokes: unknown[], t: number})[]} */
  const writes = [];
  const plan = { added: 0, different: /** @type {string[]} */ ([]), same: 0, unknown: /** @type {string[]} */ ([]), protected: /** @type {string[]} */ ([]), writes };
  for (const [id, { text, strokes, t }] of data.answers) {
    if (!known.has(id)) {
      plan.unknown.push(id);
      continue;
    }
    if (strokes) {
      const cur = store.readSketch(id);
      if (cur.state === "ok" || cur.state === "empty") {
        const current = cur.state === "ok" ? cur.strokes : [];
        if (JSON.stringify(current) === JSON.stringify(strokes)) plan.same++;
        else {
          if (current.length) plan.different.push(id);
          else plan.added++;
          writes.push({ id, strokes, t });
        }
      } else plan.protected.push(id);
      continue;
    }
    if (typeof text !== "string") continue;
    const cur = store.readBox(id);
    if (cur.state === "ok" || cur.state === "empty") {
      const current = cur.state === "ok" ? cur.text : "";
      if (current === text) plan.same++;
      else {
        if (current.trim()) plan.different.push(id);
        else plan.added++;
        writes.push({ id, text, t });
      }
    } else plan.protected.push(id);
  }
  return plan;
}
