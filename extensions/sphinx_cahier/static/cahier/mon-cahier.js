// @ts-check
/**
 * « Mon cahier »: every answer in book order with its questions, each linked back to its box; empty ones
 * marked; « n sur N cases écrites »; whether the browser agreed to keep the data; the actions: export
 * (HTML, JSON, Markdown; « Envoyer mon cahier… » where files can be shared), import, print, erase.
 *
 * The build writes the page whole (summary.py): every page, box, level and question, each box with an
 * empty slot (`.cahier-mc-empty`). This module only fills the slots from storage, without fetching the
 * manifest: the page itself is the list (`pageManifest`), and the exports made here use it too. keep.js
 * imports it on this page and calls `initMonCahier`, which fills the list (`openView`), marks it
 * `data-cahier-mc-filled` (mon-cahier.css keeps it invisible until then, in a screen's height: nothing
 * that was seen moves) and wires the actions. No render-blocking script: the page's title and
 * introduction are drawn as soon as its stylesheets are there.
 * After that, only what changed is touched: each box remembers the stored string it shows, a storage
 * event from another tab or an import refreshes the boxes whose string changed, an export changes the
 * « last export » line only. Answers stored under ids this edition does not have are listed after the
 * book's pages, under « other answers ».
 * Participant text only through textContent. Confirmations are <dialog>s with real buttons.
 * A value this version cannot read (newer, unreadable, strokes that do not validate) is listed with a note:
 * it is kept as it is, and the exports carry it (`raw`); erasing names those it removes too.
 */
import { el, format, isSafari, runExport } from "./keep.js";
import { canShareFiles, keptReason, provideManifest, readStored, storedAnswers } from "./export.js";
import { strokesToSvg } from "./sketch-svg.js";

/** @typedef {import("./keep.js").Ctx} Ctx */
/** @typedef {import("./store.js").Store} Store */
/** @typedef {import("./export.js").Manifest} Manifest */
/** @typedef {import("./export.js").ManifestBox} ManifestBox */
/**
 * @typedef {object} Box  one box of the list
 * @property {string} id
 * @property {"text" | "sketch"} kind
 * @property {string} title      its heading (the level's name, the prompt's or drawing's label; the id)
 * @property {HTMLElement} item
 * @property {Element} slot      what shows the answer: the empty mark, the text, a note, the image
 * @property {string | null | undefined} shown  the stored string it shows (undefined: not filled yet)
 * @property {boolean} written   a text box with text
 * @property {boolean} [optional] a level participants may leave empty: not counted
 */

/**
 * The manifest as this page holds it (the list the build wrote): what the exports and the import need.
 * @param {Document} doc
 * @param {HTMLElement} root
 * @param {Element} list
 * @returns {Manifest}
 */
export function pageManifest(doc, root, list) {
  const data = doc.getElementById("cahier-script")?.dataset ?? {};
  /** @type {Record<string, string>} */
  let renamed = {};
  try {
    const parsed = JSON.parse(root.dataset.cahierRenamed || "{}");
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) renamed = parsed;
  } catch {
    // none
  }
  /** @type {Manifest} */
  const manifest = {
    title: root.dataset.cahierTitle || "",
    school: data.cahierSchool || "",
    dates: data.cahierDates || "",
    place: data.cahierPlace || "",
    language: doc.documentElement.lang || "",
    renamed,
    boxes: [],
    sketches: [],
  };
  let order = 0;
  for (const section of list.querySelectorAll(":scope > section.cahier-mc-page")) {
    const pageTitle = section.querySelector("h2")?.textContent || "";
    for (const item of section.querySelectorAll("[data-cahier-mc-box]")) {
      if (!(item instanceof HTMLElement) || !item.dataset.cahierMcBox) continue;
      const sketch = item.dataset.cahierMcKind === "sketch";
      const title = item.querySelector("h3")?.textContent || "";
      /** @type {ManifestBox} */
      const box = {
        id: item.dataset.cahierMcBox,
        order: ++order,
        kind: sketch ? "sketch" : "prompt",
        url: item.querySelector("h3 a")?.getAttribute("href") || "",
        pageTitle,
        page: "",
        levelName: null,
        label: title,
        questions: [...item.querySelectorAll(".cahier-mc-questions li")].map((li) => li.textContent || ""),
      };
      (sketch ? /** @type {ManifestBox[]} */ (manifest.sketches) : manifest.boxes).push(box);
    }
  }
  return manifest;
}

