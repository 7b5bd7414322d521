// @ts-check
/**
 * Cahier boxes: restore, save (debounced, flushed on blur/hide), stale-tab protection, live sync.
 * Participant text only goes through `.value`; UI text only through `.textContent`.
 *
 * Each box also holds a print-only copy of its text (`.cahier-box-print`, kept in sync; print.css shows
 * it whole instead of the textarea) and the class `cahier-box--written` while it holds text.
 * After each successful save, `document` receives a `cahier:saved` event (detail: {id, t}).
 * initBoxes() returns {flushAll, unsavedAnswers}: save every pending edit now (before an export), and
 * the text on screen that storage does not hold (a failed save, an open conflict), which an export
 * must carry: exporting is how a person with a full or blocked storage keeps their words.
 */

import { alertRegion, format } from "./keep.js";

/** @typedef {import("./store.js").Store} Store */
/** @typedef {import("./store.js").ReadResult} ReadResult */
/** @typedef {Record<string, string>} Strings */

const DEBOUNCE_MS = 250;
// Continuous typing never waits longer than this for a save: a crash mid-burst loses at most 2 s.
const MAX_WAIT_MS = 2000;

/**
 * @typedef {object} Box
 * @property {string} id
 * @property {HTMLElement} el
 * @property {HTMLTextAreaElement} input
 * @property {HTMLElement} copy         print-only copy of the text
 * @property {HTMLElement | null} status
 * @property {HTMLElement} meta         word count and time of the last save (not a live region)
 * @property {number} savedAt           t of this page's last save (0: none yet)
 * @property {number | null} lastT      t of what this tab last read or wrote (null: key was empty)
 * @property {boolean} dirty            the textarea holds edits not yet saved
 * @property {boolean} failed           the last write failed
 * @property {boolean} locked           stored value is newer/unreadable: read-only
 * @property {HTMLElement | null} conflict  conflict panel when in conflict
 * @property {number} editT             time of the last edit
 * @property {number} pendingSince      time of the first edit not yet saved (0: none)
 * @property {ReturnType<typeof setTimeout> | undefined} timer
 */

/**
 * Show or clear the page-level alert (role="alert", in the page's one alert region: keep.js).
 * @param {Document} doc
 */
function makeAlert(doc) {
  /** @type {HTMLElement | null} */
  let el = null;
  return {
    /** @param {string} text */
    set(text) {
      if (!el) {
        el = doc.createElement("div");
        el.className = "cahier-alert";
        el.setAttribute("role", "alert");
        alertRegion(doc).append(el);
      }
      if (el.textContent !== text) el.textContent = text;
    },
    clear() {
      if (el && el.textContent) el.textContent = "";
    },
  };
}

/**
 * @param {HTMLElement | null} el
 * @param {string} text
 */
export function setText(el, text) {
  // Only touch the live region when the text really changes, so screen readers do not repeat it.
  if (el && el.textContent !== text) el.textContent = text;
}

/**
 * Wire every `.cahier-box[data-cahier-box]` of the document to the store.
 * @param {Document} doc
 * @param {Store} store
 * @param {Strings} strings  read when the boxes speak (cahier.js fills it from the book file)
 * @param {Promise<unknown>} [loaded]  settles once `strings` holds the book file's strings
 * @returns {{flushAll: () => void, unsavedAnswers: () => Map<string, {text: string, t: number}>}}
 */
