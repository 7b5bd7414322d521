"""The Content-Security-Policy of every page (cahier/csp.py), in Chromium: each page declares it
first thing in its head, and every page and feature runs without a single violation.

An init script listens to ``securitypolicyviolation`` on the document before any page script runs
and reports each violation at once (a binding survives navigations and reloads); console messages
about the policy count too. The exported HTML file has its own policy and runs no script.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cahier_helpers import (
    ALL_PAGES,
    box_input,
    open_book_page,
    open_mon_cahier,
    page_info,
    wait_stored_text,
)
from playwright.sync_api import expect

#: Reports every violation to the test (``__cahierCsp``) and keeps it in the page too.
RECORD_VIOLATIONS = """(() => {
  window.__cahierCspViolations = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    const v = {directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample,
               source: e.sourceFile, line: e.lineNumber, page: location.href};
    window.__cahierCspViolations.push(v);
    if (window.__cahierCsp) window.__cahierCsp(JSON.stringify(v));
  }, true);
})();"""

CSP_CONSOLE = re.compile(r"Content[- ]Security[- ]Policy", re.I)

#: The directives every page's policy has, whatever its inline code.
FIXED = {
    "default-src": ["'none'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "manifest-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
}


class Violations:
    def __init__(self):
        self.seen: list[dict] = []
        self.console: list[str] = []

    def all(self) -> list:
        return [*self.seen, *self.console]

    def clear(self):
        self.seen.clear()
        self.console.clear()


def record(context, found: Violations):
    context.expose_function("__cahierCsp", lambda v: found.seen.append(json.loads(v)))
    context.add_init_script(RECORD_VIOLATIONS)

    def on_console(msg):
        if CSP_CONSOLE.search(msg.text):
            found.console.append(f"{msg.type}: {msg.text}")

    context.on("page", lambda p: p.on("console", on_console))


@pytest.fixture
def violations(context):
    """Every policy violation of the test's pages (create `page` after this fixture)."""
    found = Violations()
    record(context, found)
    return found


def parse_policy(content: str) -> dict[str, list[str]]:
    policy = {}
    for part in content.split(";"):
        name, *values = part.split()
        assert name not in policy, f"{name} twice"
        policy[name] = values
    return policy


def page_policy(page) -> dict[str, list[str]]:
    metas = page.locator('meta[http-equiv="Content-Security-Policy"]')
    expect(metas).to_have_count(1)
    return parse_policy(metas.get_attribute("content"))


def assert_no_violation(page, violations: Violations):
    """The page is under the policy, and neither it nor an earlier page of the test broke it."""
    assert page_policy(page)["default-src"] == ["'none'"]
    assert violations.all() == []


