"""What the workbook knows of each theme (cahier/themes.py), without a browser; the browser half
(no console error, no policy violation, axe in light and dark, with each theme) is
tests/browser/test_themes.py."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from sphinx_cahier.themes import THEMES, adapt_page, fontawesome_css, string_literal_at

ROOTS = Path(__file__).parent / "roots"


def scripts_of(page: str) -> set[str]:
    return {
        src.split("?")[0].rsplit("/", 1)[-1]
        for src in re.findall(r'<script[^>]* src="([^"]*)"', page)
    }


@pytest.mark.parametrize(
    ("theme", "pruned"),
    [("alabaster", True), ("sphinx_book_theme", False), ("classic", False)],
)
def test_lean_pages_follow_what_the_theme_needs(make_app, tmp_path, theme, pruned):
    shutil.copytree(ROOTS / "test-basic", tmp_path / "src")
    app = make_app("html", srcdir=tmp_path / "src", confoverrides={"html_theme": theme})
    app.build()
    scripts = scripts_of((app.outdir / "theme.html").read_text(encoding="utf-8"))
    assert ("documentation_options.js" not in scripts) is pruned
    assert ("doctools.js" not in scripts) is pruned
    # A theme the workbook does not know keeps every file, Sphinx's highlighting included.
    assert ("sphinx_highlight.js" in scripts) is (theme == "classic")


def test_sphinx_book_theme_buttons_lose_their_inline_handlers():
    html = (
        '<button onclick="window.print()" class="btn"></button>'
        '<button onclick="toggleFullScreen()" class="btn"></button>'
        '<script>document.documentElement.dataset.mode = localStorage.getItem("mode") || "auto";'
        "</script>"
        '<button class="btn search-button-field search-button__button" title="Search" '
        'aria-label="Search" data-bs-toggle="tooltip"><span>Search</span></button>'
        '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">'
    )
    page = adapt_page(THEMES["sphinx_book_theme"], html, "Navigation")
    assert "onclick" not in page
    assert 'data-cahier-action="print"' in page and 'data-cahier-action="fullscreen"' in page
    assert 'try { return localStorage.getItem("mode"); } catch (e)' in page
    assert 'aria-label="Search"' not in page and 'title="Search"' in page
    assert 'role="complementary" aria-label="Navigation"' in page


def test_alabaster_headings_and_footer():
    html = (
        '<body><div class="body"><h3>Content</h3></div><div class="sphinxsidebar"><h3>Navigation'
        '</h3><h3 id="searchlabel">Quick search</h3></div><div class="footer">'
    )
    page = adapt_page(THEMES["alabaster"], html, "Navigation")
    assert page.count('<h3 aria-level="2"') == 2 and "<h3>Content</h3>" in page
    assert '<div class="footer" role="contentinfo">' in page
    assert '<body data-theme="light">' in page


def test_a_javascript_string_literal_is_read_as_the_browser_reads_it():
    source = "x='a\\'b\\n\\u00e9c';"
    assert string_literal_at(source, 3) == "a'b\néc"
    assert string_literal_at("x=`a${b}`", 3) is None


def test_the_styles_fontawesome_inserts_are_found_in_the_theme_s_script():
    """The CSS that sphinx-book-theme's fontawesome.js adds to the page at run time (its hash is
    the one Chromium reports; tests/browser/test_themes.py checks there is no violation)."""
    import pydata_sphinx_theme

    script = Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/scripts"
    css = fontawesome_css((script / "fontawesome.js").read_text(encoding="utf-8"))
    assert css is not None and css.startswith(":host,:root{--fa-font-solid")
    assert css.endswith("}") and ".svg-inline--fa" in css
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert len(digest) == 44


def test_an_inline_script_given_twice_is_kept_once():
    """sphinx-thebe (a Jupyter Book default) adds its settings twice: a SyntaxError each page."""
    from sphinx.builders.html._assets import _JavaScript
    from sphinx_cahier.themes import without_repeated_scripts

    thebe = 'const THEBE_JS_URL = "…"'
    context = {
        "script_files": [
            _JavaScript("", body=thebe),
            _JavaScript("_static/a.js"),
            _JavaScript("", body=thebe),
            _JavaScript("_static/a.js"),
        ]
    }
    without_repeated_scripts(None, "index", "page.html", context, None)
    assert [(s.filename, s.attributes.get("body")) for s in context["script_files"]] == [
        ("", thebe),
        ("_static/a.js", None),
        ("_static/a.js", None),
    ]
