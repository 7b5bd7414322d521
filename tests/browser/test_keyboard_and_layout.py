"""Keyboard only, small screens and zoom, announcements that leave the focus where it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cahier_helpers import (
    FILL_STORAGE_ON_DEMAND,
    box,
    box_input,
    dumps,
    open_book_page,
    page_info,
    seed,
    stored,
)
from playwright.sync_api import expect

PAGE = "eveil"

# The element that has the focus, where it is in the reading order, and how its focus shows.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const all = [...document.querySelectorAll("*")];
  const s = getComputedStyle(el);
  return {
    index: all.indexOf(el), tag: el.tagName.toLowerCase(), id: el.id, mark: el.dataset.kbd,
    text: (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 60),
    focusVisible: el.matches(":focus-visible"),
    outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 1,
    shadow: s.boxShadow !== "none",
  };
}"""

# Mark every visible text box and button of the page with its rank in document order.
MARK_OPERABLE = """() => [...document.querySelectorAll("textarea, button")]
  .filter((el) => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0
          && getComputedStyle(el).visibility !== "hidden")
  .map((el, i) => { el.dataset.kbd = String(i); return el.tagName.toLowerCase(); })"""


def tab_walk(page, on_focus=None, limit=200) -> list[dict]:
    """Press Tab from the top of the page until the focus leaves the page or comes back."""
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    seen: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (seen and focused["index"] == seen[0]["index"]):
            break
        seen.append(focused)
        if on_focus:
            on_focus(focused)
    return seen


def test_keyboard_only_walk_reaches_fills_and_shows_every_box_and_button(page, url):
    open_book_page(page, url(PAGE))
    info = page_info(page)
    s = info["strings"]
    typed: dict[str, str] = {}

    def fill_if_box(focused):
        if focused["tag"] != "textarea":
            return
        bid = page.evaluate("() => document.activeElement.name")
        text = f"au clavier : {bid}"
        page.keyboard.type(text)
        typed[bid] = text
        status = box(page, bid).locator(".cahier-box-status")
        expect(status).to_have_text(s["saved"])
        # The status is announced (role=status) and the focus stays in the box.
        assert page.evaluate("() => document.activeElement.name") == bid

    operable = page.evaluate(MARK_OPERABLE)
    assert operable.count("textarea") == len(info["boxes"]) and "button" in operable
    walk = tab_walk(page, fill_if_box)
    reached = [int(f["mark"]) for f in walk if f["mark"] is not None]
    assert reached == list(range(len(operable))), "Tab misses a box or a button, or skips order"
    assert set(typed) == set(info["boxes"])
    assert [f["index"] for f in walk] == sorted(f["index"] for f in walk), "focus order jumps"
    hidden = [f for f in walk if not (f["focusVisible"] and (f["outline"] or f["shadow"]))]
    assert hidden == [], "focus not visible on these elements"
    for bid, text in typed.items():
        assert json.loads(stored(page, info["prefix"] + bid))["text"] == text


def test_every_box_has_a_visible_label_and_no_placeholder(page, url):
    open_book_page(page, url(PAGE))
    fields = page.locator("textarea.cahier-box-input")
    assert fields.count() >= 3
    for i in range(fields.count()):
        field = fields.nth(i)
        assert field.get_attribute("placeholder") is None
        label = page.locator(f'label[for="{field.get_attribute("id")}"]')
        expect(label).to_be_visible()
        assert label.inner_text().strip()


def test_conflict_is_announced_without_stealing_focus_and_solved_by_keyboard(page, url):
    open_book_page(page, url(PAGE))
    info = page_info(page)
    s = info["strings"]
    bid = info["boxes"][1]
    key = info["prefix"] + bid
    field = box_input(page, bid)
    field.focus()
    page.keyboard.type("mon texte")
    expect(box(page, bid).locator(".cahier-box-status")).to_have_text(s["saved"])
    # Another tab wrote a newer version that this tab missed; typing meets it.
    seed(page, {key: dumps({"v": 1, "text": "l'autre onglet", "t": 4_000_000_000_000})})
    page.keyboard.type(" + encore")
    conflict = box(page, bid).locator(".cahier-box-conflict")
    expect(conflict.get_by_role("alert")).to_have_text(s["conflict"])
    assert page.evaluate("() => document.activeElement.name") == bid
    # The next Tab stops reach the conflict's buttons; Enter keeps this text.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == s["conflict_keep_mine"]
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == s["conflict_take_theirs"]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(conflict).to_have_count(0)
    assert json.loads(stored(page, key))["text"] == "mon texte + encore"


def test_storage_alert_is_announced_without_stealing_focus(context, url):
    context.add_init_script(FILL_STORAGE_ON_DEMAND)
    page = context.new_page()
    open_book_page(page, url(PAGE))
    info = page_info(page)
    bid = info["boxes"][0]
    page.evaluate("() => { window.__cahierFull = true; }")
    box_input(page, bid).focus()
    page.keyboard.type("trop plein")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(info["strings"]["storage_full"])
    assert page.evaluate("() => document.activeElement.name") == bid
    assert alert.evaluate("el => el.tabIndex") < 0 or alert.get_attribute("tabindex") is None


def site_pages(site_dir: Path) -> list[str]:
    pages = sorted(str(p.relative_to(site_dir)) for p in (site_dir / "book").glob("*.html"))
    return [*pages, "search.html", "genindex.html"]


@pytest.mark.parametrize(
    ("width", "height", "scale"),
    [(320, 640, 1), (640, 400, 2)],  # a 320 px phone; a 1280 px window at 200 % zoom
    ids=["320px", "zoom-200"],
)
def test_no_horizontal_scroll(browser, site_dir, site_url, width, height, scale):
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=scale
    )
    try:
        too_wide = {}
        for name in site_pages(site_dir):
            page = context.new_page()
            page.goto(f"{site_url}/{name}", wait_until="networkidle")
            if name == f"book/{PAGE}.html":
                # The longest words people paste: a web address, in a box.
                page.locator("textarea").first.fill("https://example.org/" + "a" * 200)
            sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if sizes[0] > sizes[1]:
                too_wide[name] = sizes
            page.close()
        assert too_wide == {}, f"horizontal scroll at {width}px x{scale}: {too_wide}"
    finally:
        context.close()


def test_no_horizontal_scroll_with_the_alert_at_320px(browser, site_url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    context.add_init_script(
        'Object.defineProperty(window, "localStorage", { get() { return null; }, '
        "configurable: true });"
    )
    try:
        page = context.new_page()
        open_book_page(page, f"{site_url}/book/{PAGE}.html")
        expect(page.get_by_role("alert")).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
