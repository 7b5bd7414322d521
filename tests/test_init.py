"""``cahier init``: a new, generic workbook that builds and passes ``cahier check`` at once.

The browser half (a box of the new workbook saves in Chromium, with each theme) is in
tests/browser/test_themes.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cli_helpers import run
from sphinx_cahier.names import EXTENSION

ROOT = Path(__file__).resolve().parents[1]
#: Words of the ÉNAP workbook that a generic workbook must not carry.
ENAP_WORDS = re.compile(r"ÉNAP|ENAP|enap|co-?production|Éveil|Regards|rapports de pouvoir", re.I)


def files_of(book: Path) -> set[str]:
    return {p.relative_to(book).as_posix() for p in book.rglob("*") if p.is_file()}


def test_a_new_workbook_has_everything_and_passes_check(capsys, monkeypatch, tmp_path):
    status, out, _err = run(capsys, monkeypatch, tmp_path, "init", "atelier")
    assert status == 0, out
    book = tmp_path / "atelier"
    assert files_of(book) == {
        ".github/workflows/publish.yml",
        ".gitignore",
        "README.md",
        "_config.yml",
        "_toc.yml",
        "requirements.txt",
        "book/index.md",
        "book/theme-1.md",
        "book/theme-2.md",
        "book/dessin.md",
        "book/mon-cahier.md",
    }
    for path in book.rglob("*"):
        if path.is_file():
            assert not ENAP_WORDS.search(path.read_text("utf-8")), path
    config = yaml.safe_load((book / "_config.yml").read_text("utf-8"))
    settings = config["sphinx"]["config"]
    assert EXTENSION in settings["extensions"]
    assert (settings["language"], settings["cahier_book"]) == ("fr", "cahier-reflexif")
    assert [level["id"] for level in settings["cahier_levels"]] == [
        "quoi",
        "et-alors",
        "et-maintenant",
    ]
    # Commented settings say what else there is.
    text = (book / "_config.yml").read_text("utf-8")
    for setting in ("cahier_accent_color", "cahier_logo", "cahier_favicon", "cahier_retired"):
        assert f"# {setting}:" in text
    assert "cahier serve" in out

    status, out, _err = run(capsys, monkeypatch, book, "check", "--format", "json")
    report = json.loads(out)
    assert status == 0 and report["findings"] == [], out
    assert report["boxes"] == 3 + 2 + 1 + 1 + 2  # the levels, a prompt, the drawing, its words
    workflow = (book / ".github/workflows/publish.yml").read_text("utf-8")
    assert "pip install -r requirements.txt" in workflow and "cahier check ." in workflow
    assert re.fullmatch(r"(?s)#.*\n[\w.-]+>=[\w.]+\n", (book / "requirements.txt").read_text())


def test_an_english_workbook_with_gibbs_levels(capsys, monkeypatch, tmp_path):
    status, _out, _err = run(
        capsys,
        monkeypatch,
        tmp_path,
        "init",
        "journal",
        "--language",
        "en",
        "--title",
        "Nursing placement journal",
        "--levels",
        "gibbs",
    )
    assert status == 0
    book = tmp_path / "journal"
    assert "book/my-workbook.md" in files_of(book) and "book/drawing.md" in files_of(book)
    settings = yaml.safe_load((book / "_config.yml").read_text("utf-8"))["sphinx"]["config"]
    assert settings["cahier_book"] == "nursing-placement-journal"
    assert settings["language"] == "en"
    assert settings["cahier_levels"][-1] == {
        "id": "action-plan",
        "name": "Action plan",
        "description": "What you will do if the situation arises again.",
        "optional": True,
    }
    theme2 = (book / "book/theme-2.md").read_text("utf-8")
    assert ":levels: description, action-plan\n\n" in theme2
    status, out, _err = run(capsys, monkeypatch, book, "check")
    assert (status, out) == (0, "")


def test_levels_from_a_yaml_file(capsys, monkeypatch, tmp_path):
    levels = tmp_path / "niveaux.yml"
    levels.write_text(
        "- id: avant\n  name: Avant le stage\n  questions:\n    - Que redoutez-vous ?\n"
        "- {id: apres, name: Après le stage, optional: true}\n",
        encoding="utf-8",
    )
    status, out, _err = run(capsys, monkeypatch, tmp_path, "init", "stage", "--levels", str(levels))
    assert status == 0, out
    theme1 = (tmp_path / "stage/book/theme-1.md").read_text("utf-8")
    assert "- Que redoutez-vous ?" in theme1
    # No question given: a placeholder says what to write.
    assert "- Écrivez ici la question du niveau « Après le stage » pour ce thème." in theme1
    settings = yaml.safe_load((tmp_path / "stage/_config.yml").read_text("utf-8"))
    assert "questions" not in str(settings)
    status, out, _err = run(capsys, monkeypatch, tmp_path / "stage", "check")
    assert status == 0, out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("- id: avant\n  name: Avant: après\n", "niveaux.yml:2: error: "),
        ("- id: Avant\n  name: Avant\n", "niveaux.yml: error: cahier_levels, level 1: id 'Avant'"),
        ("- id: avant\n  name: Avant\n  questions: oui\n", "avant: questions: expected a list"),
    ],
)
def test_a_bad_levels_file_is_reported(capsys, monkeypatch, tmp_path, content, expected):
    (tmp_path / "niveaux.yml").write_text(content, encoding="utf-8")
    status, out, _err = run(
        capsys, monkeypatch, tmp_path, "init", "x", "--levels", "niveaux.yml", "--language", "en"
    )
    assert status == 1
    assert expected in out
    assert not (tmp_path / "x").exists()


def test_init_refuses_a_folder_that_is_not_empty(capsys, monkeypatch, tmp_path):
    (tmp_path / "plein").mkdir()
    (tmp_path / "plein" / "notes.md").write_text("# Notes\n", encoding="utf-8")
    status, out, _err = run(capsys, monkeypatch, tmp_path, "init", "plein")
    assert status == 1
    assert "plein : ce dossier existe et n'est pas vide" in out
    status, out, _err = run(capsys, monkeypatch, tmp_path, "init", "x", "--levels", "kolb")
    assert status == 1 and "ni un modèle (rolfe, gibbs, single) ni un fichier YAML" in out


def test_the_installed_package_carries_the_starter(tmp_path):
    """What ``pip install`` puts in a fresh environment: the wheel, installed alone, starts a
    workbook (the starter's files are package data, dot-files included)."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "extensions" / EXTENSION,
        source / "extensions" / EXTENSION,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), "."],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    target = tmp_path / "site-packages"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    code = f"import sys; from {EXTENSION}.cli import main; sys.exit(main(sys.argv[1:]))"
    result = subprocess.run(
        [sys.executable, "-c", code, "init", str(tmp_path / "nouveau"), "--language", "en"],
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    created = files_of(tmp_path / "nouveau")
    assert {".gitignore", ".github/workflows/publish.yml", "book/theme-1.md"} <= created
    assert (
        str(target)
        in subprocess.run(
            [sys.executable, "-c", f"import {EXTENSION}; print({EXTENSION}.__file__)"],
            env={"PYTHONPATH": str(target)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
