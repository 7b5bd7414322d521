// @ts-check
/**
 * A drawing as an SVG image, for print and for the HTML export: `strokesToSvg(strokes)`.
 *
 * Pure: reads only its arguments, builds the image with createElementNS/setAttribute (numbers and
 * the palette's colours only; participant data never becomes markup), returns a detached
 * <svg> element that the caller inserts, or serializes with XMLSerializer / outerHTML.
 */
import { HEIGHT, PALETTE, WIDTH, decodeStrokes, strokeRuns } from "./sketch-codec.js";

const SVG_NS = "http://www.w3.org/2000/svg";

/** @param {number} n */
function num(n) {
  return String(Math.round(n * 100) / 100);
}

/**
 * @typedef {object} SvgOptions
 * @property {Document} [doc]    the document that creates the elements (default: `document`)
 * @property {string} [title]    accessible name (a <title>, set as text); none: aria-hidden
 */

/**
 * The SVG image of a drawing: a white page of WIDTH × HEIGHT units (viewBox), one <path> per run
 * of curves, a <circle> per dot. Invalid strokes give a blank page (check with validateStrokes).
 * @param {unknown} strokes  compact strokes, as stored or exported (see sketch-codec.js); decoded
 *                           strokes ({c, w, pts, pr}) are accepted too
 * @param {SvgOptions} [options]
 * @returns {SVGSVGElement}
 */
export function strokesToSvg(strokes, options = {}) {
  const doc = options.doc || document;
  const svg = /** @type {SVGSVGElement} */ (doc.createElementNS(SVG_NS, "svg"));
  svg.setAttribute("xmlns", SVG_NS);
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute("class", "cahier-sketch-svg");
  if (options.title) {
    svg.setAttribute("role", "img");
    const title = doc.createElementNS(SVG_NS, "title");
    title.textContent = options.title;
    svg.append(title);
  } else {
    svg.setAttribute("aria-hidden", "true");
  }
  const page = doc.createElementNS(SVG_NS, "rect");
  page.setAttribute("width", String(WIDTH));
  page.setAttribute("height", String(HEIGHT));
  page.setAttribute("fill", "#ffffff");
  svg.append(page);

  const decoded = isDecoded(strokes) ? strokes : decodeStrokes(strokes);
  const list = Array.isArray(decoded) ? decoded : decoded.ok ? decoded.strokes : [];
  const ink = doc.createElementNS(SVG_NS, "g");
  ink.setAttribute("fill", "none");
  ink.setAttribute("stroke-linecap", "round");
  ink.setAttribute("stroke-linejoin", "round");
  for (const stroke of list) {
    const colour = PALETTE[stroke.c]?.css || PALETTE[0].css;
    for (const run of strokeRuns(stroke)) {
      if (run.dot) {
        const dot = doc.createElementNS(SVG_NS, "circle");
        dot.setAttribute("cx", num(run.start[0]));
        dot.setAttribute("cy", num(run.start[1]));
        dot.setAttribute("r", num(run.width / 2));
        dot.setAttribute("fill", colour);
        ink.append(dot);
        continue;
      }
      const d = [`M${num(run.start[0])} ${num(run.start[1])}`];
      for (let i = 0; i < run.quads.length; i += 4) {
        const [cx, cy, x, y] = run.quads.slice(i, i + 4).map(num);
        d.push(`Q${cx} ${cy} ${x} ${y}`);
      }
      const path = doc.createElementNS(SVG_NS, "path");
      path.setAttribute("d", d.join(""));
      path.setAttribute("stroke", colour);
      path.setAttribute("stroke-width", num(run.width));
      ink.append(path);
    }
  }
  svg.append(ink);
  return svg;
}

/**
 * @param {unknown} strokes
 * @returns {strokes is import("./sketch-codec.js").Stroke[]}
 */
function isDecoded(strokes) {
  return (
    Array.isArray(strokes) &&
    strokes.length > 0 &&
    strokes.every((s) => s && typeof s === "object" && Array.isArray(/** @type {{pts?: unknown}} */ (s).pts))
  );
}
