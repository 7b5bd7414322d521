// @ts-check
/**
 * Keeping the work, on every page (issue 3). Small on purpose: the heavy parts load on demand.
 * - the navigation marks each page whose boxes are all written (`<meta name="cahier-pages">`, written by
 *   the build: « Mon cahier »'s URL and each page's box ids), with a visually hidden « (complété) »;
 * - a small « Mon cahier » bar at the top of each page: link, « n sur N cases écrites », export;
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
 * @property {string} [manifestUrl]  absolute URL of the manifest (from the meta tag)
 */
/** @typedef {{summary: string | null, manifest: string, pages: {url: string, boxes: string[]}[]}} PagesInfo */

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

/** @param {Document} doc @returns {PagesInfo | null} */
function readPages(doc) {
  try {
    const raw = doc.querySelector('meta[name="cahier-pages"]')?.getAttribute("content");
    const info = JSON.parse(raw || "null");
    return info && Array.isArray(info.pages) ? info : null;
  } catch {
    return null;
  }
}

/** @param {string} href */
const pathOf = (href) => new URL(href, location.href).pathname;

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
  const info = readPages(doc);
  if (info?.manifest) ctx.manifestUrl = new URL(info.manifest, location.href).href;
  const article = doc.querySelector("article") || doc.querySelector("main") || doc.body;
  const summaryHere = doc.querySelector("[data-cahier-mon-cahier]");
  /** @type {HTMLElement | null} */
  let progress = null;

  if (info && info.summary && !summaryHere) {
    const nav = el(doc, "nav", "cahier-nav");
    nav.setAttribute("aria-label", s("nav_label"));
    const link = /** @type {HTMLAnchorElement} */ (el(doc, "a", "cahier-nav-link", s("nav_label")));
    link.href = info.summary;
    progress = el(doc, "span", "cahier-nav-progress");
    const button = /** @type {HTMLButtonElement} */ (el(doc, "button", "cahier-nav-export", s("export_html")));
    button.type = "button";
    button.addEventListener("click", () => exportFromPage(ctx, article));
    nav.append(link, " ", progress, " ", button);
    article.prepend(nav);
  }

  function refresh() {
    if (!info) return;
    let total = 0;
    let done = 0;
    /** @type {Map<string, boolean>} */
    const complete = new Map();
    for (const page of info.pages) {
      const n = page.boxes.filter((id) => written(store, id)).length;
      total += page.boxes.length;
      done += n;
      complete.set(pathOf(page.url), n === page.boxes.length);
    }
    if (progress) progress.textContent = format(s("progress"), { written: done, total });
    for (const a of doc.querySelectorAll(".sidebar-tree a.reference")) {
      const isDone = complete.get(pathOf(a.getAttribute("href") || "")) === true;
      a.classList.toggle("cahier-page-done", isDone);
      let mark = a.querySelector(".cahier-visually-hidden");
      if (isDone && !mark) {
        mark = el(doc, "span", "cahier-visually-hidden", " " + s("page_done"));
        a.append(mark);
      } else if (!isDone) mark?.remove();
    }
  }
  refresh();

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

  const last = info?.pages.at(-1);
  const closing = Boolean(last && pathOf(last.url) === location.pathname);
  if (!summaryHere && reminderDue(store, Date.now(), closing)) showReminder(ctx, article);

  if (summaryHere) {
    import("./mon-cahier.js")
      .then(({ initMonCahier }) => initMonCahier(ctx, /** @type {HTMLElement} */ (summaryHere)))
      .catch((e) => console.error(e));
  }
}

/**
 * The bar's and the reminder's export; what went wrong is said under the bar (role="alert").
 * @param {Ctx} ctx
 * @param {Element} article
 */
async function exportFromPage(ctx, article) {
  const { text, error } = await runExport(ctx, "html");
  let alert = article.querySelector(".cahier-export-alert");
  if (!error) return alert?.remove();
  if (!alert) {
    alert = el(ctx.doc, "p", "cahier-mc-error cahier-export-alert");
    alert.setAttribute("role", "alert");
    const nav = article.querySelector(".cahier-nav");
    if (nav) nav.after(alert);
    else article.prepend(alert);
  }
  alert.textContent = text;
}

/**
 * @param {Ctx} ctx
 * @param {Element} article
 */
function showReminder(ctx, article) {
  const { doc, store, strings } = ctx;
  const box = el(doc, "div", "cahier-reminder");
  box.setAttribute("role", "status");
  const nav = article.querySelector(".cahier-nav");
  if (nav) nav.after(box);
  else article.prepend(box);
  const text = el(doc, "p", "", strings.reminder);
  const exportButton = /** @type {HTMLButtonElement} */ (el(doc, "button", "cahier-reminder-export", strings.reminder_export));
  const later = /** @type {HTMLButtonElement} */ (el(doc, "button", "cahier-reminder-dismiss", strings.reminder_dismiss));
  exportButton.type = later.type = "button";
  const actions = el(doc, "p", "");
  actions.append(exportButton, " ", later);
  box.append(text);
  if (isSafari(navigator.userAgent)) box.append(el(doc, "p", "cahier-safari-note", strings.safari_note));
  box.append(actions);
  exportButton.addEventListener("click", () => exportFromPage(ctx, article));
  later.addEventListener("click", () => {
    const meta = store.readMeta();
    if (meta) store.writeMeta({ ...meta, reminderDismissed: Date.now() });
    box.remove();
  });
  doc.addEventListener("cahier:exported", () => box.remove());
}
