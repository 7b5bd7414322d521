"""Offline and installable: a service worker and a web app manifest per edition.

At the end of an HTML build (``build-finished``) the extension writes, at the edition's root:

- ``sw.js``: the service worker (``offline/sw.js``) with this build's precache list (every file
  of the edition but its sources) and version (a hash of their contents). Its scope is the
  edition's folder: ``/2025/`` and ``/2026/`` of a site of editions never touch each other's caches;
- ``manifest.webmanifest``: name, short name, language, ``start_url`` and ``scope`` = the edition's
  folder, ``display: standalone``, colours and icons;
- ``_static/cahier/icons/``: PNG icons (192, 512 and the 180 px ``apple-touch-icon``) rendered from
  one SVG (``cahier_icon``, the default notebook when empty) with resvg, and the SVG itself.

Every page gets the ``<link rel="manifest">``, ``theme-color``, ``apple-touch-icon`` and the iOS
meta tags; ``offline.js`` registers the worker after the page has loaded.
Settings: ``cahier_offline`` (default on), ``cahier_icon``, ``cahier_theme_color``,
``cahier_background_color``, ``cahier_short_name``.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

from markupsafe import escape
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util import logging

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
SW_TEMPLATE = HERE / "offline" / "sw.js"
DEFAULT_ICON = HERE / "icons" / "cahier.svg"
SW_NAME = "sw.js"
WEB_MANIFEST = "manifest.webmanifest"
ICONS_DIR = "_static/cahier/icons"
#: name -> pixel size; the PNGs that browsers and iOS ask for.
PNG_ICONS = {"icon-192.png": 192, "icon-512.png": 512, "apple-touch-icon.png": 180}
COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
#: Never precached: build bookkeeping, the sources of the pages, the worker itself.
NOT_PRECACHED = re.compile(r"^(?:\.buildinfo|objects\.inv|sw\.js|_sources/.*|.*\.map|\..*)$")


def enabled(app: Sphinx) -> bool:
    return app.builder.format == "html" and bool(app.config.cahier_offline)


def short_name(config: Config) -> str:
    """What a home screen shows under the icon (about 12 characters fit)."""
    if config.cahier_short_name:
        return str(config.cahier_short_name)
    title = str(config.project or "")
    return title if 0 < len(title) <= 12 else f"Cahier {config.cahier_edition}"


def check_offline_config(app: Sphinx, config: Config) -> None:
    """``config-inited``: colours are CSS hex colours; the icon is an SVG file that exists."""
    for name in ("cahier_theme_color", "cahier_background_color"):
        value = config[name]
        if not isinstance(value, str) or not COLOR_RE.match(value):
            raise ConfigError(f"{name}: {value!r} is not a colour such as '#1d4e74'")
    icon = config.cahier_icon
    if icon:
        path = Path(app.confdir, icon)
        if path.suffix.lower() != ".svg" or not path.is_file():
            raise ConfigError(f"cahier_icon: {icon!r} is not an SVG file of the book")


def head_tags(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """``html-page-context``: the manifest, the colour and the home-screen icon of every page."""
    if not enabled(app):
        return
    pathto = context["pathto"]
    config = app.config
    tags = [
        f'<link rel="manifest" href="{pathto(WEB_MANIFEST, 1)}">',
        f'<meta name="theme-color" content="{escape(config.cahier_theme_color)}">',
        f'<link rel="apple-touch-icon" href="{pathto(ICONS_DIR + "/apple-touch-icon.png", 1)}">',
        '<meta name="mobile-web-app-capable" content="yes">',
        '<meta name="apple-mobile-web-app-capable" content="yes">',
        f'<meta name="apple-mobile-web-app-title" content="{escape(short_name(config))}">',
        '<meta name="apple-mobile-web-app-status-bar-style" content="default">',
    ]
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(tags)


def render_icons(app: Sphinx, outdir: Path) -> None:
    """The PNG icons from the book's SVG (or the default one), and the SVG itself."""
    import resvg_py

    folder = outdir / ICONS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    source = Path(app.confdir, app.config.cahier_icon) if app.config.cahier_icon else DEFAULT_ICON
    try:
        pngs = {
            name: bytes(resvg_py.svg_to_bytes(svg_path=str(source), width=size, height=size))
            for name, size in PNG_ICONS.items()
        }
    except (ValueError, OSError) as error:
        logger.warning(
            "cahier_icon: %s cannot be drawn (%s); the default icon is used",
            source,
            error,
            type="cahier",
            subtype="icon",
            location=str(Path(app.confdir)),
        )
        source = DEFAULT_ICON
        pngs = {
            name: bytes(resvg_py.svg_to_bytes(svg_path=str(source), width=size, height=size))
            for name, size in PNG_ICONS.items()
        }
    for name, data in pngs.items():
        (folder / name).write_bytes(data)
    shutil.copyfile(source, folder / "icon.svg")


