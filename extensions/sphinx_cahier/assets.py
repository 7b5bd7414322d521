"""Static files for HTML builders only: the stylesheet and the scripts that save answers.

**Versioned folder.** The files of ``static/cahier/`` are published in
``_static/cahier/<version>/``, where ``<version>`` is a hash of all of them: the ES modules import
one another by relative URL (``./store.js``), so a browser can never mix a new ``cahier.js`` with
a cached ``store.js`` after an update. Register files as ``cahier/<name>`` (``add_js_file``,
``add_css_file``): each page's links get the version (:func:`page_assets`). The manifest stays at
``_static/cahier/manifest.json``.

**Lean pages** (``cahier_lean_pages``, on by default). A page loads only what it uses: Sphinx's
search scripts (``doctools.js``, ``language_data.js``…) only on the search page, its highlighting
of searched words (``sphinx_highlight.js``) nowhere, sphinx-design's CSS and JS only on pages
with sphinx-design markup, myst-nb's CSS only on pages with notebook cells, ``pygments.css`` only
on pages with highlighted code. Only with a theme the workbook knows (``themes.py``), and never
what the theme's own code needs (sphinx-book-theme runs Sphinx's search code on every page); a
theme it does not know gets every file.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

from .minify import strip_folder
from .progress import BOOK_FILE_NAME, setup_progress
from .theme import setup_theme
from .themes import theme_support

STATIC_DIR = Path(__file__).parent / "static"
OWN_STATIC = STATIC_DIR / "cahier"

#: Loaded by Sphinx on every page, used only by the search page.
SEARCH_ONLY_SCRIPTS = frozenset(
    {
        "documentation_options.js",
        "doctools.js",
        "translations.js",
        "language_data.js",
        "searchtools.js",
    }
)
#: Highlights the searched words on the page a search result leads to; reads localStorage
#: without a guard (it throws when storage is blocked). A workbook does without it.
UNUSED_SCRIPTS = frozenset({"sphinx_highlight.js"})
NO_HIGHLIGHT = "var SPHINX_HIGHLIGHT_ENABLED = false;"


VERSION_NAME = re.compile(r"[0-9a-f]{12}")


def static_version(folder: Path = OWN_STATIC) -> str:
    """A hash of every file of `folder` (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def stage_static(app: Sphinx) -> str:
    """Copy ``static/cahier`` to ``<doctrees>/cahier-static/cahier/<version>/`` for Sphinx to
    publish as ``_static/cahier/<version>/``; the version."""
    version = static_version()
    stage = Path(app.doctreedir) / "cahier-static"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(OWN_STATIC, stage / "cahier" / version)
    if app.config.cahier_minify:
        strip_folder(stage / "cahier" / version)  # the same code, without its comments
    app.config.html_static_path.append(str(stage))
    return version


def add_html_assets(app: Sphinx) -> None:
    """``builder-inited``: a LaTeX, text or man build gets none of this."""
    if app.builder.format != "html":
        return
    app.builder.cahier_static_version = stage_static(app)
    # Where progress.py writes the book file, published in the version folder.
    app.builder.cahier_stage = str(Path(app.doctreedir) / "cahier-static")
    app.add_css_file("cahier/cahier.css")
    # The blank paper cahier (``cahier pdf``): questions and ruled lines, no screen chrome.
    app.add_css_file("cahier/print.css", media="print")
    # The script reads the storage namespace from its own attributes (strings: the book file).
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
            # The build writes the edition's service worker (cahier/offline.py).
            "data-cahier-offline": "1" if app.config.cahier_offline else "",
        },
    )
    if app.config.cahier_previous_editions:
        # Offers to bring over answers from earlier editions; reads #cahier-script's attributes.
        app.add_css_file("cahier/carry-over.css")
        app.add_js_file("cahier/carry-over.js", type="module")


def _filename(asset: Any) -> str:
    return str(getattr(asset, "filename", asset) or "")


def _versioned(asset: Any, version: str) -> Any:
    """``cahier/<name>`` becomes ``cahier/<version>/<name>`` when ``<name>`` is one of ours."""
    name = _filename(asset)
    prefix = "_static/cahier/" if name.startswith("_static/") else "cahier/"
    own = name[len(prefix) :]
    if not name.startswith(prefix) or not (OWN_STATIC / own).is_file():
        return asset
    filename = f"{prefix}{version}/{own}"
    if isinstance(asset, _JavaScript):
        return _JavaScript(filename, priority=asset.priority, **asset.attributes)
    if isinstance(asset, _CascadingStyleSheet):
        return _CascadingStyleSheet(filename, priority=asset.priority, **asset.attributes)
    return filename


