// @ts-check
/**
 * Cahier drawings: the stroke format, shared by sketch.js (the drawing), sketch-svg.js (its
 * image) and export/import. Pure functions; no DOM, no storage.
 *
 * Drawing coordinates: a fixed logical page of WIDTH × HEIGHT units (1000 × 750, aspect 4:3),
 * integer coordinates, origin top left. Whatever the size of the screen, a point keeps its place
 * on the page: the drawing scales with the canvas and is never stored as a bitmap.
 *
 * A stroke in memory (decoded):
 *   {c: colour index into PALETTE, w: width in units, pts: [x0, y0, x1, y1, …] (integers),
 *    pr: [pressure 0..63 per point] | null (pen strokes only)}
 *
 * A stroke stored and exported (compact), in the box envelope `{"v": 1, "strokes": [...], "t": ms}`:
 *   {"c": 0, "w": 7, "p": "<points>"}      plus "z": "<pressures>" for a pen with pressure
 *   p: x0, y0 (absolute), then dx, dy from the previous point, for every point; each number is
 *      zigzag-mapped (0, -1, 1, -2, … → 0, 1, 2, 3, …) and written as a little-endian varint of
 *      5-bit digits in ALPHABET: a character whose index is < 32 ends the number, one whose index
 *      is ≥ 32 carries 5 bits and continues. A move of up to 15 units costs one character.
 *   z: one ALPHABET character per point: the pen pressure, 0 (none) to 63 (full).
 * ALPHABET (0-9 a-z A-Z - _) needs no escaping in JSON, so a stored character is one UTF-16 unit.
 */

export const WIDTH = 1000;
export const HEIGHT = 750;

/**
 * The colours of the pen: dark enough on the white page (contrast ≥ 4.5:1 against #fff, so also
 * ≥ 3:1 for graphics). `key` names the colour in the UI strings (`sketch_colour_<key>`).
 */
export const PALETTE = Object.freeze([
  { key: "black", css: "#1b1b1b" },
  { key: "blue", css: "#1f5fbf" },
  { key: "red", css: "#c62828" },
  { key: "green", css: "#2e7d32" },
  { key: "orange", css: "#b04f00" },
  { key: "purple", css: "#6a1b9a" },
]);

/** The widths offered (units of the logical page); any integer 1..MAX_WIDTH is valid in data. */
export const WIDTHS = Object.freeze([
  { key: "fine", w: 3 },
  { key: "medium", w: 7 },
  { key: "thick", w: 16 },
]);

export const MAX_WIDTH = 60;
/** Limits of a valid drawing (a stored or imported one is refused beyond them). */
export const MAX_STROKES = 5000;
export const MAX_POINTS_PER_STROKE = 5000;
export const MAX_POINTS = 250_000;
export const MAX_PRESSURE = 63;

export const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
/** @type {Map<string, number>} */
const DIGIT = new Map([...ALPHABET].map((ch, i) => [ch, i]));
/** A number never needs more digits than this (coordinates ≤ 1000, zigzagged ≤ 2001). */
const MAX_DIGITS = 3;

/** @typedef {{c: number, w: number, pts: number[], pr: number[] | null}} Stroke */
/** @typedef {{c: number, w: number, p: string, z?: string}} CompactStroke */
/** @typedef {{ok: true, strokes: Stroke[]} | {ok: false, error: string}} DecodeResult */

