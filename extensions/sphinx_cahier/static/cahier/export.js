// @ts-check
/**
 * Export (loaded on demand): the participant's answers as (a) one self-contained HTML file — inline CSS,
 * no script to run, readable offline and printable — that embeds the export contract as
 * `<script type="application/json" id="cahier-data">`, (b) that JSON alone, (c) Markdown.
 *
 * Export contract (design.md): {"format": "cahier-export", "v": 1, "book", "edition", "exported": ISO date,
 * "answers": {"<box-id>": {"text", "t"}}}. In the HTML file `<`, `>`, U+2028/9 are written as \uXXXX
 * escapes, so no answer can end the script element or open a comment (`&` means nothing there).
 * The HTML file keeps both copies of each answer: the data block, exact and the only one the import reads
 * (the readable text cannot carry every string: a carriage return, a NUL, a lone surrogate), and the text
 * to read and print. Its size is bounded (import.js MAX_BYTES): each stored UTF-16 code unit becomes at
 * most EXPORT_BYTES_PER_UNIT bytes. `<meta name="cahier-export">` at its top tells a file cut short (no
 * data block left) from a file that is not ours.
 * A drawing (issue 4) is exported as `"answers": {"<id>": {"strokes": [...], "t": ...}}` (the stored
 * compact strokes, see sketch-codec.js) and shown as an SVG image in the HTML and Markdown files.
 * File names: cahier-<book>-<edition>-<YYYY-MM-DD>.<html|json|md>. Pending saves are flushed first; the
 * export time is recorded in `_meta.lastExport`, and `document` gets a `cahier:exported` event.
 *
 * Values this version cannot read (saved by a newer version, unreadable, a drawing whose strokes do not
 * validate) are carried byte for byte in an optional top-level `"raw": {"<box-id>": "<stored string>"}`,
 * present only when there are some, and shown in the HTML and Markdown files as kept as they are.
 *
 * Offline: the manifest is fetched once per page (the promise is kept; a failure is forgotten, so the next
 * call tries again) and, when the network is gone, taken from the browser's HTTP cache if it holds a copy
 * (keep.js loads this module and the manifest ahead, at idle time). Without any manifest, the HTML and
 * Markdown files still hold every answer, listed by box id (`complete: false` tells the caller).
 *
 * Markdown: every answer is one paragraph that a CommonMark renderer shows exactly as typed: the
 * characters CommonMark could interpret are backslash-escaped (inline: \ ` * _ [ ] < | ~ $ # and an `&`
 * that would start a character reference; at a line start: > - + = and the `.`/`)` of `1.`), white space
 * at a line's start or end is written as a character reference (renderers strip it), and line breaks are
 * hard breaks (a line ending with `\`). Titles, questions and notes are escaped the same way.
 */
import { format } from "./keep.js";
import { validateStrokes } from "./sketch-codec.js";
import { strokesToSvg } from "./sketch-svg.js";
import { parseSketchValue, parseValue } from "./store.js";

/** @typedef {import("./keep.js").Ctx} Ctx */
/**
 * @typedef {{id: string, order: number, kind: string, url: string, pageTitle: string, page: string,
 *   levelName: string | null, label: string, questions: string[]}} ManifestBox
 * @typedef {{title: string, school: string, dates: string, place: string, language: string,
 *   boxes: ManifestBox[], sketches?: ManifestBox[], note?: string, renamed?: Record<string, string>}} Manifest
 *   (`note`: only in the stand-in made when the manifest could not be had; `renamed`: old id -> new id)
 * @typedef {{text: string, t: number} | {strokes: unknown[], t: number, text?: undefined}} Answer
 * @typedef {{format: "cahier-export", v: 1, book: string, edition: string, exported: string,
 *   answers: Record<string, Answer>, raw?: Record<string, string>}} ExportData
 * @typedef {"newer" | "unreadable"} Kept  why a value is kept as it is
 */

/** Box kinds that hold text. */
export const TEXT_KINDS = ["reflection", "prompt"];

/** @type {Map<string, Promise<Manifest>>} one fetch per page and manifest URL */
const manifests = new Map();

/**
 * The manifest, as this page already holds it (« Mon cahier » reads it from its own list): the exports
 * made from this page need no fetch.
 * @param {Ctx} ctx
 * @param {Manifest} manifest
 */
export function provideManifest(ctx, manifest) {
  manifests.set(manifestUrl(ctx).href, Promise.resolve(manifest));
}

