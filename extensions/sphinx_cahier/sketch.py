"""A drawing area: ``{sketch} <id>``.

The browser (``static/cahier/sketch.js``) turns the HTML into a canvas with its tools and keeps the
drawing, as vector strokes, under the same storage key scheme as the answer boxes. Paper builders
(LaTeX, text, man, Texinfo) get a blank framed area to draw in by hand.

Options: ``:label:`` names the drawing (default: "Your drawing", translated); ``:description:``
gives the id of the box that describes the drawing in words (its text alternative); the content,
if any, is shown above the drawing area as its instructions.
"""

from __future__ import annotations

from html import escape
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator
from sphinx.writers.manpage import ManualPageTranslator
from sphinx.writers.texinfo import TexinfoTranslator
from sphinx.writers.text import TextTranslator

from .config import BOX_ID_RE, id_rule
from .directives import BoxDirective, question_texts
from .messages import __
from .nodes import html_box_id
from .strings import _

logger = logging.getLogger(__name__)

#: The blank frame on paper: its width in characters and its height in lines (text, man, Texinfo).
PAPER_WIDTH = 60
PAPER_HEIGHT = 18


class sketch_area(nodes.General, nodes.Element):
    """A space to draw.

    Attributes: ``box_id`` (storage id), ``label_id`` (HTML id of the element that names it),
    ``description`` (box id of its text alternative, or ``""``), ``describedby`` (ids of the
    elements that describe it: instructions).
    """


def sketch_label_id(box_id: str) -> str:
    return f"cahier-sketch-label-{box_id}"


class SketchDirective(BoxDirective):
    """``{sketch} <box-id>``: a drawing area, saved in the browser like a box."""

    directive_label = "sketch"
    optional_arguments = 1
    has_content = True
    option_spec: ClassVar = {
        "label": directives.unchanged_required,
        "description": directives.unchanged_required,
        "class": directives.class_option,
    }

    def make_nodes(self) -> list[nodes.Node]:
        box_id = self.require_id("dessin")
        description = self.options.get("description", "").strip()
        if description and not BOX_ID_RE.match(description):
            raise self.error(
                __("sketch {id!r}: malformed :description: id {description!r}: {rule}").format(
                    id=box_id, description=description, rule=id_rule()
                )
            )
        if description == box_id:
            raise self.error(
                __(
                    "sketch {id!r}: :description: names the box where participants describe "
                    "their drawing in words, not the drawing itself"
                ).format(id=box_id)
            )
        if not description:
            logger.warning(
                __(
                    "sketch {id!r}: no :description: a drawing needs a box where participants can "
                    "describe it in words (for those who cannot see it or cannot draw): add a "
                    "{{prompt}} and name it, e.g. ':description: {id}.description'"
                ).format(id=box_id),
                location=self.get_location(),
                type="cahier",
                subtype="sketch_description",
            )
        label = self.options.get("label", "").strip() or str(_("Your drawing"))
        content = self.parse_box_content(box_id) if self.content else []

        container = nodes.container(
            "", classes=["cahier-sketch-block", *self.options.get("class", [])]
        )
        self.set_source_info(container)
        container += nodes.paragraph(
            "", label, classes=["cahier-sketch-label"], ids=[sketch_label_id(box_id)]
        )
        describedby: list[str] = []
        if content:
            container += nodes.container(
                "", *content, classes=["cahier-sketch-text"], ids=[f"cahier-q-{box_id}"]
            )
            describedby.append(f"cahier-q-{box_id}")
        container += sketch_area(
            "",
            box_id=box_id,
            label_id=sketch_label_id(box_id),
            description=description,
            describedby=describedby,
        )
        self.register_box(
            {
                "id": box_id,
                "kind": "sketch",
                "theme": None,
                "level": None,
                "label": label,
                "questions": question_texts(content) if content else [label],
                "description": description,
            }
        )
        return [container]


# --- HTML --------------------------------------------------------------------------------------


def visit_sketch_html(self: HTML5Translator, node: sketch_area) -> None:
    box_id = node["box_id"]
    attributes = {
        "data-cahier-sketch": box_id,
        "data-cahier-labelledby": node["label_id"],
    }
    if node.get("description"):
        attributes["data-cahier-description"] = html_box_id(node["description"])
    if node.get("describedby"):
        attributes["data-cahier-describedby"] = " ".join(node["describedby"])
    self.body.append(
        self.starttag(node, "div", CLASS="cahier-sketch", ids=[html_box_id(box_id)], **attributes)
    )
    status_id = escape(f"cahier-status-{box_id}")
    self.body.append(
        '<div class="cahier-sketch-frame"></div>\n'
        f'<p class="cahier-sketch-status" id="{status_id}" role="status"></p>\n'
        "</div>\n"
    )
    raise nodes.SkipNode


# --- paper: a blank frame to draw in by hand ---------------------------------------------------


def visit_sketch_latex(self: LaTeXTranslator, node: sketch_area) -> None:
    self.body.append(
        "\n\\par\\medskip\\noindent\n"
        "\\fbox{\\begin{minipage}[t][0.45\\textheight][t]"
        "{\\dimexpr\\linewidth-2\\fboxsep-2\\fboxrule\\relax}\\mbox{}\\end{minipage}}\n"
        "\\medskip\\par\n"
    )
    raise nodes.SkipNode


def paper_frame() -> list[str]:
    edge = "+" + "-" * (PAPER_WIDTH - 2) + "+"
    inside = "|" + " " * (PAPER_WIDTH - 2) + "|"
    return [edge, *[inside] * PAPER_HEIGHT, edge]


def visit_sketch_text(self: TextTranslator, node: sketch_area) -> None:
    self.new_state(0)
    self.add_text("\n".join(paper_frame()))
    self.end_state(wrap=False)
    raise nodes.SkipNode


def visit_sketch_man(self: ManualPageTranslator, node: sketch_area) -> None:
    self.body.append("\n.sp\n.nf\n" + "\n".join(paper_frame()) + "\n.fi\n")
    raise nodes.SkipNode


def visit_sketch_texinfo(self: TexinfoTranslator, node: sketch_area) -> None:
    self.body.append("\n\n@example\n" + "\n".join(paper_frame()) + "\n@end example\n\n")
    raise nodes.SkipNode


def setup_sketch(app: Sphinx) -> None:
    app.add_node(
        sketch_area,
        html=(visit_sketch_html, None),
        latex=(visit_sketch_latex, None),
        text=(visit_sketch_text, None),
        man=(visit_sketch_man, None),
        texinfo=(visit_sketch_texinfo, None),
    )
    app.add_directive("sketch", SketchDirective)
