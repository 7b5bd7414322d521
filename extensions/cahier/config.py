"""Configuration of a workbook: its storage namespace, its edition and its reflection levels.

Everything here is read from ``_config.yml`` (``sphinx.config.cahier_*``) and validated once, at
``config-inited``, so that a mistake is reported before any page is read.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: A box id: lowercase ASCII letters, digits and ``-``, in dot-separated parts (``eveil.en-moi``).
BOX_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*$")
#: A level or theme id: one part of a box id.
PART_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: The workbook slug and the edition id make the storage prefix ``cahier:<book>:<edition>:``.
BOOK_SLUG_RE = PART_ID_RE
EDITION_ID_RE = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")

#: Written by ``cahier new-edition`` in the settings the organizers must fill in for a new
#: edition; the build warns (``-W``: fails) and ``cahier check`` fails while it is present.
TO_FILL = "À COMPLÉTER"

#: The edition's texts (shown on the title page, in titles and on the site of editions).
EDITION_TEXTS = ("cahier_school", "cahier_dates", "cahier_place")
#: The languages the workbook's interface is translated into (``locales/``).
UI_LANGUAGES = ("fr", "en")

ID_RULE = "lowercase ASCII letters, digits and '-', parts joined by '.', e.g. 'eveil.en-moi'"

DEFAULT_LEVELS: list[dict[str, str]] = [
    {
        "id": "en-moi",
        "name": "En moi",
        "description": (
            "Sur vous-même : votre posture, vos repères, vos façons d'agir, vos émotions."
        ),
    },
    {
        "id": "dans-mes-contextes",
        "name": "Dans mes contextes",
        "description": (
            "Sur vos contextes : vos milieux de pratique, les cultures organisationnelles, "
            "les contraintes et leviers d'action."
        ),
    },
    {
        "id": "rapports-de-pouvoir",
        "name": "Sur les rapports de pouvoir",
        "description": (
            "Sur les rapports de pouvoir : les asymétries, les mécanismes implicites d'exclusion "
            "ou d'influence, les possibilités de redistribution ou de transformation."
        ),
    },
]


@dataclass(frozen=True)
class Level:
    """One reading level of a theme (``En moi``, ...)."""

    id: str
    name: str
    description: str


def _config_error(key: str, message: str) -> ConfigError:
    return ConfigError(f"_config.yml, sphinx.config.{key}: {message}")


def parse_levels(raw: Any) -> list[Level]:
    """Turn the ``cahier_levels`` setting into levels, or raise a ConfigError naming the fault."""
    if not isinstance(raw, list | tuple) or not raw:
        raise _config_error("cahier_levels", "expected a non-empty list of {id, name, description}")
    levels: list[Level] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        where = f"level {index}"
        if not isinstance(item, dict):
            raise _config_error("cahier_levels", f"{where}: expected a mapping with id, name")
        unknown = set(item) - {"id", "name", "description"}
        if unknown:
            raise _config_error(
                "cahier_levels", f"{where}: unknown key(s) {', '.join(sorted(unknown))}"
            )
        level_id, name = item.get("id"), item.get("name")
        description = item.get("description", "")
        if not isinstance(level_id, str) or not PART_ID_RE.match(level_id):
            raise _config_error(
                "cahier_levels",
                f"{where}: id {level_id!r} must be lowercase ASCII letters, digits and '-'",
            )
        if level_id in seen:
            raise _config_error("cahier_levels", f"{where}: duplicate id {level_id!r}")
        if not isinstance(name, str) or not name.strip():
            raise _config_error("cahier_levels", f"{where} ({level_id}): a name is required")
        if not isinstance(description, str):
            raise _config_error("cahier_levels", f"{where} ({level_id}): description must be text")
        seen.add(level_id)
        levels.append(Level(level_id, name.strip(), description.strip()))
    return levels


def check_config(app: Sphinx, config: Config) -> None:
    """``config-inited``: validate the edition settings before anything is read."""
    if not isinstance(config.cahier_book, str) or not BOOK_SLUG_RE.match(config.cahier_book):
        raise _config_error(
            "cahier_book",
            f"{config.cahier_book!r} must be a short slug (lowercase ASCII letters, digits, '-')",
        )
    edition = config.cahier_edition
    if isinstance(edition, int):  # YAML reads 2025 as a number
        edition = config.cahier_edition = str(edition)
    if not isinstance(edition, str) or not EDITION_ID_RE.match(edition):
        raise _config_error(
            "cahier_edition",
            f"{edition!r} must be lowercase ASCII letters, digits, '-' or '.', e.g. '2025'",
        )
    parse_levels(config.cahier_levels)
    for key in EDITION_TEXTS:
        value = config[key]
        if not isinstance(value, str):
            raise _config_error(key, f"{value!r} must be text")
        if TO_FILL in value:
            logger.warning(
                "%s is still to be filled in for edition %s (replace %r)",
                key,
                edition,
                TO_FILL,
                location=config_location(app, key),
                type="cahier",
                subtype="to_fill",
            )
    previous = config.cahier_previous_editions
    if not isinstance(previous, list | tuple):
        raise _config_error("cahier_previous_editions", "expected a list of edition ids")
    previous = config.cahier_previous_editions = [str(item) for item in previous]
    for item in previous:
        if not EDITION_ID_RE.match(item) or item == edition:
            raise _config_error(
                "cahier_previous_editions",
                f"{item!r} must be the id of an earlier edition (not {edition!r})",
            )
    if config.language not in UI_LANGUAGES:
        logger.warning(
            "language %r: the workbook's interface is translated into %s only",
            config.language,
            ", ".join(UI_LANGUAGES),
            location=config_location(app, "language"),
            type="cahier",
            subtype="language",
        )
    apply_edition_texts(config)


def edition_fields(config: Config) -> dict[str, str]:
    """The edition settings, by their short names (``{edition}``, ``{school}``, ...)."""
    return {
        "book": config.cahier_book,
        "edition": config.cahier_edition,
        "school": config.cahier_school,
        "dates": config.cahier_dates,
        "place": config.cahier_place,
    }


def apply_edition_texts(config: Config) -> None:
    """Fill ``{edition}``, ``{school}``, ... in ``html_title``; offer them to MyST pages.

    Pages may write ``{{ cahier_dates }}`` (MyST ``substitution`` extension) to show a setting.
    """
    fields = edition_fields(config)
    title = config.html_title
    if isinstance(title, str) and "{" in title:
        names = {name for _, name, _, _ in string.Formatter().parse(title) if name is not None}
        unknown = names - set(fields)
        if unknown:
            raise _config_error(
                "html_title",
                f"unknown field(s) {', '.join(sorted(unknown))}; use {{{'}, {'.join(fields)}}}",
            )
        config.html_title = title.format(**fields)
    if "myst_substitutions" in config:
        substitutions = dict(config.myst_substitutions or {})
        for name, value in fields.items():
            substitutions.setdefault(f"cahier_{name}", value)
        config.myst_substitutions = substitutions


def config_location(app: Sphinx, key: str) -> str | None:
    """``_config.yml:<line>`` of a setting of a Jupyter Book, when the book has that file."""
    path = Path(app.srcdir, "_config.yml")
    if not path.is_file():
        return None
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if pattern.match(line):
            return f"{path}:{number}"
    return str(path)


def levels_of(config: Config) -> list[Level]:
    """The configured levels (already validated at ``config-inited``)."""
    return parse_levels(config.cahier_levels)


def storage_prefix(config: Config) -> str:
    """The prefix of every localStorage key of this workbook edition (storage contract)."""
    return f"cahier:{config.cahier_book}:{config.cahier_edition}:"


def setup_config(app: Sphinx) -> None:
    app.add_config_value("cahier_book", "cahier", "env", types=[str])
    app.add_config_value("cahier_edition", "1", "env", types=[str, int])
    app.add_config_value("cahier_levels", DEFAULT_LEVELS, "env", types=[list])
    app.add_config_value("cahier_school", "", "env", types=[str])
    app.add_config_value("cahier_dates", "", "env", types=[str])
    app.add_config_value("cahier_place", "", "env", types=[str])
    app.add_config_value("cahier_previous_editions", [], "html", types=[list])
    app.connect("config-inited", check_config)