/**
 * The page's list, filled from storage, and the place of its actions.
 * @param {Document} doc
 * @param {HTMLElement} root the build's `[data-cahier-mon-cahier]`
 * @param {Store} store
 * @param {Record<string, string>} strings
 */
function openView(doc, root, store, strings) {
  const s = (/** @type {string} */ key) => strings[key] ?? key;
  /** @param {string} tag @param {string} className */
  const part = (tag, className) => {
    const found = root.querySelector(`:scope > .${className}`);
    return found instanceof HTMLElement ? found : root.appendChild(el(doc, tag, className));
  };
  const count = part("p", "cahier-mc-count");
  const keepInfo = /** @type {HTMLElement} */ (root.querySelector(".cahier-mc-persist")) || part("p", "cahier-mc-persist");
  const lastExport = part("p", "cahier-mc-last-export");
  const list = part("div", "cahier-mc-list");
  const manifest = pageManifest(doc, root, list);
  const language = manifest.language || undefined;

  const status = el(doc, "p", "cahier-mc-status");
  status.setAttribute("role", "status");
  const alert = el(doc, "p", "cahier-mc-error");
  alert.setAttribute("role", "alert");
  const actions = el(doc, "div", "cahier-mc-actions");
  actions.setAttribute("role", "group");
  actions.setAttribute("aria-label", s("actions_label"));
  /** @type {Record<string, () => void>} what each button does (initMonCahier) */
  const handlers = {};
  /** @param {string} key @param {string} name */
  const button = (key, name) => {
    const b = /** @type {HTMLButtonElement} */ (el(doc, "button", `cahier-mc-${name}`, s(key)));
    b.type = "button";
    b.addEventListener("click", () => {
      try {
        handlers[name]?.();
      } catch (e) {
        console.error(e);
      }
    });
    actions.append(b, " ");
  };
  // Phones and tablets: send the HTML export through the system's share sheet (mail, Messages,
  // AirDrop, Files) to open and import it on another device. Only where files can be shared.
  if (canShareFiles(navigator)) button("mc_share", "share");
  button("export_html", "export-html");
  button("export_json", "export-json");
  button("export_md", "export-md");
  const file = /** @type {HTMLInputElement} */ (el(doc, "input", "cahier-mc-import-file cahier-visually-hidden"));
  file.type = "file";
  file.accept = ".html,.htm,.json,text/html,application/json";
  file.tabIndex = -1;
  file.setAttribute("aria-hidden", "true");
  button("import", "import");
  actions.append(file);
  button("print", "print");
  button("erase", "erase");
  /** @type {Node[]} */
  const header = [];
  if (!store.available) header.push(el(doc, "p", "cahier-mc-warning", s("storage_unavailable")));
  if (isSafari(navigator.userAgent)) header.push(el(doc, "p", "cahier-safari-note", s("safari_note")));
  header.push(homeScreen(doc, s), actions, status, alert);
  list.before(...header);

  /** @type {Map<string, Box>} the book's boxes, as the build wrote them */
  const boxes = new Map();
  for (const item of list.querySelectorAll("[data-cahier-mc-box]")) {
    const id = item instanceof HTMLElement ? item.dataset.cahierMcBox : undefined;
    if (!id || boxes.has(id) || !(item instanceof HTMLElement)) continue;
    const slot = item.lastElementChild;
    boxes.set(id, {
      id,
      kind: item.dataset.cahierMcKind === "sketch" ? "sketch" : "text",
      title: item.querySelector("h3")?.textContent || id,
      optional: item.hasAttribute("data-cahier-mc-optional"),
      item,
      slot: slot && slot.localName !== "h3" && !slot.matches(".cahier-mc-questions") ? slot : item.appendChild(el(doc, "p", "cahier-mc-empty", s("no_answer"))),
      shown: undefined,
      written: false,
    });
  }
  const total = [...boxes.values()].filter((b) => b.kind === "text" && !b.optional).length;
  /** @type {Map<string, Box>} answers under ids this edition does not have */
  const others = new Map();
  /** @type {HTMLElement | null} */
  let othersSection = null;

  /** A value kept as it is: the note saying why. @param {string} value */
  const keptNote = (value) => el(doc, "p", "cahier-mc-kept", s(`mc_kept_${keptReason(value)}`));
  const emptyMark = () => el(doc, "p", "cahier-mc-empty", s("no_answer"));

  /**
   * Show in `box` what storage holds for it (`raw`: the stored string), as the exports list it: text,
   * a drawing's image, a note for a value kept as it is, or « no answer ».
   * @param {Box} box @param {string | null} raw
   */
  function show(box, raw) {
    box.shown = raw;
    const value = raw === null ? null : readStored(raw);
    const answer = value && "answer" in value ? value.answer : null;
    const text = answer && typeof answer.text === "string" ? answer.text : "";
    box.written = box.kind === "text" && text.trim() !== "";
    /** @type {Element} */
    let next;
    if (box.kind === "sketch" && answer && "strokes" in answer && Array.isArray(answer.strokes) && answer.strokes.length) {
      // A drawing: its image (an SVG built from the strokes' numbers).
      next = strokesToSvg(answer.strokes, { doc, title: box.title });
    } else if (box.written) {
      if (box.slot.matches(".cahier-mc-answer")) {
        box.slot.textContent = text;
        return;
      }
      next = el(doc, "div", "cahier-mc-answer", text);
    } else if (value && "raw" in value) next = keptNote(value.raw);
    else if (box.slot.matches(".cahier-mc-empty")) return;
    else next = emptyMark();
    box.slot.replaceWith(next);
    box.slot = next;
  }

  /**
   * An id this edition does not have: listed under « other answers » while it holds text or a value kept
   * as it is (a drawing there is not shown: nothing to draw it in).
   * @param {string} id @param {string | null} raw
   * @returns {boolean} whether the list changed
   */
  function showOther(id, raw) {
    const value = raw === null ? null : readStored(raw);
    const listed = value !== null && ("raw" in value || Boolean(value.answer.text?.trim()));
    let box = others.get(id);
    if (!listed) {
      if (!box) return false;
      others.delete(id);
      box.item.remove();
      if (!others.size) {
        othersSection?.remove();
        othersSection = null;
      }
      return true;
    }
    if (box?.shown === raw) return false;
    if (!box) {
      const item = el(doc, "div", "cahier-mc-box");
      item.dataset.cahierMcBox = id;
      const slot = emptyMark();
      item.append(el(doc, "h3", "", id), slot);
      box = { id, kind: "text", title: id, item, slot, shown: undefined, written: false };
      if (!othersSection) {
        othersSection = el(doc, "section", "cahier-mc-page cahier-mc-others");
        othersSection.append(el(doc, "h2", "", s("other_answers")));
        list.append(othersSection);
      }
      // In id order, as the exports list them (the first filling comes in that order: at the end).
      const after = (/** @type {Element | null} */ child) => child instanceof HTMLElement && (child.dataset.cahierMcBox ?? "") > id;
      const next = after(othersSection.lastElementChild) ? [...othersSection.children].find(after) : null;
      othersSection.insertBefore(item, next || null);
      others.set(id, box);
    }
    show(box, raw);
    return true;
  }

  function showCount() {
    let n = 0;
    for (const box of boxes.values()) if (box.written && !box.optional) n++;
    const text = format(s("progress"), { written: n, total });
    if (count.textContent !== text) count.textContent = text;
  }

  function showLastExport() {
    const meta = store.readMeta();
    const last = meta && typeof meta.lastExport === "number" ? meta.lastExport : null;
    const text = last ? format(s("last_export"), { date: new Date(last).toLocaleString(language) }) : s("never_exported");
    if (lastExport.textContent !== text) lastExport.textContent = text;
  }

  /**
   * Bring the list up to date with storage: every box, or only `ids`; touches only the boxes whose
   * stored string changed. Says so (`cahier:changed`, keep.js's navigation marks) when something did.
   * @param {Iterable<string>} [ids]
   * @returns {boolean} whether something changed
   */
  function sync(ids) {
    const targets = ids ? [...ids] : [...new Set([...boxes.keys(), ...others.keys(), ...store.listBoxIds()])].sort();
    let changed = false;
    for (const id of targets) {
      const raw = store.readRaw(id);
      const box = boxes.get(id);
      if (box) {
        if (box.shown === raw) continue;
        show(box, raw);
        changed = true;
      } else changed = showOther(id, raw) || changed;
    }
    showCount();
    showLastExport();
    if (changed) doc.dispatchEvent(new CustomEvent("cahier:changed"));
    return changed;
  }

  sync();
  lighten(doc, list);
  root.dataset.cahierMcFilled = "";
  return {
    root,
    manifest,
    file,
    status,
    alert,
    handlers,
    keepInfo,
    sync,
    showLastExport,
  };
}