export function initBoxes(doc, store, strings, loaded) {
  /** @param {string} key */
  const s = (key) => strings[key] ?? key;
  const win = doc.defaultView || window;
  const alert = makeAlert(doc);
  const plural = new Intl.PluralRules(doc.documentElement.lang || undefined);
  /** @type {"" | "storage_full" | "storage_error"} */
  let writeAlert = "";
  /** @type {Map<string, Box>} */
  const boxes = new Map();
  /** @type {(() => void)[]} what says something again once the strings come (wired before them) */
  const late = [];

  for (const el of doc.querySelectorAll(".cahier-box[data-cahier-box]")) {
    if (!(el instanceof HTMLElement)) continue;
    const id = el.dataset.cahierBox || "";
    const input = el.querySelector("textarea.cahier-box-input");
    if (!id || !(input instanceof HTMLTextAreaElement) || boxes.has(id)) continue;
    const copy = doc.createElement("div");
    copy.className = "cahier-box-print";
    copy.setAttribute("aria-hidden", "true");
    input.insertAdjacentElement("afterend", copy);
    const status = el.querySelector(".cahier-box-status");
    // The status line: the live « Enregistré » (announced as before) and, beside it, a quiet word
    // count and save time that screen readers read on demand only.
    const meta = doc.createElement("span");
    meta.className = "cahier-box-meta";
    if (status) {
      const footer = doc.createElement("div");
      footer.className = "cahier-box-footer";
      status.replaceWith(footer);
      // Focus on writing: the box alone, full screen (focus.js loads on the first use).
      const focus = doc.createElement("button");
      focus.type = "button";
      focus.className = "cahier-box-focus";
      const label = input.labels?.[0]?.textContent?.trim();
      const name = () => {
        focus.textContent = s("focus_open");
        if (label) focus.setAttribute("aria-label", `${s("focus_open")} : ${label}`);
      };
      name();
      late.push(name);
      focus.addEventListener("click", () =>
        import("./focus.js").then((m) => m.openFocus(el, input, focus, strings)).catch((e) => console.error(e)),
      );
      footer.append(status, meta, focus);
    }
    /** @type {Box} */
    const box = {
      id,
      el,
      input,
      copy,
      status,
      meta,
      savedAt: 0,
      lastT: null,
      dirty: false,
      failed: false,
      locked: false,
      conflict: null,
      editT: 0,
      pendingSince: 0,
      timer: undefined,
    };
    boxes.set(id, box);
    load(box);
    input.addEventListener("input", () => onInput(box));
    input.addEventListener("cahier:resized", () => fitHeight(input));
    input.addEventListener("blur", () => flush(box));
  }
  if (!boxes.size) return { flushAll() {}, unsavedAnswers: () => new Map() };

  refreshAlert();
  if (!("saved" in strings)) {
    // Wired before the strings came (a slow network): what the boxes said as keys, said again.
    const keys = ["saved", "not_saved", "newer_version", "unreadable"];
    loaded?.then(() => {
      for (const say of late) say();
      for (const box of boxes.values()) {
        const key = keys.find((k) => box.status?.textContent === k);
        if (key) setText(box.status, s(key));
        sync(box);
      }
      refreshAlert();
    });
  }

  onSafe(doc, "visibilitychange", () => {
    if (doc.visibilityState === "hidden") flushAll();
  });
  onSafe(win, "pagehide", flushAll);
  // Re-read on every pageshow, from the bfcache or not: Back may show text that storage no longer
  // holds (another tab wrote, « Mon cahier » erased), and a page may have been restored with it.
  onSafe(win, "pageshow", () => {
    for (const box of boxes.values()) external(box);
  });
  store.onExternalChange(({ id }) => {
    if (id === null) boxes.forEach(external);
    else {
      const box = boxes.get(id);
      if (box) external(box);
    }
  });

  /** Put a stored state into the box (restore, live sync, take theirs). @param {Box} box @param {ReadResult} r */
  function apply(box, r) {
    if (r.state === "newer" || r.state === "unreadable") {
      lock(box, r.state === "newer" ? "newer_version" : "unreadable");
      return;
    }
    if (r.state === "error") return; // nothing trustworthy to show; leave the box as it is
    const text = r.state === "ok" ? r.text : "";
    box.lastT = r.state === "ok" ? r.t : null;
    box.dirty = false;
    box.failed = false;
    if (box.status?.textContent === s("not_saved")) setText(box.status, "");
    if (box.locked) unlock(box);
    if (box.input.value !== text) setValueKeepCaret(box.input, text);
    sync(box);
  }

  /** The print copy, the written mark, the height and the word count follow the textarea. @param {Box} box */
  function sync(box) {
    const text = box.input.value;
    if (box.copy.textContent !== text) box.copy.textContent = text;
    box.el.classList.toggle("cahier-box--written", text.trim() !== "");
    fitHeight(box.input);
    showMeta(box);
  }

  /** After the live « Enregistré »: « à 14 h 32 · 124 mots » (the time once this page saved). @param {Box} box */
  function showMeta(box) {
    const words = box.input.value.trim() ? box.input.value.trim().split(/\s+/).length : 0;
    const parts = words ? [format(s(plural.select(words) === "one" ? "words_one" : "words_other"), { n: words })] : [];
    if (box.savedAt && words && box.status?.textContent === s("saved")) {
      const at = new Date(box.savedAt);
      const time = format(s("time_hm"), { h: at.getHours(), m: String(at.getMinutes()).padStart(2, "0") });
      parts.unshift(format(s("saved_at"), { time }));
    }
    setText(box.meta, parts.join(" · "));
  }

  /** @param {Box} box */
  function load(box) {
    const r = store.readBox(box.id);
    // The page is drawn, and its boxes editable, before its scripts arrive (a slow phone, a slow
    // network): what was typed meanwhile stays on screen, and is saved or set against storage.
    const typed = box.input.value !== box.input.defaultValue ? box.input.value : null;
    const storedText = r.state === "ok" ? r.text : "";
    if (typed === null || typed === storedText || r.state === "newer" || r.state === "unreadable") {
      apply(box, r); // a value this version cannot read locks the box: the typed text stays on screen
      return;
    }
    // Storage empty, another answer, or unreadable right now (the save says so if it fails too).
    box.lastT = r.state === "ok" ? r.t : null;
    onInput(box);
    // Storage already held another answer: both are shown, the person chooses (nothing is lost).
    if (storedText.trim()) showConflict(box, r);
  }

  /** @param {Box} box @param {"newer_version" | "unreadable"} key */
  function lock(box, key) {
    clearTimeout(box.timer);
    box.locked = true;
    box.input.readOnly = true;
    box.el.classList.add("cahier-box--locked");
    setText(box.status, s(key));
  }

  /** @param {Box} box */
  function unlock(box) {
    box.locked = false;
    box.input.readOnly = false;
    box.el.classList.remove("cahier-box--locked");
    setText(box.status, "");
  }

  /** @param {Box} box */
  function onInput(box) {
    if (box.locked) return;
    sync(box);
    box.dirty = true;
    box.editT = Date.now();
    if (box.conflict) return; // wait for the person to choose
    clearTimeout(box.timer);
    // A debounce with a maximum wait: a pause saves after 250 ms, steady typing at least every 2 s.
    if (!box.pendingSince) box.pendingSince = box.editT;
    const wait = Math.min(DEBOUNCE_MS, box.pendingSince + MAX_WAIT_MS - box.editT);
    box.timer = setTimeout(() => flush(box), Math.max(0, wait));
  }

  /** Save now if this tab has unsaved edits, unless another tab wrote meanwhile. @param {Box} box */
  function flush(box) {
    try {
      clearTimeout(box.timer);
      box.timer = undefined;
      box.pendingSince = 0;
      if (!box.dirty || box.locked || box.conflict) return;
      const text = box.input.value;
      const cur = store.readBox(box.id);
      if (cur.state === "newer" || cur.state === "unreadable") {
        lock(box, cur.state === "newer" ? "newer_version" : "unreadable");
        refreshAlert();
        return;
      }
      if (cur.state === "ok" || cur.state === "empty") {
        const storedT = cur.state === "ok" ? cur.t : null;
        if (storedT !== box.lastT) {
          // Another tab wrote (or erased) since this tab last read.
          if ((cur.state === "ok" ? cur.text : "") === text) {
            box.lastT = storedT;
            box.dirty = false;
            return;
          }
          showConflict(box, cur);
          return;
        }
      }
      write(box, text, Math.max(box.editT || Date.now(), (box.lastT ?? 0) + 1));
    } catch (e) {
      console.error(e);
    }
  }

  /** @param {Box} box @param {string} text @param {number} t */
  function write(box, text, t) {
    const r = store.writeBox(box.id, text, t);
    if (r.ok) {
      box.lastT = t;
      box.savedAt = t;
      box.dirty = false;
      box.failed = false;
      setText(box.status, s("saved"));
      showMeta(box);
      doc.dispatchEvent(new CustomEvent("cahier:saved", { detail: { id: box.id, t } }));
      if (writeAlert) {
        writeAlert = "";
        // Storage works again: retry the other boxes that could not be saved.
        for (const other of boxes.values()) if (other.failed && other !== box) flush(other);
      }
    } else if (r.reason === "protected") {
      load(box);
    } else {
      box.failed = true;
      // Blocked storage: the store keeps the text in this page's memory; it is what this tab last
      // wrote, so the next save must not take it for another tab's write.
      if (r.reason === "unavailable") box.lastT = t;
      setText(box.status, s("not_saved"));
      if (r.reason === "quota") writeAlert = "storage_full";
      else if (r.reason === "error") writeAlert = "storage_error";
    }
    refreshAlert();
  }

  /**
   * Two tabs really wrote different text: show both versions, let the person choose one or keep both.
   * @param {Box} box @param {ReadResult} cur what storage holds now (the other tab's version)
   */
  function showConflict(box, cur) {
    clearTimeout(box.timer);
    if (box.conflict) {
      showTheirs(box, cur);
      return;
    }
    const doc = box.el.ownerDocument;
    const panel = doc.createElement("div");
    panel.className = "cahier-box-conflict";
    const msg = doc.createElement("p");
    msg.setAttribute("role", "alert");
    msg.textContent = s("conflict");
    const label = doc.createElement("p");
    label.className = "cahier-conflict-theirs-label";
    label.textContent = s("conflict_theirs_label");
    const theirs = doc.createElement("div");
    theirs.className = "cahier-conflict-theirs";
    const actions = doc.createElement("p");
    actions.className = "cahier-conflict-actions";
    /** @param {string} className @param {string} key @param {"mine" | "theirs" | "both"} choice */
    const button = (className, key, choice) => {
      const b = doc.createElement("button");
      b.type = "button";
      b.className = className;
      b.textContent = s(key);
      b.addEventListener("click", () => resolve(box, choice));
      actions.append(b, " ");
    };
    button("cahier-conflict-keep-mine", "conflict_keep_mine", "mine");
    button("cahier-conflict-take-theirs", "conflict_take_theirs", "theirs");
    button("cahier-conflict-keep-both", "conflict_keep_both", "both");
    panel.append(msg, label, theirs, actions);
    box.input.insertAdjacentElement("afterend", panel);
    box.conflict = panel;
    box.el.classList.add("cahier-box--conflict");
    setText(box.status, s("not_saved"));
    showTheirs(box, cur);
    refreshAlert();
  }

  /** The other tab's text in the conflict panel (as text, never markup). @param {Box} box @param {ReadResult} cur */
  function showTheirs(box, cur) {
    const el = box.conflict?.querySelector(".cahier-conflict-theirs");
    if (!(el instanceof HTMLElement)) return;
    const text = cur.state === "ok" ? cur.text : "";
    el.classList.toggle("cahier-conflict-theirs--empty", !text.trim());
    setText(el, text.trim() ? text : s("conflict_theirs_empty"));
  }

  /** @param {Box} box */
  function hideConflict(box) {
    box.conflict?.remove();
    box.conflict = null;
    box.el.classList.remove("cahier-box--conflict");
  }

  /** @param {Box} box @param {"mine" | "theirs" | "both"} choice */
  function resolve(box, choice) {
    try {
      const cur = store.readBox(box.id);
      hideConflict(box);
      if (choice === "theirs" || cur.state === "newer" || cur.state === "unreadable") apply(box, cur);
      else {
        const theirs = cur.state === "ok" ? cur.text : "";
        if (choice === "both" && theirs.trim() && theirs !== box.input.value) {
          // Mine first, then theirs, clearly separated; the person edits the result as they like.
          setValueKeepCaret(box.input, `${box.input.value}\n\n${s("conflict_separator")}\n${theirs}`);
          sync(box);
        }
        box.dirty = true;
        write(box, box.input.value, Math.max(Date.now(), (cur.state === "ok" ? cur.t : 0) + 1));
      }
      if (!box.locked) box.input.focus();
      refreshAlert();
    } catch (e) {
      console.error(e);
    }
  }

  /** Another tab changed this box (or the page came back from the bfcache). @param {Box} box */
  function external(box) {
    try {
      const cur = store.readBox(box.id);
      if (cur.state === "error") return;
      if (box.locked || !box.dirty) {
        apply(box, cur);
        return;
      }
      // This tab has unsaved edits.
      const storedT = cur.state === "ok" ? cur.t : null;
      const storedText = cur.state === "ok" ? cur.text : "";
      if (cur.state === "newer" || cur.state === "unreadable") {
        hideConflict(box);
        apply(box, cur);
      } else if (storedText === box.input.value) {
        clearTimeout(box.timer);
        hideConflict(box);
        box.lastT = storedT;
        box.dirty = false;
        box.failed = false;
        if (box.status?.textContent === s("not_saved")) setText(box.status, s("saved"));
      } else if (storedT !== box.lastT) showConflict(box, cur);
      refreshAlert();
    } catch (e) {
      console.error(e);
    }
  }

  function flushAll() {
    for (const box of boxes.values()) flush(box);
  }

  /** Page alert + beforeunload warning, from the state of all boxes. */
  function refreshAlert() {
    let unsaved = false;
    for (const box of boxes.values()) if (box.failed || box.conflict) unsaved = true;
    if (!store.available) alert.set(s("storage_unavailable"));
    else if (writeAlert && [...boxes.values()].some((b) => b.failed)) alert.set(s(writeAlert));
    else {
      writeAlert = "";
      alert.clear();
    }
    if (unsaved) win.addEventListener("beforeunload", warn);
    else win.removeEventListener("beforeunload", warn);
  }

  /** On-screen text of the boxes whose last edit is not in storage. */
  function unsavedAnswers() {
    /** @type {Map<string, {text: string, t: number}>} */
    const unsaved = new Map();
    for (const box of boxes.values()) {
      if (!box.locked && (box.dirty || box.failed || box.conflict)) {
        unsaved.set(box.id, { text: box.input.value, t: box.editT || Date.now() });
      }
    }
    return unsaved;
  }

  return { flushAll, unsavedAnswers };
}

