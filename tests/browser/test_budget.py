"""The page-weight budget, from the built site: bytes and requests, counted, never timed.

A theme page, with everything it loads counted uncompressed: at most 150 KB in at most 15
requests. The workbook's own JS and CSS that a theme page loads: at most 20 KB gzipped (the drawing,
export and import modules load only on their pages; benchmarks/run.py reports all of them).
Lighthouse scores are measured by benchmarks/run.py, not here: they depend on the machine.
"""

from __future__ import annotations

import gzip
import re

import pytest
from cahier_helpers import THEME_PAGES, open_book_page
from sphinx_cahier.assets import static_version

MAX_BYTES = 150 * 1024
MAX_REQUESTS = 15
MAX_OWN_GZIPPED = 20 * 1024
# What a workbook page does not use (cahier/assets.py drops them).
NOT_ON_ORDINARY_PAGES = re.compile(
    r"/_static/(documentation_options|doctools|sphinx_highlight|translations|language_data"
    r"|searchtools|design-tabs)\.js|/_static/(sphinx-design\.min|pygments|mystnb\.\w+)\.css"
)


def load_bodies(browser, page_url: str) -> list[tuple[str, bytes]]:
    """Every response of one page load in a fresh context (nothing cached): URL, body."""
    context = browser.new_context()
    try:
        page = context.new_page()
        responses = []
        page.on("response", lambda r: responses.append(r))
        open_book_page(page, page_url)
        page.wait_for_load_state("networkidle")
        return [(r.url, r.body()) for r in responses]
    finally:
        context.close()


def load_counting(browser, page_url: str) -> list[tuple[str, int]]:
    """Every response of one page load: URL, body bytes."""
    return [(u, len(body)) for u, body in load_bodies(browser, page_url)]


@pytest.mark.parametrize("name", THEME_PAGES)
def test_theme_page_fits_the_budget(browser, url, name):
    files = load_counting(browser, url(name))
    total = sum(size for _, size in files)
    listing = "\n".join(f"{size:>8}  {u}" for u, size in files)
    assert len(files) <= MAX_REQUESTS, f"{len(files)} requests:\n{listing}"
    assert total <= MAX_BYTES, f"{total} bytes:\n{listing}"
    assert not [u for u, _ in files if NOT_ON_ORDINARY_PAGES.search(u)], listing


def test_our_modules_load_from_one_versioned_folder(browser, url):
    """cahier.js and the modules it imports share one folder named by the files' hash, so that a
    browser cannot mix a new entry module with an old cached store.js."""
    files = load_counting(browser, url(THEME_PAGES[0]))
    ours = [u for u, _ in files if "/_static/cahier/" in u]
    version = static_version()
    assert len(ours) >= 3
    for u in ours:
        assert f"/_static/cahier/{version}/" in u, u
    assert any(u.split("?")[0].endswith(f"{version}/store.js") for u in ours)


@pytest.mark.parametrize("name", THEME_PAGES)
def test_our_js_and_css_on_a_theme_page_fit_in_20_kb_gzipped(browser, url, name):
    """What a theme page loads of the workbook's own files (_static/cahier/), as served, gzipped."""
    files = load_bodies(browser, url(name))
    sizes = {
        u.split("?")[0].rsplit("/", 1)[-1]: len(gzip.compress(body, 9, mtime=0))
        for u, body in files
        if "/_static/cahier/" in u
    }
    assert sizes and sum(sizes.values()) <= MAX_OWN_GZIPPED, sizes


@pytest.mark.parametrize("storage", ["available", "blocked"])
def test_search_still_works(context, site_url, storage):
    if storage == "blocked":
        context.add_init_script(
            'Object.defineProperty(window, "localStorage", { get() { '
            'throw new DOMException("blocked", "SecurityError"); }, configurable: true });'
        )
    page = context.new_page()
    page.goto(f"{site_url}/search.html?q=co-production", wait_until="networkidle")
    results = page.locator("#search-results li a")
    results.first.wait_for(timeout=10000)
    hrefs = results.evaluate_all("links => links.map((a) => a.getAttribute('href'))")
    assert any("book/eveil.html" in h for h in hrefs), hrefs
