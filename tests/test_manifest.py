"""The manifest: every box of the book, in reading order, the same with parallel reads."""

import json
import shutil

import pytest

BASIC_ORDER = [
    "attentes",
    *[
        f"{theme}.{level}"
        for theme in ["eveil", "regards", "postures", "liens", "savoirs"]
        for level in ["en-moi", "dans-mes-contextes", "rapports-de-pouvoir"]
    ],
    "cloture.apprentissage",
    "cloture.decision",
]


def read_manifest(app) -> dict:
    return json.loads((app.outdir / "_static/cahier/manifest.json").read_text(encoding="utf-8"))


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_manifest_lists_every_box_in_reading_order(app):
    app.build()
    manifest = read_manifest(app)
    assert manifest["format"] == "cahier-manifest"
    assert manifest["v"] == 1
    assert (manifest["book"], manifest["edition"]) == ("test-book", "2025")
    assert [box["id"] for box in manifest["boxes"]] == BASIC_ORDER
    assert [box["order"] for box in manifest["boxes"]] == list(range(1, len(BASIC_ORDER) + 1))
    by_id = {box["id"]: box for box in manifest["boxes"]}
    eveil = by_id["eveil.dans-mes-contextes"]
    assert eveil["page"] == "theme"
    assert eveil["url"] == "theme.html#cahier-box-eveil.dans-mes-contextes"
    assert eveil["pageTitle"] == "Éveil – Les ancrages"
    assert (eveil["theme"], eveil["level"], eveil["levelName"]) == (
        "eveil",
        "dans-mes-contextes",
        "Dans mes contextes",
    )
    assert eveil["questions"] == ["Question un, contextes ?", "Question deux, contextes ?"]
    assert eveil["source"] == "theme.md:11"
    closing = by_id["cloture.apprentissage"]
    assert closing["label"] == "Que retenez-vous pour vous ?"
    assert closing["questions"] == ["Que retenez-vous pour vous ?"]
    assert by_id["attentes"]["label"] == "Mes attentes et idées"


@pytest.mark.sphinx("html", testroot="basic", freshenv=True, parallel=2)
def test_parallel_build_gives_the_same_manifest(app, make_app, tmp_path, rootdir):
    app.build()
    assert app.parallel == 2
    parallel = read_manifest(app)
    serial_app = make_app("html", srcdir=app.srcdir, builddir=tmp_path / "serial", freshenv=True)
    serial_app.build()
    serial = json.loads(
        (serial_app.outdir / "_static/cahier/manifest.json").read_text(encoding="utf-8")
    )
    assert parallel == serial
    assert [box["id"] for box in parallel["boxes"]] == BASIC_ORDER


def test_manifest_follows_an_edit_on_rebuild(make_app, rootdir, tmp_path):
    """A rebuild after a page changes drops its old boxes (Domain.clear_doc)."""
    shutil.copytree(rootdir / "test-basic", tmp_path / "src")
    app = make_app("html", srcdir=tmp_path / "src")
    app.build()
    page = app.srcdir / "cloture.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("cloture.decision", "cloture.choix"),
        encoding="utf-8",
    )
    app.build()
    ids = [box["id"] for box in read_manifest(app)["boxes"]]
    assert "cloture.decision" not in ids
    assert ids[-1] == "cloture.choix"
