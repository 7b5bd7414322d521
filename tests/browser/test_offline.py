"""Offline and installable (service worker and web app manifest per edition), in Chromium.

Each test serves its own copy of the built site, so that it can take the network away for real:
the server stops (connections refused) and the browser context goes offline. The service worker
must then answer for every page and file of the edition.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from cahier_helpers import (
    ALL_PAGES,
    FILL_STORAGE_ON_DEMAND,
    box_input,
    open_book_page,
    open_mon_cahier,
    page_info,
    stored,
    wait_stored_text,
)
from playwright.sync_api import expect
from sphinx_cahier.localserver import serve

PREFIX = "cahier:enap-coproduction:2025:"


class Site:
    """A copy of the built site served on its own port, until `stop()`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._serving = serve(folder)
        self.url = self._serving.__enter__()

    def page(self, name: str) -> str:
        return f"{self.url}/book/{name}.html"

    def stop(self):
        if self._serving is not None:
            self._serving.__exit__(None, None, None)
            self._serving = None


@pytest.fixture
def site(site_dir, tmp_path):
    folder = tmp_path / "site"
    shutil.copytree(site_dir, folder)
    served = Site(folder)
    yield served
    served.stop()


@pytest.fixture
def site_url(site):
    """This module's pages come from the test's own server (the guard checks against it)."""
    return site.url


def wait_controlled(page):
    """Until the edition's service worker has precached everything and controls the page."""
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null",
        timeout=15000,
    )
    page.evaluate("() => navigator.serviceWorker.ready")


def go_offline(context, site):
    site.stop()
    context.set_offline(True)


def download(page, selector: str, tmp_path: Path) -> tuple[str, str]:
    with page.expect_download() as info:
        page.click(selector)
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return info.value.suggested_filename, target.read_text(encoding="utf-8")


def test_the_whole_workbook_works_offline_after_one_visit(context, site, tmp_path):
    page = context.new_page()
    open_book_page(page, site.page("index"))
    wait_controlled(page)
    go_offline(context, site)

    # Every page of the edition opens, wired, from the first visit's copy.
    for name in [*ALL_PAGES, "mon-cahier"]:
        open_book_page(page, site.page(name))
        expect(page.locator("article h1")).to_be_visible()
    page.goto(f"{site.url}/search.html")
    expect(page.locator("article h1")).to_be_visible()
    page.goto(f"{site.url}/")  # the edition's folder itself (the installed app's start_url)
    page.wait_for_url(re.compile(r"/book/index\.html$"))

    # Write, reload: kept.
    open_book_page(page, site.page("eveil"))
    box_input(page, "eveil.en-moi").fill("écrit hors ligne")
    wait_stored_text(page, PREFIX + "eveil.en-moi", "écrit hors ligne")
    page.reload()
    open_book_page(page, site.page("eveil"))
    expect(box_input(page, "eveil.en-moi")).to_have_value("écrit hors ligne")

    # Draw: kept.
    open_book_page(page, site.page("dessin"))
    page.locator(".cahier-sketch[data-cahier-ready]").wait_for(state="attached")
    canvas = page.locator("canvas.cahier-sketch-canvas")
    canvas.scroll_into_view_if_needed()
    bb = canvas.bounding_box()
    page.mouse.move(bb["x"] + 20, bb["y"] + 20)
    page.mouse.down()
    page.mouse.move(bb["x"] + 200, bb["y"] + 120, steps=8)
    page.mouse.up()
    page.wait_for_function(
        "(k) => { const v = localStorage.getItem(k); return v && JSON.parse(v).strokes.length; }",
        arg=PREFIX + "dessin",
    )

    # « Mon cahier »: the answer, the three exports, print, erase, import.
    open_mon_cahier(page, site.page("mon-cahier"))
    expect(page.locator('[data-cahier-mc-box="eveil.en-moi"]')).to_contain_text("écrit hors ligne")
    exports = {}
    for kind in ("html", "json", "md"):
        name, text = download(page, f"button.cahier-mc-export-{kind}", tmp_path)
        assert "écrit hors ligne" in text, kind
        exports[kind] = name
    page.emulate_media(media="print")
    expect(page.locator(".cahier-mc-actions")).to_be_hidden()  # print.css, from the cache
    page.emulate_media(media="screen")
    page.locator("button.cahier-mc-erase").click()
    page.locator("dialog.cahier-dialog button.cahier-erase-confirm").click()
    expect(page.locator(".cahier-mc-status")).not_to_be_empty()
    assert stored(page, PREFIX + "eveil.en-moi") is None
    page.set_input_files("input.cahier-mc-import-file", str(tmp_path / exports["html"]))
    page.locator("dialog.cahier-dialog button.cahier-import-confirm").click()
    expect(page.locator(".cahier-mc-status")).to_contain_text("importée")
    assert json.loads(stored(page, PREFIX + "eveil.en-moi"))["text"] == "écrit hors ligne"


