"""Nothing moves while a page loads, and the « Mon cahier » bar keeps its place (issues 13 and 14).

- Cumulative layout shift, as Chromium reports it (``PerformanceObserver``, type ``layout-shift``,
  buffered), at most 0.01 on a theme page, the drawing page and the title page, on a phone and on a
  desktop screen, over a slow network (each request delayed: the page paints before its scripts run,
  as on a phone). A storage alert (blocked storage) moves nothing either.
- The bar is written by the build: on one line at 320 px; at 320, 390, 768 and 1280 px, in light and
  dark, it never overlaps the page's title or the theme toggle.
- It shows « n / N » with a ``<progress>`` named « n sur N cases écrites »; the navigation shows
  « n/N » beside each page with boxes.
"""

from __future__ import annotations

import re

import pytest
from cahier_helpers import box_input, open_book_page, page_info, wait_stored_text
from playwright.sync_api import expect

MAX_CLS = 0.01
PAGES = {"theme": "eveil", "drawing": "dessin", "title": "index"}
SCREENS = {"phone": (390, 844), "desktop": (1280, 800)}
#: Every request waits this long (Chromium's network emulation): the first paint comes before our
#: scripts have run, as on a phone on a slow network.
LATENCY_MS = 150

# Every layout shift of the page so far (none after user input here), with what moved.
SHIFTS = """() => new Promise((resolve) => {
  const shifts = [];
  const name = (n) => {
    if (!n || n.nodeType !== 1) return String(n && n.nodeName);
    const cls = typeof n.className === "string" ? n.className.trim().split(/\\s+/).join(".") : "";
    return n.tagName.toLowerCase() + (n.id ? "#" + n.id : "") + (cls ? "." + cls : "");
  };
  const rect = (r) => [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      shifts.push({value: e.value, recentInput: e.hadRecentInput, at: Math.round(e.startTime),
        sources: (e.sources || []).map((s) => ({node: name(s.node),
          from: rect(s.previousRect), to: rect(s.currentRect)}))});
    }
  });
  observer.observe({type: "layout-shift", buffered: true});
  setTimeout(() => { observer.disconnect(); resolve(shifts); }, 300);
})"""


def open_throttled(browser, guard, url: str, size: tuple[int, int], init_script: str = ""):
    """A fresh context (nothing cached, no service worker), each request delayed; the page loaded
    and settled (scripts run, the list of pages fetched, a drawing wired)."""
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height}, service_workers="block"
    )
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    guard.watch(page)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": LATENCY_MS, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    page.goto(url, wait_until="load")
    page.locator("#cahier-script[data-cahier-ready]").wait_for(state="attached", timeout=15000)
    if page.locator(".cahier-sketch[data-cahier-sketch]").count():
        page.locator(".cahier-sketch[data-cahier-ready]").first.wait_for(
            state="attached", timeout=15000
        )
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    return context, page


def cls_of(page) -> tuple[float, list[dict]]:
    shifts = page.evaluate(SHIFTS)
    counted = [s for s in shifts if not s["recentInput"]]
    return sum(s["value"] for s in counted), counted


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("kind", PAGES)
def test_nothing_moves_while_the_page_loads(browser, guard, url, kind, screen):
    context, page = open_throttled(browser, guard, url(PAGES[kind]), SCREENS[screen])
    try:
        total, shifts = cls_of(page)
        assert total <= MAX_CLS, f"{kind} page, {screen}: CLS {total:.4f}\n{shifts}"
        # The bar is there, and filled in.
        expect(page.locator(".cahier-nav .cahier-nav-done")).to_have_text(re.compile(r"^\d+$"))
    finally:
        context.close()


def test_a_storage_alert_moves_nothing(browser, guard, url):
    """Blocked storage: the alert shows at once, over the page, in the page's one alert region."""
    blocked = (
        'Object.defineProperty(window, "localStorage", { get() { '
        'throw new DOMException("blocked", "SecurityError"); }, configurable: true });'
    )
    context, page = open_throttled(browser, guard, url(PAGES["theme"]), SCREENS["phone"], blocked)
    try:
        alert = page.get_by_role("alert")
        expect(alert).to_be_visible()
        total, shifts = cls_of(page)
        assert total <= MAX_CLS, f"CLS {total:.4f}\n{shifts}"
        expect(page.locator(".cahier-alerts [role=alert]")).to_be_visible()
        # Over the page, but never over the title or the bar.
        for other in ("h1", ".cahier-nav"):
            assert not overlap(alert.bounding_box(), page.locator(other).bounding_box()), other
        # The end of the page can still be read above it.
        page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
        footer = page.locator("footer .bottom-of-page").bounding_box()
        assert footer["y"] + footer["height"] <= alert.bounding_box()["y"] + 1
    finally:
        context.close()


