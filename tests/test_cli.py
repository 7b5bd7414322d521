"""The organizers' command ``cahier``, on the small Jupyter Book in tests/roots/jb-sample/.

Every test works on its own copy of the sample (in tmp_path) and runs the command in-process,
from the book's folder, so that locations read ``book/eveil.md:7``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_helpers import edit, line_of, run
from sphinx_cahier import cli
from sphinx_cahier.config import TO_FILL

SAMPLE = Path(__file__).parent / "roots" / "jb-sample"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"

# Every question of the sample book, as a reader sees it.
QUESTIONS = [
    "Quel principe me surprend le plus ?",
    "Quelle posture dois-je revisiter ?",
    "Mon milieu permet-il de penser autrement ?",
    "Qui a le pouvoir de définir les règles ?",
    "Que retenez-vous comme apprentissage principal ?",
    "Quelle petite décision concrète prendrez-vous ?",
]


def copy_sample(target: Path) -> Path:
    shutil.copytree(SAMPLE, target)
    return target


def fill_markers(book: Path) -> None:
    config = book / "_config.yml"
    edit(config, f'cahier_dates: "{TO_FILL}"', 'cahier_dates: "Octobre 2026"')
    edit(config, f'cahier_place: "{TO_FILL}"', 'cahier_place: "Montréal"')


@pytest.fixture
def book(tmp_path) -> Path:
    return copy_sample(tmp_path / "book")


# --- check: a clean book, each defect at its file:line ------------------------------------------


def test_a_clean_book_passes(capsys, monkeypatch, book):
    status, out, err = run(capsys, monkeypatch, book, "check")
    assert (status, out) == (0, ""), out
    assert "ok : 0 erreur(s)" in err


def test_json_of_a_clean_book(capsys, monkeypatch, book):
    status, out, _ = run(capsys, monkeypatch, book, "check", "--format", "json")
    report = json.loads(out)
    assert status == 0
    assert report["ok"] is True
    assert report["findings"] == []
    assert (report["book"], report["edition"], report["boxes"]) == ("cahier-essai", "2025", 6)


CONFIG_PLACE = '    cahier_place: "Québec"'


def defect_duplicate(book: Path) -> tuple[str, int, str]:
    page = book / "book" / "cloture.md"
    edit(page, ":::{prompt} cloture.decision", ":::{prompt} attentes")
    line = line_of(page, "{prompt} attentes")
    return (
        "book/cloture.md",
        line,
        r"l'id de case « attentes » est utilisé deux fois : déjà en book/index\.md:5",
    )


def defect_missing_level(book: Path) -> tuple[str, int, str]:
    page = book / "book" / "eveil.md"
    edit(
        page,
        ":::{level} rapports-de-pouvoir\n- Qui a le pouvoir de définir les règles ?\n:::\n",
        "",
    )
    return "book/eveil.md", 5, r"reflection « eveil » : niveau\(x\) manquant\(s\) rapports-de-"


def defect_empty_level(book: Path) -> tuple[str, int, str]:
    page = book / "book" / "eveil.md"
    edit(page, "- Mon milieu permet-il de penser autrement ?\n", "")
    line = line_of(page, "{level} dans-mes-contextes")
    return "book/eveil.md", line, r"le niveau « dans-mes-contextes » de « eveil » n'a pas de ques"


def defect_broken_toc(book: Path) -> tuple[str, int, str]:
    edit(book / "_toc.yml", "- file: book/cloture", "- file: book/conclusion")
    return "_toc.yml", 5, r"_toc.yml nomme la page « book/conclusion », mais il n'y a pas de fich"


def defect_malformed_id(book: Path) -> tuple[str, int, str]:
    page = book / "book" / "cloture.md"
    edit(page, "{prompt} cloture.apprentissage", "{prompt} Clôture_Apprentissage")
    return (
        "book/cloture.md",
        3,
        r"prompt : id « Clôture_Apprentissage » mal écrit : écrivez-le en mi",
    )


# 1. A YAML mistake in _config.yml: its line, what to change.
def defect_yaml_colon(book: Path) -> tuple[str, int, str]:
    edit(book / "_config.yml", CONFIG_PLACE, "    cahier_place: Québec: Université Laval")
    return (
        "_config.yml",
        28,
        r"la valeur de cahier_place contient « : » : mettez-la entre guillemets, "
        r'cahier_place: "Québec: Université Laval"',
    )


def defect_yaml_tab(book: Path) -> tuple[str, int, str]:
    edit(book / "_config.yml", CONFIG_PLACE, '\tcahier_place: "Québec"')
    return "_config.yml", 28, r"cette ligne contient une tabulation : indentez avec des espaces"


def defect_yaml_indent(book: Path) -> tuple[str, int, str]:
    edit(book / "_config.yml", "      - {id: dans-mes", "       - {id: dans-mes")
    return "_config.yml", 31, r"cette ligne n'est pas indentée comme ses voisines"


# 2. An unclosed {level}: the next level would nest inside it.
def defect_unclosed_level(book: Path) -> tuple[str, int, str]:
    page = book / "book" / "eveil.md"
    edit(
        page,
        "- Quelle posture dois-je revisiter ?\n:::\n",
        "- Quelle posture dois-je revisiter ?\n",
    )
    return (
        "book/eveil.md",
        line_of(page, "{level} dans-mes-contextes"),
        r"\{level\} dans-mes-contextes se trouve à l'intérieur de \{level\} en-moi \(ligne 6\) : "
        r"fermez d'abord ce bloc-là, avec « ::: » seul sur une ligne",
    )


# 3. A directive without its fence: shown as text, its box missing.
def defect_directive_as_text(book: Path) -> tuple[str, int, str]:
    page = book / "book" / "cloture.md"
    page.write_text(page.read_text() + "\n{prompt} cloture.tension\n", encoding="utf-8")
    return (
        "book/cloture.md",
        line_of(page, "{prompt} cloture.tension"),
        r"« \{prompt\} cloture.tension » s'affiche comme du texte, et sa case manque",
    )


# 4. A page that _toc.yml does not list.
def defect_page_not_in_toc(book: Path) -> tuple[str, int, str]:
    (book / "book" / "annexe.md").write_text("# Annexe\n", encoding="utf-8")
    return (
        "book/annexe.md",
        1,
        r"cette page n'est pas dans _toc.yml : les participants ne la verront",
    )


# 5. A drawing whose :description: names no box, or that has none.
def defect_sketch_description_typo(book: Path) -> tuple[str, int, str]:
    page = book / "book" / "cloture.md"
    page.write_text(
        page.read_text()
        + "\n:::{sketch} dessin\n:description: dessin.descripton\n:::\n\n"
        + ":::{prompt} dessin.description\nDécrivez votre dessin\n:::\n",
        encoding="utf-8",
    )
    return (
        "book/cloture.md",
        line_of(page, "{sketch} dessin"),
        r"sketch « dessin » : :description: « dessin.descripton » ne nomme aucune case du cahier "
        r"où décrire le dessin \(vouliez-vous dire « dessin.description » \?\)",
    )


def defect_sketch_without_description(book: Path) -> tuple[str, int, str]:
    page = book / "book" / "cloture.md"
    page.write_text(page.read_text() + "\n:::{sketch} dessin\n:::\n", encoding="utf-8")
    return (
        "book/cloture.md",
        line_of(page, "{sketch} dessin"),
        r"sketch « dessin » : pas de :description: ; un dessin a besoin d'une case",
    )


# 6. A mistake of _toc.yml: at its line of _toc.yml, not against _config.yml.
def defect_toc_key(book: Path) -> tuple[str, int, str]:
    edit(book / "_toc.yml", "chapters:", "chapter:")
    return "_toc.yml", 3, r"clé inconnue « chapter: » \(vouliez-vous dire « chapters: » \?\)"


def defect_toc_yaml(book: Path) -> tuple[str, int, str]:
    edit(book / "_toc.yml", "  - file: book/cloture", "\t- file: book/cloture")
    return "_toc.yml", 5, r"cette ligne contient une tabulation : indentez avec des espaces"


# 8. An edition id read as a number, an unknown setting, a mistyped directive.
def defect_edition_number(book: Path) -> tuple[str, int, str]:
    edit(book / "_config.yml", 'cahier_edition: "2025"', "cahier_edition: 2026.1")
    return (
        "_config.yml",
        25,
        r"cahier_edition : 2026.1 se lit comme un nombre : mettez-le entre guillemets, "
        r'cahier_edition: "2026.1"',
    )


def defect_unknown_setting(book: Path) -> tuple[str, int, str]:
    edit(book / "_config.yml", CONFIG_PLACE, CONFIG_PLACE + "\n    cahier_lieu: Montréal")
    return "_config.yml", 29, r"réglage inconnu cahier_lieu : .*vouliez-vous dire cahier_place \?"


def defect_directive_typo(book: Path) -> tuple[str, int, str]:
    page = book / "book" / "eveil.md"
    edit(page, "::::{reflection} eveil", "::::{reflexion} eveil")
    return (
        "book/eveil.md",
        5,
        r"\{reflexion\} n'est pas un bloc que le cahier connaît : vouliez-vous dire \{reflection\}",
    )


DEFECTS = [
    defect_duplicate,
    defect_missing_level,
    defect_empty_level,
    defect_broken_toc,
    defect_malformed_id,
    defect_yaml_colon,
    defect_yaml_tab,
    defect_yaml_indent,
    defect_unclosed_level,
    defect_directive_as_text,
    defect_page_not_in_toc,
    defect_sketch_description_typo,
    defect_sketch_without_description,
    defect_toc_key,
    defect_toc_yaml,
    defect_edition_number,
    defect_unknown_setting,
    defect_directive_typo,
]


@pytest.mark.parametrize("defect", DEFECTS, ids=lambda d: d.__name__.removeprefix("defect_"))
def test_each_defect_fails_at_its_file_and_line(capsys, monkeypatch, book, defect):
    file, line, pattern = defect(book)
    status, out, err = run(capsys, monkeypatch, book, "check")
    assert status == 1
    assert "ÉCHEC" in err
    assert "Traceback" not in out + err
    hits = [
        text
        for text in out.splitlines()
        if text.startswith(f"{file}:{line}: erreur : ") and re.search(pattern, text)
    ]
    assert len(hits) == 1, out

    status, out, _ = run(capsys, monkeypatch, book, "check", "--format", "json")
    report = json.loads(out)
    assert status == 1
    assert report["ok"] is False
    assert [
        f
        for f in report["findings"]
        if (f["file"], f["line"], f["level"]) == (file, line, "error")
        and re.search(pattern, f["message"])
    ], report


def test_an_unclosed_level_puts_no_question_in_the_wrong_box(capsys, monkeypatch, book, tmp_path):
    defect_unclosed_level(book)
    status, out, _ = run(capsys, monkeypatch, book, "build", "--out", str(tmp_path / "html"))
    assert status == 1
    assert len(out.splitlines()) == 1, "one mistake, one message"
    manifest = json.loads((tmp_path / "html" / "_static/cahier/manifest.json").read_text())
    en_moi = next(box for box in manifest["boxes"] if box["id"] == "eveil.en-moi")
    assert en_moi["questions"] == QUESTIONS[:2]


def test_yaml_mistakes_stop_every_command_with_their_line(capsys, monkeypatch, book, tmp_path):
    defect_yaml_colon(book)
    for command in (
        ["check"],
        ["build", "--out", str(tmp_path / "html")],
        ["site", str(tmp_path / "site")],
        ["new-edition", "2026"],
        ["pdf"],
    ):
        status, out, err = run(capsys, monkeypatch, book, *command)
        assert status == 1, command
        assert out.startswith("_config.yml:28: erreur : la valeur de cahier_place"), (command, out)
        assert "Traceback" not in out + err
    status, out, _ = run(capsys, monkeypatch, book, "check", "--format", "json")
    (finding,) = json.loads(out)["findings"]
    assert (finding["file"], finding["line"], finding["code"]) == ("_config.yml", 28, "cahier.yaml")


def test_locations_are_relative_to_the_book(capsys, monkeypatch, book):
    defect_malformed_id(book)
    status, out, _ = run(capsys, monkeypatch, book.parent, "check", "book")
    assert status == 1
    assert out.startswith("book/cloture.md:3: erreur : prompt : id « Clôture_Apprentissage »")


def test_not_a_book(capsys, monkeypatch, tmp_path):
    status, out, _ = run(capsys, monkeypatch, tmp_path, "check")
    assert status == 1
    # No book, so no book's language: English; a plain Sphinx project is a book too.
    assert "neither _config.yml (Jupyter Book) nor conf.py (Sphinx) here" in out
    assert "cahier init . starts a new workbook" in out
    status, out, _ = run(capsys, monkeypatch, tmp_path, "check", "--format", "json")
    report = json.loads(out)
    assert status == 1 and report["ok"] is False
    assert report["findings"][0]["code"] == "cahier.command"


def test_a_bad_setting_is_reported_at_its_line(capsys, monkeypatch, book):
    edit(book / "_config.yml", "cahier_book: cahier-essai", "cahier_book: Cahier Essai")
    status, out, _ = run(capsys, monkeypatch, book, "check")
    assert status == 1
    line = line_of(book / "_config.yml", "cahier_book:")
    assert out.startswith(f"_config.yml:{line}: erreur : cahier_book : « Cahier Essai » doit être")


def test_messages_follow_the_book_language(capsys, monkeypatch, book):
    edit(book / "_config.yml", "language: fr", "language: en")
    defect_malformed_id(book)
    defect_unclosed_level(book)
    status, out, err = run(capsys, monkeypatch, book, "check")
    assert status == 1
    assert "FAILED: 2 error(s)" in err
    assert "book/cloture.md:3: error: prompt: malformed id 'Clôture_Apprentissage'" in out
    assert "is inside {level} en-moi (line 6): close that one first" in out
    # No programmer's jargon in the messages themselves.
    for word in ("ASCII", "Domain", "toctree", "in override", "Traceback"):
        assert word not in out + err


# --- new-edition and check --against --------------------------------------------------------


@pytest.fixture
def editions(tmp_path, capsys, monkeypatch) -> tuple[Path, Path]:
    """The sample (edition 2025) and its next edition (2026), prepared with --out."""
    old = copy_sample(tmp_path / "2025")
    status, out, _ = run(capsys, monkeypatch, old, "new-edition", "2026", "--out", "../2026")
    assert status == 0, out
    return old, tmp_path / "2026"


def test_new_edition_prepares_the_next_year(capsys, monkeypatch, editions):
    old, new = editions
    config = (new / "_config.yml").read_text(encoding="utf-8")
    assert 'cahier_edition: "2026"' in config
    assert 'cahier_previous_editions: ["2025"]' in config
    assert f'cahier_dates: "{TO_FILL}"' in config
    assert 'copyright: "2026"' in config
    # The comments and everything else are kept as written.
    assert config.splitlines()[0] == (SAMPLE / "_config.yml").read_text().splitlines()[0]
    # The current book is untouched; the copy keeps every page.
    assert (old / "_config.yml").read_text() == (SAMPLE / "_config.yml").read_text()
    assert (new / "book" / "eveil.md").read_text() == (old / "book" / "eveil.md").read_text()
    manifest = json.loads((new / "editions" / "2025" / "manifest.json").read_text())
    assert manifest["edition"] == "2025"
    assert [box["id"] for box in manifest["boxes"]] == [
        "attentes",
        "eveil.en-moi",
        "eveil.dans-mes-contextes",
        "eveil.rapports-de-pouvoir",
        "cloture.apprentissage",
        "cloture.decision",
    ]
    assert manifest["boxes"][1]["url"] == "book/eveil.html#cahier-box-eveil.en-moi"


def test_new_edition_fails_check_until_its_markers_are_filled(capsys, monkeypatch, editions):
    _, new = editions
    status, out, _ = run(capsys, monkeypatch, new, "check")
    assert status == 1
    for key in ("cahier_dates", "cahier_place"):
        line = line_of(new / "_config.yml", f"{key}:")
        assert f"_config.yml:{line}: erreur : {key} reste à compléter pour l'édition 2026" in out

    fill_markers(new)
    status, out, err = run(capsys, monkeypatch, new, "check")
    assert (status, out) == (0, ""), out
    assert "ok : 0 erreur(s), 0 avertissement(s)" in err


def test_new_edition_copies_the_whole_book_but_its_build_outputs(capsys, monkeypatch, tmp_path):
    old = copy_sample(tmp_path / "2025")
    workflow = ".github/workflows/publish.yml"
    for name, text in {
        workflow: "name: Publish\n",
        ".gitignore": "_build/\n",
        ".ci/run": "#!/bin/sh\n",
        "_build/html/index.html": "built",
        "book/__pycache__/x.pyc": "",
        ".venv/bin/python": "",
    }.items():
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_text(text, encoding="utf-8")
    status, out, _ = run(
        capsys,
        monkeypatch,
        old,
        "new-edition",
        "2026",
        "--out",
        "../2026",
        "--dates",
        "Octobre 2026",
        "--place",
        "Montréal",
    )
    assert status == 0, out
    new = tmp_path / "2026"
    for name in (workflow, ".gitignore", ".ci/run", "_toc.yml", "book/eveil.md"):
        assert (new / name).read_text() == (old / name).read_text(), name
    for name in ("_build", "book/__pycache__", ".venv"):
        assert not (new / name).exists(), name
    config = (new / "_config.yml").read_text(encoding="utf-8")
    assert 'cahier_dates: "Octobre 2026"' in config and 'cahier_place: "Montréal"' in config
    assert TO_FILL not in config and "complétez" not in out
    status, out, _ = run(capsys, monkeypatch, new, "check")
    assert (status, out) == (0, ""), out


def test_new_edition_with_git_copies_what_git_keeps(capsys, monkeypatch, tmp_path):
    old = copy_sample(tmp_path / "2025")
    (old / ".gitignore").write_text("notes-privees.txt\n", encoding="utf-8")
    (old / "notes-privees.txt").write_text("à ne pas copier", encoding="utf-8")
    (old / ".github").mkdir()
    (old / ".github" / "publish.yml").write_text("name: Publish\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(old)], check=True)
    status, out, _ = run(capsys, monkeypatch, old, "new-edition", "2026", "--out", "../2026")
    assert status == 0, out
    new = tmp_path / "2026"
    assert (new / ".github" / "publish.yml").is_file() and (new / ".gitignore").is_file()
    assert not (new / "notes-privees.txt").exists() and not (new / ".git").exists()
    assert "cahier_dates" in out and "cahier_place" in out  # still to fill in


def jupyter_book_build(book: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(JUPYTER_BOOK), "build", str(book), "--path-output", str(out), "-W"],
        capture_output=True,
        text=True,
        check=False,
    )


def test_new_edition_builds_with_jupyter_book_once_filled(tmp_path, editions):
    _, new = editions
    unfilled = jupyter_book_build(new, tmp_path / "out-unfilled")
    assert unfilled.returncode != 0
    assert "cahier_dates reste à compléter" in unfilled.stdout + unfilled.stderr

    fill_markers(new)
    built = jupyter_book_build(new, tmp_path / "out")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    html = tmp_path / "out" / "_build" / "html"
    index = (html / "book" / "index.html").read_text(encoding="utf-8")
    assert "École d'essai – Octobre 2026" in index
    assert "<title>Cahier d&#39;essai — 2026</title>" in index or "Cahier d'essai — 2026" in index
    assert 'data-cahier-edition="2026"' in index
    assert 'data-cahier-previous-editions="[&quot;2025&quot;]"' in index
    assert re.search(r"_static/cahier/[0-9a-f]{12}/carry-over\.js", index)
    assert re.search(r'href="\.\./_static/cahier/[0-9a-f]{12}/print\.css', index)
    assert 'media="print"' in index


def change_for_next_year(book: Path) -> None:
    """Reword a question, rename a prompt id, drop another prompt."""
    eveil = book / "book" / "eveil.md"
    edit(eveil, "- Quel principe me surprend le plus ?", "- Quel principe me bouscule le plus ?")
    cloture = book / "book" / "cloture.md"
    edit(cloture, "{prompt} cloture.apprentissage", "{prompt} cloture.lecon")
    edit(
        cloture,
        ":::{prompt} cloture.decision\nQuelle petite décision concrète prendrez-vous ?\n:::\n",
        "",
    )


SAVED = "editions/2025/manifest.json"


def test_check_against_lists_removed_renamed_and_reworded(capsys, monkeypatch, editions):
    _, new = editions
    fill_markers(new)
    change_for_next_year(new)
    status, out, _ = run(capsys, monkeypatch, new, "check", "--against", SAVED)
    assert status == 1
    lines = out.splitlines()
    removed = [line for line in lines if line.startswith(f"{SAVED}: erreur : la case ")]
    assert len(removed) == 2, out
    decision = next(line for line in removed if "« cloture.decision »" in line)
    assert "a disparu : les réponses des participants seraient perdues" in decision
    assert "dites-le dans _config.yml : « cahier_retired: [cloture.decision] »" in decision
    renamed = next(line for line in removed if "« cloture.apprentissage »" in line)
    assert "(en book/cloture.md:3)" in renamed
    assert "« cahier_renamed: {cloture.apprentissage: cloture.lecon} »" in renamed
    assert (
        "book/cloture.md:3: note : nouvelle case « cloture.lecon » (absente de l'édition 2025)"
        in lines
    )
    # The rewording: a short diff, one line per changed question, not both lists on one line.
    at = lines.index(
        "book/eveil.md:6: avertissement : case « eveil.en-moi » : questions reformulées depuis "
        "l'édition 2025 (les réponses restent) :"
    )
    assert lines[at + 1 : at + 3] == [
        "    avant :    Quel principe me surprend le plus ?",
        "    désormais : Quel principe me bouscule le plus ?",
    ]
    assert "Quelle posture dois-je revisiter" not in out
    assert len(lines) == 6, out

    # The same findings in JSON, with the changes listed by kind.
    status, out, _ = run(capsys, monkeypatch, new, "check", "--against", SAVED, "--format", "json")
    report = json.loads(out)
    assert status == 1 and report["ok"] is False
    assert "\n".join(str(cli.Finding(**f)) for f in report["findings"]).splitlines() == lines
    changes = report["against"]
    assert changes["edition"] == "2025"
    assert sorted(c["id"] for c in changes["removed"]) == [
        "cloture.apprentissage",
        "cloture.decision",
    ]
    assert [c["id"] for c in changes["added"]] == ["cloture.lecon"]
    assert [c["id"] for c in changes["reworded"]] == ["eveil.en-moi"]


def test_removed_ids_may_be_allowed(capsys, monkeypatch, editions):
    _, new = editions
    fill_markers(new)
    change_for_next_year(new)
    status, out, _ = run(capsys, monkeypatch, new, "check", "--allow-removed")
    assert status == 0, out
    assert out.count(": avertissement : la case ") == 2


def declare_changes(book: Path) -> None:
    """The deliberate changes of change_for_next_year, recorded in _config.yml."""
    school = '    cahier_school: "École d\'essai"'
    edit(
        book / "_config.yml",
        school,
        school
        + "\n    cahier_retired: [cloture.decision]"
        + "\n    cahier_renamed: {cloture.apprentissage: cloture.lecon}",
    )


def test_deliberate_changes_pass_a_plain_check(capsys, monkeypatch, editions, tmp_path):
    _, new = editions
    fill_markers(new)
    change_for_next_year(new)
    declare_changes(new)
    status, out, _ = run(capsys, monkeypatch, new, "check")
    assert status == 0, out
    lines = out.splitlines()
    retired_line = line_of(new / "_config.yml", "cahier_retired")
    assert (
        f"_config.yml:{retired_line}: note : la case « cloture.decision » de l'édition 2025 est "
        "retirée (cahier_retired) : ses réponses restent dans « Mon cahier » de cette édition"
    ) in lines
    assert (
        "book/cloture.md:3: note : la case « cloture.apprentissage » de l'édition 2025 s'appelle "
        "désormais « cloture.lecon » (cahier_renamed) : les réponses des participants la suivent"
    ) in lines
    assert "nouvelle case" not in out and "a disparu" not in out
    status, out, _ = run(capsys, monkeypatch, new, "check", "--format", "json")
    against = json.loads(out)["against"]
    assert against["renamed"] == [{"id": "cloture.apprentissage", "to": "cloture.lecon"}]
    assert [c["id"] for c in against["retired"]] == ["cloture.decision"]
    assert against["removed"] == [] and against["added"] == []

    # The build tells the browser: answers to the old id follow it (carry-over, import).
    status, _, err = run(capsys, monkeypatch, new, "build", "--out", str(tmp_path / "html"))
    assert status == 0, err
    manifest = json.loads((tmp_path / "html" / "_static/cahier/manifest.json").read_text())
    assert manifest["renamed"] == {"cloture.apprentissage": "cloture.lecon"}
    assert manifest["retired"] == ["cloture.decision"]


def test_deliberate_changes_that_disagree_with_the_book(capsys, monkeypatch, book):
    edit(
        book / "_config.yml",
        CONFIG_PLACE,
        CONFIG_PLACE
        + "\n    cahier_retired: [cloture.decision]"
        + "\n    cahier_renamed:\n      attentes: mes-attentes",
    )
    status, out, _ = run(capsys, monkeypatch, book, "check")
    assert status == 1
    retired, renamed = (line_of(book / "_config.yml", t) for t in ("cahier_retired", "attentes:"))
    assert (
        f"_config.yml:{retired}: erreur : cahier_retired nomme « cloture.decision », mais le "
        "cahier a toujours cette case (book/cloture.md:7)"
    ) in out
    assert (
        f"_config.yml:{renamed}: erreur : cahier_renamed : le cahier a toujours l'ancien id "
        "« attentes » (book/index.md:5)"
    ) in out
    assert "mais le cahier n'a pas de case « mes-attentes »" in out


def test_check_compares_with_the_saved_edition_by_default(capsys, monkeypatch, editions):
    _, new = editions
    fill_markers(new)
    edit(new / "book" / "eveil.md", "{level} en-moi", "{level} en-moi\n:class: x")
    edit(new / "book" / "cloture.md", "{prompt} cloture.decision", "{prompt} cloture.choix")
    status, out, _ = run(capsys, monkeypatch, new, "check")
    assert status == 1
    assert f"{SAVED}: erreur : la case « cloture.decision »" in out
    status, out, _ = run(capsys, monkeypatch, new, "check", "--no-against")
    assert (status, out) == (0, "")


def test_check_against_a_url(capsys, monkeypatch, editions):
    import functools
    import http.server
    import threading

    _, new = editions
    fill_markers(new)
    change_for_next_year(new)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(new))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{SAVED}"
        status, out, _ = run(capsys, monkeypatch, new, "check", "--against", url)
    finally:
        server.shutdown()
        server.server_close()
    assert status == 1
    assert f"{url}: erreur : la case « cloture.decision » de l'édition 2025" in out


def test_a_manifest_of_another_book_is_refused(capsys, monkeypatch, editions, tmp_path):
    _, new = editions
    fill_markers(new)
    other = json.loads((new / SAVED).read_text())
    other["book"] = "autre-cahier"
    (tmp_path / "other.json").write_text(json.dumps(other))
    status, out, _ = run(
        capsys, monkeypatch, new, "check", "--against", str(tmp_path / "other.json")
    )
    assert status == 1
    assert "cahier_book ne doit jamais changer" in out


def test_an_unreadable_manifest_honours_json(capsys, monkeypatch, book, tmp_path):
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    status, out, _ = run(
        capsys,
        monkeypatch,
        book,
        "check",
        "--against",
        str(tmp_path / "broken.json"),
        "--format",
        "json",
    )
    report = json.loads(out)
    assert status == 1 and report["ok"] is False
    assert (
        "la liste des cases de l'édition précédente est illisible"
        in report["findings"][0]["message"]
    )


# --- the site of editions ---------------------------------------------------------------------


def test_a_site_of_two_editions(capsys, monkeypatch, editions, tmp_path):
    old, new = editions
    site = tmp_path / "site"
    status, _, _ = run(capsys, monkeypatch, old, "site", str(site))
    assert status == 0
    status, _, _ = run(capsys, monkeypatch, new, "site", str(site))
    assert status == 1, "an edition with settings still to fill in is not published"
    assert not (site / "2026").exists()
    fill_markers(new)
    status, out, _ = run(capsys, monkeypatch, new, "site", str(site))
    assert status == 0
    assert "liste 2026, 2025" in out

    for edition in ("2025", "2026"):
        page = (site / edition / "book" / "eveil.html").read_text(encoding="utf-8")
        assert f'data-cahier-edition="{edition}"' in page
        assert (site / edition / "_static" / "cahier" / "manifest.json").is_file()
        assert "book/index.html" in (site / edition / "index.html").read_text()
    assert "carry-over.js" in (site / "2026" / "book" / "eveil.html").read_text()
    assert "carry-over.js" not in (site / "2025" / "book" / "eveil.html").read_text()

    landing = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in landing
    assert "<h1>Cahier d&#39;essai</h1>" in landing
    links = re.findall(r'<a class="edition" href="([^"]+)"[^>]*>([^<]+)</a>', landing)
    assert links == [("2026/", "Édition 2026"), ("2025/", "Édition 2025")]
    assert "Octobre 2026" in landing and "Octobre 2025" in landing
    assert "(la plus récente)" in landing
    assert "<script" not in landing and not re.search(r"(src|href)=\"(https?:)?//", landing)
    # Its icon is there: no 404.
    assert '<link rel="icon" href="favicon.svg"' in landing
    assert (site / "favicon.svg").read_text().lstrip().startswith("<")


def test_site_refuses_what_check_refuses(capsys, monkeypatch, editions, tmp_path):
    _, new = editions
    fill_markers(new)
    change_for_next_year(new)  # a removed box id: `cahier check` fails
    site = tmp_path / "site"
    status, out, err = run(capsys, monkeypatch, new, "site", str(site))
    assert status == 1
    assert f"{SAVED}: erreur : la case « cloture.decision »" in out
    assert "rien n'a été publié" in err
    assert not (site / "2026").exists()
    declare_changes(new)
    status, _, err = run(capsys, monkeypatch, new, "site", str(site))
    assert status == 0, err
    assert (site / "2026" / "book" / "cloture.html").is_file()


def test_the_landing_page_follows_the_book_language_and_its_template(
    capsys, monkeypatch, book, tmp_path
):
    site = tmp_path / "site"
    edit(book / "_config.yml", "language: fr", "language: en")
    status, _, err = run(capsys, monkeypatch, book, "site", str(site))
    assert status == 0, err
    landing = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in landing
    assert "Choose your edition." in landing and ">Edition 2025</a>" in landing
    assert "Choisissez" not in landing

    (book / "_templates").mkdir()
    (book / "_templates" / "accueil.html").write_text(
        '<!DOCTYPE html><html lang="{{ lang }}"><title>{{ title }}</title>'
        "<h1>Bienvenue</h1>{% for e in editions %}"
        '<a href="{{ e.href }}">{{ e.edition }} à {{ e.place }}</a>{% endfor %}',
        encoding="utf-8",
    )
    edit(
        book / "_config.yml",
        CONFIG_PLACE,
        CONFIG_PLACE + "\n    cahier_site_template: _templates/accueil.html",
    )
    status, _, err = run(capsys, monkeypatch, book, "site", str(site))
    assert status == 0, err
    landing = (site / "index.html").read_text(encoding="utf-8")
    assert '<h1>Bienvenue</h1><a href="2025/">2025 à Québec</a>' in landing

    (book / "_templates" / "accueil.html").write_text("{% for e in editions %}\n", encoding="utf-8")
    status, out, _ = run(capsys, monkeypatch, book, "site", str(site))
    assert status == 1
    assert out.startswith("_templates/accueil.html:")


# --- the blank paper cahier --------------------------------------------------------------------


def cahier_command(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The installed command, in its own process: as an organizer runs it (and away from the
    asyncio loop that the browser tests' Playwright leaves in this process)."""
    command = Path(sys.executable).parent / "cahier"
    return subprocess.run([str(command), *args], cwd=cwd, capture_output=True, text=True)


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_holds_every_question_with_a_cover_contents_and_page_numbers(book, tmp_path):
    from pypdf import PdfReader

    output = tmp_path / "cahier.pdf"
    result = cahier_command("pdf", "-o", str(output), cwd=book)
    assert result.returncode == 0, result.stderr
    assert "3/3 book/cloture" in result.stderr  # the progress bar, over the pages in reading order
    assert output.read_bytes().startswith(b"%PDF")
    reader = PdfReader(str(output))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    flat = " ".join(" ".join(pdf_text(output).split()).split())
    for question in QUESTIONS:
        assert question in flat, f"{question!r} not in the PDF:\n{flat}"
    # Paper only: no navigation, no screen-only interface text.
    assert "Enregistré" not in flat and "Sommaire" not in flat
    # The cover: the book, the edition, the school, dates and place, a line for the name.
    cover = pages[0]
    for text in (
        "Cahier d'essai",
        "Édition 2025",
        "École d'essai",
        "Octobre 2025",
        "Québec",
        "Nom :",
    ):
        assert text in cover, cover
    # The contents, with the page where each page of the book starts; numbers on every page.
    contents = pages[1]
    assert "Table des matières" in contents
    starts = {}
    for title in ("Cahier d'essai", "Éveil", "Clôture"):
        match = re.search(rf"{re.escape(title)}\s*(\d+)", contents)
        assert match, contents
        starts[title] = int(match[1])
    assert starts["Cahier d'essai"] == 3 < starts["Éveil"] < starts["Clôture"]
    assert "Éveil" in pages[starts["Éveil"] - 1] and "Clôture" in pages[starts["Clôture"] - 1]
    for number, text in enumerate(pages[1:], start=2):
        assert re.search(rf"(^|\s){number}$", text), (number, text[-80:])
    # Its title and language, for viewers and screen readers.
    assert reader.metadata.title == "Cahier d'essai — 2025"
    assert str(reader.trailer["/Root"]["/Lang"]) == "fr"
    assert [item.title for item in reader.outline] == ["Cahier d'essai", "Éveil", "Clôture"]


