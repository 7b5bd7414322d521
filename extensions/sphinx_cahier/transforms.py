"""Transforms of the read pages.

- Text that looks like one of our directives (``{prompt} cloture.tension`` on a plain line, without
  its fence) is an error: the page would show it as text and the box would be missing.
- HTML-only structure: box labels become ``<label for=...>`` tied to their textarea.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from .messages import __, directive_suggestion
from .nodes import box_label

logger = logging.getLogger(__name__)

#: A line of text starting like a directive: ``{prompt} id``, ``:::{prompt} id``, ``::: {level}``.
LOOKALIKE = re.compile(
    r"^\s*(?P<fence>:{2,}|`{3,})?\s*\{\s*(?P<name>[A-Za-z][\w-]*)\s*\}(?P<rest>.*)$"
)


class DirectiveLookalike(SphinxTransform):
    """A paragraph line that reads like one of our directives but is plain text: an error."""

    default_priority = 200

    def apply(self, **kwargs: Any) -> None:
        for paragraph in self.document.findall(nodes.paragraph):
            if isinstance(paragraph.parent, nodes.system_message):
                continue
            for offset, line in enumerate(paragraph.astext().splitlines()):
                match = LOOKALIKE.match(line)
                if not match:
                    continue
                known = directive_suggestion(match["name"])
                if known is None:
                    continue
                written = line.strip()
                if known != match["name"]:
                    message = __(
                        "{written!r} is shown as text: did you mean {{{known}}}? A block starts "
                        "with its fence, ':::{{{known}}} …', and ends with ':::' alone on a line"
                    ).format(written=written, known=known)
                else:
                    message = __(
                        "{written!r} is shown as text, and its box is missing: a block starts "
                        "with its fence, ':::{{{known}}}{rest}', and ends with ':::' alone on a "
                        "line"
                    ).format(written=written, known=known, rest=match["rest"].rstrip())
                line_number = (paragraph.line or 1) + offset
                logger.warning(
                    message,
                    location=(self.env.docname, line_number),
                    type="cahier",
                    subtype="directive_as_text",
                )


class BoxLabelTransform(SphinxPostTransform):
    """Turn the inline that names a box into a ``box_label`` (rendered as ``<label>``).

    Other builders keep the plain inline, so they need no visitor for it.
    """

    default_priority = 400
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(nodes.inline)):
            if "cahier-box-label" in node["classes"] and "cahier_box" in node:
                label = box_label("", "", *node.children, box_id=node["cahier_box"])
                node.replace_self(label)


def setup_transforms(app: Sphinx) -> None:
    app.add_transform(DirectiveLookalike)
    app.add_post_transform(BoxLabelTransform)
