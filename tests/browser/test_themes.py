"""Every theme the workbook is likely to meet — furo (the default), sphinx-book-theme (Jupyter
Book's default) and alabaster (Sphinx's default) — on a workbook made by ``cahier init``.

Per theme, once: ``cahier init`` → the theme set in ``_config.yml`` (with the branding settings
for two of them) → ``cahier check`` passes → ``cahier build``; and once more as a Jupyter Book
user would set it up, with Jupyter Book's defaults (its theme, its default extensions, ours added
by ``extra_extensions``). Then, in Chromium, every page
loads with no console error, no uncaught error and not one Content-Security-Policy violation,
passes axe-core (WCAG 2.1 AA and best practices) in light and dark mode, and a box saves and
comes back after a reload. Lean pages prune only what the theme does not need.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from cahier_helpers import box_input, open_book_page, page_info, wait_stored_text
from sphinx_cahier.localserver import serve
from sphinx_cahier.names import EXTENSION
from test_accessibility import describe, run_axe
from test_csp import Violations, record

CAHIER = Path(sys.executable).parent / "cahier"
THEMES = ["furo", "sphinx_book_theme", "alabaster", "jupyter-book-defaults"]
#: The HTML theme of each variant (Jupyter Book's default theme is sphinx-book-theme).
HTML_THEME = {"jupyter-book-defaults": "sphinx_book_theme"}
#: Branding (issue 12, point 6), tried with the two themes other than the default.
BRANDED = {"sphinx_book_theme", "alabaster"}
ACCENT = "#7a2e8e"
LOGO = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><title>Atelier</title>
<circle cx="32" cy="32" r="28" fill="#7a2e8e"/></svg>
"""
PAGES = [
    "book/index.html",
    "book/theme-1.html",
    "book/theme-2.html",
    "book/dessin.html",
    "book/mon-cahier.html",
    "search.html",
    "genindex.html",
]


def cahier(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CAHIER), *args], cwd=cwd, capture_output=True, text=True)


