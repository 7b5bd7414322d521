"""Never lose a word: the paths found by trying the workbook as a participant (or an attacker).

Back without the back/forward cache, blocked storage, continuous typing, two tabs in real conflict,
an import dialog left open while another tab writes, a box of the wrong kind, time stamps from
outside, text typed before the script has run. Each test failed before its fix.
"""

from __future__ import annotations

import contextlib
import json
import time

from cahier_helpers import (
    FAIL_WRITES,
    box,
    box_input,
    dumps,
    import_file,
    open_book_page,
    open_mon_cahier,
    open_two_tabs,
    page_info,
    seed,
    stored,
    wait_stored_text,
)
from playwright.sync_api import expect

PAGE = "eveil"
BLOCKED = (
    'Object.defineProperty(window, "localStorage", { get() { '
    'throw new DOMException("blocked", "SecurityError"); }, configurable: true });'
)


def export_of(answers: dict, edition: str = "2025") -> dict:
    return {
        "format": "cahier-export",
        "v": 1,
        "book": "enap-coproduction",
        "edition": edition,
        "exported": "2025-10-20T10:00:00.000Z",
        "answers": answers,
    }


def wait_ready(page):
    page.locator("#cahier-script[data-cahier-ready]").wait_for(state="attached", timeout=5000)


# --- 1. Back without the back/forward cache --------------------------------------------------


def test_back_never_brings_back_stale_text(context, url):
    # Playwright's Chromium runs with --disable-back-forward-cache: Back reloads the page, and
    # the browser restores form fields as they were when the page was left.
    b = context.new_page()
    open_book_page(b, url(PAGE))
    info = page_info(b)
    bid = info["boxes"][0]
    key = info["prefix"] + bid
    box_input(b, bid).click()
    b.keyboard.type("ancien")  # typed: the browser keeps typed form state for Back
    wait_stored_text(b, key, "ancien")
    b.goto(url("index"))

    a = context.new_page()
    open_book_page(a, url(PAGE))
    expect(box_input(a, bid)).to_have_value("ancien")
    box_input(a, bid).press("End")
    a.keyboard.type(" puis plus récent")
    wait_stored_text(a, key, "ancien puis plus récent")

    b.go_back()
    wait_ready(b)
    b.wait_for_timeout(300)  # let any late form restoration happen
    expect(box_input(b, bid)).to_have_value("ancien puis plus récent")
    box_input(b, bid).press("End")
    b.keyboard.type(" !")
    wait_stored_text(b, key, "ancien puis plus récent !")


def test_back_after_erase_shows_an_empty_box(page, url):
    open_book_page(page, url(PAGE))
    info = page_info(page)
    bid = info["boxes"][1]
    key = info["prefix"] + bid
    box_input(page, bid).click()
    page.keyboard.type("à effacer sur un ordinateur partagé")
    wait_stored_text(page, key, "à effacer sur un ordinateur partagé")
    open_mon_cahier(page, url("mon-cahier"))
    page.locator("button.cahier-mc-erase").click()
    page.locator("dialog.cahier-dialog button.cahier-erase-confirm").click()
    expect(page.locator(".cahier-mc-status")).not_to_be_empty()
    assert stored(page, key) is None

    page.go_back()
    wait_ready(page)
    page.wait_for_timeout(300)
    expect(box_input(page, bid)).to_have_value("")
    box_input(page, bid).press("End")
    page.keyboard.type("x")
    wait_stored_text(page, key, "x")


# --- 2. Blocked storage never invents a conflict ----------------------------------------------


def test_blocked_storage_never_invents_a_conflict(context, url):
    context.add_init_script(BLOCKED)
    page = context.new_page()
    open_book_page(page, url(PAGE))
    info = page_info(page)
    s = info["strings"]
    bid = info["boxes"][0]
    field = box_input(page, bid)
    field.click()
    for word in ["Première phrase.", " Deuxième phrase.", " Troisième."]:
        page.keyboard.type(word)
        page.wait_for_timeout(400)  # a pause: longer than the debounce
    field.blur()
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    expect(box(page, bid).locator(".cahier-box-conflict")).to_have_count(0)
    expect(page.get_by_text(s["conflict"])).to_have_count(0)
    expect(field).to_have_value("Première phrase. Deuxième phrase. Troisième.")
    expect(page.get_by_role("alert")).to_have_text(s["storage_unavailable"])


