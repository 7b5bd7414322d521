// @ts-check
/**
 * Cahier drawings: `.cahier-sketch[data-cahier-sketch]` becomes a canvas with its tools, and the
 * drawing is kept like the answer boxes (store.js readSketch/writeSketch, format in sketch-codec.js).
 *
 * - Pointer Events: mouse, touch and pen (pressure kept for a pen); one pointer draws at a time;
 *   the canvas has `touch-action: none`, so drawing never scrolls the page.
 * - Strokes are vector data in drawing coordinates (a 1000 × 750 page): the canvas is redrawn
 *   from them at any size and at the screen's devicePixelRatio, so it stays crisp and keeps the
 *   drawing when the window is resized or the screen rotated.
 * - Saved when a stroke ends, after a short pause for the other actions, and when the page is
 *   hidden or left. An old tab never overwrites a newer drawing (t of the last read is compared);
 *   a value from a newer version, or unreadable, is left untouched and the drawing is read-only.
 * - A save that fails says so (status, alert) and the drawing stays on the screen.
 * - Loaded only on pages that have a drawing (see cahier.js); its stylesheet, sketch.css, too.
 * UI text only through `.textContent`; participant data only as numbers.
 */
import {
  HEIGHT,
  MAX_PRESSURE,
  PALETTE,
  WIDTH,
  WIDTHS,
  decodeStrokes,
  encodeStroke,
  strokeRuns,
  validateStrokes,
} from "./sketch-codec.js";
import { onSafe, setText } from "./boxes.js";
import { alertRegion } from "./keep.js";
import { strokesToSvg } from "./sketch-svg.js";

/** @typedef {import("./store.js").Store} Store */
/** @typedef {import("./store.js").SketchRead} SketchRead */
/** @typedef {import("./sketch-codec.js").Stroke} Stroke */
/** @typedef {import("./sketch-codec.js").CompactStroke} CompactStroke */
/** @typedef {Record<string, string>} Strings */

const SAVE_DELAY_MS = 400;
const PRINT_DELAY_MS = 300;
/** Points closer than this (units) to the previous one are skipped while drawing. */
const MIN_STEP = 2;
/** Reach of the eraser around the pointer (units). */
const ERASER_RADIUS = 12;
const UNDO_DEPTH = 200;

/** @type {WeakMap<Stroke, CompactStroke>} */
const compactCache = new WeakMap();
/** @param {Stroke} stroke */
function compactOf(stroke) {
  let compact = compactCache.get(stroke);
  if (!compact) {
    compact = encodeStroke(stroke);
    compactCache.set(stroke, compact);
  }
  return compact;
}

/** @type {WeakMap<Stroke, number[]>} [minX, minY, maxX, maxY] */
const boundsCache = new WeakMap();
/** @param {Stroke} stroke */
function boundsOf(stroke) {
  let b = boundsCache.get(stroke);
  if (!b) {
    b = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < stroke.pts.length; i += 2) {
      b[0] = Math.min(b[0], stroke.pts[i]);
      b[1] = Math.min(b[1], stroke.pts[i + 1]);
      b[2] = Math.max(b[2], stroke.pts[i]);
      b[3] = Math.max(b[3], stroke.pts[i + 1]);
    }
    boundsCache.set(stroke, b);
  }
  return b;
}

/**
 * The drawings of this page, for an export (keep.js): save what is pending, and what a failed save
 * or an open conflict leaves on screen only — as boxes.js does for text.
 * @type {Map<string, {flush: () => void, unsaved: () => {strokes: CompactStroke[], t: number} | null}>}
 */
const drawings = new Map();

/** Save every pending drawing now. */
export function flushSketches() {
  for (const drawing of drawings.values()) drawing.flush();
}

/** @returns {Map<string, {strokes: CompactStroke[], t: number}>} */
export function unsavedSketches() {
  const unsaved = new Map();
  for (const [id, drawing] of drawings) {
    const onScreen = drawing.unsaved();
    if (onScreen) unsaved.set(id, onScreen);
  }
  return unsaved;
}

/**
 * Wire every drawing of the document to the store (once sketch.css has loaded).
 * @param {Document} doc
 * @param {Store} store
 * @param {Strings} strings
 * @returns {Promise<void> | undefined}
 */