def make_book(folder: Path, theme: str) -> Path:
    """A new workbook with ``theme``, checked and built; its HTML folder."""
    result = cahier("init", str(folder), cwd=folder.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    config = folder / "_config.yml"
    text = config.read_text(encoding="utf-8")
    if theme == "jupyter-book-defaults":
        # No theme, no list of extensions: Jupyter Book's, and ours added to them.
        text = re.sub(r"\n    html_theme(_options)?: .*", "", text)
        text = re.sub(r"\n    extensions: \[.*\]", "", text)
        ours = f"sphinx:\n  extra_extensions: [{EXTENSION}]\n  config:\n"
        text = text.replace("sphinx:\n  config:\n", ours)
    text = text.replace("    html_theme: furo\n", f"    html_theme: {theme}\n", 1)
    if theme in BRANDED:
        (folder / "images").mkdir()
        (folder / "images" / "logo.svg").write_text(LOGO, encoding="utf-8")
        text = text.replace(
            "    # cahier_logo: images/logo.svg", "    cahier_logo: images/logo.svg"
        )
        text = text.replace(
            "    # cahier_favicon: images/icone.svg", "    cahier_favicon: images/logo.svg"
        )
        text = re.sub(
            r'    # cahier_accent_color: "#\w+"', f'    cahier_accent_color: "{ACCENT}"', text
        )
    config.write_text(text, encoding="utf-8")
    checked = cahier("check", cwd=folder)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = cahier("build", cwd=folder)
    assert built.returncode == 0, built.stdout + built.stderr
    return folder / "_build" / "html"


@dataclass
class Site:
    variant: str  # a theme, or "jupyter-book-defaults"
    theme: str  # its HTML theme
    html: Path
    url: str


@pytest.fixture(scope="module", params=THEMES)
def themed(request, tmp_path_factory):
    """The built workbook and its URL, one build per variant."""
    html = make_book(tmp_path_factory.mktemp(request.param) / "atelier", request.param)
    with serve(html) as url:
        yield Site(request.param, HTML_THEME.get(request.param, request.param), html, url)


@pytest.fixture(autouse=True)
def guard():
    """The suite's own checks replace conftest's guard (which watches the real book's site)."""
    yield None


class Console:
    """Console errors and warnings, uncaught errors and failed requests of the test's pages."""

    def __init__(self):
        self.problems: list[str] = []

    def watch(self, page):
        page.on(
            "console",
            lambda m: (
                m.type in {"error", "warning"} and self.problems.append(f"{m.type}: {m.text}")
            ),
        )
        page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        page.on(
            "requestfailed",
            lambda r: self.problems.append(f"failed: {r.url} {r.failure}"),
        )
        page.on(
            "response",
            lambda r: r.status >= 400 and self.problems.append(f"{r.status}: {r.url}"),
        )


def open_page(context, url: str, console: Console, dark: bool = False):
    page = context.new_page()
    console.watch(page)
    page.emulate_media(color_scheme="dark" if dark else "light")
    if "/book/" in url:
        open_book_page(page, url)
    else:
        page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(150)
    return page


def test_the_book_has_the_pages_this_suite_visits(themed):
    html = themed.html
    pages = {p.relative_to(html).as_posix() for p in html.rglob("*.html")}
    assert set(PAGES) <= pages


def test_every_page_loads_cleanly_and_passes_axe_in_light_and_dark(context, themed):
    theme, url = themed.theme, themed.url
    violations = Violations()
    record(context, violations)
    console = Console()
    failures = {}
    for name in PAGES:
        for dark in (False, True):
            page = open_page(context, f"{url}/{name}", console, dark)
            if theme != "alabaster":  # alabaster has one mode, light
                mode = page.evaluate("document.body.dataset.theme || 'auto'")
                shown = page.evaluate(
                    "getComputedStyle(document.body).backgroundColor.match(/\\d+/g).slice(0, 3)"
                )
                assert (sum(map(int, shown)) < 200) is dark, f"{name}: {mode} {shown}"
            # axe-core itself inserts styles and logs while it runs: only the page is judged.
            marks = len(console.problems), len(violations.seen), len(violations.console)
            found = run_axe(page)
            del console.problems[marks[0] :], violations.seen[marks[1] :]
            del violations.console[marks[2] :]
            if found:
                failures[f"{name} [{'dark' if dark else 'light'}]"] = describe(found)
            page.close()
    assert console.problems == [], "\n".join(console.problems)
    assert violations.all() == [], violations.all()
    report = "\n".join(f"--- {name}\n{text}" for name, text in failures.items())
    assert not failures, f"{themed.variant}:\n{report}"


def test_a_box_saves_and_comes_back(context, themed):
    url = themed.url
    console = Console()
    page = open_page(context, f"{url}/book/theme-1.html", console)
    prefix = page_info(page)["prefix"]
    box_input(page, "theme-1.quoi").fill("Ce que j'ai vu en stage")
    wait_stored_text(page, prefix + "theme-1.quoi", "Ce que j'ai vu en stage")
    open_book_page(page, f"{url}/book/theme-1.html")
    assert box_input(page, "theme-1.quoi").input_value() == "Ce que j'ai vu en stage"
    assert console.problems == [], "\n".join(console.problems)


def test_lean_pages_prune_only_what_the_theme_does_not_need(themed):
    theme, html = themed.theme, themed.html
    page = (html / "book" / "theme-1.html").read_text(encoding="utf-8")
    search = (html / "search.html").read_text(encoding="utf-8")
    # sphinx-book-theme's search field runs Sphinx's search code on every page.
    needs_search = theme == "sphinx_book_theme"
    for script in ("documentation_options.js", "doctools.js"):
        assert (f"/{script}" in page) is needs_search, script
        assert f"/{script}" in search
    assert "sphinx_highlight.js" not in page
    assert "pygments.css" not in page and "sphinx-design" not in page


def test_the_branding_is_applied(themed):
    html = themed.html
    page = (html / "book" / "theme-1.html").read_text(encoding="utf-8")
    if themed.variant not in BRANDED:
        assert "cahier-brand" not in page
        return
    (brand,) = re.findall(r'href="([^"]*cahier-brand[^"]*\.css)[^"]*"', page)
    css = (html / "book" / brand.split("?")[0]).resolve().read_text(encoding="utf-8")
    assert ACCENT in css
    assert re.search(r'<link rel="(?:shortcut )?icon" href="[^"]*logo\.svg', page)
    assert re.search(r'<img[^>]*src="[^"]*logo\.svg"', page)
    manifest = json.loads((html / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert any(icon["src"].endswith("icon.svg") for icon in manifest["icons"])
