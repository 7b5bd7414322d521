// @ts-check
/**
 * Keeping the work, on every page (issue 3). Small on purpose: the heavy parts load on demand.
 * - the « Mon cahier » bar, written into the page by the build (cahier/progress.py): link, « n / N » with
 *   a <progress> named « n sur N cases écrites », export. This script only fills in the numbers (fixed-width
 *   slots): nothing on the page moves;
 * - the navigation shows « n/N » beside each page with boxes, « ✓ » and a visually hidden « (complété) »
 *   once all are written. The pages and their box ids come from the edition's book file (`loadBook`,
 *   below), which cahier.js has read before calling `initKeep`;
 * - one place for every alert and offer of the page (`alertRegion`): boxes, drawings, export, the export
 *   reminder, the carry-over offer. It is docked at the bottom of the window, over the page: it never
 *   pushes the text; the page gets room below its end so that nothing stays hidden under it;
 * - a gentle, dismissible reminder to export (role="status") when answers changed since the last export
 *   and a day has passed, or on the closing page (the last page with boxes); a note for Safari users;
 * - navigator.storage.persist() asked once, at the first successful save;
 * - « Mon cahier » itself (mon-cahier.js) and the exports (export.js) are imported only when needed (the
 *   exports ahead, at idle time, once there is something to export: then they work offline).
 * `_meta` fields used here: lastExport (ms), reminderDismissed (ms), persist {asked, granted}.
 */

/** @typedef {import("./store.js").Store} Store */
/**
 * @typedef {object} Ctx
 * @property {Document} doc
 * @property {Store} store
 * @property {Record<string, string>} strings
 * @property {string} book
 * @property {string} edition
 * @property {() => void} flushAll   save every pending edit now
 * @property {() => Map<string, {text: string, t: number} | {strokes: unknown[], t: number}>} [unsavedAnswers]
 *   what only the screen holds (a failed save, an open conflict): text and drawings
 * @property {Promise<Book>} [loaded]  the book file, read (its strings already in `strings`)
 * @property {string} [manifestUrl]  absolute URL of the manifest (from the meta tag)
 */

// --- The edition's book file ------------------------------------------------------------------

/**
 * The edition's one file for every page (progress.py): the UI strings, translated by the build, and
 * the pages with text boxes in reading order (for the progress and the navigation marks). It is
 * `_static/cahier/<version>/book-<hash>.json`, named after its content: fetched once (the page preloads
 * it), then kept by the browser's cache and the service worker. `<meta name="cahier-book">` gives its URL,
 * with « Mon cahier »'s and the manifest's, relative to the page: the same few bytes on every page,
 * whatever the size of the book.
 *
 * A page from the browser's cache may name the file of an earlier build, gone since a new publication:
 * the page is then asked of the server again for the name of today's file. `loadBook` never fails:
 * without any file (a build without it, offline with nothing cached) the strings are empty (each
 * message shows its key) and there is no list; the boxes save all the same.
 */

/** @typedef {{summary: string | null, manifest: string, book: string}} BookInfo  the meta tag's URLs */
/** @typedef {{path: string, boxes: string[]}} ListedPage  a page with text boxes */
/**
 * @typedef {object} Book
 * @property {Record<string, string>} strings  the UI strings (key → text)
 * @property {ListedPage[] | null} pages        null: no list (progress not shown)
 * @property {BookInfo | null} info
 */

/** @param {Document} doc @returns {BookInfo | null} */
export function readBookInfo(doc) {
  try {
    const raw = doc.querySelector('meta[name="cahier-book"]')?.getAttribute("content");
    const info = JSON.parse(raw || "null");
    return info && typeof info.book === "string" ? info : null;
  } catch {
    return null;
  }
}

/** @param {unknown} value @returns {Record<string, string>} */
function stringsOf(value) {
  /** @type {Record<string, string>} */
  const strings = {};
  if (!value || typeof value !== "object" || Array.isArray(value)) return strings;
  for (const [key, text] of Object.entries(value)) if (typeof text === "string") strings[key] = text;
  return strings;
}

/**
 * @param {unknown} value the file's `pages`
 * @param {URL} root the site's root (the file sits in `_static/cahier/<version>/`)
 * @returns {ListedPage[] | null}
 */
function pagesOf(value, root) {
  if (!Array.isArray(value)) return null;
  return value
    .filter((p) => p && typeof p.url === "string" && Array.isArray(p.boxes))
    .map((/** @type {{url: string, boxes: unknown[]}} */ p) => ({
      path: new URL(p.url, root).pathname,
      boxes: /** @type {string[]} */ (p.boxes.filter((id) => typeof id === "string")),
    }));
}

