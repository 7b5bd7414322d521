"""``cahier check [BOOK]``: what breaks, and what changes for participants since last edition.

Sphinx reads the book (a builder that writes nothing); every warning is an error, since the site
is built with ``-W``. Then the book's boxes are compared with the previous edition's manifest,
box id by box id: an id that disappeared would orphan participants' answers (an error), unless
``_config.yml`` says it went on purpose (``cahier_retired``) or was renamed (``cahier_renamed``).
``cahier site`` refuses exactly what ``check`` refuses (:func:`check_run`).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

from ..domain import MANIFEST_FORMAT, MANIFEST_PATH
from ..messages import __
from .book import EDITIONS_DIR, Book, SphinxRun, add_book_argument, check_book
from .findings import ERROR, NOTE, WARNING, CahierError, Finding, report


def load_manifest(source: str) -> tuple[dict[str, Any], str]:
    """A published manifest from a URL (http, https) or a file; returns it and its name."""
    try:
        if re.match(r"^https?://", source):
            request = urllib.request.Request(source, headers={"User-Agent": "cahier"})
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read().decode("utf-8")
        else:
            text = Path(source).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as error:
        raise CahierError(
            __("{source}: the previous edition's list of boxes cannot be read ({error})").format(
                source=source, error=error
            )
        ) from error
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise CahierError(
            __("{source}: not the list of boxes of an edition (manifest.json)").format(
                source=source
            )
        )
    if not isinstance(data.get("boxes"), list):
        raise CahierError(__("{source}: this manifest lists no boxes").format(source=source))
    return data, source


def default_against(book: Book, current_edition: str) -> Path | None:
    """The latest manifest saved by ``new-edition`` of an edition other than the current one.

    Latest: the first of ``cahier_previous_editions`` that has one, else the greatest edition id.
    """
    folder = book.root / EDITIONS_DIR
    saved = {
        path.parent.name: path
        for path in folder.glob(f"*/{Path(MANIFEST_PATH).name}")
        if path.parent.name != current_edition
    }
    if not saved:
        return None
    for edition in book.setting("cahier_previous_editions") or []:
        if str(edition) in saved:
            return saved[str(edition)]
    return saved[max(saved, key=natural_key)]


def natural_key(edition: str) -> list[Any]:
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", edition)
    ]


def split_source(source: str | None) -> tuple[str | None, int | None]:
    if not source:
        return None, None
    file, _, line = source.rpartition(":")
    return (file, int(line)) if file and line.isdigit() else (source, None)


def normalized(questions: Any) -> list[str]:
    return [" ".join(str(q).split()) for q in questions or []]


def question_diff(before: list[str], after: list[str]) -> list[str]:
    """A short diff of two question lists, in plain words: what was reworded, added, removed."""
    lines = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old, new = before[i1:i2], after[j1:j2]
        for index in range(max(len(old), len(new))):
            if index < len(old) and index < len(new):
                lines.append(__("before: {text}").format(text=old[index]))
                lines.append(__("now:    {text}").format(text=new[index]))
            elif index < len(old):
                lines.append(__("removed: {text}").format(text=old[index]))
            else:
                lines.append(__("added:   {text}").format(text=new[index]))
    return lines


def compare(
    book: Book,
    old: dict[str, Any],
    new: dict[str, Any],
    against: str,
    allow_removed: bool = False,
    retired: list[str] | None = None,
    renamed: dict[str, str] | None = None,
) -> tuple[list[Finding], dict[str, list[dict[str, Any]]]]:
    """What changed for the participants between two manifests, box id by box id.

    Removed ids fail (their answers would be orphaned) unless retired or renamed on purpose in
    ``_config.yml`` (or ``allow_removed``); new ids are notes; reworded questions and boxes moved
    to another theme or level are warnings. A renamed box is compared with its old self.
    """
    retired = retired or []
    renamed = renamed or {}
    before = {box["id"]: box for box in old["boxes"]}
    after = {box["id"]: box for box in new["boxes"]}
    edition = old.get("edition", "?")
    findings: list[Finding] = []
    changes: dict[str, list[dict[str, Any]]] = {
        "removed": [],
        "retired": [],
        "renamed": [],
        "added": [],
        "reworded": [],
        "moved": [],
    }

    def here(box: dict[str, Any]) -> tuple[str | None, int | None]:
        file, line = split_source(box.get("source"))
        return (book.display(book.root / file) if file else None), line

    config = book.CONFIG
    renamed_to = {new_id for old_id, new_id in renamed.items() if old_id in before}
    added_by_questions = {
        tuple(box["questions"]): box_id
        for box_id, box in after.items()
        if box_id not in before and box_id not in renamed_to
    }
    pairs: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for box_id, box in before.items():
        if box_id in after:
            pairs.append((box_id, box, after[box_id]))
            continue
        target = renamed.get(box_id)
        if target in after:
            changes["renamed"].append({"id": box_id, "to": target})
            file, line = here(after[target])
            findings.append(
                Finding(
                    NOTE,
                    __(
                        "box {old!r} of edition {edition} is now {new!r} (cahier_renamed): "
                        "participants' answers follow it"
                    ).format(old=box_id, new=target, edition=edition),
                    file,
                    line,
                    "cahier.renamed",
                )
            )
            pairs.append((target, box, after[target]))
            continue
        if box_id in retired:
            changes["retired"].append({"id": box_id, "source": box.get("source")})
            findings.append(
                Finding(
                    NOTE,
                    __(
                        "box {id!r} of edition {edition} is retired (cahier_retired): its "
                        "answers stay in that edition's « Mon cahier »"
                    ).format(id=box_id, edition=edition),
                    config,
                    book.config_line("cahier_retired"),
                    "cahier.retired",
                )
            )
            continue
        guess = added_by_questions.get(tuple(box.get("questions", [])))
        file, line = split_source(box.get("source"))
        changes["removed"].append({"id": box_id, "source": box.get("source"), "renamedTo": guess})
        if guess:
            hint = __(
                "the new id {new!r} has the same questions: if it was renamed on purpose, say "
                "so in _config.yml, 'cahier_renamed: {{{old}: {new}}}', and the answers follow it"
            ).format(old=box_id, new=guess)
        else:
            hint = __(
                "if it was removed on purpose, say so in _config.yml: 'cahier_retired: [{id}]'"
            ).format(id=box_id)
        findings.append(
            Finding(
                WARNING if allow_removed else ERROR,
                __(
                    "the box {id!r} of edition {edition} (was at {place}) is gone: participants' "
                    "answers to it would be lost; {hint}"
                ).format(id=box_id, edition=edition, place=f"{file}:{line}", hint=hint),
                against,
                None,
                "cahier.removed_id",
            )
        )
    for box_id, box in after.items():
        if box_id in before or box_id in renamed_to:
            continue
        file, line = here(box)
        changes["added"].append({"id": box_id, "source": box.get("source")})
        findings.append(
            Finding(
                NOTE,
                __("new box {id!r} (not in edition {edition})").format(id=box_id, edition=edition),
                file,
                line,
                "cahier.new_id",
            )
        )
    for box_id, previous, box in pairs:
        file, line = here(box)
        if normalized(previous.get("questions")) != normalized(box.get("questions")):
            changes["reworded"].append(
                {"id": box_id, "before": previous.get("questions"), "after": box.get("questions")}
            )
            diff = question_diff(
                normalized(previous.get("questions")), normalized(box["questions"])
            )
            findings.append(
                Finding(
                    WARNING,
                    "\n".join(
                        [
                            __(
                                "box {id!r}: questions reworded since edition {edition} (the "
                                "answers stay):"
                            ).format(id=box_id, edition=edition),
                            *diff,
                        ]
                    ),
                    file,
                    line,
                    "cahier.reworded",
                )
            )
        moved = [
            __("{what} {before!r} → {after!r}").format(
                what=what, before=previous.get(key), after=box.get(key)
            )
            for key, what in (("theme", __("theme")), ("level", __("level")), ("kind", __("kind")))
            if previous.get(key) != box.get(key)
        ]
        if moved:
            changes["moved"].append({"id": box_id, "changes": moved})
            findings.append(
                Finding(
                    WARNING,
                    __("box {id!r}: {changes} since edition {edition}").format(
                        id=box_id, changes=", ".join(moved), edition=edition
                    ),
                    file,
                    line,
                    "cahier.moved",
                )
            )
    return findings, changes


def check_run(
    book: Book,
    run: SphinxRun,
    against: str | None = None,
    no_against: bool = False,
    allow_removed: bool = False,
) -> tuple[list[Finding], dict[str, Any]]:
    """The findings of a run, and its comparison with the previous edition (check, site)."""
    findings = list(run.findings)
    extra: dict[str, Any] = {"book": None, "edition": None, "against": None}
    if run.manifest is None:
        return findings, extra
    extra.update(book=run.manifest["book"], edition=run.manifest["edition"])
    extra["boxes"] = len(run.manifest["boxes"])
    source = against
    if against is None and not no_against:
        saved = default_against(book, run.manifest["edition"])
        if saved:
            source, against = os.fspath(saved), book.display(saved)
    if source and against:
        old, _ = load_manifest(source)
        if old.get("book") != run.manifest["book"]:
            findings.append(
                Finding(
                    ERROR,
                    __(
                        "{source} belongs to the book {other!r}, not to this book {book!r}: "
                        "cahier_book must never change (it keeps the participants' answers)"
                    ).format(source=against, other=old.get("book"), book=run.manifest["book"]),
                    book.CONFIG,
                    book.config_line("cahier_book"),
                )
            )
        found, changes = compare(
            book,
            old,
            run.manifest,
            against,
            allow_removed,
            retired=run.config.get("cahier_retired") or [],
            renamed=run.config.get("cahier_renamed") or {},
        )
        findings.extend(found)
        extra["against"] = {"source": against, "edition": old.get("edition"), **changes}
    return findings, extra


def cmd_check(args: argparse.Namespace) -> int:
    book = Book(args.book)
    with tempfile.TemporaryDirectory(prefix="cahier-check-") as tmp:
        run = check_book(book, Path(tmp))
    findings, extra = check_run(book, run, args.against, args.no_against, args.allow_removed)
    return report(findings, args.format, extra)


def add_parser(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser(
        "check",
        help=__("check the book without building it"),
        description=__(
            "Check the book (ids, levels, questions, table of contents, settings) without "
            "building it; with a previous edition's manifest, list what changes for "
            "participants. Fails on errors: any warning of the build (the site is built with "
            "-W), a setting still to fill in, a box id of the previous edition that "
            "disappeared without being retired or renamed in _config.yml."
        ),
    )
    add_book_argument(check)
    against = check.add_mutually_exclusive_group()
    against.add_argument(
        "--against",
        metavar="FILE-or-URL",
        help=__("a previous edition's manifest.json (default: the latest one in editions/)"),
    )
    against.add_argument(
        "--no-against", action="store_true", help=__("compare with no previous edition")
    )
    check.add_argument(
        "--allow-removed",
        action="store_true",
        help=__("report removed box ids as warnings, not errors (once; prefer cahier_retired)"),
    )
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.set_defaults(func=cmd_check)
