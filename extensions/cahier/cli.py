"""The organizers' command, ``cahier``: check a book, prepare a new edition, print, publish.

::

    cahier check [BOOK] [--against FILE-or-URL | --no-against] [--allow-removed] [--format json]
    cahier new-edition ID [BOOK] [--out DIR]
    cahier pdf [BOOK] [-o FILE]
    cahier site SITE_DIR [BOOK]
    cahier build [BOOK] [--out DIR]

BOOK is a Jupyter Book folder (``_config.yml``, ``_toc.yml``); it defaults to the current folder.
Every finding is printed as ``file:line: level: message`` (``--format json``: one JSON object);
the exit status is 0 when nothing fails, 1 otherwise.

Sphinx runs in this process, from the book's Jupyter Book configuration (``jupyter_book.config.
get_final_config``, as ``jupyter-book build`` does), so what ``check`` reports is exactly what the
build would: the extension's own checks (ids, levels, options, duplicates, settings to fill in)
and Sphinx's.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .config import EDITION_ID_RE, TO_FILL
from .domain import MANIFEST_FORMAT, MANIFEST_PATH, build_manifest, reading_order
from .localserver import CHROMIUM_ARGS, chromium_path, serve

#: Where ``new-edition`` keeps the manifest of each edition it closes: editions/<id>/manifest.json.
EDITIONS_DIR = "editions"
#: The edition settings ``new-edition`` marks for the organizers to fill in.
SETTINGS_TO_FILL = ("cahier_dates", "cahier_place")
#: Files a toc entry may name without its suffix.
SOURCE_SUFFIXES = (".md", ".ipynb", ".rst", ".myst")

ERROR, WARNING, NOTE = "error", "warning", "note"


class CahierError(Exception):
    """A fault of the command line or the book that stops the command (exit status 1)."""


@dataclass
class Finding:
    """One line of the report: ``file:line: level: message``."""

    level: str
    message: str
    file: str | None = None
    line: int | None = None
    code: str = "cahier"

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return f"{where}{self.level}: {self.message}"


@dataclass
class SphinxRun:
    """What one Sphinx run of a book gave: its findings and, when it got that far, its boxes."""

    findings: list[Finding] = field(default_factory=list)
    manifest: dict[str, Any] | None = None
    docnames: list[str] = field(default_factory=list)  # reading order, « Mon cahier » excepted
    config: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# The book and its configuration
# ---------------------------------------------------------------------------------------------


class Book:
    """A Jupyter Book folder, and how to name its files in messages."""

    def __init__(self, path: str | os.PathLike[str]):
        self.given = os.fspath(path)
        self.root = Path(path).resolve()
        self.config_path = self.root / "_config.yml"
        self.toc_path = self.root / "_toc.yml"
        if not self.root.is_dir():
            raise CahierError(f"{self.given}: not a folder")
        if not self.config_path.is_file():
            raise CahierError(
                f"{self.display(self.config_path)}: no _config.yml: not a Jupyter Book"
            )
        if not self.toc_path.is_file():
            raise CahierError(f"{self.display(self.toc_path)}: no _toc.yml: not a Jupyter Book")

    def display(self, path: str | os.PathLike[str]) -> str:
        """A path as the organizer gave the book: ``book/eveil.md`` when run inside it."""
        path = Path(path)
        try:
            relative = path.resolve().relative_to(self.root)
        except ValueError:
            return os.fspath(path)
        return os.path.normpath(os.path.join(self.given, relative))

    def yaml_config(self) -> dict[str, Any]:
        try:
            data = yaml.safe_load(self.config_path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise CahierError(f"{self.display(self.config_path)}: {error}") from error
        if not isinstance(data, dict):
            raise CahierError(f"{self.display(self.config_path)}: expected a mapping")
        return data

    def setting(self, key: str, default: Any = None) -> Any:
        """A value of ``sphinx.config`` in ``_config.yml``."""
        config = (self.yaml_config().get("sphinx") or {}).get("config") or {}
        return config.get(key, default)

    def config_line(self, key: str) -> int | None:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
        lines = self.config_path.read_text(encoding="utf-8").splitlines()
        return next((n for n, text in enumerate(lines, start=1) if pattern.match(text)), None)


def sphinx_settings(book: Book) -> dict[str, Any]:
    """The Sphinx configuration ``jupyter-book build`` would use for this book."""
    from jupyter_book.config import get_final_config

    with contextlib.redirect_stdout(io.StringIO()):  # schema warnings are printed, not raised
        config, _meta = get_final_config(
            user_yaml=book.config_path,
            cli_config={
                "external_toc_path": book.toc_path.as_posix(),
                "latex_individualpages": False,
            },
            sourcedir=book.root,
        )
    return config


WARNING_LINE = re.compile(
    r"^(?:(?P<file>.+?):(?:(?P<line>\d+):)? )?(?P<level>WARNING|ERROR|SEVERE|CRITICAL): "
    r"(?P<message>.*?)(?: \[(?P<code>[\w.-]+)\])?$"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def parse_warnings(text: str, book: Book) -> list[Finding]:
    """Sphinx's warning stream as findings; continuation lines join their message.

    Every Sphinx warning is an error here: the workbook is published with ``-W``.
    """
    findings: list[Finding] = []
    for raw in ANSI.sub("", text).splitlines():
        match = WARNING_LINE.match(raw)
        if match is None:
            if findings and raw.strip():
                findings[-1].message += " " + raw.strip()
            continue
        file = match["file"]
        if file:
            file = file.split(":docstring of ")[0]
            file = book.display(file) if os.path.isabs(file) else file
        findings.append(
            Finding(
                ERROR,
                match["message"].strip(),
                file,
                int(match["line"]) if match["line"] else None,
                match["code"] or "sphinx",
            )
        )
    return findings


def toc_findings(book: Book) -> list[Finding]:
    """Every ``file``/``root`` entry of ``_toc.yml`` must name an existing page."""
    display = book.display(book.toc_path)
    try:
        tree = yaml.compose(book.toc_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return [Finding(ERROR, f"malformed _toc.yml: {error}", display, mark and mark.line + 1)]
    findings: list[Finding] = []

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value in {"file", "root"} and isinstance(value, yaml.ScalarNode):
                    if not page_exists(book.root, str(value.value)):
                        findings.append(
                            Finding(
                                ERROR,
                                f"toc entry {value.value!r}: no such page "
                                f"({', '.join(value.value + s for s in SOURCE_SUFFIXES[:2])}…)",
                                display,
                                value.start_mark.line + 1,
                                "cahier.toc",
                            )
                        )
                else:
                    walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    if tree is not None:
        walk(tree)
    return findings


def page_exists(root: Path, entry: str) -> bool:
    path = root / entry
    return path.is_file() or any(path.with_name(path.name + s).is_file() for s in SOURCE_SUFFIXES)


def run_sphinx(
    book: Book,
    outdir: Path,
    builder: str = "dummy",
    overrides: dict[str, Any] | None = None,
    status: io.TextIOBase | None = None,
) -> SphinxRun:
    """Run Sphinx on the book, as ``jupyter-book build`` would, collecting every warning."""
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    run = SphinxRun()
    config = sphinx_settings(book)
    config.update(overrides or {})
    config["show_warning_types"] = True
    # Sphinx fills the *default* source_suffix dict in place: give each run its own, or a
    # earlier run in this process (another parser for .md) would leak into this one.
    config.setdefault("source_suffix", {".rst": "restructuredtext"})
    warnings = io.StringIO()
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        with patch_docutils(None), docutils_namespace():
            app = Sphinx(
                srcdir=book.root,
                confdir=None,
                outdir=outdir,
                doctreedir=outdir / ".doctrees",
                buildername=builder,
                confoverrides=config,
                status=status,
                warning=warnings,
                freshenv=True,
                parallel=1,
            )
            app.build()
            # « Mon cahier » lists the participant's answers: the blank paper cahier has none.
            summary = getattr(app.env, "cahier_summary_docs", set())
            run.docnames = [d for d in reading_order(app.env) if d not in summary]
            run.manifest = build_manifest(app, app.env)
            run.config = {
                key: app.config[key]
                for key in ("cahier_book", "cahier_edition", "cahier_previous_editions", "root_doc")
            }
    except SphinxError as error:
        run.findings.extend(parse_warnings(warnings.getvalue(), book))
        run.findings.append(sphinx_error_finding(book, error))
        return run
    run.findings.extend(parse_warnings(warnings.getvalue(), book))
    if builder == "dummy" and run.manifest:
        # The dummy builder has no URLs: give the HTML builder's (docname.html#box).
        for box in run.manifest["boxes"]:
            box["url"] = f"{box['page']}.html#cahier-box-{box['id']}"
    return run


def sphinx_error_finding(book: Book, error: Exception) -> Finding:
    """A Sphinx error that stopped the run: at its setting in _config.yml when it names one."""
    message = str(error)
    setting = re.match(r"_config\.yml, sphinx\.config\.(\w+): (.*)", message, re.S)
    if setting:
        key, message = setting.groups()
        return Finding(
            ERROR, f"{key}: {message}", book.display(book.config_path), book.config_line(key)
        )
    return Finding(ERROR, message, book.display(book.config_path), None, "sphinx")


def check_book(book: Book, outdir: Path) -> SphinxRun:
    """The table of contents first (a missing page would also stop Sphinx), then Sphinx."""
    toc = toc_findings(book)
    if toc:
        return SphinxRun(findings=toc)
    return run_sphinx(book, outdir)


# ---------------------------------------------------------------------------------------------
# Comparing with a previous edition's manifest
# ---------------------------------------------------------------------------------------------


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
        raise CahierError(f"{source}: cannot read the manifest: {error}") from error
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise CahierError(f"{source}: not a cahier manifest (format {MANIFEST_FORMAT!r})")
    if not isinstance(data.get("boxes"), list):
        raise CahierError(f"{source}: manifest without boxes")
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


def compare(
    book: Book, old: dict[str, Any], new: dict[str, Any], against: str, allow_removed: bool
) -> tuple[list[Finding], dict[str, list[dict[str, Any]]]]:
    """What changed for the participants between two manifests, box id by box id.

    Removed ids fail (their answers would be orphaned) unless ``allow_removed``; new ids are
    notes; reworded questions and boxes moved to another theme or level are warnings.
    """
    before = {box["id"]: box for box in old["boxes"]}
    after = {box["id"]: box for box in new["boxes"]}
    edition = old.get("edition", "?")
    findings: list[Finding] = []
    changes: dict[str, list[dict[str, Any]]] = {
        "removed": [],
        "added": [],
        "reworded": [],
        "moved": [],
    }

    def here(box: dict[str, Any]) -> tuple[str | None, int | None]:
        file, line = split_source(box.get("source"))
        return (book.display(book.root / file) if file else None), line

    added_by_questions = {
        tuple(box["questions"]): box_id for box_id, box in after.items() if box_id not in before
    }
    for box_id, box in before.items():
        if box_id in after:
            continue
        renamed = added_by_questions.get(tuple(box.get("questions", [])))
        hint = f"; the new id {renamed!r} has the same questions: renamed?" if renamed else ""
        file, line = split_source(box.get("source"))
        changes["removed"].append({"id": box_id, "source": box.get("source"), "renamedTo": renamed})
        findings.append(
            Finding(
                WARNING if allow_removed else ERROR,
                f"box id {box_id!r} of edition {edition} is gone: participants' answers to it "
                f"would be orphaned (was at {file}:{line}){hint}",
                against,
                None,
                "cahier.removed_id",
            )
        )
    for box_id, box in after.items():
        file, line = here(box)
        if box_id not in before:
            changes["added"].append({"id": box_id, "source": box.get("source")})
            findings.append(
                Finding(
                    NOTE,
                    f"new box id {box_id!r} (not in edition {edition})",
                    file,
                    line,
                    "cahier.new_id",
                )
            )
            continue
        previous = before[box_id]
        if normalized(previous.get("questions")) != normalized(box.get("questions")):
            changes["reworded"].append(
                {"id": box_id, "before": previous.get("questions"), "after": box.get("questions")}
            )
            findings.append(
                Finding(
                    WARNING,
                    f"box {box_id!r}: questions reworded since edition {edition} (answers stay): "
                    f"{json.dumps(previous.get('questions'), ensure_ascii=False)} -> "
                    f"{json.dumps(box.get('questions'), ensure_ascii=False)}",
                    file,
                    line,
                    "cahier.reworded",
                )
            )
        moved = [
            f"{key} {previous.get(key)!r} -> {box.get(key)!r}"
            for key in ("theme", "level", "kind")
            if previous.get(key) != box.get(key)
        ]
        if moved:
            changes["moved"].append({"id": box_id, "changes": moved})
            findings.append(
                Finding(
                    WARNING,
                    f"box {box_id!r}: {', '.join(moved)} since edition {edition}",
                    file,
                    line,
                    "cahier.moved",
                )
            )
    return findings, changes


def normalized(questions: Any) -> list[str]:
    return [" ".join(str(q).split()) for q in questions or []]


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


def report(findings: Sequence[Finding], fmt: str, extra: dict[str, Any] | None = None) -> int:
    failed = any(f.level == ERROR for f in findings)
    if fmt == "json":
        document = {"ok": not failed, **(extra or {}), "findings": [asdict(f) for f in findings]}
        print(json.dumps(document, ensure_ascii=False, indent=1))
    else:
        for finding in findings:
            print(finding)
        counts = {level: sum(f.level == level for f in findings) for level in (ERROR, WARNING)}
        verdict = "FAILED" if failed else "ok"
        print(
            f"cahier: {verdict}: {counts[ERROR]} error(s), {counts[WARNING]} warning(s)",
            file=sys.stderr,
        )
    return 1 if failed else 0


def cmd_check(args: argparse.Namespace) -> int:
    book = Book(args.book)
    with tempfile.TemporaryDirectory(prefix="cahier-check-") as tmp:
        run = check_book(book, Path(tmp))
    findings = list(run.findings)
    extra: dict[str, Any] = {"book": None, "edition": None, "against": None}
    if run.manifest is not None:
        extra.update(book=run.manifest["book"], edition=run.manifest["edition"])
        extra["boxes"] = len(run.manifest["boxes"])
        against = args.against
        if against is None and not args.no_against:
            saved = default_against(book, run.manifest["edition"])
            against = os.fspath(saved) if saved else None
        if against:
            old, name = load_manifest(against)
            if old.get("book") != run.manifest["book"]:
                findings.append(
                    Finding(
                        ERROR,
                        f"book {old.get('book')!r} of {name} is not this book "
                        f"{run.manifest['book']!r}: cahier_book must never change",
                        book.display(book.config_path),
                        book.config_line("cahier_book"),
                    )
                )
            found, changes = compare(book, old, run.manifest, name, args.allow_removed)
            findings.extend(found)
            extra["against"] = {"source": name, "edition": old.get("edition"), **changes}
    return report(findings, args.format, extra)


def set_settings(text: str, values: dict[str, Any], after: str) -> str:
    """Set ``key: value`` lines of ``sphinx.config`` in _config.yml text, keeping the rest as is.

    A key not yet present is added after the line of ``after``, with its indentation.
    """
    lines = text.splitlines(keepends=True)
    for key, value in values.items():
        rendered = json.dumps(value, ensure_ascii=False)
        pattern = re.compile(rf"^(\s*){re.escape(key)}\s*:.*$")
        for index, line in enumerate(lines):
            match = pattern.match(line.rstrip("\n"))
            if match:
                lines[index] = f"{match[1]}{key}: {rendered}\n"
                break
        else:
            anchor = re.compile(rf"^(\s*){re.escape(after)}\s*:")
            for index, line in enumerate(lines):
                match = anchor.match(line)
                if match:
                    lines.insert(index + 1, f"{match[1]}{key}: {rendered}\n")
                    break
            else:
                raise CahierError(f"_config.yml: no {after}: setting to add {key} after")
    return "".join(lines)


def copy_book(source: Path, target: Path) -> None:
    if target.exists() and any(target.iterdir()):
        raise CahierError(f"{target}: exists and is not empty")
    ignore = shutil.ignore_patterns("_build", ".*", "__pycache__")
    shutil.copytree(source, target, ignore=ignore, dirs_exist_ok=True)


def cmd_new_edition(args: argparse.Namespace) -> int:
    new_id = args.id
    if not EDITION_ID_RE.match(new_id):
        raise CahierError(f"{new_id!r}: an edition id is lowercase ASCII letters, digits, '-', '.'")
    book = Book(args.book)
    with tempfile.TemporaryDirectory(prefix="cahier-new-edition-") as tmp:
        run = check_book(book, Path(tmp))
    if run.manifest is None or any(f.level == ERROR for f in run.findings):
        print("cahier: the current edition has errors; fix them first:", file=sys.stderr)
        return report(run.findings, "text")
    old_id = run.manifest["edition"]
    if new_id == old_id:
        raise CahierError(f"{new_id!r} is already the current edition")

    target = book
    if args.out:
        copy_book(book.root, Path(args.out))
        target = Book(args.out)
    saved = target.root / EDITIONS_DIR / old_id / Path(MANIFEST_PATH).name
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps(run.manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")

    previous = [str(e) for e in target.setting("cahier_previous_editions") or []]
    values: dict[str, Any] = {
        "cahier_edition": new_id,
        **{key: TO_FILL for key in SETTINGS_TO_FILL},
        "cahier_previous_editions": [old_id, *(e for e in previous if e not in {old_id, new_id})],
    }
    text = target.config_path.read_text(encoding="utf-8")
    text = set_settings(text, values, after="cahier_edition")
    if re.search(rf"^copyright:\s*[\"']?{re.escape(old_id)}[\"']?\s*$", text, re.M):
        text = re.sub(r"^copyright:.*$", f'copyright: "{new_id}"', text, count=1, flags=re.M)
    target.config_path.write_text(text, encoding="utf-8")

    config = target.display(target.config_path)
    print(f"cahier: edition {new_id} prepared in {target.given} (from edition {old_id}).")
    print(f"  {target.display(saved)}: the boxes of edition {old_id}, for `cahier check`.")
    for key in SETTINGS_TO_FILL:
        print(f"  {config}:{target.config_line(key)}: fill in {key} (now {TO_FILL!r}).")
    print("  Every box id is kept: reword questions freely, never rename an id.")
    return 0


def build_html(book: Book, outdir: Path, quiet: bool = True) -> SphinxRun:
    """Build the HTML site into ``outdir`` as ``jupyter-book build`` does (root redirect too)."""
    toc = toc_findings(book)
    if toc:
        return SphinxRun(findings=toc)
    run = run_sphinx(book, outdir, "html", status=None if quiet else sys.stdout)
    if run.manifest is not None and not (outdir / "index.html").exists():
        root = run.config.get("root_doc", "index")
        (outdir / "index.html").write_text(
            f'<meta http-equiv="Refresh" content="0; url={html.escape(root)}.html" />\n',
            encoding="utf-8",
        )
    return run


def require_clean(run: SphinxRun) -> None:
    errors = [f for f in run.findings if f.level == ERROR]
    if errors or run.manifest is None:
        report(run.findings, "text")
        raise CahierError("the book has errors: nothing was published (see `cahier check`)")


def cmd_build(args: argparse.Namespace) -> int:
    book = Book(args.book)
    outdir = Path(args.out) if args.out else book.root / "_build" / "html"
    run = build_html(book, outdir)
    status = report(run.findings, "text")
    if status == 0:
        print(f"cahier: built {outdir}", file=sys.stderr)
    return status


# --- the site of editions ----------------------------------------------------------------------


def cmd_site(args: argparse.Namespace) -> int:
    book = Book(args.book)
    site = Path(args.site_dir).resolve()
    site.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cahier-site-", dir=site) as tmp:
        staging = Path(tmp) / "html"
        run = build_html(book, staging)
        require_clean(run)
        assert run.manifest is not None
        edition = run.manifest["edition"]
        shutil.rmtree(staging / ".doctrees", ignore_errors=True)
        (staging / ".buildinfo").unlink(missing_ok=True)
        target = site / edition
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    title = args.title or book.yaml_config().get("title") or run.manifest.get("title") or "Cahier"
    editions = write_landing_page(site, str(title))
    print(f"cahier: edition {edition} published in {target}", file=sys.stderr)
    print(f"cahier: {site / 'index.html'} lists {', '.join(e['edition'] for e in editions)}")
    return 0


def site_editions(site: Path) -> list[dict[str, Any]]:
    """The editions present in a site folder (those with a manifest), newest first."""
    editions = []
    for manifest_path in site.glob(f"*/{MANIFEST_PATH}"):
        folder = manifest_path.parents[len(Path(MANIFEST_PATH).parts) - 1]
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if manifest.get("format") != MANIFEST_FORMAT:
            continue
        manifest["folder"] = folder.name
        editions.append(manifest)
    return sorted(editions, key=lambda m: natural_key(str(m.get("edition", ""))), reverse=True)


LANDING_CSS = """
:root { color-scheme: light dark; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5;
  max-width: 40rem; margin: 0 auto; padding: 2rem 1.25rem; color: CanvasText; background: Canvas; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 0.5rem; }