def test_blocked_storage_never_invents_a_conflict_on_a_drawing(context, url):
    context.add_init_script(BLOCKED)
    page = context.new_page()
    open_book_page(page, url("dessin"))
    page.locator(".cahier-sketch[data-cahier-ready]").wait_for(state="attached")
    canvas = page.locator("canvas.cahier-sketch-canvas")
    canvas.scroll_into_view_if_needed()
    for y in (0.2, 0.5, 0.8):
        bb = canvas.bounding_box()
        page.mouse.move(bb["x"] + bb["width"] * 0.1, bb["y"] + bb["height"] * y)
        page.mouse.down()
        for i in range(1, 10):
            page.mouse.move(bb["x"] + bb["width"] * (0.1 + 0.08 * i), bb["y"] + bb["height"] * y)
        page.mouse.up()
        page.wait_for_timeout(400)
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    expect(page.locator(".cahier-sketch-conflict")).to_have_count(0)


# --- 11. Continuous typing saves at least every 2 s -------------------------------------------


def test_continuous_typing_saves_while_typing(context, url):
    context.add_init_script(
        """(() => { window.__writes = [];
          const orig = Storage.prototype.setItem;
          Storage.prototype.setItem = function (k, v) {
            if (String(k).includes(".en-moi")) window.__writes.push(performance.now());
            return orig.call(this, k, v); }; })();"""
    )
    page = context.new_page()
    open_book_page(page, url(PAGE))
    bid = page_info(page)["boxes"][0]
    box_input(page, bid).click()
    start = page.evaluate("() => performance.now()")
    page.keyboard.type("une réflexion tapée sans pause " * 2, delay=90)  # ~5.5 s, ~11 keys/s
    end = page.evaluate("() => performance.now()")
    writes = page.evaluate("() => window.__writes")
    during = [w for w in writes if start <= w <= end]
    assert len(during) >= 2, f"{len(during)} writes in {end - start:.0f} ms of typing"
    # at least every 2 s (and a little slack for the event loop), never on every key
    gaps = [b - a for a, b in zip([start, *during], [*during, end], strict=True)]
    assert max(gaps[:-1]) <= 2300, gaps
    assert len(during) <= 8, f"{len(during)} writes: one per key?"


# --- 10. A real conflict shows both versions and can keep both ---------------------------------


def test_conflict_shows_the_other_version_and_keeps_both(context, url):
    a, b = open_two_tabs(context, url(PAGE))
    info = page_info(a)
    s = info["strings"]
    bid = info["boxes"][2]
    key = info["prefix"] + bid
    theirs = "Le texte de l'autre onglet.\n<b>pas du HTML</b>"
    seed(b, {key: dumps({"v": 1, "text": theirs, "t": 4_000_000_000_000})})
    box_input(b, bid).click()
    b.keyboard.type("Mon texte à moi.")
    conflict = box(b, bid).locator(".cahier-box-conflict")
    expect(conflict).to_contain_text(s["conflict"])
    other = conflict.locator(".cahier-conflict-theirs")
    expect(other).to_have_text(theirs, use_inner_text=False)
    assert conflict.locator("b").count() == 0
    conflict.get_by_role("button", name=s["conflict_keep_both"]).click()
    both = f"Mon texte à moi.\n\n{s['conflict_separator']}\n{theirs}"
    expect(box_input(b, bid)).to_have_value(both)
    wait_stored_text(b, key, both)
    assert json.loads(stored(b, key))["t"] > 4_000_000_000_000
    expect(conflict).to_have_count(0)
    expect(box_input(a, bid)).to_have_value(both)


def test_conflict_panel_follows_the_other_tab(context, url):
    a, b = open_two_tabs(context, url(PAGE))
    info = page_info(a)
    bid = info["boxes"][0]
    # B's writes fail, so its edit stays pending while A writes twice.
    b.evaluate(FAIL_WRITES)
    box_input(b, bid).fill("brouillon de B")
    box_input(a, bid).fill("A, premier jet")
    other = box(b, bid).locator(".cahier-conflict-theirs")
    expect(other).to_have_text("A, premier jet")
    box_input(a, bid).fill("A, second jet")
    expect(other).to_have_text("A, second jet")
    expect(box_input(b, bid)).to_have_value("brouillon de B")


# --- 4. The import dialog re-checks at confirmation -------------------------------------------


