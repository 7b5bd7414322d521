"""``cahier pdf [BOOK] [-o FILE] [--lines N]``: the blank paper cahier.

The site is built (refused with errors, as ``cahier check`` refuses it), served on 127.0.0.1 and
printed page by page with headless Chromium (print media, A4, ``print.css``), in reading order.
The PDF then gets:

- a cover: the book's title, the edition, the school, the dates and the place, and a « Nom : »
  line for the participant;
- a table of contents with the page number of every page of the book (and PDF bookmarks);
- page numbers at the foot of every page but the cover;
- its title, author, subject and language in the PDF's metadata (a viewer shows the title).

``--lines N`` gives every box N ruled lines (default: 8 for a level, 6 for a prompt).
"""

from __future__ import annotations

import argparse
import html
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..config import TO_FILL
from ..localserver import CHROMIUM_ARGS, chromium_path, serve
from ..messages import __
from .book import Book, SphinxRun, add_book_argument, build_html
from .check import check_run
from .findings import CahierError, Stop, failed

MAX_LINES = 40

PAPER_CSS = """
@page { size: A4; margin: 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; color: #000; background: #fff;
  font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
.sheet { width: 210mm; height: 296mm; padding: 28mm 22mm; position: relative; overflow: hidden;
  break-after: page; }
.sheet:last-child { break-after: auto; }
"""

COVER_CSS = """
.cover h1 { font-size: 26pt; line-height: 1.2; margin: 30mm 0 8mm; }
.cover .edition { font-size: 16pt; margin: 0 0 14mm; }
.cover p { font-size: 13pt; margin: 0 0 3mm; }
.cover .name { position: absolute; left: 22mm; right: 22mm; bottom: 40mm; font-size: 14pt;
  display: flex; align-items: flex-end; gap: 3mm; }
.cover .name .rule { flex: 1; border-bottom: 0.8pt solid #000; height: 1.2em; }
"""

CONTENTS_CSS = """
h1 { font-size: 20pt; margin: 0 0 10mm; }
ol { list-style: none; padding: 0; margin: 0; font-size: 12pt; }
li { display: flex; align-items: baseline; gap: 2mm; margin: 0 0 4mm; }
li .title { flex: 0 1 auto; }
li .dots { flex: 1; border-bottom: 0.8pt dotted #555; }
li .page { flex: 0 0 auto; }
"""

NUMBERS_CSS = """
html, body { background: none; }
.number { position: absolute; left: 0; right: 0; bottom: 9mm; text-align: center;
  font-size: 10pt; padding: 0; }
.sheet { padding: 0; }
"""