/** @param {number} n */
function zigzag(n) {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

/** @param {number} z */
function unzigzag(z) {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

/** @param {number} n @param {string[]} out */
function putNumber(n, out) {
  let z = zigzag(n);
  while (z >= 32) {
    out.push(ALPHABET[32 + (z & 31)]);
    z = Math.floor(z / 32);
  }
  out.push(ALPHABET[z]);
}

/**
 * The compact form of one stroke.
 * @param {Stroke} stroke
 * @returns {CompactStroke}
 */
export function encodeStroke(stroke) {
  /** @type {string[]} */
  const out = [];
  let px = 0;
  let py = 0;
  for (let i = 0; i < stroke.pts.length; i += 2) {
    const x = stroke.pts[i];
    const y = stroke.pts[i + 1];
    putNumber(x - px, out);
    putNumber(y - py, out);
    px = x;
    py = y;
  }
  /** @type {CompactStroke} */
  const compact = { c: stroke.c, w: stroke.w, p: out.join("") };
  if (stroke.pr) compact.z = stroke.pr.map((v) => ALPHABET[v]).join("");
  return compact;
}

/** @param {Stroke[]} strokes @returns {CompactStroke[]} */
export function encodeStrokes(strokes) {
  return strokes.map(encodeStroke);
}

/** @param {unknown} n @param {number} min @param {number} max */
function isIntIn(n, min, max) {
  return typeof n === "number" && Number.isInteger(n) && n >= min && n <= max;
}

/**
 * Decode and check one compact stroke; throws a message when it is not valid.
 * @param {unknown} value
 * @returns {Stroke}
 */
function decodeOne(value) {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw "a stroke is not an object";
  for (const key of Object.keys(value)) {
    if (key !== "c" && key !== "w" && key !== "p" && key !== "z") throw `unknown stroke field ${key}`;
  }
  const { c, w, p, z } = /** @type {Record<string, unknown>} */ (value);
  if (!isIntIn(c, 0, PALETTE.length - 1)) throw "bad colour";
  if (!isIntIn(w, 1, MAX_WIDTH)) throw "bad width";
  if (typeof p !== "string" || p.length === 0 || p.length > MAX_POINTS_PER_STROKE * 2 * MAX_DIGITS) {
    throw "bad points";
  }
  /** @type {number[]} */
  const pts = [];
  let acc = 0;
  let scale = 1;
  let digits = 0;
  let x = 0;
  let y = 0;
  for (const ch of p) {
    const d = DIGIT.get(ch);
    if (d === undefined) throw "bad character in points";
    if (++digits > MAX_DIGITS) throw "number too long";
    if (d >= 32) {
      acc += (d - 32) * scale;
      scale *= 32;
      continue;
    }
    acc += d * scale;
    const delta = unzigzag(acc);
    if (pts.length % 2 === 0) {
      x += delta;
      if (x < 0 || x > WIDTH) throw "point outside the page";
      pts.push(x);
    } else {
      y += delta;
      if (y < 0 || y > HEIGHT) throw "point outside the page";
      pts.push(y);
    }
    acc = 0;
    scale = 1;
    digits = 0;
  }
  if (digits !== 0 || pts.length % 2 !== 0 || pts.length === 0) throw "incomplete points";
  const count = pts.length / 2;
  if (count > MAX_POINTS_PER_STROKE) throw "too many points";
  /** @type {number[] | null} */
  let pr = null;
  if (z !== undefined) {
    if (typeof z !== "string" || z.length !== count) throw "bad pressures";
    pr = [];
    for (const ch of z) {
      const d = DIGIT.get(ch);
      if (d === undefined) throw "bad character in pressures";
      pr.push(d);
    }
  }
  return { c: /** @type {number} */ (c), w: /** @type {number} */ (w), pts, pr };
}

/**
 * Decode a stored or imported drawing, checking everything: types, fields, ranges, lengths.
 * @param {unknown} compact
 * @returns {DecodeResult}
 */
export function decodeStrokes(compact) {
  if (!Array.isArray(compact)) return { ok: false, error: "strokes is not an array" };
  if (compact.length > MAX_STROKES) return { ok: false, error: "too many strokes" };
  /** @type {Stroke[]} */
  const strokes = [];
  let total = 0;
  for (let i = 0; i < compact.length; i++) {
    try {
      const stroke = decodeOne(compact[i]);
      total += stroke.pts.length / 2;
      if (total > MAX_POINTS) return { ok: false, error: "too many points" };
      strokes.push(stroke);
    } catch (e) {
      return { ok: false, error: `stroke ${i}: ${typeof e === "string" ? e : "invalid"}` };
    }
  }
  return { ok: true, strokes };
}

/** @param {unknown} compact @returns {boolean} true when `compact` is a valid drawing */
export function validateStrokes(compact) {
  return decodeStrokes(compact).ok;
}

/**
 * The width of a stroke at one point: its width, thinner or thicker with the pen's pressure.
 * @param {Stroke} stroke @param {number} i point index
 */
export function widthAt(stroke, i) {
  if (!stroke.pr) return stroke.w;
  const p = stroke.pr[i] / MAX_PRESSURE;
  return stroke.w * (0.35 + 1.3 * p);
}

/**
 * @typedef {object} Run  consecutive curve pieces of one width
 * @property {number} width
 * @property {number[]} start   [x, y]
 * @property {number[]} quads   [cx, cy, x, y, …] quadratic Bézier pieces from `start`
 * @property {boolean} dot      one point: draw a round dot of diameter `width` at `start`
 */

/**
 * The smooth outline of a stroke as runs of quadratic curves through the midpoints of its points
 * (each point is the control of the curve between the midpoints around it). Canvas and SVG both
 * draw these, so the screen, the print and the export show the same curves.
 * @param {Stroke} stroke
 * @returns {Run[]}
 */
export function strokeRuns(stroke) {
  const pts = stroke.pts;
  const n = pts.length / 2;
  if (n === 1) return [{ width: widthAt(stroke, 0), start: [pts[0], pts[1]], quads: [], dot: true }];
  /** @type {Run[]} */
  const runs = [];
  /** @param {number} width @param {number} x0 @param {number} y0 @param {number[]} quad */
  const add = (width, x0, y0, quad) => {
    const w = Math.round(width * 4) / 4;
    const last = runs[runs.length - 1];
    if (last && last.width === w) last.quads.push(...quad);
    else runs.push({ width: w, start: [x0, y0], quads: [...quad], dot: false });
  };
  const mid = (/** @type {number} */ i) => [(pts[2 * i] + pts[2 * i + 2]) / 2, (pts[2 * i + 1] + pts[2 * i + 3]) / 2];
  if (n === 2) {
    const [mx, my] = mid(0);
    add((widthAt(stroke, 0) + widthAt(stroke, 1)) / 2, pts[0], pts[1], [mx, my, pts[2], pts[3]]);
    return runs;
  }
  // First piece: a straight line from the first point to the first midpoint.
  let [ax, ay] = mid(0);
  add(widthAt(stroke, 0), pts[0], pts[1], [(pts[0] + ax) / 2, (pts[1] + ay) / 2, ax, ay]);
  for (let i = 1; i < n - 1; i++) {
    const [bx, by] = mid(i);
    add(widthAt(stroke, i), ax, ay, [pts[2 * i], pts[2 * i + 1], bx, by]);
    ax = bx;
    ay = by;
  }
  const lx = pts[2 * n - 2];
  const ly = pts[2 * n - 1];
  add(widthAt(stroke, n - 1), ax, ay, [(ax + lx) / 2, (ay + ly) / 2, lx, ly]);
  return runs;
}