ul { list-style: none; padding: 0; }
li { margin: 0 0 1rem; padding: 0.75rem 1rem; border: 1px solid GrayText; border-radius: 0.4rem; }
a { font-size: 1.2rem; font-weight: 600; color: LinkText; }
a:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
.meta { margin: 0.25rem 0 0; }
.latest { font-weight: 600; }
"""


def write_landing_page(site: Path, title: str) -> list[dict[str, Any]]:
    """``SITE_DIR/index.html``: every edition present, newest first (static, French, no script)."""
    editions = site_editions(site)
    title = html.escape(title)
    items = []
    for number, manifest in enumerate(editions):
        edition = html.escape(str(manifest.get("edition", "")))
        href = html.escape(f"{manifest['folder']}/")
        details = " · ".join(
            html.escape(str(manifest[key]))
            for key in ("school", "place", "dates")
            if manifest.get(key) and TO_FILL not in str(manifest[key])
        )
        latest = ' <span class="latest">(la plus récente)</span>' if number == 0 else ""
        items.append(
            f'<li><a href="{href}" hreflang="{html.escape(manifest.get("language") or "fr")}">'
            f"Édition {edition}</a>{latest}"
            + (f'<p class="meta">{details}</p>' if details else "")
            + "</li>"
        )
    page = f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — éditions</title>
<style>{LANDING_CSS}</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>Choisissez votre édition. Vos réponses restent dans ce navigateur, édition par édition :
celles d'une édition passée s'y trouvent toujours.</p>
<ul>
{chr(10).join(items)}
</ul>
</main>
</body>
</html>
"""
    (site / "index.html").write_text(page, encoding="utf-8")
    return editions