def page_features(doctree: nodes.document | None) -> set[str]:
    """What a page's content needs from optional assets: "design", "notebook", "code"."""
    found: set[str] = set()
    if doctree is None:
        return found
    for node in doctree.findall(nodes.Element):
        classes = node.get("classes", [])
        if any(c.startswith("sd-") for c in classes):
            found.add("design")
        if node.get("nb_element"):
            found.add("notebook")
        if isinstance(node, nodes.literal_block | nodes.doctest_block) or "highlight" in classes:
            found.add("code")
    return found


def needed(
    filename: str, pagename: str, features: set[str], keeps: frozenset[str] = frozenset()
) -> bool:
    """Whether a page loads this file; ``keeps``: what the theme's own code needs (themes.py)."""
    base = filename.rsplit("/", 1)[-1].split("?", 1)[0]
    if base in keeps:
        return True
    if base in UNUSED_SCRIPTS:
        return False
    if base in SEARCH_ONLY_SCRIPTS:
        return pagename == "search"
    if base in {"sphinx-design.min.css", "design-tabs.js"}:
        return "design" in features
    if base.startswith("mystnb.") and base.endswith(".css"):
        return "notebook" in features
    if base == "pygments.css":
        return "code" in features
    return True


def page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: the versioned URLs of our files; drop what the page does not use."""
    version = getattr(app.builder, "cahier_static_version", None)
    features = page_features(doctree)
    # Only a theme the workbook knows is pruned, and of what its own code does not need.
    support = theme_support(app)
    lean = app.config.cahier_lean_pages and support is not None
    keeps = support.keeps if support is not None else frozenset()
    for key in ("script_files", "css_files"):
        if key not in context:
            continue
        kept = []
        for asset in context[key]:
            if lean and not needed(_filename(asset), pagename, features, keeps):
                if pagename == "search" and _filename(asset).endswith("/sphinx_highlight.js"):
                    # searchtools.js asks this flag (set by sphinx_highlight.js) before it
                    # stores the searched words in localStorage for the highlighting.
                    kept.append(_JavaScript("", priority=asset.priority, body=NO_HIGHLIGHT))
                continue
            kept.append(_versioned(asset, version) if version else asset)
        context[key] = kept


def rewrite_pages_for_new_version(
    app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: when our files changed, every page is written again.

    A page links to one version folder; a rebuild that left a page untouched would leave it
    pointing at a folder that :func:`remove_stale_versions` removes.
    """
    version = getattr(app.builder, "cahier_static_version", None)
    domain = env.get_domain("cahier")
    if version is None or domain.data.get("static_version") == version:
        return []
    domain.data["static_version"] = version
    return sorted(env.found_docs - added - removed)


def remove_stale_versions(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: earlier versions of our files leave the output folder."""
    version = getattr(app.builder, "cahier_static_version", None)
    folder = Path(app.outdir) / "_static" / "cahier"
    if version:
        remove_stale_lists(app, exception, folder / version)
    if exception is not None or not version or not (folder / version).is_dir():
        # Nothing was written with this version (e.g. nothing was out of date): keep what is there.
        return
    for child in folder.iterdir():
        if child.is_dir() and child.name != version and VERSION_NAME.fullmatch(child.name):
            shutil.rmtree(child, ignore_errors=True)


def remove_stale_lists(app: Sphinx, exception: Exception | None, folder: Path) -> None:
    """Earlier book files (``progress.py``) leave the output folder once this build's is there
    (before the service worker lists the files to precache)."""
    pages = getattr(app.builder, "cahier_book", None)
    current = Path(pages["file"]).name if pages else None
    if exception is not None or not current or not (folder / current).is_file():
        return
    for child in folder.iterdir():
        if child.name != current and BOOK_FILE_NAME.fullmatch(child.name):
            child.unlink(missing_ok=True)


def setup_assets(app: Sphinx) -> None:
    app.add_config_value("cahier_lean_pages", True, "html", bool)
    app.add_config_value("cahier_minify", True, "html", bool)
    app.connect("builder-inited", add_html_assets)
    # After the theme's and other extensions' handlers: they may add files too.
    app.connect("html-page-context", page_assets, priority=900)
    app.connect("env-get-outdated", rewrite_pages_for_new_version)
    app.connect("build-finished", remove_stale_versions)
    setup_theme(app)
    setup_progress(app)