/**
 * The manifest written by the build, fetched once per page (a failure is forgotten: the next call retries).
 * @param {Ctx} ctx
 * @returns {Promise<Manifest>}
 */
export function loadManifest(ctx) {
  const url = manifestUrl(ctx).href;
  let promise = manifests.get(url);
  if (!promise) {
    promise = fetchManifest(url);
    manifests.set(url, promise);
    promise.catch(() => manifests.delete(url));
  }
  return promise;
}

/** @param {string} url @returns {Promise<Manifest>} */
async function fetchManifest(url) {
  let response;
  try {
    response = await fetch(url, { cache: "no-cache" });
  } catch {
    // No network: the copy the browser's cache holds, if any (an error again if none).
    response = await fetch(url, { cache: "force-cache" });
  }
  if (!response.ok) throw new Error(`cahier: manifest.json: HTTP ${response.status}`);
  const manifest = await response.json();
  if (!manifest || !Array.isArray(manifest.boxes)) throw new Error("cahier: manifest.json: no boxes");
  // Drawings apart: they are not counted as written boxes; export and « Mon cahier » show them.
  manifest.sketches = manifest.boxes.filter((/** @type {ManifestBox} */ b) => b && typeof b.id === "string" && b.kind === "sketch");
  manifest.boxes = manifest.boxes.filter(
    (/** @type {ManifestBox} */ b) => b && typeof b.id === "string" && TEXT_KINDS.includes(b.kind),
  );
  return manifest;
}

/** @param {Ctx} ctx */
const manifestUrl = (ctx) => new URL(ctx.manifestUrl || "../manifest.json", import.meta.url);

/** The root of the site, where the manifest's URLs start (it sits in `_static/cahier/`). @param {Ctx} ctx */
export const siteRoot = (ctx) => new URL("../../", manifestUrl(ctx));

/**
 * What storage holds for one box: a text, a drawing whose strokes validate, or the stored string of a
 * value this version cannot read (newer, unreadable, strokes that do not validate); null: nothing.
 * @param {import("./store.js").Store} store
 * @param {string} id
 */
export function storedValue(store, id) {
  const raw = store.readRaw(id);
  return raw === null ? null : readStored(raw);
}

/**
 * What a stored string holds (see storedValue).
 * @param {string} raw
 * @returns {{answer: Answer} | {raw: string}}
 */
export function readStored(raw) {
  const r = parseValue(raw);
  if (r.state === "ok") return { answer: { text: r.text, t: r.t } };
  const d = parseSketchValue(raw);
  if (d.state === "ok" && validateStrokes(d.strokes)) return { answer: { strokes: d.strokes, t: d.t } };
  return { raw };
}

/**
 * What this edition's storage holds (our prefix only), by id: the readable answers, and the stored string
 * of every value this version cannot read (newer, unreadable, strokes that do not validate).
 * @param {import("./store.js").Store} store
 */
export function storedAnswers(store) {
  /** @type {Record<string, Answer>} */
  const answers = Object.create(null);
  /** @type {Record<string, string>} */
  const raw = Object.create(null);
  for (const id of store.listBoxIds()) {
    const value = storedValue(store, id);
    if (value && "answer" in value) answers[id] = value.answer;
    else if (value) raw[id] = value.raw;
  }
  return { answers, raw };
}

/**
 * Every answer of this edition, by id, and (`raw`, only when there are some) the values kept as they are.
 * @param {Ctx} ctx
 * @param {Date} now
 * @returns {ExportData}
 */
export function exportData(ctx, now) {
  const { answers, raw } = storedAnswers(ctx.store);
  // What the person sees wins over what storage holds when a save failed (full or blocked storage).
  for (const [id, answer] of ctx.unsavedAnswers?.() ?? []) answers[id] = answer;
  /** @type {ExportData} */
  const data = { format: "cahier-export", v: 1, book: ctx.book, edition: ctx.edition, exported: now.toISOString(), answers };
  if (Object.keys(raw).length) data.raw = raw;
  return data;
}

/** Why a stored string is kept as it is: saved by a newer version, or unreadable here. @param {string} value @returns {Kept} */
export const keptReason = (value) =>
  parseValue(value).state === "newer" || parseSketchValue(value).state === "newer" ? "newer" : "unreadable";

/**
 * JSON safe inside `<script>`: no `<` or `>` left (`</script>`, `<!--`, `-->`); `&` is plain text in a
 * script element.
 * @param {unknown} data
 */