export function initSketches(doc, store, strings) {
  const els = [...doc.querySelectorAll(".cahier-sketch[data-cahier-sketch]")];
  if (!els.length) return;
  // The tools appear once styled, at once (cahier.css keeps their room until then): nothing moves.
  return loadStylesheet(doc).then(() => {
    for (const el of els) {
      if (!(el instanceof HTMLElement) || el.dataset.cahierReady !== undefined) continue;
      try {
        initSketch(el, store, strings);
      } catch (e) {
        console.error(e);
      }
    }
  });
}

/**
 * sketch.css, once; resolves when it has loaded (or failed: the drawing works unstyled).
 * @param {Document} doc
 * @returns {Promise<void>}
 */
function loadStylesheet(doc) {
  const href = new URL("sketch.css", import.meta.url).href;
  let link = /** @type {HTMLLinkElement | undefined} */ (
    [...doc.querySelectorAll("link[rel=stylesheet]")].find((l) => /** @type {HTMLLinkElement} */ (l).href === href)
  );
  if (link?.sheet) return Promise.resolve();
  if (!link) {
    link = doc.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    doc.head.append(link);
  }
  const loading = link;
  return new Promise((resolve) => {
    loading.addEventListener("load", () => resolve(), { once: true });
    loading.addEventListener("error", () => resolve(), { once: true });
  });
}

/**
 * @param {Document} doc @param {string} tag @param {string} [className] @param {string} [text]
 * @returns {HTMLElement}
 */
