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

from .messages import __, did_you_mean

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


def id_rule() -> str:
    """How to write a box id, in the organizers' words (translated)."""
    return __(
        "write it in lowercase letters without accents, digits and '-', parts joined by '.', "
        "e.g. 'eveil.en-moi'"
    )


def part_rule() -> str:
    """How to write a theme or level id."""
    return __("write it in lowercase letters without accents, digits and '-', e.g. 'eveil'")


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
    #: Participants may leave it empty, and a theme may go without it (``optional: true``).
    optional: bool = False


class SettingError(ConfigError):
    """A bad setting of ``_config.yml``: stops the build, names the setting and its line.

    ``location`` is ``_config.yml:<line>`` (relative to the book) when the book has that file.
    """

    def __init__(self, key: str, message: str, location: str | None = None):
        self.key, self.message, self.location = key, message, location
        super().__init__(f"{location}: {message}" if location else message)


#: The book whose settings are being read (``config-inited``): where SettingError finds its line.
_srcdir: str | None = None


def _config_error(key: str, message: str, item: str | None = None) -> SettingError:
    location = setting_location(_srcdir, key, item) if _srcdir else None
    return SettingError(key, message, relative_config_location(location))


def relative_config_location(location: str | None) -> str | None:
    if location is None or _srcdir is None:
        return location
    from .messages import relative_location

    return relative_location(location, _srcdir)


def parse_levels(raw: Any) -> list[Level]:
    """Turn the ``cahier_levels`` setting into levels, or raise a ConfigError naming the fault."""
    if not isinstance(raw, list | tuple) or not raw:
        raise _config_error(
            "cahier_levels",
            __("cahier_levels: expected a list of levels, each with an id, a name, a description"),
        )
    levels: list[Level] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        where = __("cahier_levels, level {number}").format(number=index)
        if not isinstance(item, dict):
            raise _config_error(
                "cahier_levels", __("{where}: expected {{id: …, name: …}}").format(where=where)
            )
        unknown = set(item) - {"id", "name", "description", "optional"}
        if unknown:
            raise _config_error(
                "cahier_levels",
                __(
                    "{where}: unknown key(s) {keys}; a level has an id, a name, a description "
                    "and, if participants may skip it, optional: true"
                ).format(where=where, keys=", ".join(sorted(unknown))),
            )
        level_id, name = item.get("id"), item.get("name")
        description = item.get("description", "")
        if not isinstance(level_id, str) or not PART_ID_RE.match(level_id):
            raise _config_error(
                "cahier_levels",
                __("{where}: id {id!r}: {rule}").format(where=where, id=level_id, rule=part_rule()),
                item=str(level_id),
            )
        if level_id in seen:
            raise _config_error(
                "cahier_levels",
                __("{where}: duplicate id {id!r}").format(where=where, id=level_id),
                item=level_id,
            )
        if not isinstance(name, str) or not name.strip():
            raise _config_error(
                "cahier_levels",
                __("{where} ({id}): a name is required").format(where=where, id=level_id),
                item=level_id,
            )
        if not isinstance(description, str):
            raise _config_error(
                "cahier_levels",
                __("{where} ({id}): the description must be text").format(where=where, id=level_id),
                item=level_id,
            )
        optional = item.get("optional", False)
        if not isinstance(optional, bool):
            raise _config_error(
                "cahier_levels",
                __("{where} ({id}): optional is true or false").format(where=where, id=level_id),
                item=level_id,
            )
        seen.add(level_id)
        levels.append(Level(level_id, name.strip(), description.strip(), optional))
    return levels


#: Settings of the extension (``cahier_*``), for « did you mean … ? ».
SETTINGS: dict[str, Any] = {}