export function scriptJSON(data) {
  return JSON.stringify(data).replace(/[<>\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/**
 * The most bytes (UTF-8) one UTF-16 code unit of the storage (keys and values) becomes in the HTML export.
 * Text: at most 10. `<` or `>`, one unit in storage, is `\u003c` (6 bytes) in the data block and `&lt;`
 * (4) in the text to read; everything else costs less: `&` 1 + 5, `"` (`\"` in storage: 2 units) 2 + 1,
 * a character from U+0800 (1 unit) 3 + 3, U+2028 6 + 3, an emoji (2 units) 4 + 4, a control character
 * (`\u0001`: 6 units) 6 + 1; the markup around an answer costs less than its key and envelope in storage
 * (`cahier:<book>:<edition>:<id>`, `{"v":1,"text":"","t":…}`).
 * A drawing costs more, its image being written out: a pen whose pressure changes at every point (3 units
 * in storage: dx, dy, pressure) draws one <path> per point, at most 88 bytes
 * (`<path d="M999.75 749.75Q1000 750 999.75 749.75" stroke="#1b1b1b" stroke-width="98.25"/>`), and its 3
 * units in the data block: 91 bytes for 3 units, 31 per unit, rounded up.
 * tests/browser/test_mon_cahier_scale.py exports the costliest of each and checks this bound.
 */
export const EXPORT_BYTES_PER_UNIT = 31;

/** Text for an attribute value. @param {string} text */
const esc = (text) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] || c);

/** Text for an element's content: quotes need no escape there. @param {string} text */
const escText = (text) => text.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c] || c);

/** @param {Date} d local date YYYY-MM-DD */
export const day = (d) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

/**
 * The boxes to show, in book order, grouped by page; answers without a box in this edition last (a text,
 * or a value kept as it is). `kept` says why a box's value is kept as it is (`raw`), else null.
 * @param {Manifest} manifest
 * @param {Record<string, Answer>} answers
 * @param {string} otherTitle
 * @param {Record<string, string>} [raw] the values kept as they are, by id
 * @returns {{title: string, boxes: {id: string, title: string, questions: string[], url: string | null, text: string,
 *   kept: Kept | null}[]}[]}
 */
export function sections(manifest, answers, otherTitle, raw = {}) {
  /** @type {ReturnType<typeof sections>} */
  const out = [];
  const known = new Set((manifest.sketches || []).map((b) => b.id));
  /** @param {string} id */
  const kept = (id) => (Object.hasOwn(raw, id) && !Object.hasOwn(answers, id) ? keptReason(raw[id]) : null);
  for (const b of manifest.boxes) {
    known.add(b.id);
    if (out.at(-1)?.title !== b.pageTitle) out.push({ title: b.pageTitle, boxes: [] });
    const questions = b.questions.length === 1 && b.questions[0] === b.label ? [] : b.questions;
    const text = (Object.hasOwn(answers, b.id) && answers[b.id].text) || "";
    out.at(-1)?.boxes.push({ id: b.id, title: b.levelName || b.label, questions, url: b.url, text, kept: kept(b.id) });
  }
  const others = [...new Set([...Object.keys(answers), ...Object.keys(raw)])]
    .filter((id) => !known.has(id) && (answers[id]?.text?.trim() || kept(id)))
    .sort();
  if (others.length) {
    out.push({
      title: otherTitle,
      boxes: others.map((id) => ({ id, title: id, questions: [], url: null, text: answers[id]?.text || "", kept: kept(id) })),
    });
  }
  return out;
}

/**
 * A stand-in for the manifest when it could not be had (no network, never cached): every answer and kept
 * value under its box id, drawings apart, in id order.
 * @param {ExportData} data
 * @param {Record<string, string>} s
 * @param {Document} doc
 * @returns {Manifest}
 */
export function bareManifest(data, s, doc) {
  const ids = [...new Set([...Object.keys(data.answers), ...Object.keys(data.raw || {})])].sort();
  const isDrawing = (/** @type {string} */ id) => Object.hasOwn(data.answers, id) && "strokes" in data.answers[id];
  /** @param {string} id @param {string} kind @returns {ManifestBox} */
  const entry = (id, kind) => ({ id, order: 0, kind, url: "", pageTitle: s.export_by_box, page: "", levelName: null, label: id, questions: [] });
  return {
    title: s.nav_label,
    school: "",
    dates: "",
    place: "",
    language: doc.documentElement.lang || "fr",
    note: s.export_file_incomplete,
    boxes: ids.filter((id) => !isDrawing(id)).map((id) => entry(id, "prompt")),
    sketches: ids.filter(isDrawing).map((id) => entry(id, "sketch")),
  };
}

