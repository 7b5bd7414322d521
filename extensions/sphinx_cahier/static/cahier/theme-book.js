// @ts-check
/**
 * Cahier with sphinx-book-theme (themes.py). Its print and full-screen buttons call inline
 * `onclick` code, which the page's Content-Security-Policy refuses: the build turns them into
 * `data-cahier-action` buttons, wired here. The theme shows its light or dark mode on <html>
 * (`data-theme`); our styles read it on <body>, as furo sets it: mirrored here.
 */

/** @type {Record<string, () => void>} */
const ACTIONS = {
  print: () => window.print(),
  fullscreen: () => {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else document.documentElement.requestFullscreen?.().catch(() => {});
  },
};

document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const button = /** @type {HTMLElement | null} */ (target?.closest("[data-cahier-action]") ?? null);
  const action = button ? ACTIONS[button.dataset.cahierAction ?? ""] : undefined;
  if (action) action();
});

const root = document.documentElement;
function mirrorMode() {
  const mode = root.dataset.theme;
  if (mode === "light" || mode === "dark") document.body.dataset.theme = mode;
  else delete document.body.dataset.theme;
}
mirrorMode();
new MutationObserver(mirrorMode).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
