// @ts-check
/**
 * Cahier storage: the ONLY module that touches `localStorage`.
 *
 * Contract (shared with export/import, drawing, "Mon cahier"):
 * - one key per box: `cahier:<book>:<edition>:<box-id>`; box ids never start with `_`;
 * - value: JSON `{"v": 1, "text": "...", "t": <ms since epoch of the last edit>}`;
 * - book-level data under `cahier:<book>:<edition>:_meta` (reserved);
 * - a value with an unknown/newer `v`, or that is not our JSON shape, is reported and never overwritten;
 * - only keys with our exact prefix are enumerated, written or removed; never `clear()`.
 *
 * API
 *   openStore({book, edition}) -> Store
 *   Store.available            false when storage is blocked: data then lives in memory for this page only
 *   Store.prefix               "cahier:<book>:<edition>:"
 *   Store.keyFor(id)           -> string
 *   Store.readBox(id)          -> ReadResult  {state: "empty"|"ok"|"newer"|"unreadable"|"error", text?, t?, v?}
 *   Store.writeBox(id, text, t)-> WriteResult {ok: true} | {ok: false, reason: "quota"|"unavailable"|"protected"|"error"}
 *                                 ("protected": the key holds a newer/unreadable value, left untouched)
 *   Store.removeBox(id)        -> WriteResult
 *   Store.listBoxIds()         -> string[] (sorted; our prefix only; excludes reserved `_` names)
 *   Store.readMeta()           -> object: the book-level data of `_meta` ({} when none), or null when
 *                                 it cannot be read or was written by a newer version (then never write it)
 *   Store.writeMeta(obj)       -> WriteResult; REPLACES `_meta` with `{"v": 1, ...obj}`. Several features share
 *                                 it: readMeta(), change only your own field, writeMeta() the whole object
 *   Store.readSketch(id)       -> SketchRead {state: "empty"|"ok"|"newer"|"unreadable"|"error", strokes?, t?, v?}
 *                                 a drawing: `{"v": 1, "strokes": [...], "t": ms}` under the same key scheme.
 *                                 Checks the envelope only (`strokes` an array); sketch-codec.js decodes and
 *                                 validates the strokes. (readBox reports a drawing as "unreadable", and
 *                                 readSketch a text box's value: each kind of value is read by its own pair.)
 *   Store.writeSketch(id, strokes, t) -> WriteResult, as writeBox ("protected": the key holds a newer or
 *                                 unreadable value — a text box's value included —, left untouched)
 *   Store.onExternalChange(cb) -> unsubscribe(); cb({id}) on a `storage` event from another tab for one of
 *                                 our boxes, cb({id: null}) when another tab cleared the whole storage.
 *   Store.writeBoxes(entries)  -> all-or-nothing write of [{id, text, t} | {id, strokes, t}] (import; `strokes`:
 *                                 a drawing, checked with readSketch and written as a drawing): every key is checked first
 *                                 ("protected" when one holds a newer/unreadable value: nothing written;
 *                                 `replaceOtherKind: true` replaces only one of our values of the other kind); if a
 *                                 write fails, every key already written is put back to its previous raw
 *                                 value: {ok: false, reason, restored: true | false}
 *   Store.removeMeta()         -> WriteResult; removes `_meta` (erasing this edition's answers)
 *   Store.readRaw(id)          -> string | null: the value stored for a box, byte for byte, whatever its state
 *                                 (null: none, an invalid id or unreadable storage). For export only: a
 *                                 newer/unreadable value travels as it is (the export's `raw` field)
 */

export const VERSION = 1;

/** The largest time a Date can hold (ms): above it a stamp is no real date, and above 2^53 `t + 1 === t`. */
export const MAX_T = 8.64e15;

/**
 * A time stamp we can trust to order writes: an integer number of ms within real dates (design.md).
 * @param {unknown} t
 * @returns {t is number}
 */
export function isTime(t) {
  return Number.isSafeInteger(t) && /** @type {number} */ (t) >= 0 && /** @type {number} */ (t) <= MAX_T;
}

/** @typedef {{book: string, edition: string}} StoreOptions */
/**
 * @typedef {{state: "empty"}
 *   | {state: "ok", text: string, t: number}
 *   | {state: "newer", v: unknown}
 *   | {state: "unreadable"}
 *   | {state: "error"}} ReadResult
 */
