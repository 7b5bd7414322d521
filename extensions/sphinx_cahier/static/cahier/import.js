// @ts-check
/**
 * Import (loaded on demand): the HTML export or its bare JSON, validated before anything is touched.
 * - at most MAX_BYTES: the largest file a full storage exports (a larger file is said to be too large,
 *   naming the limit); an HTML file is parsed inert (a <template>: no script runs, nothing loads) and only
 *   the textContent of `#cahier-data` is read; an HTML file with our `<meta name="cahier-export">` but
 *   without its whole data block was cut short: damaged, not foreign;
 * - the export contract only: format "cahier-export", v 1 (a newer v is named as such), strings where
 *   strings belong, no unknown field; `__proto__`, `constructor`, `prototype` keys are ignored; box ids
 *   well formed. The answers land in a Map, never in an object with a prototype;
 * - another workbook is refused; another edition imports the ids this edition has; an id renamed on
 *   purpose (the manifest's `renamed`, from `cahier_renamed`) is imported into its new id, unless the
 *   file also holds the new id itself;
 * - a drawing's entry is {"strokes", "t"}: its strokes are checked strictly (sketch-codec.js: types,
 *   ranges, lengths, sizes); each entry is written only into a box of its kind in this edition's
 *   manifest (text into a text box, strokes into a drawing), listed otherwise;
 * - `t` is an integer within real dates (store.js isTime), else the file is damaged; a date in the
 *   future (a device with a wrong clock) is brought back to now: the stale-tab check orders by `t`;
 * - `raw` (optional): values the exporting version could not read, `{"<box-id>": "<stored string>"}`,
 *   checked and counted, never written.
 * The plan remembers what it read; at confirmation `planChanged` tells whether storage changed since
 * (another tab wrote): then the caller plans and asks again, so nothing typed meanwhile is replaced.
 * Errors are keys of the UI strings (import_*), shown in French by the caller.
 */
import { EXPORT_BYTES_PER_UNIT } from "./export.js";
import { validateStrokes } from "./sketch-codec.js";
import { isBoxId, isTime } from "./store.js";

/** What localStorage holds per origin: 5 MiB of UTF-16 code units, keys and values together. */
export const STORAGE_UNITS = 5 * 1024 * 1024;
/** The book's own text in an export, whatever the answers: styles, titles, questions (this book: 20 kB). */
export const BOOK_TEXT_BYTES = 1024 * 1024;
/**
 * The largest file the cahier exports: a full storage, every code unit at its costliest in the HTML file
 * (export.js EXPORT_BYTES_PER_UNIT), and the book's text. Anything larger cannot be an export (nor fit in
 * the storage it would be imported into).
 */
export const MAX_BYTES = STORAGE_UNITS * EXPORT_BYTES_PER_UNIT + BOOK_TEXT_BYTES;
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);
const TOP = new Set(["format", "v", "book", "edition", "exported", "answers", "raw"]);
const ENTRY = new Set(["text", "t"]);
const DRAWING = new Set(["strokes", "t"]);

/** @typedef {import("./store.js").Store} Store */
/** @typedef {{text: string, t: number, strokes?: undefined} | {strokes: unknown[], t: number, text?: undefined}} Entry */
/** @typedef {{book: string, edition: string, exported: string, answers: Map<string, Entry>, raw: string[]}} Parsed */
/** @typedef {"text" | "sketch"} Kind */
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
    // A <template>'s content is inert and never styled: a DOMParser document would inherit the page's
    // Content-Security-Policy and report the file's own <style> as a violation.
    const template = document.createElement("template");
    template.innerHTML = body;
    const el = template.content.getElementById("cahier-data");
    if (!el || el.localName !== "script" || el.getAttribute("type") !== "application/json") {
      // Our file, cut short before its data block (or the block removed): damaged.
      const ours = template.content.querySelector('meta[name="cahier-export"]');
      return { ok: false, error: ours ? "import_damaged" : "import_not_ours" };
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
  const raw = own(data, "raw");
  if (raw !== undefined && (!isObject(raw) || !Object.entries(raw).every(([id, value]) => FORBIDDEN.has(id) || (isBoxId(id) && typeof value === "string")))) {
    return { ok: false, error: "import_damaged" };
  }
  const rawIds = raw ? Object.keys(raw).filter((id) => !FORBIDDEN.has(id)) : [];
  const now = Date.now();
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
      if (!isTime(t)) return { ok: false, error: "import_damaged" };
      map.set(id, { strokes, t: Math.min(t, now) });
      continue;
    }
    if (!onlyKnown(entry, ENTRY)) return { ok: false, error: "import_damaged" };
    const value = own(entry, "text");
    if (typeof value !== "string" || !isTime(t)) return { ok: false, error: "import_damaged" };
    map.set(id, { text: value, t: Math.min(t, now) });
  }
  return { ok: true, data: { book: fileBook, edition: edition.slice(0, 80), exported, answers: map, raw: rawIds } };
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