def test_the_export_button_of_a_theme_page_works_offline(context, site, tmp_path):
    page = context.new_page()
    open_book_page(page, site.page("regards"))
    wait_controlled(page)
    box_input(page, "regards.en-moi").fill("à emporter")
    wait_stored_text(page, PREFIX + "regards.en-moi", "à emporter")
    go_offline(context, site)
    _, html = download(page, "button.cahier-nav-export", tmp_path)
    assert "à emporter" in html


def publish_new_version(site: Site, marker: str):
    """What the organizers' next build does to the served folder: a changed page, a new worker."""
    page = site.folder / "book" / "eveil.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("</h1>", f" {marker}</h1>", 1), encoding="utf-8"
    )
    worker = site.folder / "sw.js"
    text = worker.read_text(encoding="utf-8")
    version = re.search(r'"version": "(\w+)"', text).group(1)
    worker.write_text(text.replace(version, "f" * len(version), 1), encoding="utf-8")


def test_a_new_version_is_offered_and_never_loses_unsaved_text(context, site):
    context.add_init_script(FILL_STORAGE_ON_DEMAND)
    page = context.new_page()
    open_book_page(page, site.page("eveil"))
    wait_controlled(page)
    info = page_info(page)
    s = info["strings"]
    page.evaluate(
        """async () => { window.__sameDocument = true;
          await caches.open("cahier:enap-coproduction:2024:0123456789ab");
          await caches.open("cahier:autre-cahier:2025:0123456789ab"); }"""
    )
    field = box_input(page, "eveil.en-moi")
    field.fill("enregistré")
    wait_stored_text(page, PREFIX + "eveil.en-moi", "enregistré")
    page.evaluate("() => { window.__cahierFull = true; }")
    field.press("End")
    page.keyboard.type(" puis pas enregistré")

    publish_new_version(site, "(corrigé)")
    page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
    offer = page.locator(".cahier-update")
    expect(offer).to_contain_text(s["update_ready"])
    expect(offer).to_have_attribute("role", "status")
    # In the page's one place for alerts and offers (docked: nothing moves).
    assert offer.evaluate("el => !!el.closest('.cahier-alerts')")
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__sameDocument") is True  # never reloaded by itself

    # Storage refuses the text: reloading would lose it, so the page says so and stays.
    offer.get_by_role("button", name=s["update_reload"]).click()
    expect(offer.locator(".cahier-update-note")).to_have_text(s["update_unsaved"])
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__sameDocument") is True
    expect(field).to_have_value("enregistré puis pas enregistré")

    # Room again: the click saves, then reloads into the new version.
    page.evaluate("() => { window.__cahierFull = false; }")
    with page.expect_navigation():
        offer.get_by_role("button", name=s["update_reload"]).click()
    page.locator("#cahier-script[data-cahier-ready]").wait_for(state="attached")
    expect(page.locator("article h1")).to_contain_text("(corrigé)")
    expect(box_input(page, "eveil.en-moi")).to_have_value("enregistré puis pas enregistré")
    # Only this edition's older cache is gone.
    caches = page.evaluate("() => caches.keys()")
    assert "cahier:enap-coproduction:2024:0123456789ab" in caches
    assert "cahier:autre-cahier:2025:0123456789ab" in caches
    ours = [k for k in caches if k.startswith(PREFIX)]
    assert ours == [PREFIX + "ffffffffffff"], caches


@pytest.fixture
def profile_context(playwright, browser_type_launch_args, tmp_path, guard):
    """A browser with a real profile: Chromium never offers to install from an incognito one."""
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", **browser_type_launch_args
    )
    context.on("page", guard.watch)
    yield context
    context.close()


def test_installable_without_errors(profile_context, site):
    context = profile_context
    page = context.new_page()
    open_book_page(page, site.page("index"))
    wait_controlled(page)
    cdp = context.new_cdp_session(page)
    result = cdp.send("Page.getInstallabilityErrors")
    assert result["installabilityErrors"] == []
    manifest = page.evaluate(
        "() => fetch(document.querySelector('link[rel=manifest]').href).then((r) => r.json())"
    )
    assert manifest["start_url"] == "./" and manifest["scope"] == "./"
    assert manifest["display"] == "standalone" and manifest["lang"] == "fr"
    assert manifest["name"].endswith("2025")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    touch = page.evaluate("() => document.querySelector('link[rel=apple-touch-icon]').href")
    assert page.request.get(touch).headers["content-type"] == "image/png"
    assert page.locator('meta[name="apple-mobile-web-app-capable"]').count() == 1


