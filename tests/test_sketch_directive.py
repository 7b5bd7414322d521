"""The sketch directive: a drawing area in HTML, a blank frame on paper, ids checked like boxes."""

import json
import re
import shutil

import pytest
from test_directives import Elements


@pytest.mark.sphinx("html", testroot="sketch", freshenv=True)
def test_sketch_renders_a_drawing_area_tied_to_its_label_and_description(app):
    app.build()
    assert app._warning.getvalue() == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    page = Elements(html)
    (area,) = page.find("div", **{"data-cahier-sketch": "dessin"})
    assert area["class"] == "cahier-sketch"
    # The manifest's link (#cahier-box-<id>) lands on the drawing.
    assert area["id"] == "cahier-box-dessin"
    # The label names the canvas; the instructions and the « Décrivez » box describe it.
    assert area["data-cahier-labelledby"] == "cahier-sketch-label-dessin"
    tag, label = page.by_id("cahier-sketch-label-dessin")
    assert tag == "p" and "cahier-sketch-label" in label["class"]
    assert re.search(r'id="cahier-sketch-label-dessin">Mon dessin</p>', html)
    assert area["data-cahier-describedby"] == "cahier-q-dessin"
    page.by_id("cahier-q-dessin")
    assert area["data-cahier-description"] == "cahier-box-dessin.description"
    (description,) = page.find("textarea", id="cahier-box-dessin.description")
    assert description["name"] == "dessin.description"
    assert page.find("div", **{"class": "cahier-sketch-frame"})
    (status,) = page.find("p", id="cahier-status-dessin")
    assert status["role"] == "status"
    # Without :label:, the drawing gets the default name, in the book's language.
    assert re.search(r'id="cahier-sketch-label-croquis">Votre dessin</p>', html)
    (plain,) = page.find("div", **{"data-cahier-sketch": "croquis"})
    assert plain["data-cahier-description"] == "cahier-box-croquis.mots"
    assert "data-cahier-describedby" not in plain
    # No drawing code in the HTML itself: cahier.js loads it on pages with a drawing.
    assert "sketch.js" not in html

    manifest = json.loads((app.outdir / "_static/cahier/manifest.json").read_text("utf-8"))
    by_id = {box["id"]: box for box in manifest["boxes"]}
    assert [box["id"] for box in manifest["boxes"]] == [
        "dessin",
        "dessin.description",
        "croquis",
        "croquis.mots",
    ]
    assert by_id["dessin"]["kind"] == "sketch"
    assert by_id["dessin"]["label"] == "Mon dessin"
    assert by_id["dessin"]["url"] == "index.html#cahier-box-dessin"
    assert by_id["dessin"]["source"] == "index.md:3"
    assert by_id["croquis"]["label"] == "Votre dessin"
    static = app.outdir / "_static" / "cahier"
    for name in ("sketch.js", "sketch-codec.js", "sketch-svg.js", "sketch.css"):
        assert list(static.rglob(name)), f"{name} not published"


@pytest.mark.sphinx("html", testroot="sketch-errors", freshenv=True)
def test_sketch_mistakes_are_reported_at_their_file_and_line(app):
    app.build()
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", app._warning.getvalue()).splitlines()
    # Paths relative to the book, messages in its language (French).
    index, other = "index.md", "other.md"
    no_description = "pas de :description: ; un dessin a besoin d'une case où le décrire en mots"
    expected = [
        (f"{index}:3: WARNING: ", f"sketch « dessin » : {no_description}"),
        (f"{index}:6: ERROR: ", "l'id de case « dessin » est utilisé deux fois : déjà à la ligne"),
        (f"{index}:10: ERROR: ", "sketch : il manque l'id, p. ex. « {sketch} dessin »"),
        (f"{index}:13: ERROR: ", "sketch : id « Mauvais_Id » mal écrit"),
        (f"{index}:16: ERROR: ", "sketch « autre » : l'id « pas bon! » de :description: est mal"),
        (f"{index}:20: WARNING: ", f"sketch « partage » : {no_description}"),
        (
            f"{index}:27: ERROR: ",
            "sketch « plan » : :description: « plan.descriptoin » ne nomme aucune case du cahier "
            "où décrire le dessin (vouliez-vous dire « plan.description » ?)",
        ),
        (f"{other}:3: WARNING: ", f"sketch « partage » : {no_description}"),
        (f"{other}:3: WARNING: ", "l'id de case « partage » est utilisé deux fois : déjà en index"),
    ]
    for location, message in expected:
        hits = [w for w in warnings if w.startswith(location) and message in w]
        assert len(hits) == 1, f"{location}{message!r} not reported once in:\n" + "\n".join(
            warnings
        )
    assert len(warnings) == len(expected), "\n".join(warnings)


@pytest.mark.sphinx("latex", testroot="sketch", freshenv=True)
def test_latex_gets_a_blank_frame_to_draw_in(app):
    app.build()
    assert app._warning.getvalue() == ""
    (tex_file,) = app.outdir.glob("*.tex")
    tex = tex_file.read_text(encoding="utf-8")
    assert tex.count(r"\fbox{\begin{minipage}[t][0.45\textheight]") == 2
    assert "Mon dessin" in tex and "Dessinez au doigt" in tex
    assert "data-cahier" not in tex and "<div" not in tex


@pytest.mark.sphinx("text", testroot="sketch", freshenv=True)
def test_text_gets_a_blank_frame_to_draw_in(app):
    app.build()
    assert app._warning.getvalue() == ""
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    edge = "+" + "-" * 58 + "+"
    assert text.count(edge) == 2 * 2
    assert text.count("|" + " " * 58 + "|") == 2 * 18
    assert "Mon dessin" in text and "<" not in text


@pytest.mark.parametrize("builder", ["man", "texinfo", "singlehtml", "epub", "xml"])
def test_other_builders_build_a_sketch_without_warnings(make_app, rootdir, tmp_path, builder):
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-sketch", srcdir)
    app = make_app(builder, srcdir=srcdir, confoverrides={"copyright": "2025", "version": "1"})
    app.build()
    assert app._warning.getvalue() == ""
    if builder == "man":
        (page,) = app.outdir.rglob("*.1")
        assert "+" + "-" * 58 + "+" in page.read_text(encoding="utf-8")
