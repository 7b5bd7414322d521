"""Configuration of a workbook: its storage namespace, its edition and its reflection levels.

Everything here is read from ``_config.yml`` (``sphinx.config.cahier_*``) and validated once, at
``config-inited``, so that a mistake is reported before any page is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

#: A box id: lowercase ASCII letters, digits and ``-``, in dot-separated parts (``eveil.en-moi``).
BOX_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*$")
#: A level or theme id: one part of a box id.
PART_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: The workbook slug and the edition id make the storage prefix ``cahier:<book>:<edition>:``.
BOOK_SLUG_RE = PART_ID_RE
EDITION_ID_RE = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")

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
    app.connect("config-inited", check_config)