def overlap(a: dict | None, b: dict | None) -> bool:
    if not a or not b:
        return False
    return (
        a["x"] < b["x"] + b["width"] - 0.5
        and b["x"] < a["x"] + a["width"] - 0.5
        and a["y"] < b["y"] + b["height"] - 0.5
        and b["y"] < a["y"] + a["height"] - 0.5
    )


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 390, 768, 1280])
def test_the_bar_never_covers_the_title_or_the_theme_toggle(browser, guard, site_url, width, theme):
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_init_script(f'try {{ localStorage.setItem("theme", "{theme}"); }} catch {{}}')
    try:
        page = context.new_page()
        guard.watch(page)
        for name in PAGES.values():
            open_book_page(page, f"{site_url}/book/{name}.html")
            bar = page.locator(".cahier-nav")
            expect(bar).to_be_visible()
            boxes = {
                "bar": bar.bounding_box(),
                "title": page.locator("h1").first.bounding_box(),
                "toggle": page.locator(".theme-toggle:visible").first.bounding_box(),
            }
            assert not overlap(boxes["bar"], boxes["title"]), (name, boxes)
            assert not overlap(boxes["bar"], boxes["toggle"]), (name, boxes)
            # Each part of the bar is whole and inside the window.
            parts = bar.locator(":scope > :visible").evaluate_all(
                "(els) => els.map((e) => { const r = e.getBoundingClientRect();"
                " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,"
                " clipped: e.scrollWidth > e.clientWidth + 1}; })"
            )
            assert all(p["left"] >= 0 and p["right"] <= width for p in parts), (name, parts)
            assert not any(p["clipped"] for p in parts), (name, parts)
            if width == 320:
                # One line: every part on the same row.
                tops = [p["top"] for p in parts]
                bottoms = [p["bottom"] for p in parts]
                assert max(tops) < min(bottoms), (name, parts)
            # Link, « n / N », the progress bar, the export button.
            assert len(parts) >= 4, (name, parts)
    finally:
        context.close()


def test_progress_in_the_bar_and_counts_in_the_navigation(page, url):
    open_book_page(page, url("eveil"))
    info = page_info(page)
    bar = page.locator(".cahier-nav")
    total = int(bar.locator(".cahier-nav-total").inner_text())
    meter = page.get_by_role("progressbar", name=f"0 sur {total} cases écrites")
    expect(meter).to_be_visible()
    expect(bar.locator(".cahier-nav-count")).to_have_text(f"0\u2009/\u2009{total}")
    for bid in info["boxes"][:2]:
        box_input(page, bid).fill("écrit")
        wait_stored_text(page, info["prefix"] + bid, "écrit")
    expect(page.get_by_role("progressbar", name=f"2 sur {total} cases écrites")).to_have_attribute(
        "value", "2"
    )
    expect(bar.locator(".cahier-nav-done")).to_have_text("2")
    here = page.locator('.sidebar-tree a.reference[href="#"]')
    expect(here.locator(".cahier-toc-count")).to_have_text("2/3")
    expect(here).to_have_accessible_name(re.compile(r"\(2 sur 3 cases écrites\)$"))
    box_input(page, info["boxes"][2]).fill("écrit")
    wait_stored_text(page, info["prefix"] + info["boxes"][2], "écrit")
    expect(here.locator(".cahier-toc-count")).to_have_text("✓")
    expect(here).to_have_accessible_name(re.compile(r"\(complété\)$"))
    # Another page: its own count, and the bar's total for the book.
    open_book_page(page, url("regards"))
    expect(page.locator(".cahier-nav .cahier-nav-done")).to_have_text("3")
    eveil = page.locator('.sidebar-tree a.reference[href="eveil.html"]')
    expect(eveil.locator(".cahier-toc-count")).to_have_text("✓")
    expect(page.locator('.sidebar-tree a.reference[href="#"] .cahier-toc-count')).to_have_text(
        "0/3"
    )
