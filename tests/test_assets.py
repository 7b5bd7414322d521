"""Our static files live in a versioned folder; every page always points at one that exists."""

import json
import re
import shutil

import pytest
from book_file import book_meta
from sphinx_cahier import assets

VERSIONED = re.compile(r"_static/cahier/([0-9a-f]{12})/cahier\.js")


def linked_versions(outdir) -> set[str]:
    return {
        version
        for page in outdir.rglob("*.html")
        for version in VERSIONED.findall(page.read_text(encoding="utf-8"))
    }


def test_a_rebuild_after_our_files_change_rewrites_every_page(
    make_app, rootdir, tmp_path, monkeypatch
):
    shutil.copytree(rootdir / "test-basic", tmp_path / "src")
    first = make_app("html", srcdir=tmp_path / "src")
    first.build()
    (old,) = linked_versions(first.outdir)

    # Our files change (a new release of the extension); the book's pages do not.
    monkeypatch.setattr(assets, "static_version", lambda folder=assets.OWN_STATIC: "0123456789ab")
    second = make_app("html", srcdir=tmp_path / "src")
    second.build()

    assert linked_versions(second.outdir) == {"0123456789ab"}
    folder = second.outdir / "_static" / "cahier"
    assert (folder / "0123456789ab" / "store.js").is_file()
    assert not (folder / old).exists()

    # Nothing changed since: the pages and their folder stay as they are.
    third = make_app("html", srcdir=tmp_path / "src")
    third.build()
    assert linked_versions(third.outdir) == {"0123456789ab"}
    assert (folder / "0123456789ab" / "store.js").is_file()


SPHINX_PAGES = {"search.html", "genindex.html"}


@pytest.mark.sphinx("html", testroot="sketch")
def test_every_page_reads_its_strings_from_one_book_file(app):
    app.build()
    # Every page the book has (the search page and the index: Sphinx's own, no meta either).
    pages = sorted(p.name for p in app.outdir.glob("*.html") if p.name not in SPHINX_PAGES)
    assert pages
    files = set()
    for page in pages:
        html = (app.outdir / page).read_text(encoding="utf-8")
        assert "data-cahier-strings" not in html, page
        files.add(book_meta(html)["book"])
    (name,) = files
    strings = json.loads((app.outdir / name).read_text(encoding="utf-8"))["strings"]
    # Every feature's strings, once: saving, the bar, the import dialog, erasing, the drawing.
    for key in ("saved", "storage_full", "progress", "import_damaged", "erase_confirm"):
        assert key in strings
    assert "sketch_clear_confirm" in strings
