"""Cahier: a reflective workbook for Sphinx and Jupyter Book.

Directives ``reflection`` (a theme read at every level), ``level`` and ``prompt`` render boxes to
write in; ``sketch`` is a drawing area. The browser keeps the answers and the drawings in the
participant's own localStorage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .assets import setup_assets
from .brand import setup_brand
from .config import setup_config
from .csp import setup_csp
from .directives import setup_directives
from .domain import setup_domain
from .messages import setup_messages
from .nodes import setup_nodes
from .offline import setup_offline
from .sketch import setup_sketch
from .strings import MESSAGE_CATALOG
from .summary import setup_summary
from .themes import setup_themes
from .toc import setup_toc
from .transforms import setup_transforms

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_message_catalog(MESSAGE_CATALOG, str(Path(__file__).parent / "locales"))
    setup_messages(app)
    setup_config(app)
    setup_toc(app)
    setup_nodes(app)
    setup_directives(app)
    setup_sketch(app)
    setup_domain(app)
    setup_summary(app)
    setup_transforms(app)
    setup_assets(app)
    setup_themes(app)
    setup_brand(app)
    setup_offline(app)
    setup_csp(app)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
