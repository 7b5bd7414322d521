"""What the workbook adds to a page does not grow with the book; the build's own work is linear.

- The real book with 5 themes, and with 50 (45 copies of a theme page, fresh ids): on a theme
  page, the bytes of our tags (the ``cahier-book`` meta and the preload of the book file, the entry
  script's attributes, the « Mon cahier » bar and its alert region) are the same, but for the digits
  of the number of boxes. The UI strings are in the book file, not in the page.
- The extension's calls to the builder's URI functions grow like the number of pages, not like its
  square (the list of pages is computed once per build, not once per page).
- A change to one page's boxes gives the book a new book file: every page names it, the old one
  leaves the output folder.

Run as a script for the figures of a bigger book (CPU seconds of our event handlers)::

    .venv/bin/python tests/test_page_weight.py 200
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from scaled_book import THEME, make_book

ROOT = Path(__file__).resolve().parents[1]

#: Builds the book with jupyter-book in this process and writes, as JSON: the CPU seconds of each
#: of our event handlers, and the number of the builder's URI calls made from our package.
DRIVER = r"""
import collections, json, sys, time
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.events import EventManager

source, output, stats_file = sys.argv[1:4]
stats = {"handlers": collections.defaultdict(float), "uri_calls": 0}

connect = EventManager.connect
def timed_connect(self, name, callback, priority):
    module = getattr(callback, "__module__", "") or ""
    if module.startswith("sphinx_cahier"):
        inner = callback
        def callback(*args, **kwargs):
            start = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                key = f"{name} {module}.{inner.__name__}"
                stats["handlers"][key] += time.process_time() - start
    return connect(self, name, callback, priority)
EventManager.connect = timed_connect

def counted(name):
    original = getattr(StandaloneHTMLBuilder, name)
    def wrapper(self, *args, **kwargs):
        frame, depth = sys._getframe(1), 0
        while frame is not None and depth < 4:
            if frame.f_globals.get("__name__", "").startswith("sphinx_cahier"):
                stats["uri_calls"] += 1
                break
            frame, depth = frame.f_back, depth + 1
        return original(self, *args, **kwargs)
    setattr(StandaloneHTMLBuilder, name, wrapper)
counted("get_relative_uri")
counted("get_target_uri")

from jupyter_book.cli.main import main
sys.argv = ["jupyter-book", "build", source, "--path-output", output, "-W"]
try:
    main()
finally:
    with open(stats_file, "w") as f:
        json.dump(stats, f)
"""


def build(folder: Path) -> tuple[Path, dict]:
    stats_file = folder / "stats.json"
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, str(folder), str(folder), str(stats_file)],
        capture_output=True,
        text=True,
        cwd=folder,
    )
    html = folder / "_build" / "html"
    assert proc.returncode == 0 and (html / "book" / f"{THEME}.html").is_file(), (
        proc.stdout[-4000:] + proc.stderr[-4000:]
    )
    return html, json.loads(stats_file.read_text())


OURS = [
    re.compile(r'<meta name="cahier-book"[^>]*>'),
    re.compile(r'<link rel="preload"[^>]*as="fetch"[^>]*>'),
    re.compile(r'<script[^>]*id="cahier-script"[^>]*>'),
    re.compile(r'<nav class="cahier-nav".*?</nav>', re.S),
    re.compile(r'<div class="cahier-alerts".*?</div>', re.S),
]


def our_parts(page: Path) -> str:
    """Everything the extension adds to a page that could depend on the book."""
    html = page.read_text(encoding="utf-8")
    return "\n".join(m.group(0) for pattern in OURS for m in pattern.finditer(html))


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    base = tmp_path_factory.mktemp("weight")
    return {themes: build(make_book(ROOT, base / f"book-{themes}", themes)) for themes in (5, 50)}


def test_what_we_add_to_a_page_does_not_grow_with_the_book(books):
    small, big = (our_parts(books[n][0] / "book" / f"{THEME}.html") for n in (5, 50))
    assert small, "no cahier parts found on the theme page"

    # The same, but for the content hashes in file names, and the number of boxes (20 -> 155)
    # written in the bar.
    def shape(text: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"[0-9a-f]{12}", "<hash>", text))

    assert shape(big) == shape(small), (len(small), len(big))
    assert len(big.encode()) - len(small.encode()) <= 4, (len(small), len(big))


def test_the_build_calls_the_builder_linearly_in_the_pages(books):
    pages = {n: len(list((books[n][0] / "book").glob("*.html"))) for n in (5, 50)}
    calls = {n: books[n][1]["uri_calls"] for n in (5, 50)}
    # Quadratic would be (55 / 10) ** 2 ~ 30 times more; linear ~ 5.5.
    assert calls[50] <= calls[5] * (pages[50] / pages[5]) * 1.25, (calls, pages)


def test_one_book_file_per_build(books):
    for html, _ in books.values():
        (listed,) = (html / "_static" / "cahier").rglob("book-*.json")
        data = json.loads(listed.read_text(encoding="utf-8"))
        for page in (html / "book").glob("*.html"):
            text = page.read_text(encoding="utf-8")
            assert f"_static/cahier/{listed.parent.name}/{listed.name}" in text, page
        urls = [p["url"] for p in data["pages"]]
        assert urls[0] == "book/index.html" and urls[-1] == "book/cloture.html"
        assert data["total"] == sum(len(p["boxes"]) for p in data["pages"])


# Its own copy of the test root: the test changes a page.
@pytest.mark.sphinx("html", testroot="basic", srcdir="weight-changed-page", freshenv=True)
def test_a_changed_page_gives_every_page_the_new_list(app):
    app.build()
    folder = app.outdir / "_static" / "cahier"
    (first,) = folder.rglob("book-*.json")
    (app.srcdir / "cloture.md").write_text(
        (app.srcdir / "cloture.md").read_text(encoding="utf-8")
        + "\n:::{prompt} cloture.encore\nEt encore ?\n:::\n",
        encoding="utf-8",
    )
    app.build()
    (second,) = folder.rglob("book-*.json")
    assert second.name != first.name
    assert "cloture.encore" in second.read_text(encoding="utf-8")
    for page in ("index.html", "regards.html", "mon-cahier.html"):
        assert second.name in (app.outdir / page).read_text(encoding="utf-8"), page
    total = json.loads(second.read_text(encoding="utf-8"))["total"]
    assert f'<span class="cahier-nav-total">{total}</span>' in (
        app.outdir / "regards.html"
    ).read_text(encoding="utf-8")


if __name__ == "__main__":
    import tempfile

    themes = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        html, stats = build(make_book(ROOT, Path(tmp) / "book", themes))
        page = html / "book" / f"{THEME}.html"
        print(f"{themes} themes: theme page {page.stat().st_size} B, ours {len(our_parts(page))} B")
        print(f"URI calls from sphinx_cahier: {stats['uri_calls']}")
        for name, seconds in sorted(stats["handlers"].items(), key=lambda kv: -kv[1]):
            print(f"{seconds:8.3f} s  {name}")
        print(f"{sum(stats['handlers'].values()):8.3f} s  total")
