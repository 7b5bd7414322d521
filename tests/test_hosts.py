"""Every host project: the ``cahier`` commands take a plain Sphinx project (``conf.py``) as well
as a Jupyter Book, and a book that does not load the extension is told what to add.

The Sphinx sample is tests/roots/sphinx-sample/ (MyST and reStructuredText pages, alabaster);
the Jupyter Book sample is tests/roots/jb-sample/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cli_helpers import edit, line_of, run
from sphinx_cahier.names import EXTENSION

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture
def sphinx_book(tmp_path) -> Path:
    return Path(shutil.copytree(ROOTS / "sphinx-sample", tmp_path / "carnet"))


@pytest.fixture
def jupyter_book(tmp_path) -> Path:
    return Path(shutil.copytree(ROOTS / "jb-sample", tmp_path / "book"))


def test_a_plain_sphinx_project_passes_check(capsys, monkeypatch, sphinx_book):
    status, out, _err = run(capsys, monkeypatch, sphinx_book, "check", "--format", "json")
    report = json.loads(out)
    assert status == 0 and report["ok"], out
    assert (report["book"], report["edition"], report["boxes"]) == ("carnet-de-stage", "2025", 4)
    assert report["findings"] == []


def test_a_plain_sphinx_project_builds(capsys, monkeypatch, sphinx_book):
    status, _out, err = run(capsys, monkeypatch, sphinx_book, "build")
    assert status == 0, err
    html = sphinx_book / "_build" / "html"
    assert (html / "semaine-1.html").is_file()
    manifest = json.loads((html / "_static/cahier/manifest.json").read_text("utf-8"))
    assert [box["id"] for box in manifest["boxes"]] == [
        "attentes",
        "semaine-1.vecu",
        "semaine-1.appris",
        "bilan.apprentissage",
    ]


def test_mistakes_are_reported_at_their_line_of_conf_py(capsys, monkeypatch, sphinx_book):
    conf = sphinx_book / "conf.py"
    edit(conf, 'cahier_place = "Lyon"', 'cahier_place = "À COMPLÉTER"')
    edit(conf, 'cahier_edition = "2025"', 'cahier_edition = "2025"\ncahier_lieu = "Lyon"')
    edit(sphinx_book / "bilan.md", "bilan.apprentissage", "Bilan_Final")
    status, out, _err = run(capsys, monkeypatch, sphinx_book, "check")
    assert status == 1
    assert f"conf.py:{line_of(conf, 'cahier_place')}: erreur : cahier_place" in out
    assert f"conf.py:{line_of(conf, 'cahier_lieu')}: erreur : réglage inconnu cahier_lieu" in out
    assert "bilan.md:3: erreur : prompt : id « Bilan_Final » mal écrit" in out


def test_a_mistake_in_conf_py_stops_at_its_line(capsys, monkeypatch, sphinx_book):
    conf = sphinx_book / "conf.py"
    edit(conf, 'cahier_dates = "Printemps 2025"', "cahier_dates = Printemps 2025")
    status, out, _err = run(capsys, monkeypatch, sphinx_book, "check")
    assert status == 1
    assert f"conf.py:{line_of(conf, 'cahier_dates')}: erreur : conf.py ne peut pas être lu" in out


def test_new_edition_of_a_sphinx_project_edits_conf_py(capsys, monkeypatch, sphinx_book):
    status, _out, err = run(
        capsys, monkeypatch, sphinx_book, "new-edition", "2026", "--dates", "Printemps 2026"
    )
    assert status == 0, err
    conf = (sphinx_book / "conf.py").read_text("utf-8")
    assert 'cahier_edition = "2026"\n' in conf
    assert 'cahier_previous_editions = ["2025"]\n' in conf
    assert 'cahier_dates = "Printemps 2026"\n' in conf
    assert 'cahier_place = "À COMPLÉTER"\n' in conf
    assert 'copyright = "2026"\n' in conf
    assert (sphinx_book / "editions" / "2025" / "manifest.json").is_file()


@pytest.mark.parametrize("kind", ["sphinx", "jupyter-book"])
def test_a_book_without_the_extension_is_told_what_to_add(capsys, monkeypatch, request, kind):
    book = request.getfixturevalue("sphinx_book" if kind == "sphinx" else "jupyter_book")
    if kind == "sphinx":
        config = book / "conf.py"
        edit(config, f'"myst_parser", "{EXTENSION}"]', '"myst_parser"]')
        expected = f'ajoutez {EXTENSION} aux extensions (dans conf.py, p. ex. extensions = ["'
    else:
        config = book / "_config.yml"
        edit(config, f"sphinx_external_toc, {EXTENSION}]", "sphinx_external_toc]")
        expected = (
            f"ajoutez {EXTENSION} aux extensions (dans _config.yml, sous sphinx:, p. ex. "
            f"extra_extensions: [{EXTENSION}])"
        )
    status, out, _err = run(capsys, monkeypatch, book, "check")
    assert status == 1
    line = line_of(config, "extensions =" if kind == "sphinx" else "    extensions:")
    assert out.startswith(f"{config.name}:{line}: erreur : l'extension du cahier n'est pas")
    assert expected in out
    # The Sphinx messages met without the extension are not shown: only what to do.
    assert "cahier_book" not in out and "reflection" not in out


def test_a_book_naming_the_extension_otherwise_is_told_its_name(capsys, monkeypatch, sphinx_book):
    other = "sphinx_cahier" if EXTENSION == "cahier" else "cahier"
    edit(sphinx_book / "conf.py", f'"{EXTENSION}"]', f'"{other}"]')
    status, out, _err = run(capsys, monkeypatch, sphinx_book, "check")
    assert status == 1
    assert f"écrivez {EXTENSION} au lieu de {other}" in out


def test_a_folder_without_a_book_says_what_a_book_is(capsys, monkeypatch, tmp_path):
    (tmp_path / "vide").mkdir()
    status, out, _err = run(capsys, monkeypatch, tmp_path, "check", "vide")
    assert status == 1
    # No book, so no book's language: English.
    assert "vide: neither _config.yml (Jupyter Book) nor conf.py (Sphinx) here" in out
    assert "cahier init vide starts a new workbook" in out


def test_a_project_whose_book_is_in_docs_is_pointed_there(capsys, monkeypatch, tmp_path):
    shutil.copytree(ROOTS / "sphinx-sample", tmp_path / "projet" / "docs")
    status, out, _err = run(capsys, monkeypatch, tmp_path, "check", "projet")
    assert status == 1
    assert "the book seems to be in projet/docs: give that folder" in out
    assert "e.g. cahier check projet/docs" in out
