"""The book the commands work on: its folder, its settings, and Sphinx run on it.

Sphinx runs in this process, from the book's Jupyter Book configuration (``jupyter_book.config.
get_final_config``, as ``jupyter-book build`` does), so what ``check`` reports is exactly what the
build would: the extension's own checks (ids, levels, options, duplicates, settings to fill in)
and Sphinx's. Every file is named relative to the book (``book/eveil.md:7``).
"""

from __future__ import annotations

import contextlib
import html
import io
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..domain import build_manifest, reading_order
from ..messages import __
from ..toc import toc_problems
from ..yamltext import explain_yaml_error
from .findings import ERROR, CahierError, Finding, Stop, parse_warnings

#: Where ``new-edition`` keeps the manifest of each edition it closes: editions/<id>/manifest.json.
EDITIONS_DIR = "editions"


@dataclass
class SphinxRun:
    """What one Sphinx run of a book gave: its findings and, when it got that far, its boxes."""

    findings: list[Finding] = field(default_factory=list)
    manifest: dict[str, Any] | None = None
    docnames: list[str] = field(default_factory=list)  # reading order, « Mon cahier » excepted
    titles: dict[str, str] = field(default_factory=dict)  # docname -> page title
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.manifest is not None and not any(f.level == ERROR for f in self.findings)


class Book:
    """A Jupyter Book folder: ``_config.yml``, ``_toc.yml`` and the pages."""

    CONFIG, TOC = "_config.yml", "_toc.yml"

    def __init__(self, path: str | os.PathLike[str]):
        self.given = os.fspath(path)
        self.root = Path(path).resolve()
        self.config_path = self.root / self.CONFIG
        self.toc_path = self.root / self.TOC
        if not self.root.is_dir():
            raise CahierError(__("{path}: no such folder").format(path=self.given))
        for name in (self.CONFIG, self.TOC):
            if not (self.root / name).is_file():
                raise CahierError(
                    __("{path}: no {name} here: this is not the folder of a Jupyter Book").format(
                        path=self.given, name=name
                    )
                )

    def display(self, path: str | os.PathLike[str]) -> str:
        """A file of the book as the reports name it: relative to the book (``book/eveil.md``)."""
        path = Path(path)
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return os.fspath(path)

    def config_text(self) -> str:
        return self.config_path.read_text(encoding="utf-8")

    def yaml_config(self) -> dict[str, Any]:
        """``_config.yml``; a YAML mistake stops the command with its line, in plain words."""
        text = self.config_text()
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as error:
            line, message = explain_yaml_error(error, text)
            raise Stop([Finding(ERROR, message, self.CONFIG, line, "cahier.yaml")]) from None
        if not isinstance(data, dict):
            raise Stop([Finding(ERROR, __("expected settings (key: value lines)"), self.CONFIG, 1)])
        return data

    def setting(self, key: str, default: Any = None) -> Any:
        """A value of ``sphinx.config`` in ``_config.yml``."""
        config = (self.yaml_config().get("sphinx") or {}).get("config") or {}
        return config.get(key, default)

    def config_line(self, key: str) -> int | None:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
        lines = self.config_text().splitlines()
        return next((n for n, text in enumerate(lines, start=1) if pattern.match(text)), None)

    @property
    def language(self) -> str:
        """The book's language, read even from a ``_config.yml`` that YAML cannot read."""
        try:
            return str(self.setting("language") or "en")
        except Stop:
            match = re.search(r"^\s+language\s*:\s*[\"']?([A-Za-z_-]+)", self.config_text(), re.M)
            return match[1] if match else "en"


def guess_language(path: str | os.PathLike[str]) -> str:
    """The language of the book at ``path`` (English when there is no book there)."""
    try:
        return Book(path).language
    except (CahierError, OSError):
        return "en"


def sphinx_settings(book: Book) -> dict[str, Any]:
    """The Sphinx configuration ``jupyter-book build`` would use for this book."""
    from jupyter_book.config import get_final_config

    book.yaml_config()  # a YAML mistake: its line, not a traceback
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


def toc_findings(book: Book) -> list[Finding]:
    """Every mistake of ``_toc.yml``, at its line (see ``cahier.toc``)."""
    return [
        Finding(ERROR, problem.message, book.TOC, problem.line, problem.code)
        for problem in toc_problems(book.root, book.toc_path)
    ]


def run_sphinx(
    book: Book,
    outdir: Path,
    builder: str = "dummy",
    overrides: dict[str, Any] | None = None,
    status: io.TextIOBase | None = None,
) -> SphinxRun:
    """Run Sphinx on the book, as ``jupyter-book build`` would, collecting every warning."""
    import sphinx.locale
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
    # A catalog loaded for an earlier book of this process would win over this book's language.
    sphinx.locale.translators.clear()
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
            run.titles = {
                docname: app.env.titles[docname].astext()
                for docname in run.docnames
                if docname in app.env.titles
            }
            run.manifest = build_manifest(app, app.env)
            run.config = {
                key: app.config[key]
                for key in (
                    "cahier_book",
                    "cahier_edition",
                    "cahier_previous_editions",
                    "cahier_retired",
                    "cahier_renamed",
                    "cahier_site_template",
                    "cahier_school",
                    "cahier_dates",
                    "cahier_place",
                    "language",
                    "project",
                    "html_title",
                    "root_doc",
                )
            }
            # The book's title: Jupyter Book's `title` (it sets only html_title from it).
            project = app.config.project
            given = book.yaml_config().get("title")
            run.config["title"] = str(given or project or "Cahier")
    except SphinxError as error:
        run.findings.extend(parse_warnings(warnings.getvalue(), book.display))
        run.findings.append(sphinx_error_finding(book, error))
        return run
    run.findings.extend(parse_warnings(warnings.getvalue(), book.display))
    if builder == "dummy" and run.manifest:
        # The dummy builder has no URLs: give the HTML builder's (docname.html#box).
        for box in run.manifest["boxes"]:
            box["url"] = f"{box['page']}.html#cahier-box-{box['id']}"
    return run


def sphinx_error_finding(book: Book, error: Exception) -> Finding:
    """A Sphinx error that stopped the run: at its setting's line when it names one."""
    from ..config import SettingError

    if isinstance(error, SettingError):
        file, line = Book.CONFIG, book.config_line(error.key)
        if error.location:
            name, _, number = error.location.partition(":")
            file, line = name, int(number) if number.isdigit() else None
        return Finding(ERROR, error.message, file, line, "cahier.setting")
    message = str(error)
    return Finding(ERROR, message, Book.CONFIG, None, "sphinx")


def check_book(book: Book, outdir: Path, builder: str = "dummy") -> SphinxRun:
    """The table of contents first (a missing page would also stop Sphinx), then Sphinx."""
    toc = toc_findings(book)
    if toc:
        return SphinxRun(findings=toc)
    return run_sphinx(book, outdir, builder)


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