/** Each module has its own: removing one module's listener must not silence the other's. @param {BeforeUnloadEvent} e */
function warn(e) {
  e.preventDefault();
  e.returnValue = "";
}

/**
 * Listen, and log instead of throwing: an error in one handler must never stop the saving.
 * @param {EventTarget} target
 * @param {string} type
 * @param {(e: Event) => void} fn
 */
export function onSafe(target, type, fn) {
  target.addEventListener(type, (e) => {
    try {
      fn(e);
    } catch (err) {
      console.error(err);
    }
  });
}


/** Browsers that size a textarea to its text by themselves (CSS `field-sizing: content`). */
const SIZES_ITSELF = typeof CSS !== "undefined" && CSS.supports?.("field-sizing", "content");

/**
 * A writing area grows with its text: no inner scrollbar (CSS where the browser can, else here).
 * @param {HTMLTextAreaElement} input
 */
function fitHeight(input) {
  if (SIZES_ITSELF || !input.isConnected) return;
  const win = input.ownerDocument.defaultView || window;
  const scroll = win.scrollY; // collapsing to measure must not move the page
  input.style.height = "auto";
  const border = input.offsetHeight - input.clientHeight;
  input.style.height = `${input.scrollHeight + border}px`;
  if (win.scrollY !== scroll) win.scrollTo(win.scrollX, scroll);
}

/**
 * Replace a textarea's value, keeping the caret where it was if the box has focus.
 * @param {HTMLTextAreaElement} input
 * @param {string} text
 */
function setValueKeepCaret(input, text) {
  const focused = input.ownerDocument.activeElement === input;
  const { selectionStart: start, selectionEnd: end } = input;
  input.value = text;
  if (focused) {
    const n = text.length;
    input.setSelectionRange(Math.min(start, n), Math.min(end, n));
  }
}
