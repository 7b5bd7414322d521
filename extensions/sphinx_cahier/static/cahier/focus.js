// @ts-check
/**
 * Focus on writing (issue 13; loaded on the first « Plein écran »): one box's writing area fills the
 * screen, its level name, description and questions above it; Escape or « Revenir à la page »
 * leaves. The textarea itself moves into the dialog and back, so saving, the print copy, the word
 * count and every listener keep working unchanged; the focus returns to the button that opened it.
 */

/**
 * @param {HTMLElement} boxEl  the `.cahier-box[data-cahier-box]`
 * @param {HTMLTextAreaElement} input
 * @param {HTMLButtonElement} opener
 * @param {Record<string, string>} strings
 */
export function openFocus(boxEl, input, opener, strings) {
  const doc = boxEl.ownerDocument;
  const s = (/** @type {string} */ key) => strings[key] ?? key;
  const card = boxEl.closest(".cahier-level, .cahier-prompt") || boxEl;
  const dialog = doc.createElement("dialog");
  dialog.className = "cahier-focus";
  const header = doc.createElement("div");
  header.className = "cahier-focus-header";
  const title = doc.createElement("h2");
  title.id = `cahier-focus-title-${boxEl.dataset.cahierBox}`;
  title.textContent = input.labels?.[0]?.textContent?.trim() || "";
  dialog.setAttribute("aria-labelledby", title.id);
  const close = doc.createElement("button");
  close.type = "button";
  close.className = "cahier-focus-close";
  close.textContent = s("focus_close");
  header.append(title, close);
  dialog.append(header);
  // The organizers' description and questions, as text (their ids stay unique on the page).
  for (const part of card.querySelectorAll(".cahier-level-description, .cahier-questions, .cahier-prompt-text")) {
    const copy = /** @type {HTMLElement} */ (part.cloneNode(true));
    for (const el of [copy, ...copy.querySelectorAll("[id]")]) el.removeAttribute("id");
    dialog.append(copy);
  }
  // The textarea moves in; a placeholder of its height keeps the page from moving under the dialog.
  const placeholder = doc.createElement("div");
  placeholder.className = "cahier-focus-placeholder";
  placeholder.style.height = `${input.offsetHeight}px`;
  const height = input.style.height;
  input.replaceWith(placeholder);
  input.style.height = "";
  dialog.append(input);
  doc.body.append(dialog);

  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    input.style.height = height;
    placeholder.replaceWith(input);
    dialog.remove();
    input.dispatchEvent(new Event("cahier:resized")); // boxes.js fits the height to the text again
    opener.focus();
  });
  dialog.showModal();
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}