def test_the_worker_stays_in_its_edition(site):
    worker = (site.folder / "sw.js").read_text(encoding="utf-8")
    config = json.loads(re.match(r"self\.CAHIER_SW = (\{.*\});\n", worker).group(1))
    assert config["prefix"] == PREFIX
    assert "book/eveil.html" in config["precache"]
    assert "_static/cahier/manifest.json" in config["precache"]
    assert not [p for p in config["precache"] if p.startswith("_sources/")]
    assert all((site.folder / p).is_file() for p in config["precache"] if p != "./")
    # The root's redirect page names the icon (no /favicon.ico 404 before the redirect).
    assert 'rel="icon" href="_static/cahier/icons/icon.svg"' in (
        site.folder / "index.html"
    ).read_text(encoding="utf-8")


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize("agent", ["desktop", "iphone"])
def test_mon_cahier_explains_the_home_screen_and_shows_persistence(browser, site, agent):
    context = browser.new_context(**({"user_agent": IPHONE} if agent == "iphone" else {}))
    try:
        page = context.new_page()
        open_mon_cahier(page, site.page("mon-cahier"))
        s = page_info(page)["strings"]
        home = page.locator("details.cahier-home-screen")
        expect(home.locator("summary")).to_have_text(s["home_title"])
        # Open where it matters (an iPhone), a click away elsewhere; the steps say to bring
        # the answers over, since the icon's cahier has its own storage.
        expect(home).to_have_js_property("open", agent == "iphone")
        home.locator("summary").click()
        expect(home).to_have_js_property("open", agent != "iphone")
        if agent != "iphone":
            expect(home).to_contain_text(s["home_step_add"])
            expect(home).to_contain_text(s["home_step_move"])
        expect(page.locator(".cahier-mc-persist")).to_have_text(
            re.compile("|".join(re.escape(s[k]) for k in ("persisted_yes", "persisted_no")))
        )
    finally:
        context.close()


SHARE_STUB = """(() => {
  window.__shared = [];
  navigator.canShare = (data) =>
    !!(data && data.files && data.files.every((f) => f instanceof File));
  navigator.share = async (data) => {
    if (window.__shareAbort) throw new DOMException("closed", "AbortError");
    const file = data.files[0];
    window.__shared.push({name: file.name, type: file.type, text: await file.text()});
  };
})();"""


def test_send_my_cahier_is_offered_only_where_files_can_be_shared(browser, site):
    # Desktop Chromium on Linux cannot share files: no button.
    context = browser.new_context()
    try:
        page = context.new_page()
        open_mon_cahier(page, site.page("mon-cahier"))
        expect(page.locator("button.cahier-mc-export-html")).to_be_visible()
        expect(page.locator("button.cahier-mc-share")).to_have_count(0)
    finally:
        context.close()

    # A phone's browser (the share sheet stubbed): the self-contained HTML export is shared.
    context = browser.new_context()
    context.add_init_script(SHARE_STUB)
    try:
        page = context.new_page()
        open_book_page(page, site.page("eveil"))
        box_input(page, "eveil.en-moi").fill("à envoyer sur ma tablette")
        wait_stored_text(page, PREFIX + "eveil.en-moi", "à envoyer sur ma tablette")
        open_mon_cahier(page, site.page("mon-cahier"))
        s = page_info(page)["strings"]
        share = page.get_by_role("button", name=s["mc_share"])
        page.evaluate("() => { window.__shareAbort = true; }")
        share.click()  # the person closes the share sheet: nothing said, nothing recorded
        page.wait_for_timeout(300)
        expect(page.locator(".cahier-mc-error")).to_be_empty()
        assert page.evaluate("() => window.__shared.length") == 0
        page.evaluate("() => { window.__shareAbort = false; }")
        share.click()
        page.wait_for_function("() => window.__shared.length === 1")
        (shared,) = page.evaluate("() => window.__shared")
        assert re.fullmatch(r"cahier-enap-coproduction-2025-[\d-]{10}\.html", shared["name"])
        assert shared["type"] == "text/html"
        assert "à envoyer sur ma tablette" in shared["text"]
        assert 'id="cahier-data"' in shared["text"]
        expect(page.locator(".cahier-mc-status")).to_contain_text("1 ")
    finally:
        context.close()
