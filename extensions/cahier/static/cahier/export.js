// @ts-check
/**
 * Export (loaded on demand): the participant's answers as (a) one self-contained HTML file — inline CSS,
 * no script to run, readable offline and printable — that embeds the export contract as
 * `<script type="application/json" id="cahier-data">`, (b) that JSON alone, (c) Markdown.
 *
 * Export contract (design.md): {"format": "cahier-export", "v": 1, "book", "edition", "exported": ISO date,
 * "answers": {"<box-id>": {"text", "t"}}}. In the HTML file `<`, `>`, `&`, U+2028/9 are written as \uXXXX
 * escapes, so no answer can end the script element or open a comment.
 * A drawing (issue 4) is exported as `"answers": {"<id>": {"strokes": [...], "t": ...}}` (the stored
 * compact strokes, see sketch-codec.js) and shown as an SVG image in the HTML and Markdown files.
 * File names: cahier-<book>-<edition>-<YYYY-MM-DD>.<html|json|md>. Pending saves are flushed first; the
 * export time is recorded in `_meta.lastExport`, and `document` gets a `cahier:exported` event.
 */
import { format } from "./keep.js";
import { validateStrokes } from "./sketch-codec.js";
import { strokesToSvg } from "./sketch-svg.js";

/** @typedef {import("./keep.js").Ctx} Ctx */
/**
 * @typedef {{id: string, order: number, kind: string, url: string, pageTitle: string, page: string,
 *   levelName: string | null, label: string, questions: string[]}} ManifestBox
 * @typedef {{title: string, school: string, dates: string, place: string, language: string,
 *   boxes: ManifestBox[], sketches?: ManifestBox[]}} Manifest
 * @typedef {{text: string, t: number} | {strokes: unknown[], t: number, text?: undefined}} Answer
 * @typedef {{format: "cahier-export", v: 1, book: string, edition: string, exported: string,
 *   answers: Record<string, Answer>}} ExportData
 */

/** Box kinds that hold text. */
export const TEXT_KINDS = ["reflection", "prompt"];

/** @param {Ctx} ctx @returns {Promise<Manifest>} the manifest written by the build */
export async function loadManifest(ctx) {
  const response = await fetch(manifestUrl(ctx), { cache: "no-cache" });
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
 * Every readable answer of this edition (our prefix only), by id.
 * @param {Ctx} ctx
 * @param {Date} now
 * @returns {ExportData}
 */
export function exportData(ctx, now) {
  /** @type {Record<string, Answer>} */
  const answers = Object.create(null);
  for (const id of ctx.store.listBoxIds()) {
    const r = ctx.store.readBox(id);
    if (r.state === "ok") answers[id] = { text: r.text, t: r.t };
    else {
      const d = ctx.store.readSketch(id);
      if (d.state === "ok" && validateStrokes(d.strokes)) answers[id] = { strokes: d.strokes, t: d.t };
    }
  }
  // What the person sees wins over what storage holds when a save failed (full or blocked storage).
  for (const [id, answer] of ctx.unsavedAnswers?.() ?? []) answers[id] = answer;
  return { format: "cahier-export", v: 1, book: ctx.book, edition: ctx.edition, exported: now.toISOString(), answers };
}

/** JSON safe inside `<script>`: no `<`, `>` or `&` left (`</script>`, `<!--`). @param {unknown} data */
export function scriptJSON(data) {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** @param {string} text */
const esc = (text) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] || c);

/** @param {Date} d local date YYYY-MM-DD */
export const day = (d) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

/**
 * The boxes to show, in book order, grouped by page; answers without a box in this edition last.
 * @param {Manifest} manifest
 * @param {Record<string, Answer>} answers
 * @param {string} otherTitle
 * @returns {{title: string, boxes: {id: string, title: string, questions: string[], url: string | null, text: string}[]}[]}
 */
export function sections(manifest, answers, otherTitle) {
  /** @type {ReturnType<typeof sections>} */
  const out = [];
  const known = new Set();
  for (const b of manifest.boxes) {
    known.add(b.id);
    if (out.at(-1)?.title !== b.pageTitle) out.push({ title: b.pageTitle, boxes: [] });
    const questions = b.questions.length === 1 && b.questions[0] === b.label ? [] : b.questions;
    const text = (Object.hasOwn(answers, b.id) && answers[b.id].text) || "";
    out.at(-1)?.boxes.push({ id: b.id, title: b.levelName || b.label, questions, url: b.url, text });
  }
  const others = Object.keys(answers).filter((id) => !known.has(id) && answers[id].text?.trim());
  if (others.length) {
    out.push({ title: otherTitle, boxes: others.map((id) => ({ id, title: id, questions: [], url: null, text: answers[id].text || "" })) });
  }
  return out;
}

