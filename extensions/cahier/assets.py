"""Static files for HTML builders only: the stylesheet and the scripts that save answers."""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx

from .strings import ui_strings

STATIC_DIR = Path(__file__).parent / "static"


def add_html_assets(app: Sphinx) -> None:
    """``builder-inited``: a LaTeX, text or man build gets none of this."""
    if app.builder.format != "html":
        return
    app.config.html_static_path.append(str(STATIC_DIR))
    app.add_css_file("cahier/cahier.css")
    # The blank paper cahier (``cahier pdf``): questions and ruled lines, no screen chrome.
    app.add_css_file("cahier/print.css", media="print")
    # The script reads the storage namespace and its translated strings from its own attributes.
    app.add_js_file(
        "cahier/cahier.js",
        type="module",
        id="cahier-script",
        **{
            "data-cahier-book": app.config.cahier_book,
            "data-cahier-edition": app.config.cahier_edition,
            # For export file names and the like; the storage namespace is book + edition only.
            "data-cahier-school": app.config.cahier_school,
            "data-cahier-dates": app.config.cahier_dates,
            "data-cahier-place": app.config.cahier_place,
            "data-cahier-previous-editions": json.dumps(app.config.cahier_previous_editions),
            "data-cahier-strings": json.dumps(ui_strings(), ensure_ascii=False),
        },
    )
    if app.config.cahier_previous_editions:
        # Offers to bring over answers from earlier editions; reads #cahier-script's attributes.
        app.add_css_file("cahier/carry-over.css")
        app.add_js_file("cahier/carry-over.js", type="module")


def setup_assets(app: Sphinx) -> None:
    app.connect("builder-inited", add_html_assets)