function make(doc, tag, className, text) {
  const el = doc.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * @param {HTMLElement} root
 * @param {Store} store
 * @param {Strings} strings
 */
function initSketch(root, store, strings) {
  /** @param {string} key */
  const s = (key) => strings[key] ?? key;
  const doc = root.ownerDocument;
  const win = doc.defaultView || window;
  const id = root.dataset.cahierSketch || "";
  const frame = /** @type {HTMLElement} */ (root.querySelector(".cahier-sketch-frame") || root.appendChild(make(doc, "div", "cahier-sketch-frame")));
  const status = root.querySelector(".cahier-sketch-status");

  // --- state ---------------------------------------------------------------------------------
  /** @type {Stroke[]} */
  let strokes = [];
  /** @type {Stroke[][]} */
  let undoStack = [];
  /** @type {Stroke[][]} */
  let redoStack = [];
  let tool = /** @type {"pen" | "eraser"} */ ("pen");
  let colour = 0;
  let width = WIDTHS[1].w;
  /** t of what this tab last read or wrote (null: the key was empty) */
  let lastT = /** @type {number | null} */ (null);
  let dirty = false;
  let failed = false;
  let locked = false;
  let editT = 0;
  /** @type {HTMLElement | null} */
  let conflict = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let saveTimer;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let printTimer;
  /** @type {"" | "sketch_storage_full" | "sketch_storage_error"} */
  let alertKey = "";

  // --- DOM -----------------------------------------------------------------------------------
  const toolbar = make(doc, "div", "cahier-sketch-toolbar");
  toolbar.setAttribute("role", "group");
  toolbar.setAttribute("aria-label", s("sketch_tools"));

  /** @param {string} label @param {string} cls */
  const group = (label, cls) => {
    const g = make(doc, "div", `cahier-sketch-group ${cls}`);
    g.setAttribute("role", "group");
    g.setAttribute("aria-label", label);
    toolbar.append(g);
    return g;
  };
  /** @param {HTMLElement} parent @param {string} cls @param {string} text @param {() => void} onClick */
  const button = (parent, cls, text, onClick) => {
    const b = /** @type {HTMLButtonElement} */ (make(doc, "button", `cahier-sketch-button ${cls}`));
    b.type = "button";
    const label = make(doc, "span", "cahier-sketch-button-text", text);
    b.append(label);
    b.addEventListener("click", () => {
      if (b.getAttribute("aria-disabled") === "true") return;
      try {
        onClick();
      } catch (e) {
        console.error(e);
      }
    });
    parent.append(b);
    return b;
  };

  const tools = group(s("sketch_tool"), "cahier-sketch-tools");
  const penButton = button(tools, "cahier-sketch-pen", s("sketch_pen"), () => setTool("pen"));
  const eraserButton = button(tools, "cahier-sketch-eraser", s("sketch_eraser"), () => setTool("eraser"));

  const colours = group(s("sketch_colour"), "cahier-sketch-colours");
  const colourButtons = PALETTE.map((p, i) => {
    const name = s(`sketch_colour_${p.key}`);
    const b = button(colours, "cahier-sketch-colour", name, () => {
      colour = i;
      setTool("pen");
    });
    b.dataset.colour = String(i);
    b.title = name;
    const swatch = make(doc, "span", "cahier-sketch-swatch");
    swatch.setAttribute("aria-hidden", "true");
    swatch.style.backgroundColor = p.css;
    b.prepend(swatch);
    return b;
  });

  const widths = group(s("sketch_width"), "cahier-sketch-widths");
  const widthButtons = WIDTHS.map((option) => {
    const b = button(widths, "cahier-sketch-width", s(`sketch_width_${option.key}`), () => {
      width = option.w;
      setTool("pen");
    });
    b.dataset.width = String(option.w);
    const sample = make(doc, "span", "cahier-sketch-width-sample");
    sample.setAttribute("aria-hidden", "true");
    sample.style.height = `${Math.max(2, Math.round(option.w / 2))}px`;
    b.prepend(sample);
    return b;
  });

  const actions = make(doc, "div", "cahier-sketch-group cahier-sketch-actions");
  toolbar.append(actions);
  const undoButton = button(actions, "cahier-sketch-undo", s("sketch_undo"), undo);
  const redoButton = button(actions, "cahier-sketch-redo", s("sketch_redo"), redo);
  const clearButton = button(actions, "cahier-sketch-clear", s("sketch_clear"), askClear);

  const confirmPanel = make(doc, "div", "cahier-sketch-confirm");
  confirmPanel.hidden = true;
  const confirmText = make(doc, "p", "", s("sketch_clear_confirm"));
  confirmText.id = `cahier-sketch-confirm-${id}`;
  confirmPanel.setAttribute("role", "group");
  confirmPanel.setAttribute("aria-labelledby", confirmText.id);
  confirmPanel.append(confirmText);
  const clearYes = button(confirmPanel, "cahier-sketch-clear-yes", s("sketch_clear_yes"), () => {
    closeClear();
    clearButton.focus();
    if (strokes.length) commit([]);
  });
  button(confirmPanel, "cahier-sketch-clear-no", s("sketch_clear_no"), () => {
    closeClear();
    clearButton.focus();
  });
  confirmPanel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      closeClear();
      clearButton.focus();
    }
  });

  const alertEl = make(doc, "p", "cahier-sketch-alert");
  alertEl.setAttribute("role", "alert");

  const canvas = /** @type {HTMLCanvasElement} */ (make(doc, "canvas", "cahier-sketch-canvas"));
  canvas.setAttribute("role", "img");
  const labelledby = root.dataset.cahierLabelledby;
  if (labelledby && doc.getElementById(labelledby)) canvas.setAttribute("aria-labelledby", labelledby);
  else canvas.setAttribute("aria-label", s("sketch_label"));
  const describedby = [root.dataset.cahierDescribedby || "", root.dataset.cahierDescription || ""]
    .join(" ")
    .split(/\s+/)
    .filter((ref) => ref && doc.getElementById(ref));
  if (describedby.length) canvas.setAttribute("aria-describedby", describedby.join(" "));
  canvas.textContent = s("sketch_label");
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  /** The finished strokes, drawn once per change; each frame copies it and adds the live stroke. */
  const base = /** @type {HTMLCanvasElement} */ (doc.createElement("canvas"));
  const baseCtx = /** @type {CanvasRenderingContext2D} */ (base.getContext("2d"));

  const printHolder = make(doc, "div", "cahier-sketch-print");
  printHolder.setAttribute("aria-hidden", "true");

  frame.replaceChildren(canvas, printHolder);
  root.insertBefore(toolbar, frame);
  root.insertBefore(confirmPanel, frame);
  alertRegion(doc).append(alertEl); // the page's one place for alerts (keep.js)

  // --- rendering -----------------------------------------------------------------------------
  let scale = 1; // device pixels per unit
  let frameRequested = false;

  function resize() {
    const cssWidth = frame.clientWidth || canvas.clientWidth;
    if (!cssWidth) return;
    const dpr = win.devicePixelRatio || 1;
    const pxWidth = Math.max(1, Math.round(cssWidth * dpr));
    const pxHeight = Math.max(1, Math.round((cssWidth * dpr * HEIGHT) / WIDTH));
    if (canvas.width === pxWidth && canvas.height === pxHeight) return;
    canvas.width = base.width = pxWidth;
    canvas.height = base.height = pxHeight;
    scale = pxWidth / WIDTH;
    renderBase();
  }

  /** @param {CanvasRenderingContext2D} c @param {Stroke} stroke */
  function drawStroke(c, stroke) {
    const css = PALETTE[stroke.c]?.css || PALETTE[0].css;
    c.strokeStyle = css;
    c.fillStyle = css;
    for (const run of strokeRuns(stroke)) {
      if (run.dot) {
        c.beginPath();
        c.arc(run.start[0], run.start[1], run.width / 2, 0, Math.PI * 2);
        c.fill();
        continue;
      }
      c.lineWidth = run.width;
      c.beginPath();
      c.moveTo(run.start[0], run.start[1]);
      for (let i = 0; i < run.quads.length; i += 4) {
        c.quadraticCurveTo(run.quads[i], run.quads[i + 1], run.quads[i + 2], run.quads[i + 3]);
      }
      c.stroke();
    }
  }

  function renderBase() {
    baseCtx.setTransform(1, 0, 0, 1, 0, 0);
    baseCtx.fillStyle = "#ffffff";
    baseCtx.fillRect(0, 0, base.width, base.height);
    baseCtx.setTransform(scale, 0, 0, scale, 0, 0);
    baseCtx.lineCap = "round";
    baseCtx.lineJoin = "round";
    for (const stroke of strokes) drawStroke(baseCtx, stroke);
    paint();
  }

  function paint() {
    frameRequested = false;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(base, 0, 0);
    if (!live && !eraser) return;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    if (live) drawStroke(ctx, live.stroke);
    if (eraser && eraser.at) {
      ctx.beginPath();
      ctx.arc(eraser.at[0], eraser.at[1], ERASER_RADIUS, 0, Math.PI * 2);
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = "#555555";
      ctx.stroke();
    }
  }

  function requestPaint() {
    if (frameRequested) return;
    frameRequested = true;
    win.requestAnimationFrame(paint);
  }

  function schedulePrint() {
    clearTimeout(printTimer);
    printTimer = setTimeout(updatePrint, PRINT_DELAY_MS);
  }

  function updatePrint() {
    clearTimeout(printTimer);
    printHolder.replaceChildren(strokesToSvg(strokes, { doc }));
  }

  // --- tools ---------------------------------------------------------------------------------
  /** @param {"pen" | "eraser"} next */
  function setTool(next) {
    tool = next;
    refreshButtons();
  }

  function refreshButtons() {
    penButton.setAttribute("aria-pressed", String(tool === "pen"));
    eraserButton.setAttribute("aria-pressed", String(tool === "eraser"));
    colourButtons.forEach((b, i) => b.setAttribute("aria-pressed", String(tool === "pen" && i === colour)));
    widthButtons.forEach((b, i) => b.setAttribute("aria-pressed", String(tool === "pen" && WIDTHS[i].w === width)));
    const off = locked || !!conflict;
    for (const b of [penButton, eraserButton, ...colourButtons, ...widthButtons]) {
      b.setAttribute("aria-disabled", String(off));
    }
    undoButton.setAttribute("aria-disabled", String(off || !undoStack.length));
    redoButton.setAttribute("aria-disabled", String(off || !redoStack.length));
    clearButton.setAttribute("aria-disabled", String(off || !strokes.length));
    root.classList.toggle("cahier-sketch--eraser", tool === "eraser");
    root.classList.toggle("cahier-sketch--locked", locked);
  }

  /** A change made here: undoable, drawn, saved. @param {Stroke[]} next @param {boolean} [now] */
  function commit(next, now = false) {
    undoStack.push(strokes);
    if (undoStack.length > UNDO_DEPTH) undoStack.shift();
    redoStack = [];
    setStrokes(next);
    changed(now);
  }

  function undo() {
    const previous = undoStack.pop();
    if (!previous) return;
    redoStack.push(strokes);
    setStrokes(previous);
    changed(false);
  }

  function redo() {
    const next = redoStack.pop();
    if (!next) return;
    undoStack.push(strokes);
    setStrokes(next);
    changed(false);
  }

  /** @param {Stroke[]} next */
  function setStrokes(next) {
    strokes = next;
    renderBase();
    schedulePrint();
    refreshButtons();
  }

  /** @param {boolean} now */
  function changed(now) {
    dirty = true;
    editT = Date.now();
    if (conflict) return;
    clearTimeout(saveTimer);
    if (now) flush();
    else saveTimer = setTimeout(flush, SAVE_DELAY_MS);
  }

  function askClear() {
    confirmPanel.hidden = false;
    clearYes.focus();
  }

  function closeClear() {
    confirmPanel.hidden = true;
  }

  // --- pointer input -------------------------------------------------------------------------
  /** @type {{pointerId: number, stroke: Stroke, lastRaw: number[] | null} | null} */
  let live = null;
  /** @type {{pointerId: number, at: number[] | null, before: Stroke[], kept: Stroke[]} | null} */
  let eraser = null;

  /** @param {PointerEvent} e @returns {number[]} */
  function toPage(e) {
    const rect = canvas.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / (rect.width || 1)) * WIDTH;
    const y = ((e.clientY - rect.top) / (rect.height || 1)) * HEIGHT;
    return [Math.min(WIDTH, Math.max(0, Math.round(x))), Math.min(HEIGHT, Math.max(0, Math.round(y)))];
  }

  /** @param {PointerEvent} e */
  function pressureOf(e) {
    return Math.min(MAX_PRESSURE, Math.max(1, Math.round(e.pressure * MAX_PRESSURE)));
  }

  canvas.addEventListener("pointerdown", (e) => {
    try {
      if (live || eraser || locked || conflict) return;
      if (e.pointerType === "mouse" && e.button !== 0) return;
      e.preventDefault();
      try {
        canvas.setPointerCapture(e.pointerId);
      } catch {
        // capture is a comfort, not a need
      }
      closeClear();
      const at = toPage(e);
      // A pen's eraser end (button 5) erases, whatever the tool.
      if (tool === "eraser" || e.button === 5 || (e.buttons & 32) !== 0) {
        eraser = { pointerId: e.pointerId, at, before: strokes, kept: strokes };
        eraseAt(at, at);
      } else {
        const pen = e.pointerType === "pen";
        live = {
          pointerId: e.pointerId,
          stroke: { c: colour, w: width, pts: at, pr: pen ? [pressureOf(e)] : null },
          lastRaw: null,
        };
      }
      requestPaint();
    } catch (err) {
      console.error(err);
    }
  });

  canvas.addEventListener("pointermove", (e) => {
    try {
      if (live && e.pointerId === live.pointerId) {
        e.preventDefault();
        const events = typeof e.getCoalescedEvents === "function" ? e.getCoalescedEvents() : [];
        for (const ev of events.length ? events : [e]) addPoint(ev);
        requestPaint();
      } else if (eraser && e.pointerId === eraser.pointerId) {
        e.preventDefault();
        const at = toPage(e);
        eraseAt(eraser.at || at, at);
        eraser.at = at;
        requestPaint();
      }
    } catch (err) {
      console.error(err);
    }
  });

  /** @param {PointerEvent} e */
  function addPoint(e) {
    if (!live) return;
    const at = toPage(e);
    const pts = live.stroke.pts;
    const dx = at[0] - pts[pts.length - 2];
    const dy = at[1] - pts[pts.length - 1];
    if (dx * dx + dy * dy < MIN_STEP * MIN_STEP) {
      live.lastRaw = at;
      return;
    }
    pts.push(at[0], at[1]);
    live.stroke.pr?.push(pressureOf(e));
    live.lastRaw = null;
  }

  /** @param {PointerEvent} e */
  function end(e) {
    try {
      if (live && e.pointerId === live.pointerId) {
        const { stroke, lastRaw } = live;
        if (lastRaw) {
          // keep the true end of the stroke
          stroke.pts.push(lastRaw[0], lastRaw[1]);
          stroke.pr?.push(stroke.pr[stroke.pr.length - 1]);
        }
        if (stroke.pr && stroke.pr.every((p) => p === stroke.pr?.[0]) && stroke.pr[0] === Math.round(MAX_PRESSURE / 2)) {
          stroke.pr = null; // a pen that reports no pressure
        }
        live = null;
        commit([...strokes, stroke], true);
      } else if (eraser && e.pointerId === eraser.pointerId) {
        const { before, kept } = eraser;
        eraser = null;
        if (kept.length !== before.length) {
          strokes = before;
          commit(kept, true);
        } else requestPaint();
      }
    } catch (err) {
      console.error(err);
    }
  }
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  canvas.addEventListener("lostpointercapture", end);
  // No context menu or text selection from a long press on the drawing.
  canvas.addEventListener("contextmenu", (e) => e.preventDefault());

  /** Remove every stroke that the eraser's path from `a` to `b` touches. @param {number[]} a @param {number[]} b */
  function eraseAt(a, b) {
    if (!eraser) return;
    const steps = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / (ERASER_RADIUS / 2)));
    /** @type {number[][]} */
    const probes = [];
    for (let k = 0; k <= steps; k++) probes.push([a[0] + ((b[0] - a[0]) * k) / steps, a[1] + ((b[1] - a[1]) * k) / steps]);
    const kept = eraser.kept.filter((stroke) => !probes.some((p) => touches(stroke, p)));
    if (kept.length !== eraser.kept.length) {
      eraser.kept = kept;
      strokes = kept;
      renderBase();
    }
  }

  /** @param {Stroke} stroke @param {number[]} p */
  function touches(stroke, p) {
    const reach = ERASER_RADIUS + stroke.w;
    const [x0, y0, x1, y1] = boundsOf(stroke);
    if (p[0] < x0 - reach || p[0] > x1 + reach || p[1] < y0 - reach || p[1] > y1 + reach) return false;
    const pts = stroke.pts;
    if (pts.length === 2) return Math.hypot(p[0] - pts[0], p[1] - pts[1]) <= reach;
    for (let i = 0; i + 3 < pts.length; i += 2) {
      if (distToSegment(p, pts[i], pts[i + 1], pts[i + 2], pts[i + 3]) <= reach) return true;
    }
    return false;
  }

  // --- keyboard ------------------------------------------------------------------------------
  root.addEventListener("keydown", (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || locked || conflict) return;
    const key = e.key.toLowerCase();
    if (key === "z" && !e.shiftKey) {
      e.preventDefault();
      undo();
    } else if ((key === "z" && e.shiftKey) || key === "y") {
      e.preventDefault();
      redo();
    }
  });

  // --- storage -------------------------------------------------------------------------------
  /** Show a stored state (load, other tab, take theirs). @param {SketchRead} r */
  function apply(r) {
    if (r.state === "error") return;
    if (r.state === "newer" || r.state === "unreadable") {
      lock(r.state === "newer" ? "sketch_newer_version" : "sketch_unreadable");
      return;
    }
    /** @type {Stroke[]} */
    let next = [];
    if (r.state === "ok") {
      const decoded = decodeStrokes(r.strokes);
      if (!decoded.ok) {
        lock("sketch_unreadable");
        return;
      }
      next = decoded.strokes;
      decoded.strokes.forEach((stroke, i) => compactCache.set(stroke, /** @type {CompactStroke} */ (r.strokes[i])));
    }
    lastT = r.state === "ok" ? r.t : null;
    dirty = false;
    failed = false;
    alertKey = "";
    locked = false;
    undoStack = [];
    redoStack = [];
    if (status?.textContent === s("not_saved") || status?.textContent === s("sketch_newer_version") || status?.textContent === s("sketch_unreadable")) {
      setText(status, "");
    }
    setStrokes(next);
    refreshAlert();
  }

  /** @param {"sketch_newer_version" | "sketch_unreadable"} key */
  function lock(key) {
    clearTimeout(saveTimer);
    locked = true;
    dirty = false;
    live = null;
    eraser = null;
    setText(status, s(key));
    refreshButtons();
    refreshAlert();
  }

  drawings.set(id, {
    flush: () => flush(),
    unsaved: () =>
      !locked && (dirty || failed || conflict) ? { strokes: strokes.map(compactOf), t: editT || Date.now() } : null,
  });

  /** Save now if this tab has unsaved changes, unless another tab wrote meanwhile. */
  function flush() {
    try {
      clearTimeout(saveTimer);
      saveTimer = undefined;
      if (!dirty || locked || conflict) return;
      const cur = store.readSketch(id);
      if (cur.state === "newer" || cur.state === "unreadable") {
        lock(cur.state === "newer" ? "sketch_newer_version" : "sketch_unreadable");
        return;
      }
      const compact = strokes.map(compactOf);
      if (cur.state === "ok" || cur.state === "empty") {
        const storedT = cur.state === "ok" ? cur.t : null;
        if (storedT !== lastT) {
          // Another tab wrote (or erased) since this tab last read.
          if (sameStrokes(cur.state === "ok" ? cur.strokes : [], compact)) {
            lastT = storedT;
            dirty = false;
            return;
          }
          showConflict(cur);
          return;
        }
      }
      write(compact, Math.max(editT || Date.now(), (lastT ?? 0) + 1));
    } catch (e) {
      console.error(e);
    }
  }

  /** @param {CompactStroke[]} compact @param {number} t */
  function write(compact, t) {
    const r = store.writeSketch(id, compact, t);
    if (r.ok) {
      lastT = t;
      dirty = false;
      failed = false;
      alertKey = "";
      setText(status, s("saved"));
    } else if (r.reason === "protected") {
      const cur = store.readSketch(id);
      lock(cur.state === "newer" ? "sketch_newer_version" : "sketch_unreadable");
    } else {
      failed = true;
      // Blocked storage: the store keeps the drawing in this page's memory; it is what this tab last
      // wrote, so the next save must not take it for another tab's write.
      if (r.reason === "unavailable") lastT = t;
      setText(status, s("not_saved"));
      if (r.reason === "quota") alertKey = "sketch_storage_full";
      else if (r.reason === "error") alertKey = "sketch_storage_error";
    }
    refreshAlert();
  }

  /**
   * Two tabs really drew differently: show the other tab's drawing beside mine; keep one, or both.
   * @param {SketchRead} cur what storage holds now
   */
  function showConflict(cur) {
    clearTimeout(saveTimer);
    if (!conflict) {
      const panel = make(doc, "div", "cahier-sketch-conflict");
      const msg = make(doc, "p", "", s("sketch_conflict"));
      msg.setAttribute("role", "alert");
      panel.append(msg, make(doc, "p", "cahier-conflict-theirs-label", s("sketch_theirs_label")));
      panel.append(make(doc, "div", "cahier-sketch-theirs"));
      button(panel, "cahier-sketch-keep-mine", s("sketch_keep_mine"), () => resolve("mine"));
      button(panel, "cahier-sketch-take-theirs", s("sketch_take_theirs"), () => resolve("theirs"));
      button(panel, "cahier-sketch-keep-both", s("sketch_keep_both"), () => resolve("both"));
      root.insertBefore(panel, frame);
      conflict = panel;
      setText(status, s("not_saved"));
      refreshButtons();
      refreshAlert();
    }
    // The other tab's drawing, as an image built from its checked strokes (a blank page if none).
    const theirs = cur.state === "ok" && validateStrokes(cur.strokes) ? cur.strokes : [];
    conflict.querySelector(".cahier-sketch-theirs")?.replaceChildren(strokesToSvg(theirs, { doc, title: s("sketch_theirs_label") }));
  }

  /** @param {"mine" | "theirs" | "both"} choice */
  function resolve(choice) {
    const cur = store.readSketch(id);
    conflict?.remove();
    conflict = null;
    if (choice === "theirs" || cur.state === "newer" || cur.state === "unreadable") apply(cur);
    else {
      let compact = strokes.map(compactOf);
      if (choice === "both" && cur.state === "ok" && validateStrokes(cur.strokes)) {
        // Both: the other tab's strokes first (under), then mine that it does not have.
        const theirs = /** @type {CompactStroke[]} */ (cur.strokes);
        const seen = new Set(theirs.map((c) => JSON.stringify(c)));
        compact = [...theirs, ...compact.filter((c) => !seen.has(JSON.stringify(c)))];
        const decoded = decodeStrokes(compact);
        if (decoded.ok) {
          decoded.strokes.forEach((stroke, i) => compactCache.set(stroke, compact[i]));
          setStrokes(decoded.strokes);
        }
      }
      dirty = true;
      write(compact, Math.max(Date.now(), (cur.state === "ok" ? cur.t : 0) + 1));
    }
    refreshButtons();
    penButton.focus();
  }

  /** Another tab changed the drawing (or the page came back from the bfcache). */
  function external() {
    try {
      const cur = store.readSketch(id);
      if (cur.state === "error") return;
      if (locked || !dirty) {
        if (cur.state === "ok" && cur.t === lastT && !locked) return;
        apply(cur);
        return;
      }
      if (cur.state === "newer" || cur.state === "unreadable") {
        conflict?.remove();
        conflict = null;
        apply(cur);
        return;
      }
      const storedT = cur.state === "ok" ? cur.t : null;
      if (sameStrokes(cur.state === "ok" ? cur.strokes : [], strokes.map(compactOf))) {
        clearTimeout(saveTimer);
        conflict?.remove();
        conflict = null;
        lastT = storedT;
        dirty = false;
        failed = false;
        if (status?.textContent === s("not_saved")) setText(status, s("saved"));
        refreshButtons();
      } else if (storedT !== lastT) showConflict(cur);
      refreshAlert();
    } catch (e) {
      console.error(e);
    }
  }

  /** Alert (role="alert", in the page's alert region) and beforeunload warning. */
  function refreshAlert() {
    const hasBoxes = !!doc.querySelector(".cahier-box[data-cahier-box]");
    if (!store.available && !hasBoxes) setText(alertEl, s("storage_unavailable")); // else boxes.js says it
    else if (failed && alertKey) setText(alertEl, s(alertKey));
    else setText(alertEl, "");
    if (failed || conflict || (dirty && !store.available)) win.addEventListener("beforeunload", warn);
    else win.removeEventListener("beforeunload", warn);
  }

  // --- start ---------------------------------------------------------------------------------
  apply(store.readSketch(id));
  refreshButtons();
  resize();
  updatePrint();
  if (typeof ResizeObserver === "function") new ResizeObserver(() => resize()).observe(frame);
  win.addEventListener("resize", resize);
  onSafe(doc, "visibilitychange", () => {
    if (doc.visibilityState === "hidden") flush();
  });
  onSafe(win, "pagehide", flush);
  onSafe(win, "beforeprint", updatePrint);
  // Every pageshow, from the bfcache or not: Back must show what storage holds now.
  onSafe(win, "pageshow", external);
  store.onExternalChange(({ id: changed }) => {
    if (changed === null || changed === id) external();
  });
  root.dataset.cahierReady = "";
}

/** @param {unknown[]} a @param {unknown[]} b */
function sameStrokes(a, b) {
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

/** @param {number[]} p @param {number} x0 @param {number} y0 @param {number} x1 @param {number} y1 */
function distToSegment(p, x0, y0, x1, y1) {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = dx * dx + dy * dy;
  const k = len ? Math.max(0, Math.min(1, ((p[0] - x0) * dx + (p[1] - y0) * dy) / len)) : 0;
  return Math.hypot(p[0] - (x0 + k * dx), p[1] - (y0 + k * dy));
}

/** Its own beforeunload listener (see boxes.js). @param {BeforeUnloadEvent} e */
function warn(e) {
  e.preventDefault();
  e.returnValue = "";
}

