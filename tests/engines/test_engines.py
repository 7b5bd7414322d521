"""« Never lose a word » in every browser engine: the same checks in Firefox ESR and WebKitGTK.

Typing is real key input through WebDriver, except characters outside the Basic Multilingual
Plane (emoji), which WebKit's driver drops: they are inserted with `execCommand("insertText")`,
as an input method would. Downloads are the browsers' own (saved to the session's folder), and
imports go through the real file input.
"""

from __future__ import annotations

import base64
import html
import json
import posixpath
import re
import shutil
import subprocess
import time
from pathlib import Path

import yaml
from book_file import PAGE_STRINGS
from engine_kit import wait_for
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from stroke_codec import stroke_points

ROOT = Path(__file__).resolve().parents[2]
BOX = "eveil.en-moi"
SKETCH = "dessin"
FILE_NAME = re.compile(r"^cahier-enap-coproduction-2025-\d{4}-\d\d-\d\d\.(html|json|md)$")
DATA = re.compile(r'<script type="application/json" id="cahier-data">(.*?)</script>', re.S)


# --- helpers ------------------------------------------------------------------------------------


def open_page(web, name: str) -> dict:
    """Load a book page, wait until Cahier has wired it; return what the page declares."""
    web.driver.get(web.url(name))
    return wait_ready(web.driver, name)


def wait_ready(driver, name: str) -> dict:
    """Wait until the window shows book page `name` and Cahier has wired it."""
    wait_for(
        driver,
        lambda d: d.execute_script(
            "const s = document.getElementById('cahier-script');"
            "return location.pathname.endsWith(`/${arguments[0]}.html`)"
            " && !!s && s.hasAttribute('data-cahier-ready');",
            name,
        ),
        f"Cahier ready on {name}",
    )
    return page_info(driver)