/** @param {string} url @returns {Promise<{strings: Record<string, string>, pages: ListedPage[] | null}>} */
async function fetchBookFile(url) {
  // The same request as the page's <link rel="preload" as="fetch" crossorigin="anonymous">.
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const data = await response.json();
  const root = new URL("../../../", response.url || url);
  return { strings: stringsOf(data?.strings), pages: pagesOf(data?.pages, root) };
}

/** The characters Python's html.escape writes as entities in the meta tag's content. */
const ENTITIES = { "&quot;": '"', "&#x27;": "'", "&lt;": "<", "&gt;": ">", "&amp;": "&" };

/**
 * The book file the page names today: this page asked of the server again. A page kept by the
 * browser's cache can name the file of an earlier build, which a new publication removed.
 * Read as text (a parsed document would bring the page's inline code under this page's policy).
 * @param {Document} doc
 * @returns {Promise<string | null>}
 */
async function currentBookUrl(doc) {
  const response = await fetch(doc.URL, { cache: "no-cache" });
  if (!response.ok) return null;
  const found = /<meta name="cahier-book" content="([^"]*)">/.exec(await response.text());
  if (!found) return null;
  const content = found[1].replace(/&(?:quot|#x27|lt|gt|amp);/g, (e) => ENTITIES[/** @type {keyof typeof ENTITIES} */ (e)]);
  const book = JSON.parse(content)?.book;
  return typeof book === "string" ? new URL(book, response.url || doc.URL).href : null;
}

/** @param {Document} doc @returns {Promise<Book>} */
async function fetchBook(doc) {
  const info = readBookInfo(doc);
  if (!info) return { strings: {}, pages: null, info: null };
  const url = new URL(info.book, doc.baseURI).href;
  try {
    return { ...(await fetchBookFile(url)), info };
  } catch (first) {
    try {
      const current = await currentBookUrl(doc);
      if (current && current !== url) return { ...(await fetchBookFile(current)), info };
    } catch {
      // offline, or the server has nothing better: as below
    }
    console.warn(`cahier: ${url}: no strings, no list of pages`, first);
    return { strings: {}, pages: null, info };
  }
}

/** @type {Map<Document, Promise<Book>>} one fetch per page, whichever module asks first */
const loading = new Map();

/**
 * The page's book file, fetched once per page.
 * @param {Document} doc
 * @returns {Promise<Book>}
 */
export function loadBook(doc) {
  let book = loading.get(doc);
  if (!book) {
    book = fetchBook(doc);
    loading.set(doc, book);
  }
  return book;
}

// --- Keeping the work ---------------------------------------------------------------------------

export const DAY = 24 * 60 * 60 * 1000;

/**
 * @param {string} template
 * @param {Record<string, string | number>} values
 */
export function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** Safari (macOS) and every iOS/iPadOS browser (WebKit): the 7-day deletion applies. @param {string} ua */
export function isSafari(ua) {
  if (/iPhone|iPad|iPod/.test(ua)) return true;
  return /Version\/[\d.]+.*Safari\//.test(ua) && !/Chrome|Chromium|Edg|OPR|Firefox|Android/.test(ua);
}

/** @param {Store} store @param {string} id */
export function written(store, id) {
  const r = store.readBox(id);
  return r.state === "ok" && r.text.trim() !== "";
}

/**
 * Ask the browser, once, to keep our storage (after the first save, i.e. after a user action).
 * @param {Store} store
 */
async function askPersist(store) {
  const meta = store.readMeta();
  if (!meta || meta.persist || !navigator.storage?.persist) return;
  // Remember the question first: never ask twice, even if the answer never comes.
  if (!store.writeMeta({ ...meta, persist: { asked: Date.now() } }).ok) return;
  const granted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
  const now = store.readMeta();
  if (now) store.writeMeta({ ...now, persist: { asked: Date.now(), granted } });
}

/**
 * Should the export reminder show? Answers changed since the last export, and a day has passed since it
 * (or, never exported, since the first answer) — or this is the closing page. Dismissed: not for a day.
 * @param {Store} store
 * @param {number} now
 * @param {boolean} closing
 */
export function reminderDue(store, now, closing) {
  const meta = store.readMeta();
  if (!meta) return false;
  const times = [];
  for (const id of store.listBoxIds()) {
    const r = store.readBox(id);
    if (r.state === "ok" && r.text.trim()) times.push(r.t);
  }
  if (!times.length) return false;
  const last = typeof meta.lastExport === "number" ? meta.lastExport : null;
  if (last !== null && Math.max(...times) <= last) return false;
  const dismissed = typeof meta.reminderDismissed === "number" ? meta.reminderDismissed : null;
  if (dismissed !== null && now - dismissed < DAY) return false;
  return closing || now - (last ?? Math.min(...times)) >= DAY;
}

/**
 * Export (lazily loads export.js) and what to say (`error`: failed, or an incomplete file).
 * @param {Ctx} ctx
 * @param {"html" | "json" | "md"} kind
 * @param {"download" | "share"} [how] share: the system's share sheet (« Mon cahier »)
 * @returns {Promise<{text: string, error: boolean}>}
 */
export const runExport = (ctx, kind, how = /** @type {"download" | "share"} */ ("download")) =>
  import("./export.js").then((m) => m.exportAndTell(ctx, kind, how), () => ({ text: ctx.strings.export_failed, error: true }));

/** @param {string} href */
const pathOf = (href) => new URL(href, location.href).pathname;

/**
 * The page's one place for alerts and offers: the build writes it after the bar; a page without a bar
 * gets one. Docked at the bottom of the window, over the page (cahier.css): showing or hiding a message
 * moves nothing; the page keeps room below its end for it (`--cahier-alerts-height`), and it stays above
 * an on-screen keyboard (the visual viewport).
 * @param {Document} doc
 * @returns {HTMLElement}
 */
export function alertRegion(doc) {
  let region = doc.querySelector(".cahier-alerts");
  if (!(region instanceof HTMLElement)) {
    region = el(doc, "div", "cahier-alerts");
    region.setAttribute("data-cahier-alerts", "");
    doc.body.append(region);
  }
  if (region.dataset.cahierDocked === undefined) {
    region.dataset.cahierDocked = "";
    dock(/** @type {HTMLElement} */ (region));
  }
  return /** @type {HTMLElement} */ (region);
}

/** @param {HTMLElement} region */
function dock(region) {
  const doc = region.ownerDocument;
  const win = doc.defaultView || window;
  const fit = () => {
    const height = Math.ceil(region.getBoundingClientRect().height);
    doc.documentElement.style.setProperty("--cahier-alerts-height", `${height}px`);
  };
  if (typeof ResizeObserver === "function") new ResizeObserver(fit).observe(region);
  const view = win.visualViewport;
  if (!view) return;
  const follow = () => {
    const below = win.innerHeight - view.height - view.offsetTop; // e.g. an on-screen keyboard
    region.style.transform = below > 1 ? `translateY(${-Math.round(below)}px)` : "";
  };
  view.addEventListener("resize", follow);
  view.addEventListener("scroll", follow);
}

/**
 * @param {Document} doc
 * @param {string} tag
 * @param {string} className
 * @param {string} [text]
 */
export function el(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** @param {Ctx} ctx */
export function initKeep(ctx) {
  const { doc, store, strings } = ctx;
  const s = (/** @type {string} */ key) => strings[key] ?? key;
  const info = readBookInfo(doc);
  if (info?.manifest) ctx.manifestUrl = new URL(info.manifest, location.href).href;
  const summaryHere = doc.querySelector("[data-cahier-mon-cahier]");
  // The bar, as the build wrote it: only its numbers change here.
  const nav = doc.querySelector(".cahier-nav[data-cahier-nav]");
  const done = nav?.querySelector(".cahier-nav-done");
  const totalSlot = nav?.querySelector(".cahier-nav-total");
  const meter = /** @type {HTMLProgressElement | null | undefined} */ (nav?.querySelector("progress.cahier-nav-meter"));
  const sentence = nav?.querySelector(".cahier-nav-progress");
  nav?.querySelector(".cahier-nav-export")?.addEventListener("click", () => exportFromPage(ctx));
  /** @type {ListedPage[] | null} the book's pages with text boxes, once the book file is read */
  let pages = null;

  function refresh() {
    if (!pages) return;
    let total = 0;
    let writtenAll = 0;
    /** @type {Map<string, {n: number, of: number}>} */
    const counts = new Map();
    for (const page of pages) {
      const n = page.boxes.filter((id) => written(store, id)).length;
      total += page.boxes.length;
      writtenAll += n;
      counts.set(page.path, { n, of: page.boxes.length });
    }
    if (nav) {
      const values = { written: writtenAll, total };
      if (done && done.textContent !== String(writtenAll)) done.textContent = String(writtenAll);
      if (totalSlot && totalSlot.textContent !== String(total)) totalSlot.textContent = String(total);
      if (meter) {
        meter.max = Math.max(total, 1);
        meter.value = writtenAll;
      }
      if (sentence) sentence.textContent = format(s("progress"), values);
    }
    for (const a of doc.querySelectorAll(".sidebar-tree a.reference")) {
      const count = counts.get(pathOf(a.getAttribute("href") || ""));
      const isDone = Boolean(count && count.n === count.of);
      a.classList.toggle("cahier-page-done", isDone);
      let shown = a.querySelector(".cahier-toc-count");
      let said = a.querySelector(".cahier-visually-hidden");
      if (!count) {
        shown?.remove();
        said?.remove();
        continue;
      }
      if (!shown) {
        shown = el(doc, "span", "cahier-toc-count");
        shown.setAttribute("aria-hidden", "true");
        a.append(shown);
      }
      if (!said) {
        said = el(doc, "span", "cahier-visually-hidden");
        a.append(said);
      }
      const visible = isDone ? "✓" : `${count.n}/${count.of}`;
      const spoken = " " + (isDone ? s("page_done") : `(${format(s("progress"), { written: count.n, total: count.of })})`);
      if (shown.textContent !== visible) shown.textContent = visible;
      if (said.textContent !== spoken) said.textContent = spoken;
    }
  }

  // The title page's way in: once something is written, back to the box written last (by its time).
  const resume = /** @type {HTMLAnchorElement | null} */ (doc.querySelector("a.cahier-resume-link"));
  function showResume() {
    if (!resume || !pages) return;
    let last = null;
    for (const page of pages) {
      for (const id of page.boxes) {
        const r = store.readBox(id);
        if (r.state === "ok" && r.text.trim() && (!last || r.t > last.t)) last = { t: r.t, id, path: page.path };
      }
    }
    if (!last) return;
    resume.href = `${last.path}#cahier-box-${last.id}`;
    if (resume.textContent !== s("resume_last")) resume.textContent = s("resume_last");
  }

  const listed = (ctx.loaded ?? Promise.resolve(null)).then((book) => {
    pages = book?.pages ?? null;
    if (pages) {
      refresh();
      showResume();
    }
    return pages ?? [];
  });

  if (!summaryHere) {
    // Answers stored, typed or drawn: load the export ahead, at idle time, once (again after a failure).
    let started = false;
    const load = () => import("./export.js").then((m) => m.loadManifest(ctx)).catch(() => (started = false));
    const prepare = () => started || ((started = true), (window.requestIdleCallback || setTimeout)(load));
    if (store.listBoxIds().length) prepare();
    for (const type of ["input", "pointerdown"]) doc.addEventListener(type, (e) => e.target instanceof Element && e.target.closest(".cahier-box, .cahier-sketch") && prepare());
    doc.addEventListener("cahier:saved", prepare);
    addEventListener("online", () => store.listBoxIds().length && prepare());
  }

  let firstSave = true;
  doc.addEventListener("cahier:saved", () => {
    refresh();
    if (firstSave) {
      firstSave = false;
      askPersist(store).catch(() => {});
    }
  });
  store.onExternalChange(refresh);
  doc.addEventListener("cahier:changed", refresh);

  if (!summaryHere) {
    // The closing page (the last with boxes) reminds even within a day; the reminder shows over the
    // page, in the alert region: whenever it comes, nothing moves.
    listed.then((list) => {
      const last = list.at(-1);
      const closing = Boolean(last && last.path === location.pathname);
      if (reminderDue(store, Date.now(), closing)) showReminder(ctx);
    });
  }

  if (summaryHere) {
    // Its actions are labelled as they are made: once the strings are there.
    listed
      .then(() => import("./mon-cahier.js"))
      .then(({ initMonCahier }) => initMonCahier(ctx, /** @type {HTMLElement} */ (summaryHere)))
      .catch((e) => console.error(e));
  }
}

/**
 * The bar's and the reminder's export; what went wrong is said in the alert region (role="alert").
 * @param {Ctx} ctx
 */
async function exportFromPage(ctx) {
  const { text, error } = await runExport(ctx, "html");
  let alert = ctx.doc.querySelector(".cahier-export-alert");
  if (!error) return alert?.remove();
  if (!alert) {
    alert = el(ctx.doc, "p", "cahier-export-alert");
    alert.setAttribute("role", "alert");
    alertRegion(ctx.doc).append(alert);
  }
  alert.textContent = text;
}

/** @param {Ctx} ctx */
function showReminder(ctx) {
  const { doc, store, strings } = ctx;
  const box = el(doc, "div", "cahier-reminder");
  box.setAttribute("role", "status");
  alertRegion(doc).append(box);
  const text = el(doc, "p", "", strings.reminder);
  const exportButton = /** @type {HTMLButtonElement} */ (el(doc, "button", "cahier-reminder-export", strings.reminder_export));
  const later = /** @type {HTMLButtonElement} */ (el(doc, "button", "cahier-reminder-dismiss", strings.reminder_dismiss));
  exportButton.type = later.type = "button";
  const actions = el(doc, "p", "");
  actions.append(exportButton, " ", later);
  box.append(text);
  if (isSafari(navigator.userAgent)) box.append(el(doc, "p", "cahier-safari-note", strings.safari_note));
  box.append(actions);
  exportButton.addEventListener("click", () => exportFromPage(ctx));
  later.addEventListener("click", () => {
    const meta = store.readMeta();
    if (meta) store.writeMeta({ ...meta, reminderDismissed: Date.now() });
    box.remove();
  });
  doc.addEventListener("cahier:exported", () => box.remove());
}