/** @typedef {{id: string, text: string, t: number, replaceOtherKind?: boolean} | {id: string, strokes: unknown[], t: number, replaceOtherKind?: boolean}} Write */
/**
 * @typedef {{added: number, different: string[], same: number, unknown: string[], protected: string[],
 *   wrongKind: string[], raw: string[], writes: Write[], seen: Map<string, string>}} Plan
 */

/**
 * What the import would do: new and different answers get written; the others are listed.
 * An entry goes only into a box of its kind (`kinds`: this edition's box ids and kinds); a key that
 * holds one of our values of the other kind (which locks its box) is replaced. An entry of a renamed
 * id (`renamed`: old id → new id) goes into its new id.
 * @param {Parsed} data
 * @param {Store} store
 * @param {Map<string, Kind>} kinds
 * @param {Map<string, string>} [renamed]
 * @returns {Plan}
 */
export function planImport(data, store, kinds, renamed = new Map()) {
  /** @type {Plan} */
  const plan = { added: 0, different: [], same: 0, unknown: [], protected: [], wrongKind: [], raw: data.raw, writes: [], seen: new Map() };
  for (const [given, { text, strokes, t }] of data.answers) {
    const renamedTo = kinds.has(given) ? undefined : renamed.get(given);
    if (renamedTo !== undefined && data.answers.has(renamedTo)) continue; // the file has the new id too
    const id = renamedTo ?? given;
    const kind = kinds.get(id);
    if (!kind) {
      plan.unknown.push(given);
      continue;
    }
    if ((strokes ? "sketch" : "text") !== kind) {
      plan.wrongKind.push(id);
      continue;
    }
    const cur = strokes ? store.readSketch(id) : store.readBox(id);
    const other = strokes ? store.readBox(id) : store.readSketch(id);
    plan.seen.set(id, JSON.stringify([cur, other]));
    if (cur.state === "ok" || cur.state === "empty") {
      const same = strokes
        ? JSON.stringify(cur.state === "ok" ? cur.strokes : []) === JSON.stringify(strokes)
        : (cur.state === "ok" ? cur.text : "") === text;
      if (same) {
        plan.same++;
        continue;
      }
      const written = cur.state === "ok" && (strokes ? cur.strokes.length > 0 : cur.text.trim() !== "");
      if (written) plan.different.push(id);
      else plan.added++;
      plan.writes.push(strokes ? { id, strokes, t } : { id, text: /** @type {string} */ (text), t });
    } else if (cur.state === "unreadable" && other.state === "ok") {
      plan.different.push(id);
      plan.writes.push(strokes ? { id, strokes, t, replaceOtherKind: true } : { id, text: /** @type {string} */ (text), t, replaceOtherKind: true });
    } else plan.protected.push(id);
  }
  return plan;
}

/**
 * Has storage changed, for any box the plan looked at, since the plan was made?
 * @param {Plan} plan
 * @param {Parsed} data
 * @param {Store} store
 * @param {Map<string, Kind>} kinds
 * @param {Map<string, string>} [renamed]
 */
export function planChanged(plan, data, store, kinds, renamed = new Map()) {
  const now = planImport(data, store, kinds, renamed).seen;
  if (now.size !== plan.seen.size) return true;
  for (const [id, seen] of plan.seen) if (now.get(id) !== seen) return true;
  return false;
}
