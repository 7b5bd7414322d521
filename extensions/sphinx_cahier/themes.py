"""The HTML themes the workbook is likely to meet: furo (the default), sphinx-book-theme (Jupyter
Book's default) and alabaster (Sphinx's default).

For each, the extension knows:

- **what its own code needs** of Sphinx's scripts, so that lean pages (``assets.py``) prune only
  the rest: sphinx-book-theme's search field runs Sphinx's search code on every page
  (``DOCUMENTATION_OPTIONS``, ``_ready`` of ``doctools.js``, the translations); furo and alabaster
  need none of it outside the search page. A theme it does not know gets no pruning at all;
- **a bridge stylesheet** (``static/cahier/theme-<theme>.css``): our styles read furo's colour
  names (``--color-foreground-primary``…), which the bridge maps to the theme's own colours
  (sphinx-book-theme's ``--pst-color-*``) or sets (alabaster, whose footer grey is also made
  readable); it also declares alabaster's only mode, light;
- **page fixes**, made on each page as the theme renders it (:func:`adapt_page`):
  sphinx-book-theme's two ``onclick`` buttons (print, full screen), which the page's
  Content-Security-Policy refuses, become ``data-cahier-action`` buttons that
  ``theme-book.js`` wires (it also mirrors the theme's light or dark mode onto ``<body>`` for our
  styles); its inline mode script is guarded against blocked storage and starts in ``auto`` mode
  (not an invalid empty one, a console error); its search fields are named by their visible
  text, its colour mode button by its label; its primary sidebar is a landmark. Alabaster's
  sidebar headings follow the page's headings and its footer is the page's ``contentinfo``;
- **styles its scripts insert**: sphinx-book-theme's ``fontawesome.js`` adds a ``<style>`` of its
  own at run time; its SHA-256 joins the policy of the pages that load it (:func:`runtime_styles`,
  read from the published ``fontawesome.js``).

Furo's own adaptations (its English labels, its storage-safe theme script) are in ``theme.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.locale import _

#: Sphinx's scripts that its search code needs (lean pages keep them where a theme runs it).
SEARCH_SUPPORT = frozenset({"documentation_options.js", "doctools.js", "translations.js"})


@dataclass(frozen=True)
class ThemeSupport:
    """What the workbook knows of one HTML theme."""

    name: str
    #: Sphinx's scripts the theme's own code needs on every page (never pruned).
    keeps: frozenset[str] = frozenset()
    #: Our files for this theme (``cahier/<name>``), loaded on every page.
    css: tuple[str, ...] = ()
    js: tuple[str, ...] = ()
    #: (pattern, replacement) applied to every rendered page.
    fixes: tuple[tuple[re.Pattern[str], str], ...] = field(default=())


def _storage_safe(key: str) -> str:
    return (
        f'(function () {{ try {{ return localStorage.getItem("{key}"); }} '
        "catch (e) { return null; } })()"
    )


BOOK_FIXES = (
    # The policy refuses inline handlers: theme-book.js does what they did.
    (re.compile(r'onclick="window\.print\(\)"'), 'data-cahier-action="print"'),
    (re.compile(r'onclick="toggleFullScreen\(\)"'), 'data-cahier-action="fullscreen"'),
    # pydata-sphinx-theme's inline mode script reads storage unguarded.
    (re.compile(r'localStorage\.getItem\("mode"\)'), _storage_safe("mode")),
    (re.compile(r'localStorage\.getItem\("theme"\)'), _storage_safe("theme")),
    # A search field shows "Search Ctrl+K": its name is its text, not a shorter label.
    (
        re.compile(r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="[^"]*"'),
        r"\1",
    ),
    # The colour mode button is named "Color mode"; its icons' titles would become its text.
    (re.compile(r'(<i class="theme-switch [^"]*"\s+data-mode="\w+")\s+title="[^"]*"'), r"\1"),
)

#: Sphinx's sidebar (alabaster), up to the footer.
SIDEBAR = re.compile(r'<div class="sphinxsidebar".*?(?=<div class="footer"|</body>)', re.S)
SIDEBAR_HEADING = re.compile(r"<h3(?=[\s>])(?![^>]*aria-level)")

ALABASTER_FIXES = (
    (re.compile(r'<div class="footer">'), '<div class="footer" role="contentinfo">'),
    # Alabaster has one mode, light: our styles follow it whatever the system's.
    (re.compile(r"<body>"), '<body data-theme="light">'),
)

THEMES = {
    support.name: support
    for support in (
        ThemeSupport("furo"),
        ThemeSupport(
            "sphinx_book_theme",
            keeps=SEARCH_SUPPORT,
            css=("cahier/theme-book.css",),
            js=("cahier/theme-book.js",),
            fixes=BOOK_FIXES,
        ),
        ThemeSupport("alabaster", css=("cahier/theme-alabaster.css",), fixes=ALABASTER_FIXES),
    )
}


def theme_support(app: Sphinx) -> ThemeSupport | None:
    """What the workbook knows of the book's HTML theme; None for a theme it does not know."""
    return THEMES.get(str(app.config.html_theme))


