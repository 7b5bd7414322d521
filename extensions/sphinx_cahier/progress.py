"""The « Mon cahier » bar of every page, and the edition's book file: UI strings, pages and boxes.

**The bar** is written into each page at build time, at the top of the article: the link to
« Mon cahier », the progress « n / N » (``N`` is known at build time; ``n`` is a fixed-width
slot) with a ``<progress>`` named by the sentence « n sur N cases écrites », and the export
button. Right after it comes the page's one place for alerts and offers
(``<div class="cahier-alerts">``), an overlay docked at the bottom of the window: storage
alerts, the export reminder, the carry-over offer go there, from whatever script they come
(``alertRegion`` in keep.js). keep.js only fills in numbers: nothing moves when it runs.

**The book file** — the UI strings in the book's language, and the list of pages for the
progress and the marks in the navigation — is one file per build,
``_static/cahier/<version>/book-<hash>.json`` beside our scripts (``assets.py``), named after its
content: a browser may cache it for good; the service worker precaches it like every file of the
edition::

    {"v": 1, "total": 20, "pages": [{"url": "book/eveil.html", "boxes": ["eveil.en-moi", …]}, …],
     "strings": {"saved": "Enregistré", …}}

URLs relative to the site's root, text boxes only (an optional level's box neither), in reading
order. It is computed once, after reading (``env-updated``): linear in the number of pages. When
it changes, every page is written again (each names the file). A page names it in
``<meta name="cahier-book">`` and preloads it (summary.py), with « Mon cahier »'s and the
manifest's URLs: a few bytes, whatever the size of the book; ``keep.js`` (``loadBook``) reads it.
"""

from __future__ import annotations

import hashlib
import json
import re
from html import escape
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .domain import MANIFEST_PATH, CahierDomain, reading_order
from .strings import ui_strings

#: Box kinds holding text (a drawing is kept, exported and counted by its own feature).
TEXT_KINDS = ("reflection", "prompt")
BOOK_FORMAT = 1
#: ``book-<hash>.json`` in ``_static/cahier/<version>/`` (``assets.remove_stale_lists``).
BOOK_FILE_NAME = re.compile(r"book-[0-9a-f]{12}\.json")


def summary_doc(env: BuildEnvironment) -> str | None:
    """The « Mon cahier » page ({mon-cahier}), if the book has one."""
    docs = sorted(getattr(env, "cahier_summary_docs", set()))
    return docs[0] if docs else None


def book_data(app: Sphinx) -> dict[str, Any]:
    """Every page with text boxes, in reading order (its URL from the root and its box ids), and
    the UI strings."""
    env = app.env
    domain: CahierDomain = env.get_domain("cahier")  # type: ignore[assignment]
    pages = []
    total = 0
    for docname in reading_order(env):
        # A level participants may leave empty (optional) counts neither as done nor as to do.
        ids = [
            b["id"]
            for b in domain.boxes_by_doc.get(docname, [])
            if b["kind"] in TEXT_KINDS and not b.get("optional")
        ]
        if ids:
            pages.append({"url": app.builder.get_target_uri(docname), "boxes": ids})
            total += len(ids)
    return {"v": BOOK_FORMAT, "total": total, "pages": pages, "strings": ui_strings()}


