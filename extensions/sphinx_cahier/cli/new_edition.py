"""``cahier new-edition ID [BOOK] [--out DIR] [--dates TEXT] [--place TEXT]``: next year's edition.

It first checks the current edition (as ``cahier check``: it refuses a book with errors), then
saves its manifest in ``editions/<old-id>/manifest.json``, sets ``cahier_edition`` to the new id,
puts the old id at the head of ``cahier_previous_editions``, sets ``copyright`` when it was the
old id, and fills ``cahier_dates`` and ``cahier_place`` (``À COMPLÉTER`` when not given). Every page
and every box id stays as it was. With ``--out``, all of this happens in a copy of the whole book
(workflow, ``.gitignore``, ``.ci/``… included), build outputs excepted.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from ..config import EDITION_ID_RE, TO_FILL
from ..domain import MANIFEST_PATH
from ..messages import __
from .book import EDITIONS_DIR, Book, add_book_argument, check_book
from .check import check_run
from .findings import CahierError, Stop, failed

#: Folders and files that are made, not written: never copied into a new edition.
BUILD_OUTPUTS = frozenset(
    {
        "_build",
        ".git",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".pytest_cache",
        ".ruff_cache",
        ".mypy_cache",
        ".ipynb_checkpoints",
        ".jupyter_cache",
        ".DS_Store",
        "Thumbs.db",
    }
)


def is_build_output(relative: Path) -> bool:
    return any(part in BUILD_OUTPUTS or part.endswith(".egg-info") for part in relative.parts)


def git_files(source: Path) -> list[Path] | None:
    """The book's files as git sees them (tracked, or new and not ignored); None outside git."""
    try:
        inside = subprocess.run(
            ["git", "-C", str(source), "rev-parse", "--is-inside-work-tree"],
            capture_output=True,
            text=True,
            check=False,
        )
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return None
        listed = subprocess.run(
            [
                "git",
                "-C",
                str(source),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return [Path(name) for name in listed.stdout.decode("utf-8").split("\0") if name]


def copy_book(source: Path, target: Path) -> int:
    """Copy the whole book (dot-files included) except build outputs; the number of files."""
    if target.exists() and any(target.iterdir()):
        raise CahierError(
            __("{path}: this folder exists and is not empty; choose a new folder").format(
                path=target
            )
        )
    target_resolved = target.resolve()
    files = git_files(source)
    if files is None:
        files = [path.relative_to(source) for path in source.rglob("*") if not path.is_dir()]
    copied = 0
    for relative in sorted(files):
        path = source / relative
        if is_build_output(relative) or not path.is_file():
            continue
        if path.resolve().is_relative_to(target_resolved):
            continue  # the new edition's folder inside the book's
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        copied += 1
    return copied


def set_settings(book: Book, text: str, values: dict[str, Any], after: str) -> str:
    """Set ``key: value`` lines of ``sphinx.config`` in _config.yml text (``key = value`` in
    conf.py), keeping the rest as is.

    A key not yet present is added after the line of ``after``, with its indentation.
    """
    lines = text.splitlines(keepends=True)
    for key, value in values.items():
        pattern = book.setting_pattern(key)
        for index, line in enumerate(lines):
            match = pattern.match(line)
            if match:
                lines[index] = book.render_setting(key, value, match[1]) + "\n"
                break
        else:
            anchor = book.setting_pattern(after)
            for index, line in enumerate(lines):
                match = anchor.match(line)
                if match:
                    lines.insert(index + 1, book.render_setting(key, value, match[1]) + "\n")
                    break
            else:
                raise CahierError(
                    __("{file}: no {after}: setting to add {key} after").format(
                        file=book.CONFIG, after=after, key=key
                    )
                )
    return "".join(lines)


def cmd_new_edition(args: argparse.Namespace) -> int:
    new_id = args.id
    if not EDITION_ID_RE.match(new_id):
        raise CahierError(
            __(
                "{id!r}: an edition id is written in lowercase letters without accents, digits, "
                "'-' or '.', e.g. 2026"
            ).format(id=new_id)
        )
    book = Book(args.book)
    with tempfile.TemporaryDirectory(prefix="cahier-new-edition-") as tmp:
        run = check_book(book, Path(tmp))
    findings, _extra = check_run(book, run)
    if run.manifest is None or failed(findings):
        raise Stop(
            findings or [CahierError(__("the current edition cannot be read")).finding],
            {"message": __("the current edition has errors; fix them first")},
        )
    old_id = run.manifest["edition"]
    if new_id == old_id:
        raise CahierError(__("{id!r} is already the current edition").format(id=new_id))

    target = book
    if args.out:
        copy_book(book.root, Path(args.out))
        target = Book(args.out)
    saved = target.root / EDITIONS_DIR / old_id / Path(MANIFEST_PATH).name
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps(run.manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")

    previous = [str(e) for e in target.setting("cahier_previous_editions") or []]
    given = {"cahier_dates": args.dates, "cahier_place": args.place}
    values: dict[str, Any] = {
        "cahier_edition": new_id,
        **{
            key: (value.strip() if value and value.strip() else TO_FILL)
            for key, value in given.items()
        },
        "cahier_previous_editions": [old_id, *(e for e in previous if e not in {old_id, new_id})],
    }
    text = target.config_path.read_text(encoding="utf-8")
    text = set_settings(target, text, values, after="cahier_edition")
    sep = ":" if target.is_jupyter_book else r"\s*="
    if re.search(rf"^copyright{sep}\s*[\"']?{re.escape(old_id)}[\"']?\s*$", text, re.M):
        text = re.sub(
            rf"^copyright{sep}.*$",
            target.render_setting("copyright", new_id),
            text,
            count=1,
            flags=re.M,
        )
    target.config_path.write_text(text, encoding="utf-8")

    config = target.CONFIG
    print(
        __("cahier: edition {new} prepared in {folder} (from edition {old}).").format(
            new=new_id, folder=target.given, old=old_id
        )
    )
    print(
        "  "
        + __("{file}: the boxes of edition {old}, for `cahier check` (commit it).").format(
            file=target.display(saved), old=old_id
        )
    )
    for key in given:
        if values[key] == TO_FILL:
            print(
                "  "
                + __("{file}:{line}: fill in {key} (now {marker!r}).").format(
                    file=config, line=target.config_line(key), key=key, marker=TO_FILL
                )
            )
    print(
        "  "
        + __(
            "Every box id is kept: reword questions freely; to remove or rename a box on "
            "purpose, list it in cahier_retired or cahier_renamed."
        )
    )
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:
    new = commands.add_parser(
        "new-edition",
        help=__("prepare next year's edition from the current one"),
        description=__(
            "Set the new edition id, fill in or mark the dates and the place, keep every box id, "
            "and save the current edition's manifest in editions/<old-id>/manifest.json."
        ),
    )
    new.add_argument("id", help=__("the new edition id, e.g. 2026"))
    add_book_argument(new)
    new.add_argument(
        "--out",
        metavar="DIR",
        help=__("prepare the new edition in a copy of the whole book, in this new folder"),
    )
    new.add_argument("--dates", metavar="TEXT", help=__('cahier_dates, e.g. "Octobre 2026"'))
    new.add_argument("--place", metavar="TEXT", help=__('cahier_place, e.g. "Québec"'))
    new.set_defaults(func=cmd_new_edition)
