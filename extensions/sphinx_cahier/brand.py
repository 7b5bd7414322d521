"""Branding for organizers: a logo, a favicon and an accent colour, set in ``_config.yml``
(``sphinx.config``) or ``conf.py``.

- ``cahier_logo``: an image of the book (SVG, PNG, JPEG, WebP, GIF), shown by the theme at the top
  of its navigation (it becomes ``html_logo``).
- ``cahier_favicon``: the tab's icon (``html_favicon``); an SVG one is also the installed app's
  icon unless ``cahier_icon`` names another (``offline.py``).
- ``cahier_accent_color``: ``#rrggbb``, the accent of the boxes (their focus ring), the buttons,
  the progress bar and the focus rings of the workbook, in every theme (furo's, sphinx-book-theme's
  and our colour names are set in a stylesheet written at build time,
  ``_static/cahier-brand.css``). Its contrast with the page's background is checked at build time:
  below 4.5:1 (WCAG AA for text, which the buttons are) it is a build warning naming the setting.
  In a theme's dark mode the colour is lightened until it reaches 4.5:1 against the dark
  background, unless ``cahier_accent_color_dark`` gives it (checked the same way).

A path or colour that cannot be used stops the build at its line.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from .config import SettingError, add_setting, config_location, setting_location
from .messages import __, relative_location

logger = logging.getLogger(__name__)

HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".ico")
#: WCAG 2.1 AA for normal text (the buttons' and links' text use the accent).
MINIMUM_CONTRAST = 4.5
#: The page's background in light and dark mode, by theme (None: the theme has no dark mode).
BACKGROUNDS: dict[str, tuple[str, str | None]] = {
    "furo": ("#ffffff", "#131416"),
    "sphinx_book_theme": ("#ffffff", "#14181e"),
    "pydata_sphinx_theme": ("#ffffff", "#14181e"),
    "alabaster": ("#ffffff", None),
}
STYLESHEET = "cahier-brand.css"


def rgb(color: str) -> tuple[int, int, int]:
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def hex_color(value: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0, min(255, c))):02x}" for c in value)


def luminance(color: str) -> float:
    """WCAG 2.1 relative luminance."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def lightened(color: str, background: str, minimum: float = MINIMUM_CONTRAST) -> str:
    """``color`` mixed with white, step by step, until it reaches ``minimum`` on ``background``."""
    r, g, b = rgb(color)
    for step in range(21):
        t = step / 20
        candidate = hex_color((r + (255 - r) * t, g + (255 - g) * t, b + (255 - b) * t))
        if contrast(candidate, background) >= minimum:
            return candidate
    return "#ffffff"


def _stop(app: Sphinx, key: str, message: str) -> SettingError:
    folder = str(app.confdir or app.srcdir)
    location = setting_location(folder, key)
    return SettingError(key, message, relative_location(location, folder) if location else None)


def book_file(app: Sphinx, key: str) -> str | None:
    """The file a setting names, checked: it exists in the book and is an image."""
    value = app.config[key]
    if not value:
        return None
    if not isinstance(value, str):
        raise _stop(
            app, key, __("{key}: expected the path of an image of the book").format(key=key)
        )
    path = Path(app.confdir or app.srcdir, value)
    if not path.is_file():
        raise _stop(
            app, key, __("{key}: {path}: no such file in the book").format(key=key, path=value)
        )
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise _stop(
            app,
            key,
            __("{key}: {path} is not an image (SVG, PNG, JPEG, WebP, GIF)").format(
                key=key, path=value
            ),
        )
    return value


def checked_color(app: Sphinx, key: str) -> str | None:
    value = app.config[key]
    if not value:
        return None
    if not isinstance(value, str) or not HEX_COLOR.match(value.strip()):
        raise _stop(
            app,
            key,
            __('{key}: {value!r} is not a colour: write it as "#rrggbb", e.g. "#1d4e74"').format(
                key=key, value=value
            ),
        )
    value = value.strip().lower()
    return hex_color(rgb(value)) if len(value) == 4 else value