/**
 * @typedef {{state: "empty"}
 *   | {state: "ok", strokes: unknown[], t: number}
 *   | {state: "newer", v: unknown}
 *   | {state: "unreadable"}
 *   | {state: "error"}} SketchRead
 */
/** @typedef {{ok: true} | {ok: false, reason: "quota" | "unavailable" | "protected" | "error"}} WriteResult */
/** @typedef {{id: string | null}} ExternalChange */
/**
 * @typedef {({id: string, text: string, t: number, strokes?: undefined} | {id: string, strokes: unknown[], t: number, text?: undefined})
 *   & {replaceOtherKind?: boolean}} BoxEntry
 */
/**
 * @typedef {object} Store
 * @property {boolean} available
 * @property {string} prefix
 * @property {(id: string) => string} keyFor
 * @property {(id: string) => ReadResult} readBox
 * @property {(id: string, text: string, t: number) => WriteResult} writeBox
 * @property {(id: string) => WriteResult} removeBox
 * @property {() => string[]} listBoxIds
 * @property {() => Record<string, unknown> | null} readMeta
 * @property {(data: Record<string, unknown>) => WriteResult} writeMeta
 * @property {(id: string) => SketchRead} readSketch
 * @property {(id: string, strokes: unknown[], t: number) => WriteResult} writeSketch
 * @property {(cb: (change: ExternalChange) => void) => () => void} onExternalChange
 * @property {(entries: BoxEntry[]) => WriteResult & {restored?: boolean}} writeBoxes
 * @property {() => WriteResult} removeMeta
 * @property {(id: string) => string | null} readRaw
 */

// The build's rule (cahier/config.py BOX_ID_RE): lowercase parts of letters, digits and "-", joined by ".".
const BOX_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*$/;

/** @param {string} id */
export function isBoxId(id) {
  return typeof id === "string" && BOX_ID.test(id);
}

/** @param {unknown} e */
export function isQuotaError(e) {
  if (!e || typeof e !== "object") return false;
  const err = /** @type {{name?: unknown, code?: unknown}} */ (e);
  return err.name === "QuotaExceededError" || err.code === 22 || err.name === "NS_ERROR_DOM_QUOTA_REACHED";
}

/** @returns {Storage | null} */
function getLocalStorage() {
  try {
    return window.localStorage || null; // may throw SecurityError, or be null (Firefox, storage disabled)
  } catch {
    return null;
  }
}

/**
 * Parse one of our stored envelopes `{"v": 1, <field>: ..., "t": ms}`: empty, ok, newer (any other
 * `v`, left untouched) or unreadable (not JSON, not our shape, or `field` not valid).
 * @param {string | null} raw
 * @param {"text" | "strokes"} field
 * @param {(value: unknown) => boolean} valid
 * @returns {{state: "empty"} | {state: "ok", value: unknown, t: number} | {state: "newer", v: unknown} | {state: "unreadable"}}
 */
function parseEnvelope(raw, field, valid) {
  if (raw === null) return { state: "empty" };
  /** @type {unknown} */
  let data;
  try {
    data = JSON.parse(raw);
  } catch {
    return { state: "unreadable" };
  }
  if (!data || typeof data !== "object" || Array.isArray(data) || !("v" in data)) return { state: "unreadable" };
  const obj = /** @type {Record<string, unknown>} */ (data);
  if (obj.v !== VERSION) return { state: "newer", v: obj.v };
  const t = obj.t;
  if (!valid(obj[field]) || !isTime(t)) return { state: "unreadable" };
  return { state: "ok", value: obj[field], t };
}

/**
 * Parse a stored value into a ReadResult.
 * @param {string | null} raw
 * @returns {ReadResult}
 */
export function parseValue(raw) {
  const r = parseEnvelope(raw, "text", (value) => typeof value === "string");
  return r.state === "ok" ? { state: "ok", text: /** @type {string} */ (r.value), t: r.t } : r;
}

/**
 * Parse a stored drawing into a SketchRead (the envelope only; see sketch-codec.js for strokes).
 * @param {string | null} raw
 * @returns {SketchRead}
 */
