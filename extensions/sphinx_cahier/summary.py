"""« Mon cahier »: the page that gathers the participant's answers, and the progress of each page.

``{mon-cahier}`` is one node, :class:`summary_placeholder`, whose child is a sentence saying what
the web page shows: LaTeX, text and the other builders print that sentence. The HTML visitor writes
the whole page at build time instead (:func:`summary_html`): every page of the book in reading
order, its title, each box (a level's name or a prompt's label, linked to the box, its questions)
and each drawing, with an empty answer slot (« Pas encore de réponse »), and the lines that the
script fills in (count, storage persistence, last export). ``mon-cahier.js`` (imported by
``keep.js``) only fills the slots from the participant's storage, without the manifest. Its
stylesheet keeps the list invisible, in a screen's height, until it is filled: the title and the
introduction are drawn at once, and the answers appear without moving anything that was seen
(Cumulative Layout Shift 0) — no render-blocking script, so nothing but the stylesheets delays the
first drawing. The list depends on every page's boxes: any change to the book writes « Mon cahier »
again (``env-get-outdated``).

Every HTML page also gets ``<meta name="cahier-book">``: the URLs of « Mon cahier », of the
manifest and of the book file (the UI strings, the pages and their boxes: one file per build,
``progress.py``), relative to that page: the same few bytes whatever the size of the book.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html._assets import _CascadingStyleSheet
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from .config import levels_of
from .domain import CahierDomain, plain_text, reading_order
from .progress import book_meta
from .strings import build_strings, ui_strings

#: Box kinds holding text (a drawing is kept, exported and counted by its own feature).
TEXT_KINDS = ("reflection", "prompt")
#: What the browser may say about keeping the data: its line keeps room for the longest.
PERSISTED = ("persisted_yes", "persisted_no", "persisted_unknown")


class summary_placeholder(nodes.General, nodes.Element):
    """Where « Mon cahier » lists the answers (HTML); a sentence elsewhere (its children)."""


class MonCahierDirective(SphinxDirective):
    """``{mon-cahier}``: the list of every answer, the counts and the actions (web only)."""

    has_content = False
    option_spec: ClassVar = {}

    def run(self) -> list[nodes.Node]:
        docs: set[str] = getattr(self.env, "cahier_summary_docs", set())
        docs.add(self.env.docname)
        self.env.cahier_summary_docs = docs  # type: ignore[attr-defined]
        texts = build_strings()
        node = summary_placeholder("", nodes.paragraph("", texts["summary_paper"]))
        node["fallback"] = texts["summary_needs_js"]
        self.set_source_info(node)
        return [node]


def visit_summary_html(self: HTML5Translator, node: summary_placeholder) -> None:
    self.body.append(summary_html(self.builder, self.builder.current_docname, node["fallback"]))
    raise nodes.SkipNode


def summary_html(builder: Any, docname: str, fallback: str) -> str:
    """« Mon cahier » as the build knows it: every box of the book with an empty answer slot.

    Per page (``section.cahier-mc-page``, its title in ``h2``), in reading order, each box is a
    ``div.cahier-mc-box`` with ``data-cahier-mc-box`` (its id) and ``data-cahier-mc-kind``
    (``text`` or ``sketch``): an ``h3`` linking to the box, the questions
    (``ul.cahier-mc-questions``, none when the only question is the box's label) and the slot,
    ``p.cahier-mc-empty``, that mon-cahier.js replaces by the answer. The root carries what the
    script's exports need besides (the book's title, the renamed ids). Plain text only, as in the
    manifest (``domain.plain_text``).
    """
    env = builder.env
    config = builder.config
    domain: CahierDomain = env.get_domain("cahier")  # type: ignore[assignment]
    texts = ui_strings()
    level_names = {level.id: level.name for level in levels_of(config)}
    renamed = json.dumps(dict(getattr(config, "cahier_renamed", {}) or {}), ensure_ascii=False)
    out = [
        f'<div class="cahier-mon-cahier" data-cahier-mon-cahier=""'
        f' data-cahier-title="{escape(str(config.project))}"'
        f' data-cahier-renamed="{escape(renamed)}">\n'
        f'<noscript><p class="cahier-mc-needs-js">{escape(fallback)}</p></noscript>\n'
        # One line each until the script fills them in; the persistence line keeps room for the
        # longest thing it may say (it is known only after the first drawing: a promise).
        '<p class="cahier-mc-count">&#160;</p>\n<div class="cahier-mc-persist-slot">'
        '<p class="cahier-mc-persist"></p>'
        + "".join(
            f'<p class="cahier-mc-reserve" aria-hidden="true">{escape(texts[key])}</p>'
            for key in PERSISTED
        )
        + '</div>\n<p class="cahier-mc-last-export">&#160;</p>\n<div class="cahier-mc-list">\n'
    ]
    empty = f'<p class="cahier-mc-empty">{escape(texts["no_answer"])}</p>'
    for page in reading_order(env):
        boxes = domain.boxes_by_doc.get(page, [])
        if not boxes:
            continue
        title = env.titles.get(page)
        out.append(
            '<section class="cahier-mc-page">'
            f"<h2>{escape(plain_text(title) if title is not None else '')}</h2>\n"
        )
        base = builder.get_relative_uri(docname, page)
        for box in boxes:
            kind = "sketch" if box["kind"] == "sketch" else "text"
            if kind == "text" and box["kind"] not in TEXT_KINDS:
                continue
            level = level_names.get(box["level"] or "") if kind == "text" else None
            heading = level or box["label"]
            optional = kind == "text" and bool(box.get("optional"))
            if optional:  # a level participants may leave empty: not counted
                heading += f" ({build_strings()['level_optional']})"
            questions = box["questions"] if kind == "text" else []
            if len(questions) == 1 and questions[0] == box["label"]:
                questions = []
            href = f"{base}#cahier-box-{box['id']}"
            out.append(
                f'<div class="cahier-mc-box{" cahier-mc-drawing" if kind == "sketch" else ""}"'
                f' data-cahier-mc-box="{escape(box["id"])}" data-cahier-mc-kind="{kind}"'
                f"{' data-cahier-mc-optional' if optional else ''}>"
                f'<h3><a href="{escape(href)}">{escape(heading)}</a></h3>'
            )
            if questions:
                items = "".join(f"<li>{escape(q)}</li>" for q in questions)
                out.append(f'<ul class="cahier-mc-questions">{items}</ul>')
            out.append(f"{empty}</div>\n")
        out.append("</section>\n")
    out.append("</div>\n</div>\n")
    return "".join(out)


def _pass(self: Any, node: nodes.Node) -> None:
    pass


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "cahier_summary_docs", set()).discard(docname)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: Any) -> None:
    docs: set[str] = getattr(env, "cahier_summary_docs", set())
    docs |= getattr(other, "cahier_summary_docs", set()) & set(docnames)
    env.cahier_summary_docs = docs  # type: ignore[attr-defined]


def add_book_meta(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: the ``cahier-book`` meta tag (see the module docstring), and the
    book file preloaded: ``keep.js`` fetches it while the page's modules load, not after them
    (``crossorigin="anonymous"``: the credentials mode of a plain ``fetch``, so the two match)."""
    if app.builder.format != "html":
        return
    info = book_meta(app, pagename, context)
    if info is None:
        return
    content = json.dumps(info, ensure_ascii=False, separators=(",", ":"))
    context["metatags"] = (
        context.get("metatags", "")
        + f'\n<meta name="cahier-book" content="{escape(content)}">'
        + f'\n<link rel="preload" href="{escape(info["book"])}" as="fetch" crossorigin="anonymous">'
    )


def add_summary_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: on « Mon cahier », its stylesheet (its script comes through
    ``keep.js``)."""
    if app.builder.format != "html" or pagename not in getattr(
        app.env, "cahier_summary_docs", set()
    ):
        return
    if "css_files" in context:
        context["css_files"].append(
            _CascadingStyleSheet("_static/cahier/mon-cahier.css", priority=500)
        )


def summary_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: « Mon cahier » lists every page's boxes: written again when any
    page is added, changed or removed."""
    if not (added or changed or removed):
        return []
    return sorted(getattr(env, "cahier_summary_docs", set()) - added - changed - removed)


def setup_summary(app: Sphinx) -> None:
    app.add_node(
        summary_placeholder,
        html=(visit_summary_html, None),
        latex=(_pass, _pass),
        text=(_pass, _pass),
        man=(_pass, _pass),
        texinfo=(_pass, _pass),
    )
    app.add_directive("mon-cahier", MonCahierDirective)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("html-page-context", add_book_meta)
    # Before assets.page_assets (900), which gives our files their versioned URLs.
    app.connect("html-page-context", add_summary_assets, priority=500)
    app.connect("env-get-outdated", summary_outdated)
