"""Writing comfort (issue 13): the writing area grows with the text, a quiet word count and the time
of the last save sit under each box, beside the live « Enregistré » (announced as before)."""

from __future__ import annotations

import re

import pytest
from cahier_helpers import box, box_input, open_book_page, page_info, wait_stored_text
from playwright.sync_api import expect

PAGE = "eveil"


@pytest.mark.parametrize("sizing", ["css", "script"])
def test_the_writing_area_grows_with_the_text(context, url, sizing):
    if sizing == "script":
        # A browser without CSS field-sizing (Firefox, Safari): boxes.js sizes the area.
        context.add_init_script(
            "(() => { const supports = CSS.supports.bind(CSS); CSS.supports = (...a) =>"
            " String(a[0]).includes('field-sizing') ? false : supports(...a); })();"
        )
    page = context.new_page()
    open_book_page(page, url(PAGE))
    bid = page_info(page)["boxes"][0]
    field = box_input(page, bid)
    before = field.bounding_box()["height"]
    field.click()
    for i in range(40):
        page.keyboard.type(f"ligne {i + 1}")
        page.keyboard.press("Enter")
    after = field.bounding_box()["height"]
    assert after > before * 3, (before, after)
    inner = field.evaluate("el => [el.scrollHeight, el.clientHeight]")
    assert inner[0] <= inner[1] + 1, f"inner scroll: {inner}"


def test_word_count_and_save_time_under_each_box(page, url):
    open_book_page(page, url(PAGE))
    info = page_info(page)
    s = info["strings"]
    bid = info["boxes"][1]
    meta = box(page, bid).locator(".cahier-box-meta")
    expect(meta).to_have_text("")
    box_input(page, bid).click()
    page.keyboard.type("Un deux trois")
    wait_stored_text(page, info["prefix"] + bid, "Un deux trois")
    # Read after the live « Enregistré »: « Enregistré à 14 h 32 · 3 mots ».
    expect(meta).to_have_text(re.compile(r"^à \d{1,2} h \d{2} · 3 mots$"))
    page.keyboard.press("Control+A")
    page.keyboard.type("Seul")
    expect(meta).to_have_text(re.compile(r"^à \d{1,2} h \d{2} · 1 mot$"))
    # The live region says only what it said before: no announcement per word or per minute.
    status = box(page, bid).locator(".cahier-box-status")
    expect(status).to_have_text(s["saved"])
    expect(status).to_have_attribute("role", "status")
    assert meta.evaluate("el => el.closest('[role=status], [aria-live]')") is None
    # Restored text shows its count (no save time: it was not saved by this page).
    page.reload()
    open_book_page(page, url(PAGE))
    expect(box(page, bid).locator(".cahier-box-meta")).to_have_text("1 mot")


def test_focus_on_writing_full_screen_and_back_by_keyboard(page, url):
    page.set_viewport_size({"width": 390, "height": 800})
    open_book_page(page, url(PAGE))
    info = page_info(page)
    s = info["strings"]
    bid = info["boxes"][0]
    field = box_input(page, bid)
    field.click()
    page.keyboard.type("Début")
    opener = box(page, bid).locator("button.cahier-box-focus")
    expect(opener).to_have_text(s["focus_open"])
    page.keyboard.press("Tab")  # the next stop after the box is its « Plein écran »
    expect(opener).to_be_focused()
    page.keyboard.press("Enter")

    dialog = page.locator("dialog.cahier-focus")
    expect(dialog).to_be_visible()
    area = dialog.bounding_box()
    assert area["width"] >= 385 and area["height"] >= 790, area
    expect(dialog.locator("h2")).to_have_text("En moi")
    expect(dialog.locator(".cahier-questions li").first).to_be_visible()
    inside = dialog.locator("textarea.cahier-box-input")
    expect(inside).to_be_focused()
    expect(inside).to_have_value("Début")
    # The textarea is the page's own (moved, not copied): no id twice, saving goes on.
    assert page.evaluate(
        "() => { const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);"
        " return ids.length === new Set(ids).size; }"
    )
    page.keyboard.type(" puis la suite, en plein écran.")
    wait_stored_text(page, info["prefix"] + bid, "Début puis la suite, en plein écran.")

    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(field).to_have_value("Début puis la suite, en plein écran.")
    expect(box(page, bid).locator("textarea.cahier-box-input")).to_have_count(1)
    expect(opener).to_be_focused()
