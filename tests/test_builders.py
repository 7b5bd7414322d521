"""Other builders never crash on the directives: they print questions and ruled space to write."""

import shutil

import pytest


@pytest.mark.sphinx("latex", testroot="basic", freshenv=True)
def test_latex_has_questions_and_ruled_lines_but_no_web_assets(app):
    app.build()
    assert app._warning.getvalue() == ""
    (tex_file,) = app.outdir.glob("*.tex")
    tex = tex_file.read_text(encoding="utf-8")
    assert "Question un, en moi ?" in tex
    assert "Sur les rapports de pouvoir" in tex
    # 6 reflections x 3 levels x 8 lines + 3 prompts x 6 lines.
    # 5 themes x 3 levels x 8 ruled lines, 3 prompts x 6 ruled lines.
    assert tex.count(r"\hrule height 0.4pt") == 5 * 3 * 8 + 3 * 6
    assert "textarea" not in tex
    assert not (app.outdir / "_static" / "cahier").exists()


@pytest.mark.sphinx("text", testroot="basic", freshenv=True)
def test_text_has_questions_and_lines_to_write_on(app):
    app.build()
    assert app._warning.getvalue() == ""
    text = (app.outdir / "theme.txt").read_text(encoding="utf-8")
    assert "Question deux, contextes ?" in text
    assert "En moi" in text
    assert text.count("_" * 60) == 3 * 8
    assert "<" not in text


@pytest.mark.parametrize("builder", ["singlehtml", "dirhtml", "epub", "man", "texinfo", "xml"])
def test_other_builders_build_without_warnings(make_app, rootdir, tmp_path, builder):
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    # EPUB insists on these; they say nothing about our directives.
    overrides = {"copyright": "2025", "version": "1"}
    app = make_app(builder, srcdir=srcdir, confoverrides=overrides)
    app.build()
    assert app._warning.getvalue() == ""
