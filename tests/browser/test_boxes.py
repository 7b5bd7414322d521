"""Answer boxes: saving, restoring, tabs, storage failures, values from other versions, safety."""

from __future__ import annotations

import json

import pytest
from cahier_helpers import (
    FAIL_WRITES,
    FILL_STORAGE_ON_DEMAND,
    LEVEL_NAMES,
    THEME_PAGES,
    box,
    box_input,
    dumps,
    open_book_page,
    open_two_tabs,
    page_info,
    seed,
    stored,
    wait_stored_text,
)
from playwright.sync_api import expect

PAGE = "eveil"


def test_type_in_every_box_then_reload(page, url):
    open_book_page(page, url(PAGE))
    info = page_info(page)
    assert len(info["boxes"]) >= 3
    texts = {bid: f"Réponse « {bid} » — ligne 1\nligne 2 ✍️" for bid in info["boxes"]}
    for bid, text in texts.items():
        box_input(page, bid).fill(text)
    for bid, text in texts.items():
        wait_stored_text(page, info["prefix"] + bid, text)
        expect(box(page, bid).locator(".cahier-box-status")).to_have_text(info["strings"]["saved"])

    page.reload()
    open_book_page(page, url(PAGE))
    for bid, text in texts.items():
        expect(box_input(page, bid)).to_have_value(text)
        raw = stored(page, info["prefix"] + bid)
        value = json.loads(raw)
        assert set(value) == {"v", "text", "t"}
        assert value["v"] == 1 and value["text"] == text
        assert isinstance(value["t"], int) and value["t"] > 1_600_000_000_000
    # restoring writes nothing, so there is nothing to announce
    expect(box(page, info["boxes"][0]).locator(".cahier-box-status")).to_have_text("")
    # nothing else was written under our prefix (but the book-level `_meta`), nothing outside it
    keys = page.evaluate("() => Object.keys(localStorage)")
    keys = [k for k in keys if k != info["prefix"] + "_meta"]
    assert sorted(keys) == sorted(info["prefix"] + b for b in info["boxes"])


def test_no_write_without_a_change(page, url):
    open_book_page(page, url(PAGE))
    info = page_info(page)
    bid = info["boxes"][0]
    key = info["prefix"] + bid
    original = dumps({"v": 1, "text": "déjà là", "t": 1_700_000_000_000})
    seed(page, {key: original})
    page.reload()
    open_book_page(page, url(PAGE))
    expect(box_input(page, bid)).to_have_value("déjà là")
    box_input(page, bid).focus()
    box_input(page, info["boxes"][1]).focus()  # blur flushes, but there is nothing to save
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    assert stored(page, key) == original
    assert stored(page, info["prefix"] + info["boxes"][1]) is None


def test_close_tab_right_after_fill(context, url):
    page = context.new_page()
    open_book_page(page, url(PAGE))
    info = page_info(page)
    bid = info["boxes"][0]
    page.fill(f'[data-cahier-box="{bid}"] textarea', "écrit puis fermé")
    page.close()

    page2 = context.new_page()
    open_book_page(page2, url(PAGE))
    expect(box_input(page2, bid)).to_have_value("écrit puis fermé")


def test_navigate_away_right_after_typing(page, url):
    open_book_page(page, url(PAGE))
    info = page_info(page)
    bid = info["boxes"][1]
    box_input(page, bid).click()
    page.keyboard.type("tapé puis parti")
    page.goto(url("index"))
    open_book_page(page, url(PAGE))
    expect(box_input(page, bid)).to_have_value("tapé puis parti")
    assert json.loads(stored(page, info["prefix"] + bid))["text"] == "tapé puis parti"


def test_two_tabs_live_sync_and_stale_tab(context, url):
    a, b = open_two_tabs(context, url(PAGE))
    info = page_info(a)
    bid = info["boxes"][0]
    key = info["prefix"] + bid
    s = info["strings"]

    # Live: A types, B follows; B keeps its caret where it was.
    box_input(b, bid).fill("abcdef")
    wait_stored_text(b, key, "abcdef")
    expect(box_input(a, bid)).to_have_value("abcdef")
    box_input(b, bid).focus()
    box_input(b, bid).evaluate("el => el.setSelectionRange(2, 2)")
    box_input(a, bid).fill("abcdef depuis A")
    expect(box_input(b, bid)).to_have_value("abcdef depuis A")
    assert box_input(b, bid).evaluate(
        "el => [document.activeElement === el, el.selectionStart]"
    ) == [True, 2]

    # Stale B: another tab wrote and B missed the event (same-tab setItem fires no event in B).
    newer = dumps({"v": 1, "text": "version plus récente", "t": 4_000_000_000_000})
    seed(b, {key: newer})
    box_input(b, bid).press("End")
    b.keyboard.type(" + B")
    conflict = box(b, bid).locator(".cahier-box-conflict")
    expect(conflict).to_contain_text(s["conflict"])
    expect(conflict.get_by_role("alert")).to_have_text(s["conflict"])
    status = box(b, bid).locator(".cahier-box-status")
    expect(status).to_have_text(s["not_saved"])
    box_input(b, bid).blur()
    b.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    b.wait_for_timeout(400)  # longer than the debounce: B must still not have written
    assert stored(b, key) == newer
    expect(box_input(b, bid)).to_have_value("abcdef depuis A + B")
    expect(box_input(a, bid)).to_have_value(
        "version plus récente"
    )  # A (clean) followed the newer write

    # Keep mine: B's text is written with a fresh t, A follows.
    conflict.get_by_role("button", name=s["conflict_keep_mine"]).click()
    wait_stored_text(b, key, "abcdef depuis A + B")
    assert json.loads(stored(b, key))["t"] > 4_000_000_000_000
    expect(conflict).to_have_count(0)
    expect(status).to_have_text(s["saved"])
    expect(box_input(a, bid)).to_have_value("abcdef depuis A + B")

    # Take theirs: B loads the other tab's text, the store keeps it.
    newest = dumps({"v": 1, "text": "encore plus récent", "t": 5_000_000_000_000})
    seed(b, {key: newest})
    b.keyboard.type(" !")
    expect(conflict).to_contain_text(s["conflict"])
    conflict.get_by_role("button", name=s["conflict_take_theirs"]).click()
    expect(box_input(b, bid)).to_have_value("encore plus récent")
    expect(conflict).to_have_count(0)
    expect(status).not_to_have_text(s["not_saved"])
    assert stored(b, key) == newest