def lines_option(value: str) -> int:
    """``--lines``: a whole number of ruled lines, 1 to 40."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_LINES:
        raise argparse.ArgumentTypeError(
            __("{value!r}: give a number of lines from 1 to {most}").format(
                value=value, most=MAX_LINES
            )
        )
    return number


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


def page_html(lang: str, title: str, css: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{PAPER_CSS}{css}</style></head>"
        f"<body>{body}</body></html>"
    )


def cover_html(run: SphinxRun) -> str:
    config = run.config
    lang = str(config.get("language") or "en")
    title = str(config.get("title") or "Cahier")
    texts = [
        str(config.get(key) or "")
        for key in ("cahier_school", "cahier_dates", "cahier_place")
        if config.get(key) and TO_FILL not in str(config.get(key))
    ]
    edition = __("Edition {edition}").format(edition=config["cahier_edition"])
    name = __("Name:")  # the participant writes their name on the line after it
    body = (
        '<section class="sheet cover">'
        f"<h1>{html.escape(title)}</h1>"
        f'<p class="edition">{html.escape(edition)}</p>'
        + "".join(f"<p>{html.escape(text)}</p>" for text in texts)
        + f'<p class="name"><span>{html.escape(name)}</span><span class="rule"></span></p>'
        "</section>"
    )
    return page_html(lang, title, COVER_CSS, body)


def contents_html(run: SphinxRun, entries: Sequence[tuple[str, int]]) -> str:
    lang = str(run.config.get("language") or "en")
    items = "".join(
        f'<li><span class="title">{html.escape(title)}</span><span class="dots"></span>'
        f'<span class="page">{number}</span></li>'
        for title, number in entries
    )
    heading = html.escape(__("Contents"))
    body = f'<section class="sheet"><h1>{heading}</h1><ol>{items}</ol></section>'
    return page_html(lang, heading, CONTENTS_CSS, body)


def numbers_html(total: int, first: int = 2) -> str:
    """One sheet per page of the PDF, each with its number at the foot (none on the cover)."""
    sheets = "".join(
        '<section class="sheet">'
        + (f'<p class="number">{number}</p>' if number >= first else "")
        + "</section>"
        for number in range(1, total + 1)
    )
    return page_html("und", "", NUMBERS_CSS, sheets)


def print_parts(
    base_url: str, docnames: Sequence[str], folder: Path, lines: int | None, browser
) -> list[Path]:
    """Print each page (print media) to its own PDF, in order, with a progress bar."""
    progress = Progress(len(docnames))
    paths = []
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.emulate_media(media="print")
        for number, docname in enumerate(docnames, start=1):
            page.goto(f"{base_url}/{docname}.html", wait_until="load")
            if lines:
                page.add_style_tag(
                    content=".cahier-box, .cahier-level .cahier-box "
                    f"{{ --cahier-print-lines: {lines} !important; }}"
                )
            path = folder / f"{number:04d}.pdf"
            page.pdf(path=str(path), format="A4", print_background=True, prefer_css_page_size=True)
            paths.append(path)
            progress.step(docname)
    finally:
        context.close()
    return paths


def print_html(browser, content: str, path: Path, background: bool = True) -> Path:
    """Print a page of our own; without background, a transparent one (to stamp on others)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(content, wait_until="load")
        page.pdf(
            path=str(path), format="A4", print_background=background, prefer_css_page_size=True
        )
    finally:
        context.close()
    return path


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def make_pdf(html_dir: Path, run: SphinxRun, output: Path, lines: int | None = None) -> int:
    """Print the built site ``html_dir`` into ``output``; the number of pages of the PDF."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

    executable = chromium_path()
    if executable is None:
        raise CahierError(
            __(
                "Chromium is needed to print: install Debian's chromium package, or set "
                "CAHIER_CHROMIUM to a Chromium program"
            )
        )
    config = run.config
    docnames = run.docnames
    with tempfile.TemporaryDirectory(prefix="cahier-pdf-") as tmp:
        folder = Path(tmp)
        with serve(html_dir) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                parts = print_parts(url, docnames, folder, lines, browser)
                sizes = [page_count(part) for part in parts]
                cover = print_html(browser, cover_html(run), folder / "cover.pdf")
                # The contents list the first page of each page of the book; its own length
                # moves them: print it until the numbers it shows are the ones it gets.
                contents_pages, entries = 1, []
                for _attempt in range(3):
                    start, entries = 1 + page_count(cover) + contents_pages, []
                    for docname, size in zip(docnames, sizes, strict=True):
                        entries.append((run.titles.get(docname) or docname, start))
                        start += size
                    contents = print_html(browser, contents_html(run, entries), folder / "toc.pdf")
                    if page_count(contents) == contents_pages:
                        break
                    contents_pages = page_count(contents)
                total = page_count(cover) + page_count(contents) + sum(sizes)
                numbers = print_html(
                    browser, numbers_html(total), folder / "numbers.pdf", background=False
                )
            finally:
                browser.close()

        writer = PdfWriter()
        for part in (cover, contents, *parts):
            writer.append(str(part))
        stamps = PdfReader(str(numbers)).pages
        for index, page in enumerate(writer.pages):
            if index and index < len(stamps):
                page.merge_page(stamps[index])
        for (title, number), _docname in zip(entries, docnames, strict=True):
            writer.add_outline_item(title, number - 1)
        title = str(config.get("html_title") or config.get("project") or "Cahier")
        school = str(config.get("cahier_school") or "")
        details = ", ".join(
            str(config.get(key))
            for key in ("cahier_school", "cahier_dates", "cahier_place")
            if config.get(key) and TO_FILL not in str(config.get(key))
        )
        writer.add_metadata(
            {
                "/Title": title,
                "/Author": school or title,
                "/Subject": details or title,
                "/Creator": "cahier",
            }
        )
        root = writer._root_object
        root[NameObject("/Lang")] = TextStringObject(str(config.get("language") or "en"))
        root[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/DisplayDocTitle"): BooleanObject(True)}
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("wb") as stream:
            writer.write(stream)
        return len(writer.pages)


def cmd_pdf(args: argparse.Namespace) -> int:
    book = Book(args.book)
    with tempfile.TemporaryDirectory(prefix="cahier-pdf-") as tmp:
        html_dir = Path(tmp) / "html"
        print(__("cahier: building the site…"), file=sys.stderr)
        run = build_html(book, html_dir)
        findings, _extra = check_run(book, run, no_against=True)
        if run.manifest is None or failed(findings):
            raise Stop(
                findings,
                {"message": __("the book has errors: no PDF was made (see `cahier check`)")},
            )
        output = Path(args.output or f"cahier-{run.manifest['edition']}.pdf")
        pages = make_pdf(html_dir, run, output, lines=args.lines)
    print(
        __("cahier: {file} ({pages} pages: cover, contents and {count} pages of the book)").format(
            file=output, pages=pages, count=len(run.docnames)
        ),
        file=sys.stderr,
    )
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:
    pdf = commands.add_parser(
        "pdf",
        help=__("print the blank paper cahier"),
        description=__(
            "Build the site and print every page, in reading order, with headless Chromium: a "
            "cover, the contents, the questions and ruled lines to write on, page numbers."
        ),
    )
    add_book_argument(pdf)
    pdf.add_argument("-o", "--output", metavar="FILE", help=__("default: cahier-<edition>.pdf"))
    pdf.add_argument(
        "--lines",
        type=lines_option,
        metavar="N",
        help=__("ruled lines per box (default: 8 for a level, 6 for a prompt)"),
    )
    pdf.set_defaults(func=cmd_pdf)