def page_info(driver) -> dict:
    """Storage prefix, book, edition and box ids, from `#cahier-script`; the UI strings, from the
    book file."""
    return driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        const d = document.getElementById("cahier-script").dataset;
        ("""
        + PAGE_STRINGS
        + """)().then((strings) => done({
          book: d.cahierBook, edition: d.cahierEdition,
          prefix: `cahier:${d.cahierBook}:${d.cahierEdition}:`,
          strings,
          boxes: [...document.querySelectorAll(".cahier-box[data-cahier-box]")]
            .map((b) => b.dataset.cahierBox),
        }));"""
    )


def box_input(driver, box_id: str):
    return driver.find_element(
        By.CSS_SELECTOR, f'.cahier-box[data-cahier-box="{box_id}"] textarea.cahier-box-input'
    )


def box_status(driver, box_id: str) -> str:
    return driver.execute_script(
        'const s = document.querySelector(`.cahier-box[data-cahier-box="${arguments[0]}"]'
        " .cahier-box-status`); return s ? s.textContent : null;",
        box_id,
    )


def click(driver, element) -> None:
    """Scroll the element to the middle of the window at once (the theme scrolls smoothly, which
    WebDriver's own scrolling does not wait for), then click it."""
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    element.click()


def value_of(element) -> str:
    return element.get_property("value")


def insert_text(driver, element, text: str) -> None:
    """Insert text at the caret as an input method does (WebKit's driver cannot type emoji)."""
    ok = driver.execute_script(
        "arguments[0].focus(); return document.execCommand('insertText', false, arguments[1]);",
        element,
        text,
    )
    assert ok, "execCommand('insertText') refused"


def fill(driver, element, text: str) -> None:
    """Replace a box's text in one edit (long texts; typing is tested elsewhere)."""
    driver.execute_script(
        "arguments[0].focus(); arguments[0].select();"
        "document.execCommand('insertText', false, arguments[1]);",
        element,
        text,
    )
    assert value_of(element) == text


def stored(driver, key: str) -> str | None:
    return driver.execute_script("return localStorage.getItem(arguments[0]);", key)


def wait_stored_text(driver, key: str, text: str, timeout: float = 5) -> str:
    def saved(d):
        raw = stored(d, key)
        return raw if raw and json.loads(raw).get("text") == text else False

    return wait_for(driver, saved, f"{key} to hold the typed text", timeout)


def now_ms(driver) -> int:
    return driver.execute_script("return Date.now();")


def alert_text(driver) -> str | None:
    return driver.execute_script(
        "const a = document.querySelector('.cahier-alert');"
        "return a && a.getAttribute('role') === 'alert' ? a.textContent : null;"
    )


def check_text_value(raw: str, text: str, after: int, before: int) -> None:
    """The storage contract: {"v": 1, "text": ..., "t": <integer ms of the last edit>}."""
    value = json.loads(raw)
    assert set(value) == {"v", "text", "t"}, raw
    assert value["v"] == 1 and value["text"] == text
    assert isinstance(value["t"], int) and not isinstance(value["t"], bool), raw
    assert after <= value["t"] <= before, (after, value["t"], before)


def leave_focus(driver) -> None:
    driver.execute_script("document.activeElement && document.activeElement.blur();")


def export_from_nav(web, suffix: str = ".html") -> tuple[str, str]:
    """« Exporter » in the page's « Mon cahier » bar; the file the browser saved."""
    click(web.driver, web.driver.find_element(By.CSS_SELECTOR, "button.cahier-nav-export"))
    return web.browser.take_download(suffix)


def embedded(html_text: str) -> dict:
    (raw,) = DATA.findall(html_text)
    return json.loads(raw)


def open_mon_cahier(web) -> dict:
    info = open_page(web, "mon-cahier")
    wait_for(
        web.driver,
        lambda d: d.execute_script(
            "return Boolean(document.querySelector("
            "'[data-cahier-mon-cahier][data-cahier-mc-ready]'));"
        ),
        "« Mon cahier » filled and its actions wired",
    )
    # Shown once filled (mon-cahier.css keeps the list invisible until then).
    visibility = "return getComputedStyle(document.querySelector('[data-cahier-mon-cahier]'))"
    assert web.driver.execute_script(visibility + ".visibility;") == "visible"
    return info


def mc_text(driver, selector: str) -> str:
    return driver.execute_script(
        "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
        selector,
    )


def config() -> dict:
    data = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return data["sphinx"]["config"]


# --- typing, reload, leaving --------------------------------------------------------------------


def test_typed_text_is_back_after_reload_under_the_storage_contract(web):
    d = web.driver
    info = open_page(web, "eveil")
    cfg = config()
    assert (info["book"], info["edition"]) == (cfg["cahier_book"], str(cfg["cahier_edition"]))
    key = f"cahier:{info['book']}:{info['edition']}:{BOX}"
    assert BOX in info["boxes"] and stored(d, key) is None

    after = now_ms(d)
    box = box_input(d, BOX)
    click(d, box)
    box.send_keys("Première ligne : « déjà » là, ça marche œuvre")
    box.send_keys(Keys.ENTER)
    box.send_keys("deuxième ligne")
    insert_text(d, box, " 🌱✨")
    text = "Première ligne : « déjà » là, ça marche œuvre\ndeuxième ligne 🌱✨"
    assert value_of(box) == text, "the engine typed something else"
    raw = wait_stored_text(d, key, text)
    check_text_value(raw, text, after, now_ms(d))
    assert box_status(d, BOX) == info["strings"]["saved"] == "Enregistré"
    # Only keys of the contract under our prefix: the box, and the book's reserved `_meta`.
    keys = d.execute_script("return Object.keys(localStorage);")
    assert {k for k in keys if k.startswith("cahier:")} <= {key, info["prefix"] + "_meta"}
    assert key in keys

    d.refresh()
    wait_ready(d, "eveil")
    assert value_of(box_input(d, BOX)) == text
    assert stored(d, key) == raw, "restoring the text must not rewrite it"
    assert d.execute_script(
        "return document.querySelector(`[data-cahier-box='${arguments[0]}']`)"
        ".classList.contains('cahier-box--written');",
        BOX,
    )


def test_text_typed_before_the_script_runs_is_kept_and_saved(fresh):
    """A slow network: the page is drawn and its boxes take text before cahier.js arrives (a new
    profile: nothing cached, no service worker yet)."""
    web = fresh(page_load="none")  # the load event waits for the held script
    d = web.driver
    web.hold_scripts()
    try:
        d.get(web.url("eveil"))
        box = wait_for(
            d,
            lambda d: d.find_elements(By.CSS_SELECTOR, ".cahier-box textarea.cahier-box-input"),
            "the page drawn",
        )[0]
        box.send_keys("écrit avant le script")
        ready = "return document.getElementById('cahier-script').hasAttribute('data-cahier-ready');"
        assert not d.execute_script(ready), "the script was not held back"
    finally:
        web.release_scripts()
    info = wait_ready(d, "eveil")
    key = info["prefix"] + info["boxes"][0]
    assert value_of(box_input(d, info["boxes"][0])) == "écrit avant le script"
    wait_stored_text(d, key, "écrit avant le script")


TYPED = "écrit puis parti aussitôt"


def test_text_typed_just_before_leaving_the_page_is_saved(web):
    d = web.driver
    info = open_page(web, "eveil")
    key = info["prefix"] + BOX
    d.execute_script(
        "document.addEventListener('input', () => { window.__lastInput = performance.now(); },"
        " true);"
    )
    box = box_input(d, BOX)
    click(d, box)
    after = now_ms(d)
    box.send_keys(TYPED)
    # Leave at once: well before the 250 ms pause after which typing is saved anyway.
    gap, raw_when_leaving = d.execute_script(
        "const gap = performance.now() - window.__lastInput;"
        "const raw = localStorage.getItem(arguments[0]);"
        "location.href = arguments[1];"
        "return [gap, raw];",
        key,
        web.url("regards"),
    )
    # What was stored when the page was left lacked the last keys: only leaving can save them.
    assert raw_when_leaving is None or json.loads(raw_when_leaving)["text"] != TYPED, (
        f"already saved {gap:.0f} ms after the last key: the test did not leave fast enough"
    )
    assert gap < 250, f"left {gap:.0f} ms after the last key"
    wait_ready(d, "regards")
    raw = stored(d, key)
    assert raw is not None, f"{web.engine}: the text typed {gap:.0f} ms before leaving was lost"
    check_text_value(raw, TYPED, after, now_ms(d))
    open_page(web, "eveil")
    assert value_of(box_input(d, BOX)) == TYPED


def test_text_typed_just_before_closing_the_tab_is_saved(web):
    d = web.driver
    first = d.current_window_handle
    d.switch_to.new_window("tab")
    info = open_page(web, "eveil")
    key = info["prefix"] + BOX
    box = box_input(d, BOX)
    click(d, box)
    after = now_ms(d)
    box.send_keys("écrit puis onglet fermé")
    raw_when_closing = stored(d, key)
    d.close()
    d.switch_to.window(first)
    assert raw_when_closing is None or json.loads(raw_when_closing)["text"] != (
        "écrit puis onglet fermé"
    ), "already saved before closing: the test did not close fast enough"
    # The first tab shows a page of the same origin: the same storage.
    raw = wait_stored_text(d, key, "écrit puis onglet fermé")
    check_text_value(raw, "écrit puis onglet fermé", after, now_ms(d))


# --- export and import --------------------------------------------------------------------------

ANSWERS = {
    "eveil.en-moi": "Ma réponse « exportée » 🌱\nsur deux lignes </script><!-- fin & <b>",
    "regards.dans-mes-contextes": "Regards : ça tient, même à l'œil.",
}


def write_answers(web) -> dict:
    d = web.driver
    info = {}
    for box_id, text in ANSWERS.items():
        info = open_page(web, box_id.split(".")[0])
        box = box_input(d, box_id)
        click(d, box)
        plain, _, emoji = text.partition("🌱")
        box.send_keys(plain)
        if emoji:
            insert_text(d, box, "🌱")
            box.send_keys(emoji.replace("\n", Keys.ENTER))
        assert value_of(box) == text
        wait_stored_text(d, info["prefix"] + box_id, text)
    return info


def import_file(web, path: Path, new: int) -> None:
    d = web.driver
    d.find_element(By.CSS_SELECTOR, "input.cahier-mc-import-file").send_keys(str(path))
    dialog = wait_for(
        d,
        lambda d: d.execute_script(
            "const g = document.querySelector('dialog.cahier-dialog'); return g && g.open && g;"
        ),
        "the import dialog",
    )
    assert mc_text(d, "dialog.cahier-dialog .cahier-import-new") == (
        f"{new} nouvelle(s) réponse(s)."
    )
    click(d, dialog.find_element(By.CSS_SELECTOR, "button.cahier-import-confirm"))
    wait_for(
        d,
        lambda d: f"{new} réponse(s) importée(s)." in (mc_text(d, ".cahier-mc-status") or ""),
        "the import to be done",
    )
    assert mc_text(d, ".cahier-mc-count").startswith(f"{new} sur ")


def check_boxes_hold_the_answers(web, exported: dict) -> None:
    d = web.driver
    for box_id, text in ANSWERS.items():
        info = open_page(web, box_id.split(".")[0])
        assert value_of(box_input(d, box_id)) == text
        value = json.loads(stored(d, info["prefix"] + box_id))
        assert value == {"v": 1, "text": text, "t": exported[box_id]["t"]}


def test_export_html_json_markdown_then_import_into_a_fresh_profile(web, fresh, tmp_path):
    d = web.driver
    write_answers(web)
    open_mon_cahier(web)
    assert mc_text(d, ".cahier-mc-count").startswith("2 sur ")

    click(d, d.find_element(By.CSS_SELECTOR, "button.cahier-mc-export-html"))
    name, page = web.browser.take_download(".html")
    assert FILE_NAME.match(name) and name.endswith(".html"), name
    wait_for(
        d,
        lambda d: f"2 réponse(s) exportée(s) dans {name}" in mc_text(d, ".cahier-mc-status"),
        "the export message",
    )
    data = embedded(page)
    assert list(data) == ["format", "v", "book", "edition", "exported", "answers"]
    assert (data["format"], data["v"], data["book"], data["edition"]) == (
        "cahier-export",
        1,
        "enap-coproduction",
        "2025",
    )
    assert {k: v["text"] for k, v in data["answers"].items()} == ANSWERS
    assert all(
        set(v) == {"text", "t"} and isinstance(v["t"], int) for v in data["answers"].values()
    )
    # Readable as it is: every answer in the page's text; nothing ends the data block early.
    for text in ANSWERS.values():
        assert text in html.unescape(page)
    assert page.count("</script>") == 1
    assert "<script" not in page.replace('<script type="application/json" id="cahier-data">', "")
    (tmp_path / name).write_text(page, encoding="utf-8")
    html_file = tmp_path / name

    click(d, d.find_element(By.CSS_SELECTOR, "button.cahier-mc-export-json"))
    name, raw = web.browser.take_download(".json")
    assert FILE_NAME.match(name) and name.endswith(".json"), name
    data_json = json.loads(raw)
    assert set(data_json) == {"format", "v", "book", "edition", "exported", "answers"}
    assert data_json["answers"] == data["answers"]
    json_file = tmp_path / name
    json_file.write_text(raw, encoding="utf-8")

    click(d, d.find_element(By.CSS_SELECTOR, "button.cahier-mc-export-md"))
    name, md = web.browser.take_download(".md")
    assert FILE_NAME.match(name) and name.endswith(".md"), name
    # Markdown escapes what CommonMark would read as markup: look for plain runs of words.
    for words in ["Ma réponse « exportée » 🌱", "sur deux lignes", "Regards : ça tient, même à l"]:
        assert words in md, words
    assert "## Éveil" in md and "### En moi" in md

    # A new profile: nothing yet; the HTML export brings every answer back.
    other = fresh()
    open_mon_cahier(other)
    assert mc_text(other.driver, ".cahier-mc-count").startswith("0 sur ")
    import_file(other, html_file, new=2)
    check_boxes_hold_the_answers(other, data["answers"])

    # And the JSON export, into an emptied profile.
    other.reset()
    open_mon_cahier(other)
    assert mc_text(other.driver, ".cahier-mc-count").startswith("0 sur ")
    import_file(other, json_file, new=2)
    check_boxes_hold_the_answers(other, data["answers"])


# --- drawing ------------------------------------------------------------------------------------


PIXEL = """const [x, y] = arguments;
  const c = document.querySelector("canvas.cahier-sketch-canvas");
  const px = Math.min(c.width - 1, Math.round(x / 1000 * c.width));
  const py = Math.min(c.height - 1, Math.round(y / 750 * c.height));
  return [...c.getContext("2d").getImageData(px, py, 1, 1).data];"""


def inked(rgba) -> bool:
    return rgba[3] > 0 and sum(rgba[:3]) < 3 * 200


def open_drawing(web, reload: bool = False) -> dict:
    if reload:
        web.driver.refresh()
        info = wait_ready(web.driver, "dessin")
    else:
        info = open_page(web, "dessin")
    wait_for(
        web.driver,
        lambda d: d.execute_script(
            "return !!document.querySelector('.cahier-sketch[data-cahier-ready] "
            "canvas.cahier-sketch-canvas');"
        ),
        "the drawing to be ready",
    )
    web.driver.execute_script(
        "document.querySelector('canvas.cahier-sketch-canvas')"
        ".scrollIntoView({block: 'center', behavior: 'instant'});"
    )
    return info


def test_a_drawn_stroke_is_kept_and_redrawn_after_reload(web):
    d = web.driver
    info = open_drawing(web)
    key = info["prefix"] + SKETCH
    assert stored(d, key) is None
    left, top, width, height = d.execute_script(
        "const r = document.querySelector('canvas.cahier-sketch-canvas')"
        ".getBoundingClientRect(); return [r.left, r.top, r.width, r.height];"
    )

    def at(x: float, y: float) -> tuple[int, int]:
        # Drawing units (a 1000 × 750 page) -> viewport pixels.
        return round(left + x / 1000 * width), round(top + y / 750 * height)

    after = now_ms(d)
    actions = ActionBuilder(d, duration=20)
    pointer = actions.pointer_action
    pointer.move_to_location(*at(200, 375)).pointer_down()
    for x in range(250, 801, 50):
        pointer.move_to_location(*at(x, 375))
    pointer.pointer_up()
    actions.perform()

    def one_stroke(d):
        raw = stored(d, key)
        return raw if raw and len(json.loads(raw).get("strokes", [])) == 1 else False

    raw = wait_for(d, one_stroke, "the stroke to be saved")
    value = json.loads(raw)
    assert set(value) == {"v", "strokes", "t"} and value["v"] == 1
    assert isinstance(value["t"], int) and after <= value["t"] <= now_ms(d)
    pts = stroke_points(value["strokes"][0])
    assert len(pts) >= 5, pts
    assert abs(pts[0][0] - 200) <= 6 and abs(pts[-1][0] - 800) <= 6, pts
    assert all(abs(y - 375) <= 6 for _, y in pts), pts
    samples = [(300, 375), (500, 375), (700, 375)]
    before = [d.execute_script(PIXEL, x, y) for x, y in samples]
    assert all(inked(p) for p in before), before
    assert not inked(d.execute_script(PIXEL, 500, 150))

    open_drawing(web, reload=True)
    wait_for(
        d,
        lambda d: all(inked(d.execute_script(PIXEL, x, y)) for x, y in samples),
        "the stroke to be redrawn after reload",
    )
    assert not inked(d.execute_script(PIXEL, 500, 150))
    assert stored(d, key) == raw, "redrawing must not rewrite the drawing"


# --- storage blocked, storage full --------------------------------------------------------------


def check_text_stays_and_is_exported(web, info: dict, text: str, saved: str | None) -> None:
    """The alert is shown; the box keeps its text; « Exporter » carries it; storage untouched."""
    d = web.driver
    assert value_of(box_input(d, BOX)) == text
    assert box_status(d, BOX) == info["strings"]["not_saved"] == "Non enregistré"
    name, page = export_from_nav(web)
    assert FILE_NAME.match(name), name
    assert embedded(page)["answers"][BOX]["text"] == text
    assert text in html.unescape(page)
    if saved is not None:
        assert json.loads(stored(d, info["prefix"] + BOX))["text"] == saved


def test_storage_blocked_by_the_browser(fresh):
    """The browser's own switch (Firefox: dom.storage.enabled=false; WebKitGTK:
    enable-html5-local-storage=false): `localStorage` is null."""
    web = fresh(storage=False)
    d = web.driver
    info = open_page(web, "eveil")
    assert d.execute_script("return window.localStorage;") is None
    check_blocked(web, info)


def test_storage_blocked_by_a_security_error(web):
    """Reading `localStorage` throws a SecurityError (cookies and site data refused)."""
    d = web.driver
    web.block_storage()
    info = open_page(web, "eveil")
    assert (
        d.execute_script(
            "try { window.localStorage; return 'readable'; } catch (e) { return e.name; }"
        )
        == "SecurityError"
    )
    check_blocked(web, info)


def check_blocked(web, info: dict) -> None:
    d = web.driver
    unavailable = info["strings"]["storage_unavailable"]
    assert unavailable.startswith("Ce navigateur empêche le cahier d'enregistrer")
    assert alert_text(d) == unavailable
    box = box_input(d, BOX)
    click(d, box)
    box.send_keys("gardé à l'écran, pas en mémoire")
    leave_focus(d)
    wait_for(d, lambda d: box_status(d, BOX) == "Non enregistré", "« Non enregistré »")
    assert alert_text(d) == unavailable
    check_text_stays_and_is_exported(web, info, "gardé à l'écran, pas en mémoire", None)


#: Fill the origin's storage until the engine refuses even one more character: big values first,
#: then the last bytes with the shortest keys and values.
FILL = """const out = {error: null, code: null, keys: 0};
  const put = (k, v) => {
    try { localStorage.setItem(k, v); out.keys++; return true; }
    catch (e) { out.error = e.name; out.code = e.code; return false; }
  };
  for (let size = 1 << 20; size >= 1; ) {
    if (!put("remplissage-" + out.keys, "x".repeat(size))) size = Math.floor(size / 2);
  }
  for (let size = 16; size >= 0; ) {
    if (!put(String(out.keys), "x".repeat(size))) size = size ? Math.floor(size / 2) : -1;
  }
  out.more = put("z", "");
  return out;"""

FREE = """Object.keys(localStorage).filter((k) => !k.startsWith("cahier:"))
  .forEach((k) => localStorage.removeItem(k));"""


def test_storage_full(web):
    """The engine's real quota: localStorage filled until it refuses even one character."""
    d = web.driver
    info = open_page(web, "eveil")
    key = info["prefix"] + BOX
    box = box_input(d, BOX)
    click(d, box)
    box.send_keys("avant")
    saved = wait_stored_text(d, key, "avant")

    filled = d.execute_script(FILL)
    assert filled["keys"] > 0 and filled["more"] is False, filled
    assert filled["error"] == "QuotaExceededError", f"{web.engine} throws {filled}"

    box.send_keys(" et après")
    full = info["strings"]["storage_full"]
    assert full.startswith("L'espace de stockage de ce navigateur est plein")
    wait_for(d, lambda d: alert_text(d) == full, "the « storage full » alert")
    leave_focus(d)
    check_text_stays_and_is_exported(web, info, "avant et après", "avant")
    assert stored(d, key) == saved

    # Room again: the next keystroke saves the whole text and the alert goes away.
    d.execute_script(FREE)
    click(d, box)
    box.send_keys(Keys.END, ".")
    wait_stored_text(d, key, "avant et après.")
    wait_for(d, lambda d: not alert_text(d), "the alert to go away")
    assert box_status(d, BOX) == "Enregistré"


# --- print --------------------------------------------------------------------------------------

LONG = "\n".join(f"Ligne {n} de ma réflexion, assez longue pour compter." for n in range(1, 31))

PRINT_GEOMETRY = """const b = document.querySelector(`[data-cahier-box="${arguments[0]}"]`);
  const c = b.querySelector(".cahier-box-print");
  const t = b.querySelector("textarea");
  const br = b.getBoundingClientRect(), cr = c.getBoundingClientRect();
  const cs = getComputedStyle(c);
  return {copyDisplay: cs.display, textareaDisplay: getComputedStyle(t).display,
          text: c.textContent, whiteSpace: cs.whiteSpace, scroll: c.scrollHeight,
          client: c.clientHeight, copyBottom: cr.bottom, boxBottom: br.bottom,
          copyHeight: cr.height, line: parseFloat(cs.lineHeight)};"""

PRINT_SHEETS = """const sheets = [
    ...document.querySelectorAll('link[rel="stylesheet"][media="print"]')];
  for (const l of sheets) l.media = "all";
  return sheets.map((l) => l.href);"""


def apply_print_css(driver) -> None:
    """Apply the print stylesheet to the screen (WebDriver cannot switch an engine to print media;
    print.css is the `media="print"` sheet)."""
    hrefs = driver.execute_script(PRINT_SHEETS)
    assert any("/print.css" in h for h in hrefs), hrefs
    wait_for(
        driver,
        lambda d: (
            d.execute_script("return getComputedStyle(document.querySelector('button')).display;")
            == "none"
        ),
        "print.css to apply",
    )


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    assert shutil.which("pdftotext"), "pdftotext missing: apt-get install poppler-utils"
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout


def test_print_shows_whole_answers(web, tmp_path):
    d = web.driver
    info = open_page(web, "eveil")
    fill(d, box_input(d, BOX), LONG)
    wait_stored_text(d, info["prefix"] + BOX, LONG)

    if web.engine == "firefox":
        # The real thing: Firefox prints the page (WebDriver's Print command) to a PDF.
        text = pdf_text(base64.b64decode(d.print_page()), tmp_path)
        lines = [line.strip() for line in text.splitlines()]
        found = [line for line in lines if line.startswith("Ligne ")]
        assert found == LONG.splitlines(), "the printed answer is cut or out of order"
        assert "Enregistré" not in text and "Mon cahier" not in text.split("Éveil")[0]

    apply_print_css(d)
    g = d.execute_script(PRINT_GEOMETRY, BOX)
    assert g["textareaDisplay"] == "none" and g["copyDisplay"] == "block", g
    assert g["text"] == LONG and g["whiteSpace"] == "pre-wrap", g
    assert g["scroll"] <= g["client"] + 1, f"the printed answer is cut: {g}"
    assert g["copyBottom"] <= g["boxBottom"] + 1, g
    assert g["copyHeight"] >= 30 * g["line"] - 2, g
    empty = d.execute_script(PRINT_GEOMETRY, "eveil.dans-mes-contextes")
    assert empty["copyDisplay"] == "none" and empty["textareaDisplay"] == "none", empty
    assert d.execute_script(
        "return getComputedStyle(document.querySelector("
        "'[data-cahier-box=\"eveil.dans-mes-contextes\"]')).backgroundImage;"
    ).startswith("repeating-linear-gradient")
    assert d.execute_script(
        "return [...document.querySelectorAll('button, nav.cahier-nav')]"
        ".every((e) => getComputedStyle(e).display === 'none' || !e.offsetParent);"
    )

    open_mon_cahier(web)
    wait_for(
        d,
        lambda d: (
            mc_text(d, f'.cahier-mc-box[data-cahier-mc-box="{BOX}"] .cahier-mc-answer') == LONG
        ),
        "the answer in « Mon cahier »",
    )
    if web.engine == "firefox":
        text = pdf_text(base64.b64decode(d.print_page()), tmp_path)
        found = [line.strip() for line in text.splitlines() if line.strip().startswith("Ligne ")]
        assert found == LONG.splitlines(), "« Mon cahier » printed: the answer is cut"
    apply_print_css(d)
    answer = d.execute_script(
        "const a = document.querySelector(arguments[0]); const s = getComputedStyle(a);"
        "return {display: s.display, text: a.textContent, scroll: a.scrollHeight,"
        " client: a.clientHeight, whiteSpace: s.whiteSpace,"
        " actions: getComputedStyle(document.querySelector('.cahier-mc-actions')).display};",
        f'.cahier-mc-box[data-cahier-mc-box="{BOX}"] .cahier-mc-answer',
    )
    assert answer["display"] != "none" and answer["text"] == LONG, answer
    assert answer["whiteSpace"] == "pre-wrap" and answer["scroll"] <= answer["client"] + 1, answer
    assert answer["actions"] == "none", answer


# --- every page ---------------------------------------------------------------------------------


REFRESH = re.compile(r'http-equiv="Refresh" content="\d+;\s*url=([^"]+)"', re.I)
ICON = re.compile(r'<link\b[^>]*\brel="(?:shortcut )?icon"', re.I)


def test_every_page_loads_without_an_error(web, site_dir):
    """The guard fails the test on any error or missing file; each page is given time to run."""
    d = web.driver
    pages = sorted(str(p.relative_to(site_dir)) for p in site_dir.glob("*.html"))
    pages += sorted(str(p.relative_to(site_dir)) for p in (site_dir / "book").glob("*.html"))
    assert "book/eveil.html" in pages and "book/mon-cahier.html" in pages
    for page in pages:
        source = (site_dir / page).read_text(encoding="utf-8")
        redirect = REFRESH.search(source)
        # Where the window ends up: the page, or where it sends the browser (the site's root).
        target = posixpath.join(posixpath.dirname(page), redirect.group(1)) if redirect else page
        final = "/" + posixpath.normpath(target)
        d.get(f"{web.base}/{page}")
        wait_for(
            d,
            lambda d, final=final: (
                d.execute_script(
                    "return location.pathname === arguments[0] && document.readyState;", final
                )
                == "complete"
            ),
            f"{page} to load (at {final})",
        )
        if final.startswith("/book/"):
            wait_for(
                d,
                lambda d: d.execute_script(
                    "const s = document.getElementById('cahier-script');"
                    "return !!s && s.hasAttribute('data-cahier-ready');"
                ),
                f"Cahier ready on {final}",
            )
        time.sleep(0.2)
        assert d.execute_script("return window.__enginesErrors || [];") == [], page
    # A page that declares no icon makes the browser ask for /favicon.ico, a 404 (WebKit does it
    # on the site's root page before following its redirect, when it loads fast enough).
    assert [p for p in pages if not ICON.search((site_dir / p).read_text("utf-8"))] == [], (
        "pages without an icon: browsers request /favicon.ico"
    )