const CSS = `body{font:16px/1.55 Georgia,serif;color:#111;background:#fff;max-width:46em;margin:2em auto;padding:0 1em}
h1{font-size:1.7em;margin:0 0 .3em}h2{font-size:1.35em;margin:2em 0 .6em;border-bottom:1px solid #999}
h3{font-size:1.1em;margin:1.4em 0 .3em}ul{margin:.2em 0 .6em;color:#333}.meta{color:#444}
.answer{white-space:pre-wrap;overflow-wrap:break-word;border-left:3px solid #999;padding:.2em 0 .2em .8em}
.empty{color:#666;font-style:italic}.drawing{margin:.5em 0}.drawing svg{display:block;width:100%;height:auto;border:1px solid #999}
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
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>`,
    `<style>${CSS}</style></head><body><header><h1>${esc(title)}</h1>`,
    `<p class="meta">${esc([manifest.school, manifest.dates, manifest.place].filter(Boolean).join(" · "))}</p>`,
    `<p class="meta">${esc(format(s.exported_on, { date }))}</p><p class="meta">${esc(s.export_intro)}</p></header><main>`,
  ];
  for (const section of sections(manifest, data.answers, s.other_answers)) {
    parts.push(`<section><h2>${esc(section.title)}</h2>`);
    for (const sk of sketchesOf(manifest, section.title)) {
      const strokes = drawingOf(data.answers, sk.id);
      parts.push(`<h3>${esc(sk.label)}</h3>`);
      // The SVG is built with DOM methods from numbers and the palette only (sketch-svg.js).
      if (strokes) parts.push(`<figure class="drawing">${new XMLSerializer().serializeToString(strokesToSvg(strokes, { title: sk.label }))}</figure>`);
      else parts.push(`<p class="empty">${esc(s.no_answer)}</p>`);
    }
    for (const b of section.boxes) {
      parts.push(`<h3>${esc(b.title)}</h3>`);
      if (b.questions.length) parts.push(`<ul>${b.questions.map((q) => `<li>${esc(q)}</li>`).join("")}</ul>`);
      parts.push(b.text.trim() ? `<div class="answer">${esc(b.text)}</div>` : `<p class="empty">${esc(s.no_answer)}</p>`);
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
  const lines = [`# ${manifest.title} — ${data.edition}`, "", format(s.exported_on, { date }), ""];
  for (const section of sections(manifest, data.answers, s.other_answers)) {
    lines.push(`## ${section.title}`, "");
    for (const sk of sketchesOf(manifest, section.title)) {
      const strokes = drawingOf(data.answers, sk.id);
      lines.push(`### ${sk.label}`, "");
      if (strokes) {
        const svg = new XMLSerializer().serializeToString(strokesToSvg(strokes, { title: sk.label }));
        const uri = "data:image/svg+xml," + encodeURIComponent(svg).replace(/[()]/g, (c) => (c === "(" ? "%28" : "%29"));
        lines.push(`![${sk.label.replace(/[[\]\\]/g, "")}](${uri})`, "");
      } else lines.push(`*${s.no_answer}*`, "");
    }
    for (const b of section.boxes) {
      lines.push(`### ${b.title}`, "");
      if (b.questions.length) lines.push(...b.questions.map((q) => `- *${q}*`), "");
      lines.push(b.text.trim() ? b.text : `*${s.no_answer}*`, "");
    }
  }
  return lines.join("\n");
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
 * @param {Ctx} ctx
 * @param {"html" | "json" | "md"} kind
 * @returns {Promise<{file: string, count: number}>}
 */
export async function exportAnswers(ctx, kind) {
  ctx.flushAll();
  const now = new Date();
  const data = exportData(ctx, now);
  const file = `cahier-${ctx.book}-${ctx.edition}-${day(now)}.${kind}`;
  if (kind === "json") download(ctx.doc, file, JSON.stringify(data, null, 1) + "\n", "application/json");
  else {
    const manifest = await loadManifest(ctx);
    if (kind === "html") download(ctx.doc, file, toHTML(manifest, data, ctx.strings), "text/html");
    else download(ctx.doc, file, toMarkdown(manifest, data, ctx.strings), "text/markdown");
  }
  const meta = ctx.store.readMeta();
  if (meta) ctx.store.writeMeta({ ...meta, lastExport: now.getTime() });
  ctx.doc.dispatchEvent(new CustomEvent("cahier:exported", { detail: { file } }));
  const count = Object.values(data.answers).filter((a) => ("strokes" in a ? a.strokes.length : a.text.trim())).length;
  return { file, count };
}
