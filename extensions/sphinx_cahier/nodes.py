"""The nodes of a workbook and how each builder renders them.

``answer_box`` is the only custom node the directives emit: a space to write. HTML gets a textarea
that the browser scripts save; LaTeX, text, man and Texinfo get ruled space to write by hand (the
blank paper cahier). ``box_label`` exists only in HTML documents (see ``transforms.py``).
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator
from sphinx.writers.manpage import ManualPageTranslator
from sphinx.writers.texinfo import TexinfoTranslator
from sphinx.writers.text import TextTranslator

#: How many ruled lines a box gets on paper, by kind of box.
PAPER_LINES = {"reflection": 8, "prompt": 6}


class answer_box(nodes.General, nodes.Element):
    """A space to write one answer.

    Attributes: ``box_id`` (storage id), ``kind`` (``reflection`` or ``prompt``),
    ``describedby`` (ids of the elements that describe the box: questions, level description).
    """


class box_label(nodes.Inline, nodes.TextElement):
    """The text that names a box; an HTML ``<label>`` tied to its textarea."""


def html_box_id(box_id: str) -> str:
    """The HTML id of the textarea of a box."""
    return f"cahier-box-{box_id}"


def paper_lines(node: answer_box) -> int:
    return PAPER_LINES.get(node.get("kind", "prompt"), 6)


# --- HTML --------------------------------------------------------------------------------------


def visit_answer_box_html(self: HTML5Translator, node: answer_box) -> None:
    box_id = node["box_id"]
    field_id = escape(html_box_id(box_id))
    status_id = escape(f"cahier-status-{box_id}")
    describedby = " ".join(node.get("describedby", []))
    self.body.append(self.starttag(node, "div", CLASS="cahier-box", **{"data-cahier-box": box_id}))
    described = f' aria-describedby="{escape(describedby)}"' if describedby else ""
    rows = paper_lines(node)
    # autocomplete="off": Back must not bring back the text the box held when the page was left
    # (the browser restores it over what boxes.js read from storage, and one key would store it).
    self.body.append(
        f'<textarea class="cahier-box-input" id="{field_id}" name="{escape(box_id)}" '
        f'rows="{rows}" spellcheck="true" autocomplete="off"{described}></textarea>\n'
        f'<p class="cahier-box-status" id="{status_id}" role="status"></p>\n'
        "</div>\n"
    )
    raise nodes.SkipNode


def visit_box_label_html(self: HTML5Translator, node: box_label) -> None:
    self.body.append(
        self.starttag(node, "label", "", CLASS="cahier-box-label", FOR=html_box_id(node["box_id"]))
    )


def depart_box_label_html(self: HTML5Translator, node: box_label) -> None:
    self.body.append("</label>")


# --- paper: ruled space to write by hand -------------------------------------------------------


def visit_answer_box_latex(self: LaTeXTranslator, node: answer_box) -> None:
    rules = "".join(r"\vspace{2.2ex}\hrule height 0.4pt" + "\n" for _ in range(paper_lines(node)))
    self.body.append("\n\\par\\medskip\n" + rules + "\\medskip\\par\n")
    raise nodes.SkipNode


def visit_answer_box_text(self: TextTranslator, node: answer_box) -> None:
    self.new_state(0)
    self.add_text("\n".join(["_" * 60] * paper_lines(node)))
    self.end_state(wrap=False)
    raise nodes.SkipNode


def visit_answer_box_man(self: ManualPageTranslator, node: answer_box) -> None:
    self.body.append("\n.sp\n" + "_" * 60 + "\n" * paper_lines(node))
    raise nodes.SkipNode


def visit_answer_box_texinfo(self: TexinfoTranslator, node: answer_box) -> None:
    self.body.append("\n\n" + ("_" * 60 + "\n\n") * paper_lines(node))
    raise nodes.SkipNode


def setup_nodes(app: Sphinx) -> None:
    app.add_node(
        answer_box,
        html=(visit_answer_box_html, None),
        latex=(visit_answer_box_latex, None),
        text=(visit_answer_box_text, None),
        man=(visit_answer_box_man, None),
        texinfo=(visit_answer_box_texinfo, None),
    )
    app.add_node(box_label, html=(visit_box_label_html, depart_box_label_html))