def test_pdf_lines_and_the_site_links_its_pdf(book, tmp_path):
    def ruled_height(pdf: Path) -> int:
        # The paper cahier rules each box with lines: more lines, more pages.
        from pypdf import PdfReader

        return len(PdfReader(str(pdf)).pages)

    few, many = tmp_path / "few.pdf", tmp_path / "many.pdf"
    assert cahier_command("pdf", "-o", str(few), "--lines", "2", cwd=book).returncode == 0
    assert cahier_command("pdf", "-o", str(many), "--lines", "30", cwd=book).returncode == 0
    assert ruled_height(many) > ruled_height(few)
    refused = cahier_command("pdf", "--lines", "zéro", cwd=book)
    assert refused.returncode == 2 and "donnez un nombre de lignes de 1 à 40" in refused.stderr

    site = tmp_path / "site"
    result = cahier_command("site", str(site), "--pdf", cwd=book)
    assert result.returncode == 0, result.stderr
    assert (site / "2025" / "cahier-2025.pdf").read_bytes().startswith(b"%PDF")
    landing = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="2025/cahier-2025.pdf" type="application/pdf">Le cahier papier (PDF)</a>' in (
        landing
    )


def test_build_writes_the_site_or_fails_with_the_findings(capsys, monkeypatch, book, tmp_path):
    status, _, err = run(capsys, monkeypatch, book, "build", "--out", str(tmp_path / "html"))
    assert status == 0, err
    assert (tmp_path / "html" / "book" / "eveil.html").is_file()
    assert "book/index.html" in (tmp_path / "html" / "index.html").read_text()
    manifest = json.loads((tmp_path / "html" / "_static" / "cahier" / "manifest.json").read_text())
    assert len(manifest["boxes"]) == 6

    file, line, pattern = defect_empty_level(book)
    status, out, _ = run(capsys, monkeypatch, book, "build", "--out", str(tmp_path / "html2"))
    assert status == 1
    assert out.startswith(f"{file}:{line}: erreur : ") and re.search(pattern, out)