# --- the blank paper cahier --------------------------------------------------------------------


class Progress:
    """A progress bar over the pages, on stderr (one line per page when not a terminal)."""

    def __init__(self, total: int, stream=None, width: int = 30):
        self.total, self.done, self.width = total, 0, width
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self, label: str) -> None:
        self.done += 1
        filled = self.width * self.done // max(self.total, 1)
        bar = f"[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} {label}"
        if self.tty:
            self.stream.write("\r\x1b[2K" + bar)
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(bar + "\n")
        self.stream.flush()


def print_pages(base_url: str, docnames: Sequence[str], folder: Path) -> list[Path]:
    """Print each page (print media) to its own PDF, in order, with a progress bar."""
    from playwright.sync_api import sync_playwright

    progress = Progress(len(docnames))
    paths = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.emulate_media(media="print")
            for number, docname in enumerate(docnames, start=1):
                page.goto(f"{base_url}/{docname}.html", wait_until="load")
                path = folder / f"{number:04d}.pdf"
                page.pdf(
                    path=str(path), format="A4", print_background=True, prefer_css_page_size=True
                )
                paths.append(path)
                progress.step(docname)
        finally:
            browser.close()
    return paths


def merge_pdfs(parts: Sequence[Path], output: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(str(part))
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as stream:
        writer.write(stream)


def cmd_pdf(args: argparse.Namespace) -> int:
    book = Book(args.book)
    with tempfile.TemporaryDirectory(prefix="cahier-pdf-") as tmp:
        html_dir = Path(tmp) / "html"
        print("cahier: building the site…", file=sys.stderr)
        run = build_html(book, html_dir)
        require_clean(run)
        assert run.manifest is not None
        output = Path(args.output or f"cahier-{run.manifest['edition']}.pdf")
        with serve(html_dir) as url:
            parts = print_pages(url, run.docnames, Path(tmp))
        merge_pdfs(parts, output)
    print(f"cahier: {output} ({len(parts)} pages of the book)", file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="cahier",
        description="Check, prepare, print and publish the editions of a Cahier workbook.",
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="validate the book without building it",
        description="Validate the book (ids, levels, questions, toc, settings) without building "
        "it; with a previous edition's manifest, list what changes for participants. Fails on "
        "errors: any Sphinx warning (the site is built with -W), a setting still to fill in, a "
        "box id of the previous edition that disappeared (unless --allow-removed).",
    )
    check.add_argument("book", nargs="?", default=".", help="the book folder (default: .)")
    against = check.add_mutually_exclusive_group()
    against.add_argument(
        "--against",
        metavar="FILE-or-URL",
        help="a previous edition's manifest.json (default: the latest one in editions/)",
    )
    against.add_argument(
        "--no-against", action="store_true", help="do not compare with a previous edition"
    )
    check.add_argument(
        "--allow-removed",
        action="store_true",
        help="report removed box ids as warnings, not errors",
    )
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.set_defaults(func=cmd_check)

    new = commands.add_parser(
        "new-edition",
        help="prepare next year's edition from the current one",
        description="Set the new edition id, mark dates and place to fill in, keep every box "
        "id, and save the current edition's manifest in editions/<old-id>/manifest.json.",
    )
    new.add_argument("id", help="the new edition id, e.g. 2026")
    new.add_argument("book", nargs="?", default=".", help="the book folder (default: .)")
    new.add_argument("--out", metavar="DIR", help="write the new edition there (a copy)")
    new.set_defaults(func=cmd_new_edition)

    pdf = commands.add_parser(
        "pdf",
        help="print the blank paper cahier",
        description="Build the site and print every page, in reading order, with headless "
        "Chromium: questions and ruled lines to write on.",
    )
    pdf.add_argument("book", nargs="?", default=".", help="the book folder (default: .)")
    pdf.add_argument("-o", "--output", metavar="FILE", help="default: cahier-<edition>.pdf")
    pdf.set_defaults(func=cmd_pdf)

    site = commands.add_parser(
        "site",
        help="publish the edition into a site of editions",
        description="Build the current edition into SITE_DIR/<edition>/ and rewrite "
        "SITE_DIR/index.html, listing every edition present.",
    )
    site.add_argument("site_dir", metavar="SITE_DIR")
    site.add_argument("book", nargs="?", default=".", help="the book folder (default: .)")
    site.add_argument("--title", help="title of the landing page (default: the book's title)")
    site.set_defaults(func=cmd_site)

    build = commands.add_parser("build", help="build the HTML site (like jupyter-book build -W)")
    build.add_argument("book", nargs="?", default=".", help="the book folder (default: .)")
    build.add_argument("--out", metavar="DIR", help="default: BOOK/_build/html")
    build.set_defaults(func=cmd_build)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except CahierError as error:
        print(f"cahier: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
