"""The book the commands work on: its folder, its settings, and Sphinx run on it.

A book is a Jupyter Book (``_config.yml`` and ``_toc.yml``) or a plain Sphinx project
(``conf.py``). Sphinx runs in this process, from the book's Jupyter Book configuration
(``jupyter_book.config.get_final_config``, as ``jupyter-book build`` does) or from its ``conf.py``
(as ``sphinx-build`` does), so what ``check`` reports is exactly what the build would: the
extension's own checks (ids, levels, options, duplicates, settings to fill in) and Sphinx's. A book
that does not load the extension is told what to add to ``extensions``. Every file is named
relative to the book (``book/eveil.md:7``).
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import json
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
    """The workbook's folder: a Jupyter Book (``_config.yml``, ``_toc.yml`` and the pages) or a
    plain Sphinx project (``conf.py`` and the pages)."""

    JUPYTER_BOOK, SPHINX = "jupyter-book", "sphinx"
    TOC = "_toc.yml"

    def __init__(self, path: str | os.PathLike[str]):
        self.given = os.fspath(path)
        self.root = Path(path).resolve()
        if not self.root.is_dir():
            raise CahierError(__("{path}: no such folder").format(path=self.given))
        if (self.root / "_config.yml").is_file():
            self.kind, self.CONFIG = self.JUPYTER_BOOK, "_config.yml"
            if not (self.root / self.TOC).is_file():
                raise CahierError(
                    __("{path}: no {name} here: this is not the folder of a Jupyter Book").format(
                        path=self.given, name=self.TOC
                    )
                )
        elif (self.root / "conf.py").is_file():
            self.kind, self.CONFIG = self.SPHINX, "conf.py"
        else:
            raise CahierError(not_a_book(self.root, self.given))
        self.config_path = self.root / self.CONFIG
        self.toc_path = self.root / self.TOC
        self._conf: dict[str, Any] | None = None

    @property
    def is_jupyter_book(self) -> bool:
        return self.kind == self.JUPYTER_BOOK

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
        """``_config.yml``; a YAML mistake stops the command with its line, in plain words.

        A Sphinx project has no ``_config.yml``: its settings are read from ``conf.py``."""
        if not self.is_jupyter_book:
            return {}
        text = self.config_text()
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as error:
            line, message = explain_yaml_error(error, text)
            raise Stop([Finding(ERROR, message, self.CONFIG, line, "cahier.yaml")]) from None
        if not isinstance(data, dict):
            raise Stop([Finding(ERROR, __("expected settings (key: value lines)"), self.CONFIG, 1)])
        return data

    def conf_py(self) -> dict[str, Any]:
        """The settings ``conf.py`` defines, as Sphinx reads them; a mistake in it stops the
        command at its line."""
        if self._conf is None:
            from sphinx.config import eval_config_file
            from sphinx.errors import ConfigError
            from sphinx.util.tags import Tags

            try:
                namespace = eval_config_file(str(self.config_path), Tags())
            except ConfigError as error:
                cause = error.__cause__
                line = getattr(cause, "lineno", None)
                if line is None and cause is not None and cause.__traceback__ is not None:
                    line = _conf_line(cause.__traceback__, self.config_path)
                message = __("conf.py cannot be read: {error}").format(error=cause or error)
                raise Stop([Finding(ERROR, message, self.CONFIG, line, "cahier.conf")]) from None
            self._conf = {k: v for k, v in namespace.items() if not k.startswith("__")}
        return self._conf

    def settings(self) -> dict[str, Any]:
        """The Sphinx settings the book gives itself: ``sphinx.config`` of ``_config.yml``, or
        ``conf.py``."""
        if self.is_jupyter_book:
            return (self.yaml_config().get("sphinx") or {}).get("config") or {}
        return self.conf_py()

    def setting(self, key: str, default: Any = None) -> Any:
        """A value of ``sphinx.config`` in ``_config.yml``, or of ``conf.py``."""
        return self.settings().get(key, default)

    @property
    def title(self) -> str | None:
        """The book's title: ``title`` of ``_config.yml``, or ``project`` of ``conf.py``."""
        if self.is_jupyter_book:
            return self.yaml_config().get("title")
        return self.setting("project")

    def setting_pattern(self, key: str) -> re.Pattern[str]:
        """The line that sets ``key``: ``key: …`` in ``_config.yml``, ``key = …`` in conf.py."""
        if self.is_jupyter_book:
            return re.compile(rf"^(\s*){re.escape(key)}\s*:")
        return re.compile(rf"^(\s*){re.escape(key)}\s*=")

    def config_line(self, key: str) -> int | None:
        pattern = self.setting_pattern(key)
        lines = self.config_text().splitlines()
        return next((n for n, text in enumerate(lines, start=1) if pattern.match(text)), None)

    def render_setting(self, key: str, value: Any, indent: str = "") -> str:
        """``key: value`` (YAML) or ``key = value`` (Python) for text and lists of text."""
        rendered = json.dumps(value, ensure_ascii=False)
        separator = ": " if self.is_jupyter_book else " = "
        return f"{indent}{key}{separator}{rendered}"

    @property
    def language(self) -> str:
        """The book's language, read even from settings that cannot be read."""
        try:
            return str(self.setting("language") or "en")
        except Stop:
            separator = ":" if self.is_jupyter_book else "="
            match = re.search(
                rf"^\s*language\s*{separator}\s*[\"']?([A-Za-z_-]+)", self.config_text(), re.M
            )
            return match[1] if match else "en"

    def extensions(self) -> list[str]:
        """The Sphinx extensions the book loads (Jupyter Book's own included)."""
        if self.is_jupyter_book:
            return [str(name) for name in sphinx_settings(self).get("extensions") or []]
        return [str(name) for name in self.setting("extensions") or []]

    def require_extension(self) -> None:
        """Stop, saying what to write, when the book does not load this extension."""
        from ..names import EXTENSION, EXTENSION_NAMES

        loaded = self.extensions()
        if EXTENSION in loaded:
            return
        other = next((name for name in EXTENSION_NAMES if name in loaded), None)
        line = self.config_line("extensions") or self.config_line("extra_extensions")
        if other:
            message = __(
                "extensions names {other}, but the installed extension is called {name}: write "
                "{name} instead of {other}"
            ).format(other=other, name=EXTENSION)
        elif self.is_jupyter_book:
            message = __(
                "the workbook's extension is not loaded: add {name} to extensions (in "
                "_config.yml, under sphinx:, e.g. extra_extensions: [{name}])"
            ).format(name=EXTENSION)
        else:
            message = __(
                "the workbook's extension is not loaded: add {name} to extensions (in conf.py, "
                'e.g. extensions = ["myst_parser", "{name}"])'
            ).format(name=EXTENSION)
        raise Stop([Finding(ERROR, message, self.CONFIG, line, "cahier.extension")])