def write_book_file(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the book file, staged with our static files (``assets.stage_static``);
    every page again when its name changed (a page names it)."""
    builder = app.builder
    stage = getattr(builder, "cahier_stage", None)
    version = getattr(builder, "cahier_static_version", None)
    if builder.format != "html" or getattr(builder, "embedded", False) or not (stage and version):
        # EPUB and HTML help (embedded) have no scripts to read it.
        return []
    data = book_data(app)
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    name = f"book-{hashlib.sha256(raw).hexdigest()[:12]}.json"
    folder = Path(stage) / "cahier" / version
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("book-*.json"):
        old.unlink()
    (folder / name).write_bytes(raw)
    domain: CahierDomain = env.get_domain("cahier")  # type: ignore[assignment]
    first = next(
        (
            (docname, box["id"])
            for docname in reading_order(env)
            for box in domain.boxes_by_doc.get(docname, [])
            if box["kind"] in TEXT_KINDS
        ),
        None,
    )
    builder.cahier_book = {  # type: ignore[attr-defined]
        "file": f"_static/cahier/{version}/{name}",
        "total": data["total"],
        "summary": summary_doc(env),
        "first": first,
    }
    if getattr(env, "cahier_book_file", None) == builder.cahier_book["file"]:
        return []
    env.cahier_book_file = builder.cahier_book["file"]  # type: ignore[attr-defined]
    return sorted(env.found_docs)


def book_meta(app: Sphinx, pagename: str, context: dict[str, Any]) -> dict[str, Any] | None:
    """What ``<meta name="cahier-book">`` says on ``pagename``: « Mon cahier », the manifest and
    the book file, relative to the page (three URLs, whatever the size of the book)."""
    info = getattr(app.builder, "cahier_book", None)
    pathto = context.get("pathto")
    if info is None or pathto is None:
        return None
    return {
        "summary": pathto(info["summary"]) if info["summary"] else None,
        "manifest": pathto(MANIFEST_PATH, 1),
        "book": pathto(info["file"], 1),
    }


def bar_html(summary_url: str, total: int, texts: dict[str, str]) -> str:
    """The bar and the alert region, as keep.js finds them (it fills ``n`` and the meter)."""
    digits = min(len(str(total)), 4)
    sentence = texts["progress"].format(written="–", total=total)
    return (
        f'<nav class="cahier-nav" aria-label="{escape(texts["nav_label"])}" data-cahier-nav="">'
        f'<a class="cahier-nav-link" href="{escape(summary_url)}">{escape(texts["nav_label"])}</a>'
        '<span class="cahier-nav-count" aria-hidden="true">'
        f'<span class="cahier-nav-done cahier-nav-done--{digits}">–</span>'
        f'\u2009/\u2009<span class="cahier-nav-total">{total}</span></span>'
        f'<progress class="cahier-nav-meter" max="{max(total, 1)}" value="0" '
        'aria-labelledby="cahier-nav-progress"></progress>'
        f'<span class="cahier-nav-progress" id="cahier-nav-progress" hidden="">'
        f"{escape(sentence)}</span>"
        '<button type="button" class="cahier-nav-export" '
        f'aria-label="{escape(texts["export_html"])}">{escape(texts["export_short"])}</button>'
        "</nav>\n"
        '<div class="cahier-alerts" data-cahier-alerts=""></div>\n'
    )


def resume_html(first_url: str, texts: dict[str, str]) -> str:
    """The title page's way in: « Commencer le cahier » to the first box; keep.js makes it
    « Reprendre là où j'en étais » to the box last written, once something is (no shift)."""
    return (
        f'<p class="cahier-resume"><a class="cahier-resume-link" href="{escape(first_url)}">'
        f"{escape(texts['resume_start'])}</a></p>\n"
    )


def add_bar(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: the bar at the top of every page of the book but « Mon cahier »;
    on the title page, the way in (:func:`resume_html`)."""
    info = getattr(app.builder, "cahier_book", None)
    if (
        info is None
        or doctree is None
        or "body" not in context
        or not info["summary"]
        or pagename == info["summary"]
    ):
        return
    texts = getattr(app.builder, "cahier_bar_texts", None)
    if texts is None:
        texts = app.builder.cahier_bar_texts = ui_strings()  # type: ignore[attr-defined]
    bar = bar_html(context["pathto"](info["summary"]), info["total"], texts)
    if pagename == app.config.root_doc and info.get("first"):
        first, box_id = info["first"]
        page = "" if first == pagename else context["pathto"](first)  # pathto(self) is "#"
        bar += resume_html(f"{page}#cahier-box-{box_id}", texts)
    context["body"] = bar + context["body"]


def setup_progress(app: Sphinx) -> None:
    app.connect("env-updated", write_book_file)
    app.connect("html-page-context", add_bar)
