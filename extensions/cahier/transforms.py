"""HTML-only structure: box labels become ``<label for=...>`` tied to their textarea."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from .nodes import box_label


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
    app.add_post_transform(BoxLabelTransform)