def test_import_never_overwrites_what_was_written_while_its_dialog_was_open(context, url):
    mc = context.new_page()
    open_mon_cahier(mc, url("mon-cahier"))
    prefix = page_info(mc)["prefix"]
    key = prefix + "eveil.en-moi"
    import_file(mc, export_of({"eveil.en-moi": {"text": "du fichier", "t": 1_700_000_000_000}}))
    dialog = mc.locator("dialog.cahier-dialog")
    expect(dialog.locator(".cahier-import-new")).to_be_visible()

    other = context.new_page()
    open_book_page(other, url(PAGE))
    box_input(other, "eveil.en-moi").fill("écrit pendant que la fenêtre était ouverte")
    wait_stored_text(other, key, "écrit pendant que la fenêtre était ouverte")
    written = stored(other, key)

    dialog.locator("button.cahier-import-confirm").click()
    # Nothing written: the plan is made again and shown again, saying why.
    assert stored(mc, key) == written
    dialog = mc.locator("dialog.cahier-dialog")
    expect(dialog.locator(".cahier-import-changed")).to_be_visible()
    expect(dialog).to_contain_text("1 réponse(s) différente(s)")
    expect(dialog.locator(".cahier-import-new")).to_have_count(0)
    # Confirmed again, knowingly: the file's text replaces it.
    dialog.locator("button.cahier-import-confirm").click()
    expect(mc.locator(".cahier-mc-status")).to_contain_text("1 réponse(s) importée(s).")
    assert json.loads(stored(mc, key))["text"] == "du fichier"


# --- 5. A box's kind is checked against the manifest ------------------------------------------

STROKES = [{"c": 0, "w": 7, "p": "0000aa"}]


def test_import_never_writes_a_drawing_into_a_text_box_or_text_into_a_drawing(page, url):
    open_mon_cahier(page, url("mon-cahier"))
    prefix = page_info(page)["prefix"]
    import_file(
        page,
        export_of(
            {
                "eveil.en-moi": {"strokes": STROKES, "t": 1_700_000_000_000},
                "dessin": {"text": "du texte dans un dessin", "t": 1_700_000_000_001},
                "regards.en-moi": {"text": "bien à sa place", "t": 1_700_000_000_002},
            }
        ),
    )
    dialog = page.locator("dialog.cahier-dialog")
    wrong = dialog.locator(".cahier-import-wrong-kind")
    expect(wrong).to_contain_text("Éveil")
    expect(wrong).to_contain_text("dessin", ignore_case=True)
    dialog.locator("button.cahier-import-confirm").click()
    expect(page.locator(".cahier-mc-status")).to_contain_text("1 réponse(s) importée(s).")
    assert stored(page, prefix + "eveil.en-moi") is None
    assert stored(page, prefix + "dessin") is None
    assert json.loads(stored(page, prefix + "regards.en-moi"))["text"] == "bien à sa place"
    # The box page is not locked: the participant can write.
    open_book_page(page, url(PAGE))
    expect(box_input(page, "eveil.en-moi")).to_have_js_property("readOnly", False)


def test_a_corrective_import_frees_a_box_holding_the_wrong_kind(page, url):
    open_mon_cahier(page, url("mon-cahier"))
    prefix = page_info(page)["prefix"]
    wrong = dumps({"v": 1, "strokes": STROKES, "t": 1_700_000_000_000})
    seed(page, {prefix + "eveil.en-moi": wrong})
    page.reload()
    open_mon_cahier(page, url("mon-cahier"))
    import_file(page, export_of({"eveil.en-moi": {"text": "corrigé", "t": 1_700_000_000_005}}))
    dialog = page.locator("dialog.cahier-dialog")
    expect(dialog.locator(".cahier-import-protected")).to_have_count(0)
    dialog.locator("button.cahier-import-confirm").click()
    expect(page.locator(".cahier-mc-status")).to_contain_text("1 réponse(s) importée(s).")
    assert json.loads(stored(page, prefix + "eveil.en-moi"))["text"] == "corrigé"
    open_book_page(page, url(PAGE))
    expect(box_input(page, "eveil.en-moi")).to_have_value("corrigé")
    expect(box_input(page, "eveil.en-moi")).to_have_js_property("readOnly", False)


# --- 7. Time stamps from outside are bounded --------------------------------------------------


def test_an_imported_time_stamp_cannot_defeat_the_stale_tab_check(page, url):
    open_mon_cahier(page, url("mon-cahier"))
    prefix = page_info(page)["prefix"]
    for t in [1e300, 2**53 + 2, 8.64e15 + 1, 1.5]:
        import_file(page, export_of({"eveil.en-moi": {"text": "x", "t": t}}))
        expect(page.locator(".cahier-mc-error")).to_contain_text("abîmé")
        assert stored(page, prefix + "eveil.en-moi") is None
    # A date in the future (a device with a wrong clock) is brought back to now.
    future = int(time.time() * 1000) + 365 * 24 * 3600 * 1000
    import_file(page, export_of({"eveil.en-moi": {"text": "du futur", "t": future}}))
    page.locator("dialog.cahier-dialog button.cahier-import-confirm").click()
    expect(page.locator(".cahier-mc-status")).to_contain_text("1 réponse(s) importée(s).")
    t = json.loads(stored(page, prefix + "eveil.en-moi"))["t"]
    assert t <= int(time.time() * 1000) + 1000


