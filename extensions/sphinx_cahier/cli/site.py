"""``cahier site SITE_DIR [BOOK] [--pdf]``: publish the edition into the site of editions.

The book is built and checked exactly as ``cahier check`` checks it (it refuses what ``check``
refuses, a box id removed without ``cahier_retired`` included), then put in
``SITE_DIR/<edition>/`` (only that folder is replaced) and the landing page
``SITE_DIR/index.html`` is rewritten from the ``manifest.json`` of every edition folder present:
in the book's language, from a Jinja2 template (``cahier_site_template`` to use the book's own),
with an icon (``favicon.svg``) and, for an edition published with ``--pdf``, a link to its paper
cahier (``<edition>/cahier-<edition>.pdf``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import jinja2

from ..config import TO_FILL
from ..domain import MANIFEST_FORMAT, MANIFEST_PATH
from ..messages import __
from ..offline import DEFAULT_ICON
from .book import Book, add_book_argument, build_html
from .check import check_run, natural_key
from .findings import CahierError, Stop, failed

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "site" / "index.html"
ICON_NAME = "favicon.svg"


def pdf_name(edition: str) -> str:
    """The paper cahier of an edition, in its folder of the site."""
    return f"cahier-{edition}.pdf"


def site_editions(site: Path) -> list[dict[str, Any]]:
    """The editions present in a site folder (those with a manifest), newest first."""
    editions = []
    for manifest_path in site.glob(f"*/{MANIFEST_PATH}"):
        folder = manifest_path.parents[len(Path(MANIFEST_PATH).parts) - 1]
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
            continue
        manifest["folder"] = folder.name
        editions.append(manifest)
    return sorted(editions, key=lambda m: natural_key(str(m.get("edition", ""))), reverse=True)


def landing_strings() -> dict[str, str]:
    """The landing page's texts, in the language of the book being published."""
    return {
        "editions": __("editions"),
        "choose": __(
            "Choose your edition. Your answers stay in this browser, edition by edition: those "
            "of a past edition are still there."
        ),
        "edition_name": __("Edition {edition}"),
        "latest": __("the latest"),
        "paper": __("The paper cahier (PDF)"),
    }


def landing_template(book: Book, setting: str | None) -> jinja2.Template:
    """The book's template (``cahier_site_template``) or the default one."""
    path = (book.root / setting) if setting else DEFAULT_TEMPLATE
    line = book.config_line("cahier_site_template")
    if not path.is_file():
        raise CahierError(
            __("cahier_site_template: {path}: no such file in the book").format(path=setting),
            book.CONFIG,
            line,
        )
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(path.parent)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    try:
        return environment.get_template(path.name)
    except jinja2.TemplateSyntaxError as error:
        raise CahierError(
            __("this template cannot be read: {error}").format(error=error.message),
            book.display(path),
            error.lineno,
        ) from None


def landing_icon(book: Book) -> str | None:
    """The book's icon: ``cahier_icon``, else an SVG ``cahier_favicon`` (as the build does)."""
    icon = book.setting("cahier_icon")
    favicon = book.setting("cahier_favicon")
    if not icon and isinstance(favicon, str) and favicon.lower().endswith(".svg"):
        return favicon
    return icon


def write_icon(site: Path, book: Book, icon_setting: str | None) -> str:
    """``SITE_DIR/favicon.svg``: the book's icon (``cahier_icon``) or the default notebook."""
    source = book.root / icon_setting if icon_setting else DEFAULT_ICON
    if not source.is_file():
        source = DEFAULT_ICON
    shutil.copyfile(source, site / ICON_NAME)
    return ICON_NAME


def write_landing_page(
    site: Path, title: str, book: Book, language: str, template: str | None = None
) -> list[dict[str, Any]]:
    """``SITE_DIR/index.html``: every edition present, newest first (static, no script)."""
    editions = site_editions(site)
    items = []
    for number, manifest in enumerate(editions):
        edition = str(manifest.get("edition", ""))
        folder = manifest["folder"]
        details = " · ".join(
            str(manifest[key])
            for key in ("school", "place", "dates")
            if manifest.get(key) and TO_FILL not in str(manifest[key])
        )
        pdf = site / folder / pdf_name(edition)
        items.append(
            {
                "edition": edition,
                "href": f"{folder}/",
                "language": manifest.get("language") or language,
                "details": details,
                "latest": number == 0,
                "pdf": f"{folder}/{pdf_name(edition)}" if pdf.is_file() else None,
                "school": manifest.get("school") or "",
                "dates": manifest.get("dates") or "",
                "place": manifest.get("place") or "",
                "title": manifest.get("title") or "",
            }
        )
    page = landing_template(book, template).render(
        title=title,
        lang=language,
        editions=items,
        icon=write_icon(site, book, landing_icon(book)),
        t=landing_strings(),
    )
    (site / "index.html").write_text(page, encoding="utf-8")
    return editions


def cmd_site(args: argparse.Namespace) -> int:
    from .pdf import make_pdf

    book = Book(args.book)
    site = Path(args.site_dir).resolve()
    site.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cahier-site-", dir=site) as tmp:
        staging = Path(tmp) / "html"
        run = build_html(book, staging)
        findings, _extra = check_run(book, run)
        if run.manifest is None or failed(findings):
            raise Stop(
                findings,
                {"message": __("the book has errors: nothing was published (see `cahier check`)")},
            )
        edition = run.manifest["edition"]
        shutil.rmtree(staging / ".doctrees", ignore_errors=True)
        (staging / ".buildinfo").unlink(missing_ok=True)
        if args.pdf:
            make_pdf(staging, run, staging / pdf_name(edition), lines=args.lines)
        target = site / edition
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    title = args.title or book.title or run.manifest.get("title") or "Cahier"
    editions = write_landing_page(
        site,
        str(title),
        book,
        str(run.config.get("language") or "en"),
        run.config.get("cahier_site_template") or None,
    )
    for finding in findings:  # notes and warnings: what changes for participants
        print(finding, file=sys.stderr)
    print(
        __("cahier: edition {edition} published in {folder}").format(edition=edition, folder=target)
    )
    print(
        __("cahier: {page} lists {editions}").format(
            page=site / "index.html", editions=", ".join(e["edition"] for e in editions)
        )
    )
    return 0


def add_parser(commands: argparse._SubParsersAction) -> None:
    from .pdf import lines_option

    site = commands.add_parser(
        "site",
        help=__("publish the edition into a site of editions"),
        description=__(
            "Check and build the current edition into SITE_DIR/<edition>/ (refusing what "
            "`cahier check` refuses) and rewrite SITE_DIR/index.html, listing every edition "
            "present."
        ),
    )
    site.add_argument("site_dir", metavar="SITE_DIR")
    add_book_argument(site)
    site.add_argument("--title", help=__("title of the landing page (default: the book's title)"))
    site.add_argument(
        "--pdf",
        action="store_true",
        help=__("publish the paper cahier with the edition, linked from the landing page"),
    )
    site.add_argument("--lines", type=lines_option, help=__("with --pdf: ruled lines per box"))
    site.set_defaults(func=cmd_site)