def _conf_line(traceback: Any, path: Path) -> int | None:
    """The line of ``conf.py`` where its exception was raised."""
    line = None
    while traceback is not None:
        if Path(traceback.tb_frame.f_code.co_filename).resolve() == path.resolve():
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def not_a_book(root: Path, given: str) -> str:
    """Why ``root`` is not a book, and where the book may be (``docs/``, ``source/``)."""
    for inner in ("docs", "source", "doc"):
        for name in ("_config.yml", "conf.py"):
            if (root / inner / name).is_file():
                return __(
                    "{path}: neither _config.yml (Jupyter Book) nor conf.py (Sphinx) here; the "
                    "book seems to be in {inner}: give that folder, e.g. cahier check {inner}"
                ).format(path=given, inner=os.path.join(given, inner))
    return __(
        "{path}: neither _config.yml (Jupyter Book) nor conf.py (Sphinx) here: this is not the "
        "folder of a book; cahier init {path} starts a new workbook"
    ).format(path=given)


def add_book_argument(command: argparse.ArgumentParser) -> None:
    """The optional BOOK argument of a command (``args.book``): the book's folder, ``.`` by
    default."""
    command.add_argument("book", nargs="?", default=".", help=__("the book's folder (default: .)"))


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
    """Every mistake of ``_toc.yml``, at its line (see ``sphinx_cahier.toc``); a Sphinx project's
    table of contents is its toctrees, which Sphinx checks."""
    if not book.is_jupyter_book:
        return []
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
    book.require_extension()
    # A Jupyter Book's settings are all given (confdir None), as `jupyter-book build` does; a
    # Sphinx project's come from its conf.py.
    config = sphinx_settings(book) if book.is_jupyter_book else {}
    confdir = None if book.is_jupyter_book else book.root
    config.update(overrides or {})
    config["show_warning_types"] = True
    # Sphinx fills the *default* source_suffix dict in place: give each run its own, or a
    # earlier run in this process (another parser for .md) would leak into this one.
    if book.is_jupyter_book or "source_suffix" not in book.conf_py():
        config.setdefault("source_suffix", {".rst": "restructuredtext"})
    warnings = io.StringIO()
    outdir.mkdir(parents=True, exist_ok=True)
    # A catalog loaded for an earlier book of this process would win over this book's language.
    sphinx.locale.translators.clear()
    try:
        with patch_docutils(None), docutils_namespace():
            app = Sphinx(
                srcdir=book.root,
                confdir=confdir,
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
            given = book.title if book.is_jupyter_book else None
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
        file, line = book.CONFIG, book.config_line(error.key)
        if error.location:
            name, _, number = error.location.partition(":")
            file, line = name, int(number) if number.isdigit() else None
        return Finding(ERROR, error.message, file, line, "cahier.setting")
    message = str(error)
    return Finding(ERROR, message, book.CONFIG, None, "sphinx")


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