def adapt_page(support: ThemeSupport, html: str, label: str) -> str:
    """A page as the theme rendered it, with the fixes of :class:`ThemeSupport`."""
    for pattern, replacement in support.fixes:
        html = pattern.sub(replacement, html)
    if support.name == "alabaster":
        # The sidebar's headings (h3) come after its logo (h1): one level below it.
        html = SIDEBAR.sub(
            lambda m: SIDEBAR_HEADING.sub('<h3 aria-level="2"', m.group(0)), html, count=1
        )
    if support.name == "sphinx_book_theme":
        html = html.replace(
            '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">',
            '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar" '
            f'role="complementary" aria-label="{escape(label)}">',
            1,
        )
    return html


def add_theme_assets(app: Sphinx) -> None:
    """``builder-inited`` (after ``assets.py``): the theme's bridge files; page fixes."""
    if app.builder.format != "html":
        return
    support = theme_support(app)
    if support is None:
        return
    for name in support.css:
        app.add_css_file(name)
    for name in support.js:
        app.add_js_file(name, type="module")
    templates = getattr(app.builder, "templates", None)
    if support.fixes and templates is not None:
        render = templates.render

        def render_adapted(template: str, context: dict[str, Any]) -> str:
            return adapt_page(support, render(template, context), str(_("Navigation")))

        templates.render = render_adapted


def book_theme_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """sphinx-book-theme starts in ``auto`` mode unless the book chose one (``html_context``):
    its script logs an error for the empty mode it would start in."""
    support = theme_support(app)
    if support is not None and support.name == "sphinx_book_theme":
        context.setdefault("default_mode", "auto")


def without_repeated_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """An inline script given twice is run twice: sphinx-thebe (one of Jupyter Book's default
    extensions) adds its settings twice, ``const THEBE_JS_URL`` twice, a SyntaxError on every
    page. Each inline script is kept once."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[str] = set()
    kept = []
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body")
        if body and not getattr(script, "filename", None):
            if body in seen:
                continue
            seen.add(body)
        kept.append(script)
    if len(kept) != len(scripts):
        context["script_files"] = kept


# --- Styles inserted at run time ------------------------------------------------------------------

#: fontawesome.js (sphinx-book-theme): its CSS is a string literal that starts so.
FONTAWESOME_CSS_START = ":host,:root{--fa-font-solid"
JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "/": "/"}


def string_literal_at(text: str, start: int) -> str | None:
    """The JavaScript string literal whose content starts at ``start``, unescaped."""
    quote = text[start - 1] if start > 0 else ""
    if quote not in {"'", '"', "`"}:
        return None
    out: list[str] = []
    index = start
    while index < len(text):
        char = text[index]
        if char == quote:
            return "".join(out)
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            if following == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", text[index + 2 : index + 6]):
                out.append(chr(int(text[index + 2 : index + 6], 16)))
                index += 6
                continue
            out.append(JS_ESCAPES.get(following, following))
            index += 2
            continue
        if quote == "`" and text.startswith("${", index):
            return None  # a template with substitutions: not a constant
        out.append(char)
        index += 1
    return None


def fontawesome_css(script: str) -> str | None:
    """The stylesheet fontawesome.js adds to the page (its default prefixes), or None."""
    start = script.find(FONTAWESOME_CSS_START)
    return string_literal_at(script, start) if start > 0 else None


def runtime_styles(outdir: Path) -> dict[str, list[str]]:
    """Script file name → the styles it inserts, for the scripts of the output that do."""
    found: dict[str, list[str]] = {}
    for path in (outdir / "_static").rglob("fontawesome*.js"):
        css = fontawesome_css(path.read_text(encoding="utf-8", errors="replace"))
        if css:
            found.setdefault(path.name, []).append(css)
    return found


def setup_themes(app: Sphinx) -> None:
    app.connect("builder-inited", add_theme_assets, priority=600)
    app.connect("html-page-context", book_theme_context)
    app.connect("html-page-context", without_repeated_scripts, priority=910)
