// @ts-check
/**
 * « Mon cahier » (loaded only on the page with `{mon-cahier}`): every answer in book order with its
 * questions, each linked back to its box; empty ones marked; « n sur N cases écrites »; whether the
 * browser agreed to keep the data; the actions: export (HTML, JSON, Markdown), import, print, erase.
 * Participant text only through textContent. Confirmations are <dialog>s with real buttons.
 * A value this version cannot read (newer, unreadable, strokes that do not validate) is listed with a note:
 * it is kept as it is, and the exports carry it (`raw`); erasing names those it removes too.
 */
import { el, format, isSafari, runExport, written } from "./keep.js";
import { canShareFiles, drawingOf, keptReason, loadManifest, sections, siteRoot, storedAnswers } from "./export.js";
import { strokesToSvg } from "./sketch-svg.js";

/** @typedef {import("./keep.js").Ctx} Ctx */

/**
 * @param {Ctx} ctx
 * @param {HTMLElement} root the placeholder
 */
export async function initMonCahier(ctx, root) {
  const { doc, store, strings } = ctx;
  const s = (/** @type {string} */ key) => strings[key] ?? key;
  const manifest = await loadManifest(ctx);
  /** @type {Map<string, "text" | "sketch">} every box of this edition and its kind (import checks it) */
  const kinds = new Map([
    ...manifest.boxes.map((b) => /** @type {[string, "text"]} */ ([b.id, "text"])),
    ...(manifest.sketches || []).map((b) => /** @type {[string, "sketch"]} */ ([b.id, "sketch"])),
  ]);
  /** @type {Map<string, string>} box ids renamed on purpose (old → new): an import follows them */
  const renamed = new Map(Object.entries(manifest.renamed || {}).filter(([, id]) => typeof id === "string"));

  const status = el(doc, "p", "cahier-mc-status");
  status.setAttribute("role", "status");
  const alert = el(doc, "p", "cahier-mc-error");
  alert.setAttribute("role", "alert");
  /** @param {string} text @param {boolean} [error] */
  const say = (text, error = false) => {
    (error ? alert : status).textContent = text;
    (error ? status : alert).textContent = "";
  };

  const count = el(doc, "p", "cahier-mc-count");
  const keepInfo = el(doc, "p", "cahier-mc-persist");
  const lastExport = el(doc, "p", "cahier-mc-last-export");
  const list = el(doc, "div", "cahier-mc-list");

  const actions = el(doc, "div", "cahier-mc-actions");
  actions.setAttribute("role", "group");
  actions.setAttribute("aria-label", s("actions_label"));
  /** @param {string} key @param {string} name @param {() => void} fn */
  const button = (key, name, fn) => {
    const b = /** @type {HTMLButtonElement} */ (el(doc, "button", `cahier-mc-${name}`, s(key)));
    b.type = "button";
    b.addEventListener("click", () => {
      try {
        fn();
      } catch (e) {
        console.error(e);
      }
    });
    actions.append(b, " ");
    return b;
  };
  /** @param {"html" | "json" | "md"} kind */
  const doExport = (kind) => runExport(ctx, kind).then(({ text, error }) => say(text, error));
  // Phones and tablets: send the HTML export through the system's share sheet (mail, Messages,
  // AirDrop, Files) to open and import it on another device. Only where files can be shared.
  if (canShareFiles(navigator)) {
    button("mc_share", "share", () => runExport(ctx, "html", "share").then(({ text, error }) => text && say(text, error)));
  }
  button("export_html", "export-html", () => doExport("html"));
  button("export_json", "export-json", () => doExport("json"));
  button("export_md", "export-md", () => doExport("md"));
  const file = /** @type {HTMLInputElement} */ (el(doc, "input", "cahier-mc-import-file cahier-visually-hidden"));
  file.type = "file";
  file.accept = ".html,.htm,.json,text/html,application/json";
  file.tabIndex = -1;
  file.setAttribute("aria-hidden", "true");
  button("import", "import", () => file.click());
  actions.append(file);
  button("print", "print", () => doc.defaultView?.print());
  button("erase", "erase", () => confirmErase());

  root.replaceChildren(count, keepInfo, lastExport);
  if (!store.available) root.append(el(doc, "p", "cahier-mc-warning", s("storage_unavailable")));
  if (isSafari(navigator.userAgent)) root.append(el(doc, "p", "cahier-safari-note", s("safari_note")));
  root.append(homeScreen(doc, s), actions, status, alert, list);

  /** A value kept as it is: the note saying why. @param {string} value */
  const keptNote = (value) => el(doc, "p", "cahier-mc-kept", s(`mc_kept_${keptReason(value)}`));

  function render() {
    // Drawings only with strokes that validate; what cannot be read is in `raw`, kept as it is.
    const { answers, raw } = storedAnswers(store);
    const done = manifest.boxes.filter((b) => written(store, b.id)).length;
    count.textContent = format(s("progress"), { written: done, total: manifest.boxes.length });
    const meta = store.readMeta();
    const last = meta && typeof meta.lastExport === "number" ? meta.lastExport : null;
    lastExport.textContent = last
      ? format(s("last_export"), { date: new Date(last).toLocaleString(manifest.language || undefined) })
      : s("never_exported");
    const nodes = [];
    for (const section of sections(manifest, answers, s("other_answers"), raw)) {
      const sec = el(doc, "section", "cahier-mc-page");
      sec.append(el(doc, "h2", "", section.title));
      for (const sk of (manifest.sketches || []).filter((b) => b.pageTitle === section.title)) {
        // A drawing: its image (an SVG built from the strokes' numbers), or « no answer ».
        const item = el(doc, "div", "cahier-mc-box cahier-mc-drawing");
        item.dataset.cahierMcBox = sk.id;
        const h = el(doc, "h3", "");
        const a = /** @type {HTMLAnchorElement} */ (el(doc, "a", "", sk.label));
        a.href = new URL(sk.url, siteRoot(ctx)).href;
        h.append(a);
        const strokes = drawingOf(answers, sk.id);
        if (strokes) item.append(h, strokesToSvg(strokes, { doc, title: sk.label }));
        else item.append(h, Object.hasOwn(raw, sk.id) ? keptNote(raw[sk.id]) : el(doc, "p", "cahier-mc-empty", s("no_answer")));
        sec.append(item);
      }
      for (const b of section.boxes) {
        const item = el(doc, "div", "cahier-mc-box");
        item.dataset.cahierMcBox = b.id;
        const h = el(doc, "h3", "");
        if (b.url) {
          const a = /** @type {HTMLAnchorElement} */ (el(doc, "a", "", b.title));
          a.href = new URL(b.url, siteRoot(ctx)).href;
          h.append(a);
        } else h.textContent = b.title;
        item.append(h);
        if (b.questions.length) {
          const ul = el(doc, "ul", "cahier-mc-questions");
          for (const q of b.questions) ul.append(el(doc, "li", "", q));
          item.append(ul);
        }
        if (b.text.trim()) item.append(el(doc, "div", "cahier-mc-answer", b.text));
        else if (b.kept) item.append(keptNote(raw[b.id]));
        else item.append(el(doc, "p", "cahier-mc-empty", s("no_answer")));
        sec.append(item);
      }
      nodes.push(sec);
    }
    list.replaceChildren(...nodes);
    doc.dispatchEvent(new CustomEvent("cahier:changed"));
  }

  async function showPersisted() {
    let key = "persisted_unknown";
    try {
      if (navigator.storage?.persisted) key = (await navigator.storage.persisted()) ? "persisted_yes" : "persisted_no";
    } catch {
      // unknown
    }
    keepInfo.textContent = s(key);
  }

  /**
   * A modal confirmation with real buttons; Escape or « Annuler » closes it.
   * @param {string} title
   * @param {(Node | string)[]} body
   * @param {[string, string, () => void][]} choices [label key, class name, action]
   */
  function dialog(title, body, choices) {
    const d = /** @type {HTMLDialogElement} */ (el(doc, "dialog", "cahier-dialog"));
    const h = el(doc, "h2", "", title);
    h.id = "cahier-dialog-title";
    d.setAttribute("aria-labelledby", h.id);
    const row = el(doc, "p", "cahier-dialog-actions");
    for (const [key, name, fn] of choices) {
      const b = /** @type {HTMLButtonElement} */ (el(doc, "button", name, s(key)));
      b.type = "button";
      b.addEventListener("click", () => {
        d.close();
        d.remove(); // now, not at "close": the action may open the next dialog at once
        fn();
      });
      row.append(b, " ");
    }
    const cancel = /** @type {HTMLButtonElement} */ (el(doc, "button", "cahier-dialog-cancel", s("cancel")));
    cancel.type = "button";
    cancel.addEventListener("click", () => d.close());
    row.append(cancel);
    d.append(h, ...body, row);
    d.addEventListener("close", () => d.remove());
    root.append(d);
    d.showModal();
  }

  /** @param {string} lead @param {string[]} ids */
  const listOf = (lead, ids) => {
    const p = el(doc, "div", "");
    p.append(el(doc, "p", "", lead));
    const ul = el(doc, "ul", "");
    for (const id of ids) {
      const b = manifest.boxes.find((x) => x.id === id) || manifest.sketches?.find((x) => x.id === id);
      ul.append(el(doc, "li", "", b ? `${b.pageTitle} — ${b.levelName || b.label}` : id));
    }
    p.append(ul);
    return p;
  };

  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    file.value = "";
    if (!chosen) return;
    say("");
    try {
      const importer = await import("./import.js");
      const parsed = await importer.readImportFile(chosen, ctx.book);
      if (!parsed.ok) {
        say(format(s(parsed.error), { book: parsed.book || "" }), true);
        return;
      }
      offerImport(importer, parsed.data, false);
    } catch (e) {
      console.error(e);
      say(s("import_read_failed"), true);
    }
  });

  /**
   * Show what the import would do and ask; at confirmation, if storage changed meanwhile (another
   * tab wrote), nothing is written: the plan is made and shown again, saying why.
   * @param {typeof import("./import.js")} importer
   * @param {import("./import.js").Parsed} data
   * @param {boolean} changed the previous plan went stale
   */
  function offerImport(importer, data, changed) {
    const plan = importer.planImport(data, store, kinds, renamed);
    const date = new Date(data.exported);
    const body = [
      el(doc, "p", "", format(s("import_summary"), {
        edition: data.edition,
        date: Number.isNaN(date.getTime()) ? data.exported.slice(0, 40) : date.toLocaleString(manifest.language || undefined),
        count: data.answers.size,
      })),
    ];
    if (changed) body.unshift(el(doc, "p", "cahier-import-changed", s("import_changed")));
    if (data.edition !== ctx.edition) {
      body.push(el(doc, "p", "cahier-import-other-edition", format(s("import_other_edition"), { edition: data.edition, current: ctx.edition })));
    }
    if (plan.added) body.push(el(doc, "p", "cahier-import-new", format(s("import_new"), { n: plan.added })));
    if (plan.different.length) body.push(listOf(format(s("import_different"), { n: plan.different.length }), plan.different));
    if (plan.same) body.push(el(doc, "p", "", format(s("import_same"), { n: plan.same })));
    /** @param {string} key @param {string} className @param {string[]} ids */
    const listed = (key, className, ids) => {
      if (!ids.length) return;
      const list = listOf(format(s(key), { n: ids.length }), ids);
      list.className = className;
      body.push(list);
    };
    listed("import_unknown", "cahier-import-unknown", plan.unknown);
    listed("import_wrong_kind", "cahier-import-wrong-kind", plan.wrongKind);
    listed("import_protected", "cahier-import-protected", plan.protected);
    listed("import_raw", "cahier-import-raw", plan.raw);
    const notes = body.slice(changed ? 2 : 1).map((n) => n.cloneNode(true));
    if (!plan.writes.length) {
      say(s("import_nothing"));
      status.append(...notes);
      return;
    }
    dialog(s("import_title"), body, [
      [
        "import_confirm",
        "cahier-import-confirm",
        () => {
          if (importer.planChanged(plan, data, store, kinds, renamed)) {
            offerImport(importer, data, true);
            return;
          }
          const result = store.writeBoxes(plan.writes);
          render();
          if (result.ok) {
            say(format(s("import_done"), { count: plan.writes.length }));
            status.append(
              ...notes.filter((n) => n instanceof Element && n.matches(".cahier-import-unknown, .cahier-import-wrong-kind, .cahier-import-protected, .cahier-import-raw, .cahier-import-other-edition")),
            );
          } else say(s(result.reason === "protected" || result.restored !== false ? "import_failed" : "import_failed_restore"), true);
        },
      ],
    ]);
  }

  function confirmErase() {
    // Everything of this edition goes, the values kept as they are included (named: this version cannot
    // show them): the person chose to erase this edition from this browser.
    const { answers, raw } = storedAnswers(store);
    const n = Object.values(answers).filter((a) => ("strokes" in a ? a.strokes.length : a.text.trim())).length;
    const body = [el(doc, "p", "", format(s("erase_detail"), { count: n, edition: ctx.edition }))];
    const keptIds = Object.keys(raw);
    if (keptIds.length) {
      const kept = listOf(format(s("erase_kept"), { n: keptIds.length }), keptIds);
      kept.className = "cahier-erase-kept";
      body.push(kept);
    }
    dialog(s("erase_title"), body, [
      ["erase_export_first", "cahier-erase-export", () => doExport("html").then(confirmErase)],
      [
        "erase_confirm",
        "cahier-erase-confirm",
        () => {
          let ok = true;
          for (const id of store.listBoxIds()) ok = store.removeBox(id).ok && ok;
          ok = store.removeMeta().ok && ok;
          render();
          say(s(ok ? "erase_done" : "erase_failed"), !ok);
        },
      ],
    ]);
  }

  render();
  showPersisted();
  store.onExternalChange(() => render());
  doc.addEventListener("cahier:exported", () => render());
}

/**
 * How to keep the cahier on an iPhone or iPad: add it to the Home Screen, where Safari's 7-day
 * deletion does not apply — and bring the answers over, since the icon's cahier has its own storage.
 * Open on Apple's mobile devices, closed elsewhere; a sentence only when already opened from the icon.
 * @param {Document} doc
 * @param {(key: string) => string} s
 */
export function homeScreen(doc, s) {
  const win = doc.defaultView || window;
  const standalone =
    win.matchMedia?.("(display-mode: standalone)").matches || /** @type {any} */ (win.navigator).standalone === true;
  if (standalone) return el(doc, "p", "cahier-home-screen", s("home_installed"));
  const details = /** @type {HTMLDetailsElement} */ (el(doc, "details", "cahier-home-screen"));
  details.open = /iPhone|iPad|iPod/.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  details.append(el(doc, "summary", "", s("home_title")), el(doc, "p", "", s("home_why")));
  const steps = el(doc, "ol", "");
  for (const key of ["home_step_safari", "home_step_share", "home_step_add", "home_step_move"]) steps.append(el(doc, "li", "", s(key)));
  details.append(steps);
  return details;
}