def test_pending_edit_meets_a_write_from_another_tab(context, url):
    a, b = open_two_tabs(context, url(PAGE))
    info = page_info(a)
    bid = info["boxes"][2]
    key = info["prefix"] + bid
    # Make B's writes fail so that its edit stays pending, then let A write.
    b.evaluate(FAIL_WRITES)
    box_input(b, bid).fill("brouillon de B")
    expect(box(b, bid).locator(".cahier-box-status")).to_have_text(info["strings"]["not_saved"])
    expect(b.get_by_role("alert")).to_have_text(info["strings"]["storage_error"])
    box_input(a, bid).fill("texte de A")
    wait_stored_text(a, key, "texte de A")
    expect(box(b, bid).locator(".cahier-box-conflict")).to_contain_text(info["strings"]["conflict"])
    expect(box_input(b, bid)).to_have_value("brouillon de B")
    assert json.loads(stored(b, key))["text"] == "texte de A"


def test_quota_exceeded(context, url):
    context.add_init_script(FILL_STORAGE_ON_DEMAND)
    page = context.new_page()
    open_book_page(page, url(PAGE))
    info = page_info(page)
    s = info["strings"]
    bid = info["boxes"][0]
    key = info["prefix"] + bid
    box_input(page, bid).fill("avant")
    wait_stored_text(page, key, "avant")
    before = stored(page, key)

    page.evaluate("() => { window.__cahierFull = true; }")
    box_input(page, bid).press("End")
    page.keyboard.type(" et après")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(s["storage_full"])
    assert s["storage_full"] and s["storage_full"] != "storage_full"
    # In the page's one alert region, docked over the page: always in view, it moves nothing.
    expect(page.locator(".cahier-alerts").filter(has=alert)).to_have_css("position", "fixed")
    expect(alert).to_be_in_viewport()
    expect(box(page, bid).locator(".cahier-box-status")).to_have_text(s["not_saved"])
    assert s["not_saved"] == "Non enregistré"
    expect(box_input(page, bid)).to_have_value("avant et après")
    assert stored(page, key) == before

    other = info["boxes"][1]
    box_input(page, other).fill("deuxième")
    expect(box(page, other).locator(".cahier-box-status")).to_have_text(s["not_saved"])

    # Leaving now would lose text: the browser asks first.
    page.on("dialog", lambda d: d.dismiss())
    with page.expect_event("dialog", timeout=3000) as dialog:
        page.close(run_before_unload=True)
    assert dialog.value.type == "beforeunload"
    assert not page.is_closed()

    # Room again: the next edit is saved, the other unsaved box too, and the alert goes away.
    box_input(page, bid).focus()
    expect(box(page, other).locator(".cahier-box-status")).to_have_text(s["not_saved"])
    page.evaluate("() => { window.__cahierFull = false; }")
    page.keyboard.press("End")
    page.keyboard.type(".")
    wait_stored_text(page, key, "avant et après.")
    wait_stored_text(page, info["prefix"] + other, "deuxième")
    expect(alert).to_have_count(0)
    expect(box(page, bid).locator(".cahier-box-status")).to_have_text(s["saved"])
    expect(box(page, other).locator(".cahier-box-status")).to_have_text(s["saved"])


