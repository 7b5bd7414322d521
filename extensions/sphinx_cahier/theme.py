"""Furo in the workbook's language, and safe when the browser blocks storage.

Furo passes most of its interface strings through Sphinx's ``sphinx`` message catalog, which lacks
many of them in French ("Skip to content", "Next", "Back to top"…): the extension's
``locales/<lang>/LC_MESSAGES/sphinx.po`` fills the gaps (Sphinx's own translations come first).

Furo writes a few strings in English in its templates and its navigation code (the labels of its
toggles, the titles of its icons). For furo only, the extension overrides ``page.html``
(``templates/furo/page.html`` extends furo's own) and passes the rendered page body through
:func:`localize_body`, which translates those labels through the same catalog. It also guards
furo's inline theme script, which reads ``localStorage`` unprotected and throws when the browser
blocks storage (the workbook's own scripts then warn the participant; the theme must not break),
names its two ``<aside>`` landmarks, and gives a book without an icon an inline one (no
``/favicon.ico`` 404). ``search.html`` gets the level-one heading furo omits. The ``style``
attributes of furo's icon sprite become SVG presentation attributes (same rendering), which the
Content-Security-Policy does not govern: no ``'unsafe-hashes'`` for them (see ``csp.py``).
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any

from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import _

TEMPLATES = Path(__file__).parent / "templates"

#: Labels furo writes in English, outside gettext (attribute values and icon titles).
FIXED_LABELS = (
    "Toggle site navigation sidebar",
    "Toggle table of contents sidebar",
    "Toggle Light / Dark / Auto color theme",
    "Contents",
    "Menu",
    "Expand",
    "Light mode",
    "Dark mode",
    "Auto light/dark, in light mode",
    "Auto light/dark, in dark mode",
)
#: furo/navigation.py labels each expandable entry of the sidebar "Toggle navigation of <title>".
NAV_TOGGLE = re.compile(r'aria-label="Toggle navigation of ([^"]*)"')

#: The icon of a book whose configuration names none (``html_favicon``): an open notebook, inline.
FAVICON = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E"
    "%3Cpath d='M2 3h5l1 1 1-1h5v10H9l-1 1-1-1H2z' fill='%23fff' stroke='%23555'/%3E"
    "%3Cpath d='M8 4v9' stroke='%23555'/%3E%3C/svg%3E"
)

#: furo's two <aside> landmarks (opening tag as furo writes it, name).
LANDMARKS = (
    ('<aside class="sidebar-drawer">', "Navigation"),
    ('<aside class="toc-drawer">', "On this page"),
    ('<aside class="toc-drawer no-toc">', "On this page"),
)

#: furo/base.html: ``document.body.dataset.theme = localStorage.getItem("theme") || "auto";``
THEME_READ = 'localStorage.getItem("theme") || "auto"'
SAFE_THEME_READ = (
    '(function () { try { return localStorage.getItem("theme"); } catch (e) { return null; } })()'
    ' || "auto"'
)

#: furo/partials/icons.html: the hidden sprite of its icons, whose ``style`` attributes
#: (``display: none;`` on the sprite, ``opacity: 50%`` in two icons) have SVG equivalents.
SPRITE_START = '<svg xmlns="http://www.w3.org/2000/svg" style="display: none;">'
SPRITE_END = "</symbol>\n</svg>"
SPRITE_STYLES = (
    ('style="display: none;"', 'display="none"'),
    ('style="opacity: 50%"', 'opacity="0.5"'),
)


def unstyled_sprite(html: str) -> str:
    """furo's icon sprite drawn the same without ``style`` attributes (the page's content is
    left as it is)."""
    start = html.find(SPRITE_START)
    end = html.find(SPRITE_END, start)
    if start < 0 or end < 0:
        return html
    sprite = html[start:end]
    for attribute, presentation in SPRITE_STYLES:
        sprite = sprite.replace(attribute, presentation)
    return html[:start] + sprite + html[end:]


def localize_body(body: str) -> Markup:
    """The page body rendered by furo, with its fixed English labels translated."""
    html = str(body)
    for label in FIXED_LABELS:
        translated = escape(str(_(label)))
        if translated == label:
            continue
        html = html.replace(f'aria-label="{label}"', f'aria-label="{translated}"')
        html = html.replace(f"<title>{label}</title>", f"<title>{translated}</title>")
    html = NAV_TOGGLE.sub(
        # The title in the attribute is escaped already.
        lambda m: 'aria-label="{}"'.format(
            escape(str(_("Toggle navigation of %(title)s"))) % {"title": m.group(1)}
        ),
        html,
    )
    # Two unnamed <aside> landmarks (navigation, table of contents) are indistinguishable.
    for opening, label in LANDMARKS:
        html = html.replace(opening, f'{opening[:-1]} aria-label="{escape(str(_(label)))}">', 1)
    return Markup(unstyled_sprite(html.replace(THEME_READ, SAFE_THEME_READ)))


def add_theme_templates(app: Sphinx, config: Config) -> None:
    """``config-inited``: furo gets the overriding ``page.html``; other themes are left alone."""
    if config.html_theme == "furo":
        config.templates_path = [*config.templates_path, str(TEMPLATES / "furo")]


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    context["cahier_localize_body"] = localize_body
    if not context.get("favicon_url"):
        # Without an icon, browsers ask for /favicon.ico: a 404 in every console.
        context["favicon_url"] = FAVICON


def setup_theme(app: Sphinx) -> None:
    # A fallback to Sphinx's own catalog for the theme's strings (see the module docstring).
    app.add_message_catalog("sphinx", str(Path(__file__).parent / "locales"))
    app.connect("config-inited", add_theme_templates)
    app.connect("html-page-context", page_context)
