"""``cahier build [BOOK] [--out DIR]``: build the HTML site, listing every finding."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..messages import __
from .book import Book, add_book_argument, build_html
from .findings import report


def cmd_build(args: argparse.Namespace) -> int:
    book = Book(args.book)
    outdir = Path(args.out) if args.out else book.root / "_build" / "html"
    run = build_html(book, outdir)
    status = report(run.findings, "text")
    if status == 0:
        print(__("cahier: built {folder}").format(folder=outdir), file=sys.stderr)
    return status


def add_parser(commands: argparse._SubParsersAction) -> None:
    build = commands.add_parser(
        "build", help=__("build the HTML site (like jupyter-book build -W, every finding listed)")
    )
    add_book_argument(build)
    build.add_argument("--out", metavar="DIR", help=__("default: BOOK/_build/html"))
    build.set_defaults(func=cmd_build)
