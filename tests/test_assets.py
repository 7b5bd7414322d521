"""Our static files live in a versioned folder; every page always points at one that exists."""

import json
import re
import shutil
from html import unescape

import pytest
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


def page_strings_of(outdir, page: str) -> dict[str, str]:
    html = (outdir / page).read_text(encoding="utf-8")
    (raw,) = re.findall(r'data-cahier-strings="([^"]*)"', html)
    return json.loads(unescape(raw))


@pytest.mark.sphinx("html", testroot="basic")
def test_a_page_carries_only_the_strings_its_features_show(app):
    app.build()
    theme = page_strings_of(app.outdir, "theme.html")
    summary = page_strings_of(app.outdir, "mon-cahier.html")
    # Every page: saving, alerts, conflicts, the bar and the export it offers.
    for strings in (theme, summary):
        assert {"saved", "storage_full", "conflict", "progress", "export_html"} <= set(strings)
    # The import dialog and erasing: « Mon cahier » only.
    assert "import_damaged" in summary and "erase_confirm" in summary
    assert not [k for k in theme if k.startswith(("import_", "erase_", "persisted_"))]
    # The drawing's tools: pages with a drawing only.
    assert not [k for k in theme if k.startswith("sketch_")]


@pytest.mark.sphinx("html", testroot="sketch")
def test_a_page_with_a_drawing_carries_its_strings(app):
    app.build()
    strings = page_strings_of(app.outdir, "index.html")
    assert "sketch_clear_confirm" in strings and "saved" in strings
    assert "import_damaged" not in strings