def settle(page):
    """Until the page and its late work (service worker registration, dynamic imports) are done."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)


def site_pages(site_dir: Path) -> list[str]:
    return sorted(
        p.relative_to(site_dir).as_posix()
        for p in site_dir.rglob("*.html")
        if p.relative_to(site_dir).parts[0] not in {"_static", "_sources", "_images"}
    )


def test_the_site_has_the_pages_this_suite_visits(site_dir):
    pages = site_pages(site_dir)
    assert {"index.html", "search.html", "genindex.html"} <= set(pages)
    assert {f"book/{name}.html" for name in [*ALL_PAGES, "mon-cahier"]} <= set(pages)


def test_every_page_declares_the_policy_first_in_its_head(site_dir):
    for name in site_pages(site_dir):
        html = (site_dir / name).read_text(encoding="utf-8")
        metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
        assert len(metas) == 1, f"{name}: {len(metas)} policies"
        policy = parse_policy(metas[0])
        for directive, values in FIXED.items():
            assert policy[directive] == values, f"{name}: {directive}"
        for directive in ("script-src", "style-src"):
            assert policy[directive][0] == "'self'", f"{name}: {directive}"
            assert all(v.startswith("'sha256-") for v in policy[directive][1:]), name
        assert "'unsafe-eval'" not in metas[0] and "'unsafe-inline'" not in metas[0]
        # Nothing the policy governs comes before it.
        first = re.search(r"<(script|style|link)[\s>]", html)
        assert first is None or first.start() > html.index(metas[0]), name


#: In the browser: the page's source as the browser parses it (before any script runs), each
#: inline script and style of it hashed as the browser hashes them, and its style attributes.
INLINE_HASHES = """async () => {
  const source = await (await fetch(location.href, {cache: "no-store"})).text();
  const doc = new DOMParser().parseFromString(source, "text/html");
  const hash = async (text) => {
    const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return "'sha256-" + btoa(String.fromCharCode(...new Uint8Array(d))) + "'";
  };
  const scripts = [...doc.querySelectorAll("script:not([src])")].filter(
    (s) => ["", "text/javascript", "module"].includes(s.type) && s.textContent);
  return {
    scripts: await Promise.all(scripts.map((s) => hash(s.textContent))),
    styles: await Promise.all([...doc.querySelectorAll("style")].map((s) => hash(s.textContent))),
    styleAttributes: doc.querySelectorAll("[style]").length,
  };
}"""


@pytest.mark.parametrize("name", ["index", "search", "genindex", *ALL_PAGES, "mon-cahier"])
def test_every_page_loads_without_violation(violations, page, site_url, name):
    path = f"{name}.html" if name in {"index", "search", "genindex"} else f"book/{name}.html"
    response = page.goto(f"{site_url}/{path}")
    assert response is not None and response.ok
    if name == "index":  # the root redirects to the book's first page
        page.wait_for_url(f"{site_url}/book/index.html")
    settle(page)
    policy = page_policy(page)
    assert policy["default-src"] == ["'none'"]
    # The policy lists exactly the hashes of this page's inline code, as the browser sees it.
    inline = page.evaluate(INLINE_HASHES)
    assert sorted(set(inline["scripts"])) == sorted(policy["script-src"][1:])
    assert sorted(set(inline["styles"])) == sorted(policy["style-src"][1:])
    assert inline["styleAttributes"] == 0
    assert page.evaluate("() => window.__cahierCspViolations") == []
    assert violations.all() == []


def test_furo_icons_look_the_same_without_style_attributes(violations, page, url):
    """The sprite stays hidden and the half-drawn parts of the theme icons half transparent."""
    page.goto(url("eveil"))
    styles = page.evaluate(
        """() => ({
          sprite: getComputedStyle(document.body.querySelector("svg")).display,
          half: [...document.querySelectorAll("#svg-sun-with-moon path, #svg-moon-with-sun line")]
            .map((e) => getComputedStyle(e).opacity),
        })"""
    )
    assert styles["sprite"] == "none"
    assert styles["half"] and set(styles["half"]) == {"0.5"}
    assert_no_violation(page, violations)


def test_writing_and_reload_without_violation(violations, page, url):
    open_book_page(page, url("eveil"))
    prefix = page_info(page)["prefix"]
    box_input(page, "eveil.en-moi").fill("Une réponse sous la politique")
    wait_stored_text(page, prefix + "eveil.en-moi", "Une réponse sous la politique")
    page.reload()
    page.locator("#cahier-script[data-cahier-ready]").wait_for(state="attached", timeout=5000)
    expect(box_input(page, "eveil.en-moi")).to_have_value("Une réponse sous la politique")
    settle(page)
    assert_no_violation(page, violations)


def test_drawing_without_violation(violations, page, url):
    open_book_page(page, url("dessin"))
    page.locator(".cahier-sketch[data-cahier-ready]").wait_for(state="attached", timeout=5000)
    canvas = page.locator("canvas.cahier-sketch-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 40)
    page.mouse.down()
    for i in range(1, 20):
        page.mouse.move(box["x"] + 40 + i * 10, box["y"] + 40 + i * 5)
    page.mouse.up()
    key = page_info(page)["prefix"] + "dessin"
    page.wait_for_function(
        """(k) => { try { return JSON.parse(localStorage.getItem(k)).strokes.length === 1; }
                    catch { return false; } }""",
        arg=key,
        timeout=3000,
    )
    settle(page)
    assert_no_violation(page, violations)


def download(page, selector: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(selector)
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_mon_cahier_export_import_print_erase_without_violation(violations, page, url, tmp_path):
    open_book_page(page, url("eveil"))
    prefix = page_info(page)["prefix"]
    box_input(page, "eveil.en-moi").fill("À exporter")
    wait_stored_text(page, prefix + "eveil.en-moi", "À exporter")
    open_mon_cahier(page, url("mon-cahier"))
    files = {
        kind: download(page, f"button.cahier-mc-export-{kind}", tmp_path)
        for kind in ("html", "json", "md")
    }
    assert_no_violation(page, violations)

    # Erase, then import the HTML file back.
    page.click("button.cahier-mc-erase")
    page.locator("dialog.cahier-dialog button.cahier-erase-confirm").click()
    expect(page.locator(".cahier-mc-count")).to_have_text(re.compile(r"^0 sur "))
    page.set_input_files("input.cahier-mc-import-file", str(files["html"]))
    dialog = page.locator("dialog.cahier-dialog")
    dialog.locator("button.cahier-import-confirm").click()
    expect(dialog).to_have_count(0)
    expect(page.locator(".cahier-mc-count")).to_have_text(re.compile(r"^1 sur "))

    page.emulate_media(media="print")
    page.wait_for_timeout(200)
    page.emulate_media(media="screen")
    settle(page)
    assert_no_violation(page, violations)


def test_the_exported_file_has_its_own_policy_and_runs_no_script(page, browser, url, tmp_path):
    open_book_page(page, url("eveil"))
    prefix = page_info(page)["prefix"]
    box_input(page, "eveil.en-moi").fill("</script><script>window.__pwned = 1</script>")
    wait_stored_text(page, prefix + "eveil.en-moi", "</script><script>window.__pwned = 1</script>")
    open_mon_cahier(page, url("mon-cahier"))
    exported = download(page, "button.cahier-mc-export-html", tmp_path)
    html = exported.read_text(encoding="utf-8")
    metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert len(metas) == 1
    policy = parse_policy(metas[0])
    assert policy["default-src"] == ["'none'"]
    assert "script-src" not in policy, "no script may run (default-src 'none')"
    assert html.index(metas[0]) < html.index("<style>")
    # Its only script element is the data, never run.
    assert re.findall(r"<script\b[^>]*>", html) == [
        '<script type="application/json" id="cahier-data">'
    ]

    # Opened on its own (a file on the participant's disk), in a browser with scripts on.
    other = browser.new_context()
    try:
        found = Violations()
        record(other, found)
        view = other.new_page()
        view.goto(exported.as_uri())
        expect(view.locator("h1")).to_be_visible()
        expect(view.locator(".answer")).to_contain_text("window.__pwned")
        assert view.evaluate("() => window.__pwned") is None
        # Its style applies (the policy allows its own inline style) ...
        assert view.evaluate("() => document.styleSheets.length") == 1
        assert found.all() == []
        # ... and the policy is in force: an inline script is refused.
        view.evaluate(
            """() => { const s = document.createElement("script");
                       s.textContent = "window.__pwned = 2"; document.body.append(s); }"""
        )
        assert view.evaluate("() => window.__pwned") is None
        view.wait_for_function("() => window.__cahierCspViolations.length === 1")
        assert view.evaluate("() => window.__cahierCspViolations[0].directive") == "script-src-elem"
    finally:
        other.close()


def test_theme_toggle_and_color_schemes_without_violation(violations, page, url):
    open_book_page(page, url("eveil"))
    background = "() => getComputedStyle(document.body).backgroundColor"
    toggle = page.locator("button.theme-toggle").filter(visible=True).first
    themes = []
    for _ in range(3):
        toggle.click()
        themes.append(page.evaluate("() => document.body.dataset.theme"))
    assert sorted(themes) == ["auto", "dark", "light"]
    page.evaluate("() => localStorage.removeItem('theme')")

    colors = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.reload()
        page.locator("#cahier-script[data-cahier-ready]").wait_for(state="attached")
        assert page.evaluate("() => document.body.dataset.theme") == "auto"
        colors[scheme] = page.evaluate(background)
    assert colors["light"] != colors["dark"]
    settle(page)
    assert_no_violation(page, violations)


def test_search_from_the_sidebar_without_eval(violations, page, url, site_url):
    open_book_page(page, url("eveil"))
    search = page.locator("input.sidebar-search").filter(visible=True).first
    search.fill("pouvoir")
    search.press("Enter")
    page.wait_for_url(re.compile(re.escape(f"{site_url}/search.html?q=pouvoir")))
    results = page.locator("#search-results ul.search li")
    expect(results.first).to_be_visible(timeout=10000)
    # Sphinx's French catalog loaded whole, its plural rule without `new Function`.
    assert page.evaluate("() => Documentation.LOCALE") == "fr"
    assert page.evaluate("() => [0, 1, 2, 1000000].map(Documentation.PLURAL_EXPR)") == [0, 0, 2, 1]
    assert (
        page.evaluate("() => Documentation.gettext('Search Results')")
        == "Résultats de la recherche"
    )
    settle(page)
    assert "'unsafe-eval'" not in page_policy(page)["script-src"]
    assert_no_violation(page, violations)


def test_service_worker_registers_without_violation(violations, page, url):
    open_book_page(page, url("eveil"))
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null",
        timeout=15000,
    )
    page.evaluate("() => navigator.serviceWorker.ready")
    page.reload()
    page.locator("#cahier-script[data-cahier-ready]").wait_for(state="attached")
    settle(page)
    assert_no_violation(page, violations)