#: What French-speaking organizers may write for our settings' English names.
FRENCH_NAMES = {
    "lieu": "place",
    "endroit": "place",
    "ville": "place",
    "ecole": "school",
    "école": "school",
    "etablissement": "school",
    "date": "dates",
    "annee": "edition",
    "année": "edition",
    "édition": "edition",
    "livre": "book",
    "niveau": "levels",
    "niveaux": "levels",
    "editions_precedentes": "previous_editions",
    "retire": "retired",
    "retires": "retired",
    "retirees": "retired",
    "supprime": "retired",
    "supprimes": "retired",
    "renomme": "renamed",
    "renommes": "renamed",
    "renommees": "renamed",
    "icone": "icon",
    "icône": "icon",
}


def suggest_setting(name: str, known: list[str]) -> str | None:
    """The setting an organizer probably meant: ``cahier_lieu`` → ``cahier_place``."""
    suffix = name.removeprefix("cahier_").lower()
    french = FRENCH_NAMES.get(suffix) or FRENCH_NAMES.get(suffix.rstrip("s"))
    if french and f"cahier_{french}" in known:
        return f"cahier_{french}"
    close = did_you_mean(suffix, [k.removeprefix("cahier_") for k in known], cutoff=0.6)
    return f"cahier_{close}" if close else did_you_mean(name, known, cutoff=0.8)


def is_our_setting_name(name: str) -> bool:
    """A name an organizer meant as one of our settings: ``cahier_…``, or a near miss of one."""
    return name.startswith("cahier_") or did_you_mean(name, SETTINGS, cutoff=0.8) is not None


def unknown_setting_reported(name: str) -> bool:
    """Whether check_config reports this unknown setting itself (messages.py drops Sphinx's)."""
    return name not in SETTINGS and is_our_setting_name(name)


def check_unknown_settings(app: Sphinx, config: Config) -> None:
    given = {**getattr(config, "_raw_config", {}), **getattr(config, "_overrides", {})}
    for name in given:
        if name in config or not unknown_setting_reported(name):
            continue
        suggestion = suggest_setting(name, [v for v in config.values if v.startswith("cahier_")])
        hint = __("did you mean {name}?").format(name=suggestion) if suggestion else ""
        logger.warning(
            __("unknown setting {name}: it is ignored; {hint}").format(name=name, hint=hint)
            if hint
            else __("unknown setting {name}: it is ignored").format(name=name),
            location=config_location(app, name),
            type="cahier",
            subtype="unknown_setting",
        )


def check_config(app: Sphinx, config: Config) -> None:
    """``config-inited``: validate the edition settings before anything is read."""
    global _srcdir
    _srcdir = str(app.confdir or app.srcdir)
    check_unknown_settings(app, config)
    if not isinstance(config.cahier_book, str) or not BOOK_SLUG_RE.match(config.cahier_book):
        raise _config_error(
            "cahier_book",
            __("cahier_book: {value!r} must be a short name: {rule}").format(
                value=config.cahier_book, rule=part_rule()
            ),
        )
    edition = config.cahier_edition
    if isinstance(edition, float):  # YAML reads 2026.1 as a number, 2026.10 as 2026.1 too
        written = raw_setting_text(app, "cahier_edition") or ""
        if not re.fullmatch(r"\d+\.\d+", written) or float(written) != edition:
            written = str(edition)  # given otherwise (an override of the command line)
        raise _config_error(
            "cahier_edition",
            __(
                "cahier_edition: {value} reads as a number: put it in quotes, "
                'cahier_edition: "{value}"'
            ).format(value=written.strip("'\"")),
        )
    if isinstance(edition, int) and not isinstance(edition, bool):  # YAML reads 2025 as a number
        edition = config.cahier_edition = str(edition)
    if not isinstance(edition, str) or not EDITION_ID_RE.match(edition):
        raise _config_error(
            "cahier_edition",
            __(
                "cahier_edition: {value!r}: write it in lowercase letters without accents, "
                "digits, '-' or '.', in quotes, e.g. \"2025\""
            ).format(value=edition),
        )
    parse_levels(config.cahier_levels)
    for key in EDITION_TEXTS:
        value = config[key]
        if not isinstance(value, str):
            raise _config_error(
                key, __("{key}: {value!r} must be text (in quotes)").format(key=key, value=value)
            )
        if TO_FILL in value:
            logger.warning(
                __(
                    "{key} is still to be filled in for edition {edition} (replace {marker!r})"
                ).format(key=key, edition=edition, marker=TO_FILL),
                location=config_location(app, key),
                type="cahier",
                subtype="to_fill",
            )
    previous = config.cahier_previous_editions
    if not isinstance(previous, list | tuple):
        raise _config_error(
            "cahier_previous_editions",
            __('cahier_previous_editions: expected a list of edition ids, e.g. ["2025"]'),
        )
    previous = config.cahier_previous_editions = [str(item) for item in previous]
    for item in previous:
        if not EDITION_ID_RE.match(item) or item == edition:
            raise _config_error(
                "cahier_previous_editions",
                __(
                    "cahier_previous_editions: {item!r} must be the id of an earlier edition "
                    "(not {edition!r})"
                ).format(item=item, edition=edition),
                item=item,
            )
    config.cahier_retired, config.cahier_renamed = deliberate_changes(config)
    if config.language not in UI_LANGUAGES:
        logger.warning(
            __(
                "language {language!r}: the workbook's interface is translated into {known} only"
            ).format(language=config.language, known=", ".join(UI_LANGUAGES)),
            location=config_location(app, "language"),
            type="cahier",
            subtype="language",
        )
    apply_edition_texts(config)


