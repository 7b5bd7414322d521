"""The edition's book file of a built site (progress.py): the UI strings, the pages and their
boxes, named on every page by ``<meta name="cahier-book">``. Shared by the Sphinx tests and the
browser tests (tests/ is on ``sys.path``, see stroke_codec.py)."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

META = re.compile(r'<meta name="cahier-book" content="([^"]*)">')

#: In the page: the book file's strings (what keep.js `loadBook` gives the scripts).
PAGE_STRINGS = """async () => {
  const info = JSON.parse(document.querySelector('meta[name="cahier-book"]').content);
  const response = await fetch(new URL(info.book, document.baseURI));
  return (await response.json()).strings;
}"""


def book_meta(html: str) -> dict:
    """The meta tag's URLs (summary, manifest, book), relative to the page."""
    (content,) = META.findall(html)
    return json.loads(unescape(content))


def book_file(outdir: Path, page: str) -> dict:
    """The book file that `page` (relative to `outdir`) names."""
    html = (outdir / page).read_text(encoding="utf-8")
    url = book_meta(html)["book"]
    return json.loads(((outdir / page).parent / url).read_text(encoding="utf-8"))