export function parseSketchValue(raw) {
  const r = parseEnvelope(raw, "strokes", Array.isArray);
  return r.state === "ok" ? { state: "ok", strokes: /** @type {unknown[]} */ (r.value), t: r.t } : r;
}

/**
 * @param {StoreOptions} options
 * @returns {Store}
 */
export function openStore({ book, edition }) {
  const prefix = `cahier:${book}:${edition}:`;
  /** @type {Map<string, string>} used when storage is unavailable */
  const memory = new Map();
  let ls = getLocalStorage();
  let available = false;
  if (ls) {
    const probeKey = prefix + "_probe";
    try {
      ls.getItem(prefix + "_meta");
      ls.setItem(probeKey, "1");
      available = ls.getItem(probeKey) === "1";
      ls.removeItem(probeKey);
    } catch (e) {
      // A full storage still holds (and lets us read) the participant's answers: keep using it,
      // writes will report "quota". Anything else: memory only.
      available = isQuotaError(e);
    }
  }
  if (!available) ls = null;

  /** @param {string} id */
  const keyFor = (id) => prefix + id;

  // Raw access to one of our keys (a box id or `_meta`); the in-memory map stands in for
  // localStorage when it is unavailable, so the page keeps working (and says nothing is saved).
  /** @param {string} name @returns {string | null} */
  function getRaw(name) {
    return ls ? ls.getItem(keyFor(name)) : (memory.get(name) ?? null);
  }

  /** @param {string} name @param {string} value @returns {WriteResult} */
  function setRaw(name, value) {
    try {
      if (!ls) {
        memory.set(name, value);
        return { ok: false, reason: "unavailable" };
      }
      ls.setItem(keyFor(name), value);
      return { ok: true };
    } catch (e) {
      return { ok: false, reason: isQuotaError(e) ? "quota" : "error" };
    }
  }

  /** @param {string} name @returns {WriteResult} */
  function removeRaw(name) {
    try {
      if (!ls) {
        memory.delete(name);
        return { ok: false, reason: "unavailable" };
      }
      ls.removeItem(keyFor(name));
      return { ok: true };
    } catch {
      return { ok: false, reason: "error" };
    }
  }

  /**
   * @template {{state: string}} R
   * @param {string} id @param {(raw: string | null) => R} parse
   * @returns {R | {state: "error"}}
   */
  function readWith(id, parse) {
    if (!isBoxId(id)) return { state: "error" };
    try {
      return parse(getRaw(id));
    } catch {
      return { state: "error" };
    }
  }

  /** What a write over a key in this state must do instead, if anything. @param {string} state @returns {WriteResult | null} */
  function refusal(state) {
    if (state === "newer" || state === "unreadable") return { ok: false, reason: "protected" };
    if (state === "error") return { ok: false, reason: "error" };
    return null;
  }

  /** @param {string} id @returns {ReadResult} */
  const readBox = (id) => readWith(id, parseValue);

  /** @param {string} id @returns {SketchRead} */
  const readSketch = (id) => readWith(id, parseSketchValue);

  /** @param {string} id @param {string} text @param {number} t @returns {WriteResult} */
  function writeBox(id, text, t) {
    if (!isBoxId(id) || typeof text !== "string" || !isTime(t)) return { ok: false, reason: "error" };
    return refusal(readBox(id).state) ?? setRaw(id, JSON.stringify({ v: VERSION, text, t }));
  }

  /** @param {string} id @param {unknown[]} strokes @param {number} t @returns {WriteResult} */
  function writeSketch(id, strokes, t) {
    if (!isBoxId(id) || !Array.isArray(strokes) || !isTime(t)) return { ok: false, reason: "error" };
    const refused = refusal(readSketch(id).state);
    if (refused) return refused;
    try {
      return setRaw(id, JSON.stringify({ v: VERSION, strokes, t }));
    } catch {
      return { ok: false, reason: "error" }; // strokes that do not serialize
    }
  }

  /** @param {string} id @returns {WriteResult} */
  function removeBox(id) {
    return isBoxId(id) ? removeRaw(id) : { ok: false, reason: "error" };
  }

  const META = "_meta";

  /** @returns {Record<string, unknown> | null} */
  function readMeta() {
    try {
      const raw = getRaw(META);
      if (raw === null) return {};
      const data = JSON.parse(raw);
      if (!data || typeof data !== "object" || Array.isArray(data) || data.v !== VERSION) return null;
      const { v: _v, ...fields } = data;
      return fields;
    } catch {
      return null;
    }
  }

  /** @param {Record<string, unknown>} data @returns {WriteResult} */
  function writeMeta(data) {
    if (!data || typeof data !== "object" || Array.isArray(data)) return { ok: false, reason: "error" };
    if (readMeta() === null) return { ok: false, reason: "protected" };
    try {
      return setRaw(META, JSON.stringify({ ...data, v: VERSION }));
    } catch {
      return { ok: false, reason: "error" };
    }
  }

  /** @returns {WriteResult} */
  const removeMeta = () => removeRaw(META);

  /** @param {string} id @returns {string | null} */
  function readRaw(id) {
    try {
      return isBoxId(id) ? getRaw(id) : null;
    } catch {
      return null;
    }
  }

  /** @returns {string[]} */
  function listBoxIds() {
    /** @type {string[]} */
    const ids = [];
    try {
      if (!ls) return [...memory.keys()].filter(isBoxId).sort();
      for (let i = 0; i < ls.length; i++) {
        const key = ls.key(i);
        if (key && key.startsWith(prefix)) {
          const id = key.slice(prefix.length);
          if (isBoxId(id)) ids.push(id);
        }
      }
    } catch {
      // report what we could read
    }
    return ids.sort();
  }

  /** @param {(change: ExternalChange) => void} cb */
  function onExternalChange(cb) {
    /** @param {StorageEvent} e */
    const listener = (e) => {
      try {
        if (!ls || e.storageArea !== ls) return;
        if (e.key === null) cb({ id: null });
        else if (e.key.startsWith(prefix)) {
          const id = e.key.slice(prefix.length);
          if (isBoxId(id)) cb({ id });
        }
      } catch (err) {
        console.error(err);
      }
    };
    window.addEventListener("storage", listener);
    return () => window.removeEventListener("storage", listener);
  }

  /**
   * @param {BoxEntry[]} entries
   * @returns {WriteResult & {restored?: boolean}}
   */
  function writeBoxes(entries) {
    for (const { id, text, strokes, t, replaceOtherKind } of entries) {
      // A drawing's entry has `strokes` (written as a drawing, only over a drawing) instead of `text`.
      const valid = strokes === undefined ? typeof text === "string" : Array.isArray(strokes);
      if (!isBoxId(id) || !valid || !isTime(t)) return { ok: false, reason: "error" };
      const asText = strokes === undefined;
      // replaceOtherKind: the key holds one of our values of the other kind (a drawing in a text box,
      // text in a drawing's box), which the box cannot use: only such a value may be replaced.
      const current = (asText !== Boolean(replaceOtherKind) ? readBox(id) : readSketch(id)).state;
      const refused = replaceOtherKind ? (current === "ok" ? null : { ok: false, reason: "protected" }) : refusal(current);
      if (refused) return /** @type {WriteResult} */ (refused);
    }
    if (!ls) return { ok: false, reason: "unavailable" };
    /** @type {[string, string | null][]} keys written so far, with their previous raw value */
    const done = [];
    try {
      for (const { id, text, strokes, t } of entries) {
        const key = keyFor(id);
        done.push([key, ls.getItem(key)]);
        ls.setItem(key, JSON.stringify(strokes === undefined ? { v: VERSION, text, t } : { v: VERSION, strokes, t }));
      }
      return { ok: true };
    } catch (e) {
      let restored = true;
      for (const [key, raw] of done.reverse()) {
        try {
          if (raw === null) ls.removeItem(key);
          else ls.setItem(key, raw);
          if (ls.getItem(key) !== raw) restored = false;
        } catch {
          restored = false;
        }
      }
      return { ok: false, reason: isQuotaError(e) ? "quota" : "error", restored };
    }
  }

  return {
    available,
    prefix,
    keyFor,
    readBox,
    writeBox,
    removeBox,
    listBoxIds,
    readMeta,
    writeMeta,
    readSketch,
    writeSketch,
    onExternalChange,
    writeBoxes,
    removeMeta,
    readRaw,
  };
}