/**
 * A long list is laid out only near the screen: every box beyond the first two screens gets
 * `cahier-mc-far` (`content-visibility: auto`, mon-cahier.css), which the browser lays out and draws
 * only when it comes near the screen, keeping its size afterwards. Done before the list is shown; the
 * boxes on the first screens stay as they are (a skipped box there would be drawn small, then grow:
 * the page would move).
 * @param {Document} doc
 * @param {Element} list
 */
function lighten(doc, list) {
  const items = [...list.querySelectorAll(".cahier-mc-box")];
  const reach = 2 * ((doc.defaultView || window).innerHeight || 800);
  for (const item of items) item.classList.add("cahier-mc-far");
  for (const item of items) {
    if (item.getBoundingClientRect().top > reach) break; // the boxes above are laid out: where this one starts
    item.classList.remove("cahier-mc-far");
  }
}

/** @typedef {ReturnType<typeof openView>} View */

/**
 * Wire « Mon cahier »'s actions (called by keep.js with the page's context).
 * @param {Ctx} ctx
 * @param {HTMLElement} root the build's `[data-cahier-mon-cahier]`
 */
export function initMonCahier(ctx, root) {
  const { doc, store, strings } = ctx;
  const s = (/** @type {string} */ key) => strings[key] ?? key;
  const view = openView(doc, root, store, strings);
  const { manifest, file, status, alert, handlers } = view;
  provideManifest(ctx, manifest);
  /** @type {Map<string, "text" | "sketch">} every box of this edition and its kind (import checks it) */
  const kinds = new Map([
    ...manifest.boxes.map((b) => /** @type {[string, "text"]} */ ([b.id, "text"])),
    ...(manifest.sketches || []).map((b) => /** @type {[string, "sketch"]} */ ([b.id, "sketch"])),
  ]);
  /** @type {Map<string, string>} box ids renamed on purpose (old → new): an import follows them */
  const renamed = new Map(Object.entries(manifest.renamed || {}).filter(([, id]) => typeof id === "string"));

  /** @param {string} text @param {boolean} [error] */
  const say = (text, error = false) => {
    (error ? alert : status).textContent = text;
    (error ? status : alert).textContent = "";
  };
  /** @param {"html" | "json" | "md"} kind */
  const doExport = (kind) => runExport(ctx, kind).then(({ text, error }) => say(text, error));
  handlers.share = () => runExport(ctx, "html", "share").then(({ text, error }) => text && say(text, error));
  handlers["export-html"] = () => doExport("html");
  handlers["export-json"] = () => doExport("json");
  handlers["export-md"] = () => doExport("md");
  handlers.import = () => file.click();
  handlers.print = () => doc.defaultView?.print();
  handlers.erase = () => confirmErase();

  async function showPersisted() {
    let key = "persisted_unknown";
    try {
      if (navigator.storage?.persisted) key = (await navigator.storage.persisted()) ? "persisted_yes" : "persisted_no";
    } catch {
      // unknown
    }
    view.keepInfo.textContent = s(key);
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
        const limit = format(s("import_size_mb"), { n: (importer.MAX_BYTES / 1e6).toLocaleString(manifest.language || undefined, { maximumFractionDigits: 1 }) });
        say(format(s(parsed.error), { book: parsed.book || "", limit }), true);
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
          view.sync();
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
          view.sync();
          say(s(ok ? "erase_done" : "erase_failed"), !ok);
        },
      ],
    ]);
  }

  // Another tab wrote: only its box changes (all of them when it cleared the whole storage).
  store.onExternalChange(({ id }) => view.sync(id === null ? undefined : [id]));
  // An export changes the « last export » line, nothing else.
  doc.addEventListener("cahier:exported", () => view.showLastExport());
  view.sync(); // what changed since the first filling, if anything
  showPersisted();
  root.dataset.cahierMcReady = "";
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
