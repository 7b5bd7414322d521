"""``cahier init DIR [--language fr|en] [--title TEXT] [--levels PRESET-or-FILE]``: a new workbook.

The new folder is a generic Jupyter Book that builds and passes ``cahier check`` at once:
``_config.yml`` (the extension, the edition settings, the levels, commented settings),
``_toc.yml``, an introduction with a question, two theme pages with reflections (the second one
reading a subset of the levels), a drawing page, « Mon cahier », ``.gitignore``,
``requirements.txt``, the GitHub Pages workflow and a README for its organizers.

The files come from ``starter/`` (package data): ``common/`` for every language, ``<lang>/`` for
the texts, ``levels/<preset>.<lang>.yml`` for the levels. They are Jinja2 templates written with
``[[ … ]]`` and ``[% … %]``, so that MyST's own ``{{ … }}`` stays as it is. ``--levels`` takes a
preset name or a YAML file: a list of levels (``id``, ``name``, ``description``, ``optional``),
each with sample ``questions`` for the theme pages if wanted (not kept in ``_config.yml``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ..config import BOOK_SLUG_RE, SettingError, parse_levels
from ..messages import __, use_language
from ..names import EXTENSION, distribution, version
from ..yamltext import explain_yaml_error
from .findings import ERROR, CahierError, Finding, Stop

STARTER = Path(__file__).resolve().parent.parent / "starter"
LANGUAGES = ("fr", "en")
PRESETS = ("rolfe", "gibbs", "single")
DEFAULT_TITLES = {"fr": "Cahier réflexif", "en": "Reflective workbook"}
#: Files of ``common/`` written under another name (package data cannot start with a dot).
RENAMED = {"gitignore": ".gitignore", "github": ".github"}
#: A level's placeholder question when its levels file gives none.
PLACEHOLDER = {
    "fr": "Écrivez ici la question du niveau « {name} » pour ce thème.",
    "en": 'Write here the question of the level "{name}" for this theme.',
}


def slug(text: str, fallback: str = "cahier") -> str:
    """A storage namespace from a title: ``Cahier de stage 2025`` → ``cahier-de-stage-2025``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    name = "-".join(words)[:40].strip("-")
    return name if BOOK_SLUG_RE.match(name) else fallback


def read_levels(source: str, language: str) -> list[dict[str, Any]]:
    """The levels of a preset (``rolfe``…) or of a YAML file, checked as ``cahier_levels``."""
    preset = STARTER / "levels" / f"{source}.{language}.yml"
    path = preset if source in PRESETS else Path(source)
    shown = source if source in PRESETS else str(path)
    if not path.is_file():
        raise CahierError(
            __("--levels {value}: neither a preset ({presets}) nor a YAML file").format(
                value=source, presets=", ".join(PRESETS)
            )
        )
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        line, message = explain_yaml_error(error, text)
        raise Stop([Finding(ERROR, message, shown, line, "cahier.yaml")]) from None
    if isinstance(data, dict) and "cahier_levels" in data:
        data = data["cahier_levels"]
    items = data if isinstance(data, list) else []
    questions = [item.pop("questions", None) if isinstance(item, dict) else None for item in items]
    try:
        levels = parse_levels(data)
    except SettingError as error:
        raise CahierError(error.message, shown) from None
    result = []
    for level, asked in zip(levels, questions, strict=True):
        if asked is not None and (
            not isinstance(asked, list) or not all(isinstance(q, str) and q.strip() for q in asked)
        ):
            raise CahierError(
                __("{id}: questions: expected a list of questions").format(id=level.id), shown
            )
        result.append(
            {
                "id": level.id,
                "name": level.name,
                "description": level.description,
                "optional": level.optional,
                "questions": asked or [PLACEHOLDER[language].format(name=level.name)],
            }
        )
    return result


def yaml_text(value: str) -> str:
    """A YAML scalar, quoted (names and descriptions hold ':', '?', '#'…)."""
    return json.dumps(value, ensure_ascii=False)


def render(template: Path, context: dict[str, Any]) -> str:
    environment = jinja2.Environment(
        variable_start_string="[[",
        variable_end_string="]]",
        block_start_string="[%",
        block_end_string="%]",
        comment_start_string="[#",
        comment_end_string="#]",
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    environment.filters["yaml"] = yaml_text
    return environment.from_string(template.read_text(encoding="utf-8")).render(**context)


def starter_files(language: str) -> list[tuple[Path, Path]]:
    """(template, path in the new workbook) for every file of the starter."""
    files = []
    for folder in (STARTER / "common", STARTER / language):
        for template in sorted(p for p in folder.rglob("*") if p.is_file()):
            parts = template.relative_to(folder).parts
            target = Path(*(RENAMED.get(part, part) for part in parts))
            files.append((template, target))
    return files


def create(
    target: Path, language: str = "fr", title: str | None = None, levels: str = "rolfe"
) -> list[Path]:
    """Write a new workbook into ``target`` (absent or empty); the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CahierError(
            __("{path}: this folder exists and is not empty; choose a new folder").format(
                path=target
            )
        )
    chosen = read_levels(levels, language)
    title = (title or DEFAULT_TITLES[language]).strip()
    edition = str(datetime.date.today().year)
    theme2 = chosen if len(chosen) < 3 else [chosen[0], chosen[-1]]
    context = {
        "title": title,
        "book": slug(title, slug(target.name)),
        "edition": edition,
        "next_edition": str(int(edition) + 1),
        "levels": chosen,
        "theme2_levels": theme2,
        "subset_example": ", ".join(level["id"] for level in theme2),
        "extension": EXTENSION,
        "distribution": distribution(),
        "version": version(),
    }
    written = []
    for template, relative in starter_files(language):
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(template, context), encoding="utf-8")
        written.append(path)
    return written


def cmd_init(args: argparse.Namespace) -> int:
    use_language(args.language)
    target = Path(args.dir)
    written = create(target, args.language, args.title, args.levels)
    print(
        __("cahier: a new workbook in {folder} ({count} files).").format(
            folder=target, count=len(written)
        )
    )
    for line in (
        __("Next: cd {folder}, then `cahier serve` to see it while you write the pages;"),
        __("`cahier check` before publishing; README.md says the rest."),
    ):
        print("  " + line.format(folder=target))
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser(
        "init",
        help=__("start a new workbook"),
        description=__(
            "Write a new workbook into DIR: its settings, its table of contents, an "
            "introduction, two theme pages, a drawing page, « Mon cahier », the publishing "
            "workflow and a README for its organizers. It builds and passes `cahier check` at "
            "once."
        ),
    )
    init.add_argument("dir", metavar="DIR", help=__("the new workbook's folder"))
    init.add_argument(
        "--language",
        choices=LANGUAGES,
        default="fr",
        help=__("the participants' language (default: fr)"),
    )
    init.add_argument("--title", help=__("the workbook's title"))
    init.add_argument(
        "--levels",
        default="rolfe",
        metavar="PRESET-or-FILE",
        help=__(
            "the reading levels: a preset ({presets}; default: rolfe) or a YAML file listing them"
        ).format(presets=", ".join(PRESETS)),
    )
    init.set_defaults(func=cmd_init)