def test_a_stored_time_stamp_out_of_range_is_left_alone(page, url):
    open_book_page(page, url(PAGE))
    info = page_info(page)
    key = info["prefix"] + info["boxes"][0]
    raw = '{"v": 1, "text": "t hors de toute date", "t": 1e300}'
    seed(page, {key: raw})
    page.reload()
    open_book_page(page, url(PAGE))
    field = box_input(page, info["boxes"][0])
    expect(field).to_have_js_property("readOnly", True)
    field.click()
    page.keyboard.type("x")
    field.blur()
    page.wait_for_timeout(400)
    assert stored(page, key) == raw


# --- 12. Text typed before the script runs -------------------------------------------------------


def held_script(page, url_: str):
    """Open `url_` with cahier.js held back: the page is drawn, its boxes can be typed in, and
    nothing is wired yet (a slow phone on a slow network). Returns the function that lets the
    script come."""
    held = []
    released = []

    def hold(route):
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route("**/cahier.js*", hold)
    page.goto(url_, wait_until="commit")
    page.locator("textarea.cahier-box-input").first.wait_for(state="visible")

    def release():
        page.wait_for_timeout(200)
        assert held, "cahier.js was not requested"
        released.append(True)
        for route in held:
            route.continue_()
        wait_ready(page)

    return release


def test_text_typed_before_the_script_runs_is_kept_and_saved(context, url):
    page = context.new_page()
    open_book_page(page, url(PAGE))
    info = page_info(page)
    empty_id, written_id = info["boxes"][0], info["boxes"][1]
    seed(page, {info["prefix"] + written_id: dumps({"v": 1, "text": "déjà là", "t": 1})})

    release = held_script(page, url(PAGE))
    # Typed while the script is on its way: the browser's own input, no handler yet.
    box_input(page, empty_id).click()
    page.keyboard.type("écrit avant le script")
    box_input(page, written_id).click()
    page.keyboard.type("aussi")
    release()

    expect(box_input(page, empty_id)).to_have_value("écrit avant le script")
    wait_stored_text(page, info["prefix"] + empty_id, "écrit avant le script")
    # A box that already held an answer: neither text is lost (the conflict panel keeps both).
    field = box_input(page, written_id)
    expect(field).to_have_value("aussi")
    expect(box(page, written_id).locator(".cahier-box-conflict")).to_have_count(1)
    assert json.loads(stored(page, info["prefix"] + written_id))["text"] == "déjà là"


def test_text_typed_before_the_script_runs_stays_when_storage_is_blocked(context, url):
    context.add_init_script(BLOCKED)
    page = context.new_page()
    release = held_script(page, url(PAGE))
    field = page.locator("textarea.cahier-box-input").first
    field.click()
    page.keyboard.type("gardé à l'écran")
    release()
    expect(field).to_have_value("gardé à l'écran")
    expect(page.get_by_role("alert")).to_have_text(
        page_info(page)["strings"]["storage_unavailable"]
    )
    expect(page.locator(".cahier-box-conflict")).to_have_count(0)
    # A save was tried (kept in the page's memory), not silently skipped.
    status = page.locator(".cahier-box").first.locator(".cahier-box-status")
    expect(status).to_have_text(page_info(page)["strings"]["not_saved"])


def test_a_slow_book_file_never_delays_the_saving(browser, url, guard):
    """The interface strings come in a file of their own (the book file): on a slow network it may
    come long after the scripts (kept by the browser's cache). The boxes are wired without it
    after a short wait, save what is typed, and speak French once it comes."""
    context = browser.new_context(service_workers="block")
    held = []
    try:
        page = context.new_page()
        guard.watch(page)
        page.route("**/_static/cahier/*/book-*.json", lambda route: held.append(route))
        page.goto(url(PAGE))
        wait_ready(page)
        assert held, "the book file was not asked for"
        field = page.locator("textarea.cahier-box-input").first
        bid = page.locator(".cahier-box[data-cahier-box]").first.get_attribute("data-cahier-box")
        field.click()
        page.keyboard.type("pendant que le fichier traîne")
        key = (
            page.evaluate(
                "() => { const d = document.getElementById('cahier-script').dataset;"
                " return `cahier:${d.cahierBook}:${d.cahierEdition}:`; }"
            )
            + bid
        )
        wait_stored_text(page, key, "pendant que le fichier traîne")
        for route in held:
            route.continue_()
        status = box(page, bid).locator(".cahier-box-status")
        expect(status).to_have_text("Enregistré")
        focus = box(page, bid).locator("button.cahier-box-focus")
        expect(focus).to_have_text("Plein écran")
        page.keyboard.type(" !")
        expect(status).to_have_text("Enregistré")
    finally:
        for route in held:
            with contextlib.suppress(Exception):
                route.continue_()
        context.close()
