"""« Mon cahier »: the page that gathers the participant's answers, and the progress of each page.

``{mon-cahier}`` renders a placeholder that the browser (``mon-cahier.js``) fills from the manifest
and the participant's storage. Other builders print a sentence saying what the web page shows.

Every HTML page also gets ``<meta name="cahier-pages">``: the URLs of « Mon cahier », of the
manifest and of the list of pages and their boxes (one file per build, ``progress.py``), relative
to that page: the same few bytes whatever the size of the book.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from .progress import pages_meta
from .strings import build_strings

#: Box kinds holding text (a drawing is kept, exported and counted by its own feature).
TEXT_KINDS = ("reflection", "prompt")


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
    self.body.append(
        '<div class="cahier-mon-cahier" data-cahier-mon-cahier="">'
        f'<p class="cahier-mon-cahier-loading">{escape(node["fallback"])}</p></div>\n'
    )
    raise nodes.SkipNode


def _pass(self: Any, node: nodes.Node) -> None:
    pass


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "cahier_summary_docs", set()).discard(docname)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: Any) -> None:
    docs: set[str] = getattr(env, "cahier_summary_docs", set())
    docs |= getattr(other, "cahier_summary_docs", set()) & set(docnames)
    env.cahier_summary_docs = docs  # type: ignore[attr-defined]


def add_pages_meta(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: the ``cahier-pages`` meta tag (see the module docstring)."""
    if app.builder.format != "html":
        return
    info = pages_meta(app, pagename, context)
    if info is None:
        return
    info = json.dumps(info, ensure_ascii=False, separators=(",", ":"))
    context["metatags"] = (
        context.get("metatags", "") + f'\n<meta name="cahier-pages" content="{escape(info)}">'
    )


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
    app.connect("html-page-context", add_pages_meta)