# --- cahier serve ------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[str, str]:
    import urllib.request

    with urllib.request.urlopen(url, timeout=5) as response:
        return response.headers.get("content-type", ""), response.read().decode("utf-8")


def wait_for(condition, timeout: float = 90.0):
    import http.client
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            result = condition()
        except (OSError, http.client.HTTPException):
            # Not up yet, or a page read while the rebuild rewrites it (IncompleteRead): again.
            result = None
        if result:
            return result
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.5)


def test_serve_builds_serves_and_rebuilds_on_change(book):
    port = free_port()
    command = Path(sys.executable).parent / "cahier"
    server = subprocess.Popen(
        [str(command), "serve", "--port", str(port)],
        cwd=book,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        page = wait_for(lambda: fetch(f"{url}/book/eveil.html")[1])
        assert "Une introduction." in page
        # Pages reload when the book is rebuilt: a script of the same host (the pages' policy
        # refuses inline scripts), talking to sphinx-autobuild's web socket.
        assert '<script src="/_cahier/reload.js"></script>' in page
        kind, script = fetch(f"{url}/_cahier/reload.js")
        assert kind.startswith("text/javascript") and "/websocket-reload" in script
        assert (book / "_build" / "html" / "book" / "eveil.html").is_file()

        edit(book / "book" / "eveil.md", "Une introduction.", "Une introduction revue.")
        wait_for(lambda: "Une introduction revue." in fetch(f"{url}/book/eveil.html")[1])

        # A mistake while serving: its line, and the server goes on (the next save rebuilds).
        edit(book / "_config.yml", CONFIG_PLACE, "    cahier_place: Québec: Université Laval")
        time.sleep(6)
        edit(book / "_config.yml", "    cahier_place: Québec: Université Laval", CONFIG_PLACE)
        edit(book / "book" / "eveil.md", "Une introduction revue.", "Une introduction finale.")
        wait_for(lambda: "Une introduction finale." in fetch(f"{url}/book/eveil.html")[1])
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Traceback" not in output, output
    assert f"http://127.0.0.1:{port}/" in output
    assert "_config.yml:28: erreur : la valeur de cahier_place contient « : »" in output


def test_serve_says_when_its_port_is_taken(capsys, monkeypatch, book):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        status, out, _ = run(capsys, monkeypatch, book, "serve", "--port", str(port))
    assert status == 1
    assert f"le port {port} est déjà pris" in out