def web_manifest(app: Sphinx) -> dict[str, Any]:
    config = app.config
    title = str(config.project or "Cahier")
    return {
        "name": f"{title} — {config.cahier_edition}",
        "short_name": short_name(config),
        "lang": config.language or "fr",
        "id": "./",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": config.cahier_theme_color,
        "background_color": config.cahier_background_color,
        "icons": [
            *(
                {"src": f"{ICONS_DIR}/{name}", "sizes": f"{size}x{size}", "type": "image/png"}
                for name, size in PNG_ICONS.items()
                if name.startswith("icon-")
            ),
            {"src": f"{ICONS_DIR}/icon.svg", "sizes": "any", "type": "image/svg+xml"},
        ],
    }


def precache_list(outdir: Path) -> list[str]:
    """Every file of the edition a participant may need offline, relative to its root."""
    files = sorted(
        path.relative_to(outdir).as_posix()
        for path in outdir.rglob("*")
        if path.is_file() and not NOT_PRECACHED.match(path.relative_to(outdir).as_posix())
    )
    # The folder itself (what start_url and a bare /2025/ ask for), when it has an index page.
    return ["./", *files] if "index.html" in files else files


def content_version(outdir: Path, files: list[str]) -> str:
    digest = hashlib.sha256(SW_TEMPLATE.read_bytes())
    for name in files:
        if name != "./":
            digest.update(name.encode() + b"\0" + (outdir / name).read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def complete_redirect_page(outdir: Path) -> None:
    """The root ``index.html`` that Jupyter Book writes to redirect to the first page declares no
    icon: a browser asks ``/favicon.ico`` (a 404) before it follows the redirect. Give it ours."""
    page = outdir / "index.html"
    if not page.is_file():
        return
    html = page.read_text(encoding="utf-8")
    if 'http-equiv="Refresh"' not in html or 'rel="icon"' in html:
        return
    icon = f'<link rel="icon" href="{ICONS_DIR}/icon.svg" type="image/svg+xml">\n'
    page.write_text(html + ("" if html.endswith("\n") else "\n") + icon, encoding="utf-8")


def write_offline_files(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` (after the manifest and our static files): icons, manifest, worker."""
    if exception is not None or not enabled(app):
        return
    outdir = Path(app.outdir)
    render_icons(app, outdir)
    complete_redirect_page(outdir)
    (outdir / WEB_MANIFEST).write_text(
        json.dumps(web_manifest(app), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    files = precache_list(outdir)
    config = {
        "version": content_version(outdir, files),
        "prefix": f"cahier:{app.config.cahier_book}:{app.config.cahier_edition}:",
        "precache": files,
    }
    header = f"self.CAHIER_SW = {json.dumps(config, ensure_ascii=False)};\n"
    (outdir / SW_NAME).write_text(header + SW_TEMPLATE.read_text(encoding="utf-8"), "utf-8")


def setup_offline(app: Sphinx) -> None:
    app.add_config_value("cahier_offline", True, "html", bool)
    app.add_config_value("cahier_icon", "", "html", str)
    app.add_config_value("cahier_theme_color", "#1d4e74", "html", str)
    app.add_config_value("cahier_background_color", "#ffffff", "html", str)
    app.add_config_value("cahier_short_name", "", "html", str)
    app.connect("config-inited", check_offline_config)
    app.connect("html-page-context", head_tags)
    # After the manifest (domain.py) and the removal of stale static versions (assets.py).
    app.connect("build-finished", write_offline_files, priority=900)