def warn_contrast(app: Sphinx, key: str, color: str, background: str, dark: bool) -> None:
    ratio = contrast(color, background)
    if ratio >= MINIMUM_CONTRAST:
        return
    if dark:
        message = __(
            "{key}: {color} has a contrast of {ratio}:1 with the page's dark background "
            "({background}); WCAG AA asks at least 4.5:1 for the buttons and the focus rings: "
            "choose a lighter colour"
        )
    else:
        message = __(
            "{key}: {color} has a contrast of {ratio}:1 with the page's background "
            "({background}); WCAG AA asks at least 4.5:1 for the buttons and the focus rings: "
            "choose a darker colour"
        )
    decimal = "," if str(app.config.language).startswith("fr") else "."
    logger.warning(
        message.format(
            key=key, color=color, ratio=f"{ratio:.1f}".replace(".", decimal), background=background
        ),
        location=config_location(app, key),
        type="cahier",
        subtype="accent_contrast",
    )


def apply_brand(app: Sphinx, config: Config) -> None:
    """``config-inited`` (before Sphinx checks ``html_logo``): the logo and the favicon become
    the theme's; the accent colours are checked."""
    logo = book_file(app, "cahier_logo")
    if logo:
        config.html_logo = logo
    favicon = book_file(app, "cahier_favicon")
    if favicon:
        config.html_favicon = favicon
        if not config.cahier_icon and favicon.lower().endswith(".svg"):
            config.cahier_icon = favicon
    accent = checked_color(app, "cahier_accent_color")
    dark = checked_color(app, "cahier_accent_color_dark")
    light_bg, dark_bg = BACKGROUNDS.get(str(config.html_theme), ("#ffffff", None))
    if accent:
        warn_contrast(app, "cahier_accent_color", accent, light_bg, dark=False)
    if dark and dark_bg:
        warn_contrast(app, "cahier_accent_color_dark", dark, dark_bg, dark=True)
    if accent and dark_bg and not dark:
        dark = lightened(accent, dark_bg)
    app.cahier_accent_colors = (accent, dark if dark_bg else None)  # type: ignore[attr-defined]


def brand_css(light: str, dark: str | None) -> str:
    """The accent as the themes' and our colour names, light and dark."""

    def names(color: str) -> str:
        return (
            f"  --cahier-brand: {color};\n  --color-brand-primary: {color};\n"
            f"  --color-brand-content: {color};\n  --pst-color-primary: {color};\n"
            f"  --pst-color-link: {color};\n"
        )

    css = [
        "/* The workbook's accent colour (cahier_accent_color): boxes, buttons, focus rings. */\n",
        f'body,\nhtml[data-theme="light"],\nbody[data-theme="light"] {{\n{names(light)}}}\n',
    ]
    if dark:
        css.append(
            "@media (prefers-color-scheme: dark) {\n"
            f'  body:not([data-theme="light"]) {{\n{names(dark)}  }}\n}}\n'
            f'html[data-theme="dark"],\nbody[data-theme="dark"] {{\n{names(dark)}}}\n'
        )
    return "".join(css)


def add_brand_stylesheet(app: Sphinx) -> None:
    """``builder-inited``: the accent's stylesheet, after the theme's and ours."""
    light, dark = getattr(app, "cahier_accent_colors", (None, None))
    if app.builder.format != "html" or not light:
        return
    folder = Path(app.doctreedir) / "cahier-brand"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / STYLESHEET).write_text(brand_css(light, dark), encoding="utf-8")
    app.config.html_static_path.append(str(folder))
    app.add_css_file(STYLESHEET, priority=900)


def setup_brand(app: Sphinx) -> None:
    add_setting(app, "cahier_logo", "", "html", [str])
    add_setting(app, "cahier_favicon", "", "html", [str])
    add_setting(app, "cahier_accent_color", "", "html", [str])
    add_setting(app, "cahier_accent_color_dark", "", "html", [str])
    app.connect("config-inited", apply_brand, priority=400)
    app.connect("builder-inited", add_brand_stylesheet, priority=700)
