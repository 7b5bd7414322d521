"""The organizers' command, ``cahier``: check a book, prepare a new edition, print, publish.

::

    cahier init DIR [--language fr|en] [--title TEXT] [--levels PRESET-or-FILE]
    cahier check [BOOK] [--against FILE-or-URL | --no-against] [--allow-removed] [--format json]
    cahier new-edition ID [BOOK] [--out DIR] [--dates TEXT] [--place TEXT]
    cahier pdf [BOOK] [-o FILE] [--lines N]
    cahier site SITE_DIR [BOOK] [--title TEXT] [--pdf]
    cahier serve [BOOK] [--port N]
    cahier build [BOOK] [--out DIR]

One module per command (``init.py``, ``check.py``, ``new_edition.py``, ``pdf.py``, ``site.py``,
``serve.py``, ``build.py``), over ``book.py`` (the book, its settings, Sphinx run on it) and
``findings.py`` (``file:line: level: message``, text or JSON). BOOK is a Jupyter Book folder
(``_config.yml``, ``_toc.yml``) or a Sphinx project (``conf.py``); it defaults to the current
folder. Messages follow the book's ``language``. The exit
status is 0 when nothing fails, 1 otherwise; a mistake that stops a command (a YAML mistake in
``_config.yml``, a folder that is not a book…) is reported like any finding, ``--format json``
included.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Sequence

from ..messages import __, use_language
from . import build, check, init, new_edition, pdf, serve, site
from .book import guess_language
from .findings import CahierError, Finding, Stop, report

__all__ = ["CahierError", "Finding", "main", "parser"]

COMMANDS = (init, check, new_edition, pdf, site, serve, build)


def parser(main: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    main = main or argparse.ArgumentParser(
        prog="cahier",
        description=__(
            "Start, check, prepare, print and publish the editions of a Cahier workbook."
        ),
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(commands)
    return main


def book_argument(argv: list[str]) -> str:
    """The BOOK of a command line, found before the messages' language is known."""
    quiet = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            args, _ = parser(quiet).parse_known_args([a for a in argv if a not in {"-h", "--help"}])
    except (argparse.ArgumentError, SystemExit):
        return "."
    return getattr(args, "book", ".") or "."


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    use_language(guess_language(book_argument(argv)))  # the help and every message
    args = parser().parse_args(argv)
    fmt = getattr(args, "format", "text")
    try:
        return args.func(args)
    except Stop as stop:
        message = stop.extra.pop("message", None)
        if message and fmt != "json":
            print(f"cahier: {message}", file=sys.stderr)
        return report(stop.findings, fmt, stop.extra or None)
    except CahierError as error:
        return report([error.finding], fmt)


if __name__ == "__main__":
    sys.exit(main())