@pytest.mark.parametrize(
    "blocker",
    [
        # captureStackTrace: so that an uncaught error tells which script read localStorage
        'get() { const e = new DOMException("blocked", "SecurityError"); '
        "Error.captureStackTrace(e); throw e; }",
        "get() { return null; }",  # Firefox with storage disabled
    ],
    ids=["security-error", "null"],
)
def test_storage_blocked(context, url, guard, blocker):
    context.add_init_script(
        f'Object.defineProperty(window, "localStorage", {{ {blocker}, configurable: true }});'
    )
    page = context.new_page()
    open_book_page(page, url(PAGE))
    info = page_info(page)
    s = info["strings"]
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(s["storage_unavailable"])
    bid = info["boxes"][0]
    box_input(page, bid).fill("gardé en mémoire")
    box_input(page, bid).blur()
    expect(box(page, bid).locator(".cahier-box-status")).to_have_text(s["not_saved"])
    expect(box_input(page, bid)).to_have_value("gardé en mémoire")
    expect(alert).to_have_text(s["storage_unavailable"])
    # No uncaught error at all (the guard checks): furo's theme script is guarded
    # (cahier/theme.py) and Sphinx's storage readers are not loaded (cahier/assets.py).
    assert guard.page_errors == []


def test_newer_and_unreadable_values_are_left_alone(page, url):
    open_book_page(page, url(PAGE))
    info = page_info(page)
    s = info["strings"]
    newer_id, garbage_id, badshape_id = info["boxes"][:3]
    values = {
        info["prefix"] + newer_id: dumps(
            {"v": 99, "text": "écrit par une version future", "t": 1, "x": [1]}
        ),
        info["prefix"] + garbage_id: "{pas du json",
        info["prefix"] + badshape_id: dumps({"v": 1, "text": ["pas", "du", "texte"]}),
    }
    seed(page, values)
    page.reload()
    open_book_page(page, url(PAGE))
    for bid, key in [
        (newer_id, "newer_version"),
        (garbage_id, "unreadable"),
        (badshape_id, "unreadable"),
    ]:
        field = box_input(page, bid)
        expect(box(page, bid)).to_contain_text(s[key])
        expect(field).to_have_js_property("readOnly", True)
        field.click()
        page.keyboard.type("tentative")
        page.keyboard.press("Tab")
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_timeout(400)  # longer than the debounce
    for key, value in values.items():
        assert stored(page, key) == value


def test_participant_text_is_never_markup(page, url):
    payload = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
    open_book_page(page, url(PAGE))
    info = page_info(page)
    bid = info["boxes"][0]
    box_input(page, bid).click()
    page.keyboard.type(payload)
    wait_stored_text(page, info["prefix"] + bid, payload)
    page.reload()
    open_book_page(page, url(PAGE))
    expect(box_input(page, bid)).to_have_value(payload)
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator(".cahier-box img, .cahier-box script").count() == 0


@pytest.mark.parametrize("name", THEME_PAGES)
def test_accessible_names_and_descriptions(page, url, name):
    open_book_page(page, url(name))
    fields = page.locator(".cahier-box textarea.cahier-box-input")
    assert fields.count() >= 3
    found = set()
    for i in range(fields.count()):
        field = fields.nth(i)
        acc_name = field.evaluate(
            "el => [...el.labels].map((l) => l.textContent.trim()).join(' ')"
            " || el.getAttribute('aria-label') || ''"
        )
        snapshot = field.aria_snapshot()
        assert acc_name and acc_name in snapshot, (acc_name, snapshot)
        level = next((lv for lv in LEVEL_NAMES if lv in acc_name), None)
        if level is None:
            continue  # a single prompt: named by its own label
        found.add(level)
        expect(page.get_by_role("textbox", name=acc_name, exact=True)).to_have_count(1)
        described = field.evaluate(
            """el => (el.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean)
              .map((id) => {
                const t = document.getElementById(id);
                const items = t ? [...t.querySelectorAll("li")].map((li) => li.textContent) : [];
                return t && {text: t.textContent, items};
              })"""
        )
        assert described and all(described), f"{acc_name}: aria-describedby targets missing"
        questions = [q for d in described for q in d["items"]]
        assert questions and all(q.strip() for q in questions), (
            f"{acc_name}: no questions in the description"
        )
    assert found == set(LEVEL_NAMES)


def test_page_restored_from_bfcache_rereads_clean_boxes(page, url):
    # Playwright's Chromium runs without the back/forward cache, so the restore is simulated:
    # the store changes behind the page's back (no storage event), then `pageshow` persisted.
    open_book_page(page, url(PAGE))
    info = page_info(page)
    clean, edited = info["boxes"][:2]
    box_input(page, edited).fill("mon brouillon")
    wait_stored_text(page, info["prefix"] + edited, "mon brouillon")
    box_input(page, edited).press("End")
    seed(
        page,
        {
            info["prefix"] + clean: dumps(
                {"v": 1, "text": "écrit ailleurs", "t": 4_000_000_000_000}
            ),
            info["prefix"] + edited: dumps(
                {"v": 1, "text": "écrit ailleurs", "t": 4_000_000_000_000}
            ),
        },
    )
    page.keyboard.type(" encore")  # pending edit, the debounce has not fired yet
    page.evaluate(
        "() => window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))"
    )
    expect(box_input(page, clean)).to_have_value("écrit ailleurs")
    expect(box_input(page, edited)).to_have_value("mon brouillon encore")
    expect(box(page, edited).locator(".cahier-box-conflict")).to_contain_text(
        info["strings"]["conflict"]
    )