def deliberate_changes(config: Config) -> tuple[list[str], dict[str, str]]:
    """``cahier_retired`` and ``cahier_renamed``, checked; renames resolved to the final id.

    ``cahier_renamed: {a: b, b: c}`` (a renamed in 2026, b in 2027) gives ``{a: c, b: c}``.
    """
    retired_raw = config.cahier_retired or []
    if not isinstance(retired_raw, list | tuple):
        raise _config_error(
            "cahier_retired",
            __("cahier_retired: expected a list of box ids, e.g. [cloture.decision]"),
        )
    retired = [str(item) for item in retired_raw]
    for item in retired:
        if not BOX_ID_RE.match(item):
            raise _config_error(
                "cahier_retired",
                __("cahier_retired: {id!r} is not a box id: {rule}").format(
                    id=item, rule=id_rule()
                ),
                item=item,
            )
    renamed_raw = config.cahier_renamed or {}
    if not isinstance(renamed_raw, dict):
        raise _config_error(
            "cahier_renamed",
            __(
                "cahier_renamed: expected pairs 'old id: new id', e.g. "
                "{{cloture.lecon: cloture.apprentissage}}"
            ).format(),
        )
    renamed = {str(old): str(new) for old, new in renamed_raw.items()}
    for old, new in renamed.items():
        for box_id in (old, new):
            if not BOX_ID_RE.match(box_id):
                raise _config_error(
                    "cahier_renamed",
                    __("cahier_renamed: {id!r} is not a box id: {rule}").format(
                        id=box_id, rule=id_rule()
                    ),
                    item=box_id,
                )
        if old in retired:
            raise _config_error(
                "cahier_renamed",
                __(
                    "cahier_renamed: {id!r} is also in cahier_retired: a box is either renamed "
                    "or retired"
                ).format(id=old),
                item=old,
            )
    resolved: dict[str, str] = {}
    for old in renamed:
        seen, current = [old], renamed[old]
        while current in renamed:
            if current in seen:
                raise _config_error(
                    "cahier_renamed",
                    __("cahier_renamed: the renames of {id!r} go round in a circle").format(id=old),
                    item=old,
                )
            seen.append(current)
            current = renamed[current]
        resolved[old] = current
    return retired, resolved


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
                __("html_title: unknown field(s) {unknown}; use {known}").format(
                    unknown=", ".join(sorted(unknown)),
                    known=", ".join(f"{{{name}}}" for name in fields),
                ),
            )
        config.html_title = title.format(**fields)
    if "myst_substitutions" in config:
        substitutions = dict(config.myst_substitutions or {})
        for name, value in fields.items():
            substitutions.setdefault(f"cahier_{name}", value)
        config.myst_substitutions = substitutions