const CSS = `body{font:16px/1.55 Georgia,serif;color:#111;background:#fff;max-width:46em;margin:2em auto;padding:0 1em}
h1{font-size:1.7em;margin:0 0 .3em}h2{font-size:1.35em;margin:2em 0 .6em;border-bottom:1px solid #999}
h3{font-size:1.1em;margin:1.4em 0 .3em}ul{margin:.2em 0 .6em;color:#333}.meta{color:#444}
.answer{white-space:pre-wrap;overflow-wrap:break-word;border-left:3px solid #999;padding:.2em 0 .2em .8em}
.empty,.kept{color:#666;font-style:italic}.raw{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85em;background:#f4f4f4;padding:.4em}.drawing{margin:.5em 0}.drawing svg{display:block;width:100%;height:auto;border:1px solid #999}
@media print{body{margin:0;max-width:none}section+section{break-before:page}h3,ul{break-after:avoid}
.empty{height:8em;background:repeating-linear-gradient(transparent 0 calc(2em - 1px),#888 calc(2em - 1px) 2em);print-color-adjust:exact;-webkit-print-color-adjust:exact}}`;

/**
 * @param {Manifest} manifest
 * @param {ExportData} data
 * @param {Record<string, string>} s
 */
export function toHTML(manifest, data, s) {
  const date = new Date(data.exported).toLocaleString(manifest.language || undefined);
  const title = `${manifest.title} — ${data.edition}`;
  const parts = [
    `<!DOCTYPE html>\n<html lang="${esc(manifest.language || "fr")}"><head><meta charset="utf-8">`,
    // No script ever runs in this file (its #cahier-data is data); its one <style> applies.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    `<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="cahier-export" content="${data.v}">`,
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style></head><body><header><h1>${esc(title)}</h1>`,
    `<p class="meta">${esc([manifest.school, manifest.dates, manifest.place].filter(Boolean).join(" · "))}</p>`,
    `<p class="meta">${esc(format(s.exported_on, { date }))}</p><p class="meta">${esc(s.export_intro)}</p>`,
    manifest.note ? `<p class="meta"><strong>${esc(manifest.note)}</strong></p>` : "",
    "</header><main>",
  ];
  const raw = data.raw || {};
  /** @param {string} id */
  const keptHTML = (id) =>
    // A newline right after <pre> is dropped by the parser: the first line of the value stays whole.
    `<p class="kept">${esc(s[`export_kept_${keptReason(raw[id])}`])}</p><pre class="raw">\n${escText(raw[id])}</pre>`;
  for (const section of sections(manifest, data.answers, s.other_answers, raw)) {
    parts.push(`<section><h2>${esc(section.title)}</h2>`);
    for (const sk of sketchesOf(manifest, section.title)) {
      const strokes = drawingOf(data.answers, sk.id);
      parts.push(`<h3>${esc(sk.label)}</h3>`);
      // The SVG is built with DOM methods from numbers and the palette only (sketch-svg.js).
      if (strokes) parts.push(`<figure class="drawing">${new XMLSerializer().serializeToString(strokesToSvg(strokes, { title: sk.label }))}</figure>`);
      else if (Object.hasOwn(raw, sk.id)) parts.push(keptHTML(sk.id));
      else parts.push(`<p class="empty">${esc(s.no_answer)}</p>`);
    }
    for (const b of section.boxes) {
      parts.push(`<h3>${esc(b.title)}</h3>`);
      if (b.questions.length) parts.push(`<ul>${b.questions.map((q) => `<li>${esc(q)}</li>`).join("")}</ul>`);
      if (b.text.trim()) parts.push(`<div class="answer">${escText(b.text)}</div>`);
      else if (b.kept) parts.push(keptHTML(b.id));
      else parts.push(`<p class="empty">${esc(s.no_answer)}</p>`);
    }
    parts.push("</section>");
  }
  parts.push(`</main>\n<script type="application/json" id="cahier-data">${scriptJSON(data)}</script>\n</body></html>\n`);
  return parts.join("\n");
}

/**
 * @param {Manifest} manifest
 * @param {ExportData} data
 * @param {Record<string, string>} s
 */
export function toMarkdown(manifest, data, s) {
  const date = new Date(data.exported).toLocaleString(manifest.language || undefined);
  const lines = [`# ${mdLine(`${manifest.title} — ${data.edition}`)}`, "", mdText(format(s.exported_on, { date })), ""];
  if (manifest.note) lines.push(`**${mdLine(manifest.note)}**`, "");
  const raw = data.raw || {};
  /** A kept value: the note, then the stored string in a code block (nothing in it is interpreted). @param {string} id */
  const kept = (id) => [`*${mdLine(s[`export_kept_${keptReason(raw[id])}`])}*`, "", ...fenced(raw[id]), ""];
  for (const section of sections(manifest, data.answers, s.other_answers, raw)) {
    lines.push(`## ${mdLine(section.title)}`, "");
    for (const sk of sketchesOf(manifest, section.title)) {
      const strokes = drawingOf(data.answers, sk.id);
      lines.push(`### ${mdLine(sk.label)}`, "");
      if (strokes) {
        const svg = new XMLSerializer().serializeToString(strokesToSvg(strokes, { title: sk.label }));
        const uri = "data:image/svg+xml," + encodeURIComponent(svg).replace(/[()]/g, (c) => (c === "(" ? "%28" : "%29"));
        lines.push(`![${mdLine(sk.label)}](${uri})`, "");
      } else if (Object.hasOwn(raw, sk.id)) lines.push(...kept(sk.id));
      else lines.push(`*${mdLine(s.no_answer)}*`, "");
    }
    for (const b of section.boxes) {
      lines.push(`### ${mdLine(b.title)}`, "");
      if (b.questions.length) lines.push(...b.questions.map((q) => `- *${mdLine(q)}*`), "");
      if (b.text.trim()) lines.push(mdText(b.text), "");
      else if (b.kept) lines.push(...kept(b.id));
      else lines.push(`*${mdLine(s.no_answer)}*`, "");
    }
  }
  return lines.join("\n");
}

/** A character as a CommonMark character reference. @param {string} c */
const charRef = (c) => `&#x${(c.codePointAt(0) || 0).toString(16).toUpperCase()};`;

/**
 * One line of plain text as CommonMark inline text that renders as exactly these characters (no line
 * break inside: see mdText).
 * @param {string} line
 */
export function mdLine(line) {
  const escaped = line
    .replace(/[\\`*_[\]<|~$#]/g, "\\$&")
    // `&` only where it would start a character reference (`&amp;`, `&#35;`): « R&D » stays as it is.
    .replace(/&(?=[A-Za-z][A-Za-z0-9]*;|#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};)/g, "\\&")
    // What would start a block at the line's start: a quote, a list item, a break, a setext underline.
    .replace(/^(\s*)([>+=-])/, "$1\\$2")
    .replace(/^(\s*\d{1,9})([.)])/, "$1\\$2");
  // White space at either end of a line is stripped by renderers: keep it as character references.
  return escaped.replace(/^\s+|\s+$/g, (ws) => [...ws].map(charRef).join(""));
}

/**
 * An answer as one CommonMark paragraph showing exactly the text typed: each line escaped (mdLine) and
 * ended by a hard break (`\`); CRLF and CR are line breaks. A paragraph cannot end with a hard break:
 * a final line break is written as a character reference.
 * @param {string} text
 */
export function mdText(text) {
  const lines = text.split(/\r\n|\r|\n/).map(mdLine);
  const last = lines.length > 1 && lines.at(-1) === "" ? (lines.pop(), "&#xA;") : "";
  return lines.join("\\\n") + last;
}

/** A fenced code block (a fence longer than any run of backticks inside) holding text as it is. @param {string} text */
function fenced(text) {
  const fence = "`".repeat(Math.max(3, ...(text.match(/`+/g) || []).map((run) => run.length + 1)));
  return [fence, ...text.split(/\r\n|\r|\n/), fence];
}

/** The drawings of a page (by its title, as sections() groups boxes). @param {Manifest} manifest @param {string} title */
const sketchesOf = (manifest, title) => (manifest.sketches || []).filter((b) => b.pageTitle === title);

/** The strokes of a drawing with at least one stroke, else null. @param {Record<string, Answer>} answers @param {string} id */
export function drawingOf(answers, id) {
  const a = Object.hasOwn(answers, id) ? answers[id] : null;
  return a && "strokes" in a && Array.isArray(a.strokes) && a.strokes.length ? a.strokes : null;
}

/**
 * Offer a file for download (a blob: URL; nothing leaves the browser).
 * @param {Document} doc
 * @param {string} name
 * @param {string} content
 * @param {string} type
 */
function download(doc, name, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = doc.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Can this browser hand a file to the system's share sheet (mail, Messages, AirDrop, Files)?
 * iOS, iPadOS and Android can; most desktop browsers cannot.
 * @param {Navigator} nav
 */
export function canShareFiles(nav) {
  try {
    return typeof nav.share === "function" && !!nav.canShare?.({ files: [new File(["x"], "cahier.html", { type: "text/html" })] });
  } catch {
    return false;
  }
}

/**
 * Share the file through the system's share sheet; false when the person closed the sheet
 * (AbortError). Any other failure rejects (the caller downloads the file instead).
 * @param {string} name @param {string} content @param {string} type @param {string} title
 */
async function share(name, content, type, title) {
  try {
    await navigator.share({ files: [new File([content], name, { type })], title });
    return true;
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") return false;
    throw e;
  }
}

/**
 * Export; `kept`: how many values went in as they are (`raw`); `complete: false`: the HTML or Markdown
 * file was made without the manifest (every answer is in it, by box id, without the questions).
 * `how: "share"` hands the file to the system's share sheet (falling back to a download if sharing
 * fails); `shared: false` then means the person closed the sheet: nothing was exported.
 * @param {Ctx} ctx
 * @param {"html" | "json" | "md"} kind
 * @param {"download" | "share"} [how]
 * @returns {Promise<{file: string, count: number, kept: number, complete: boolean, shared?: boolean}>}
 */
export async function exportAnswers(ctx, kind, how = "download") {
  ctx.flushAll();
  const now = new Date();
  const data = exportData(ctx, now);
  const file = `cahier-${ctx.book}-${ctx.edition}-${day(now)}.${kind}`;
  let complete = true;
  if (kind === "json") download(ctx.doc, file, JSON.stringify(data, null, 1) + "\n", "application/json");
  else {
    /** @type {Manifest} */
    let manifest;
    try {
      manifest = await loadManifest(ctx);
    } catch (e) {
      console.warn(e);
      complete = false;
      manifest = bareManifest(data, ctx.strings, ctx.doc);
    }
    if (kind === "html") {
      const html = toHTML(manifest, data, ctx.strings);
      if (how === "share") {
        try {
          if (!(await share(file, html, "text/html", `${manifest.title} — ${data.edition}`))) {
            return { file, count: 0, kept: 0, complete, shared: false };
          }
        } catch (e) {
          console.warn("cahier: sharing failed, downloading instead", e);
          download(ctx.doc, file, html, "text/html");
        }
      } else download(ctx.doc, file, html, "text/html");
    } else download(ctx.doc, file, toMarkdown(manifest, data, ctx.strings), "text/markdown");
  }
  const meta = ctx.store.readMeta();
  if (meta) ctx.store.writeMeta({ ...meta, lastExport: now.getTime() });
  ctx.doc.dispatchEvent(new CustomEvent("cahier:exported", { detail: { file } }));
  const count = Object.values(data.answers).filter((a) => ("strokes" in a ? a.strokes.length : a.text.trim())).length;
  return { file, count, kept: Object.keys(data.raw || {}).length, complete };
}

/**
 * Export and say how it went, in the participant's words; `error`: it failed, or the file is incomplete
 * (made without the manifest). Never rejects.
 * @param {Ctx} ctx
 * @param {"html" | "json" | "md"} kind
 * @param {"download" | "share"} [how]
 * @returns {Promise<{text: string, error: boolean}>}
 */
export async function exportAndTell(ctx, kind, how = "download") {
  const s = ctx.strings;
  try {
    const { file, count, kept, complete, shared } = await exportAnswers(ctx, kind, how);
    if (shared === false) return { text: "", error: false }; // the person closed the share sheet
    if (!complete) return { text: format(s.export_incomplete, { file }), error: true };
    const done = format(s.export_done, { count, file });
    // The bar shows failures only; « Mon cahier » (which has mc_ strings) says what went in as it is.
    return { text: kept && s.mc_export_kept ? `${done} ${format(s.mc_export_kept, { n: kept })}` : done, error: false };
  } catch (e) {
    console.error(e);
    return { text: s.export_failed, error: true };
  }
}