def config_location(app: Sphinx, key: str, item: str | None = None) -> str | None:
    """``_config.yml:<line>`` (a Jupyter Book) or ``conf.py:<line>`` (a Sphinx project) of a
    setting, when the book has that file and the setting is written in it."""
    location = setting_location(str(app.confdir or app.srcdir), key, item)
    # Sphinx reads a location without a line as a document name.
    return location if location and re.search(r":\d+$", location) else None


#: The files that hold a book's settings, and how a line sets ``key`` in each.
SETTINGS_FILES = (("_config.yml", r"\s*:"), ("conf.py", r"\s*="))


def setting_location(srcdir: str, key: str, item: str | None = None) -> str | None:
    """The line of ``key:`` in ``srcdir/_config.yml`` (``key =`` in ``conf.py``); of ``item``
    in its value, when given."""
    found = next(
        ((Path(srcdir, name), sep) for name, sep in SETTINGS_FILES if Path(srcdir, name).is_file()),
        None,
    )
    if found is None:
        return None
    path, separator = found
    pattern = re.compile(rf"^\s*{re.escape(key)}{separator}")
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if pattern.match(line):
            if item:
                indent = len(line) - len(line.lstrip())
                for offset, text in enumerate(lines[number - 1 :]):
                    if offset and text.strip() and len(text) - len(text.lstrip()) <= indent:
                        break  # the next setting
                    if item in text:
                        return f"{path}:{number + offset}"
            return f"{path}:{number}"
    return str(path)


def raw_setting_text(app: Sphinx, key: str) -> str | None:
    """The value of ``key`` as written in ``_config.yml`` or ``conf.py`` (to quote it back)."""
    location = config_location(app, key)
    if not location or ":" not in location.rsplit("/", 1)[-1]:
        return None
    path, _, number = location.rpartition(":")
    line = Path(path).read_text(encoding="utf-8").splitlines()[int(number) - 1]
    separator = "=" if path.endswith(".py") else ":"
    return line.split(separator, 1)[1].split(" #", 1)[0].strip()


def levels_of(config: Config) -> list[Level]:
    """The configured levels (already validated at ``config-inited``)."""
    return parse_levels(config.cahier_levels)


def storage_prefix(config: Config) -> str:
    """The prefix of every localStorage key of this workbook edition (storage contract)."""
    return f"cahier:{config.cahier_book}:{config.cahier_edition}:"


def add_setting(app: Sphinx, name: str, default: Any, rebuild: str, types: Any = ()) -> None:
    """``app.add_config_value``, remembering the name for « did you mean … ? »."""
    SETTINGS[name] = default
    app.add_config_value(name, default, rebuild, types=types)


def setup_config(app: Sphinx) -> None:
    add_setting(app, "cahier_book", "cahier", "env", [str])
    add_setting(app, "cahier_edition", "1", "env", [str, int])
    add_setting(app, "cahier_levels", DEFAULT_LEVELS, "env", [list])
    add_setting(app, "cahier_school", "", "env", [str])
    add_setting(app, "cahier_dates", "", "env", [str])
    add_setting(app, "cahier_place", "", "env", [str])
    add_setting(app, "cahier_previous_editions", [], "html", [list])
    # Deliberate changes since the previous edition (see `cahier check`): box ids removed on
    # purpose, and renamed ids (old: new), whose answers follow them (carry-over, import).
    add_setting(app, "cahier_retired", [], "html", [list])
    add_setting(app, "cahier_renamed", {}, "html", [dict])
    # The landing page of the site of editions (`cahier site`): a Jinja2 template of the book.
    add_setting(app, "cahier_site_template", "", "", [str])
    app.connect("config-inited", check_config)
