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
from pathlib import Path

import pytest
from cahier import cli
from cahier.config import TO_FILL

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


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def run(capsys, monkeypatch, book: Path, *args: str) -> tuple[int, str, str]:
    """``cahier <args>`` run inside ``book``; returns (exit status, stdout, stderr)."""
    monkeypatch.chdir(book)
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


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
    assert "ok: 0 error(s)" in err


def test_json_of_a_clean_book(capsys, monkeypatch, book):
    status, out, _ = run(capsys, monkeypatch, book, "check", "--format", "json")
    report = json.loads(out)
    assert status == 0
    assert report["ok"] is True
    assert report["findings"] == []
    assert (report["book"], report["edition"], report["boxes"]) == ("cahier-essai", "2025", 6)


def defect_duplicate(book: Path) -> tuple[str, int, str]:
    page = book / "book" / "cloture.md"
    edit(page, ":::{prompt} cloture.decision", ":::{prompt} attentes")
    line = line_of(page, "{prompt} attentes")
    return "book/cloture.md", line, r"duplicate box id 'attentes': already used at book/index\.md:5"


def defect_missing_level(book: Path) -> tuple[str, int, str]:
    page = book / "book" / "eveil.md"
    edit(
        page,
        ":::{level} rapports-de-pouvoir\n- Qui a le pouvoir de définir les règles ?\n:::\n",
        "",
    )
    return "book/eveil.md", 5, r"reflection 'eveil': missing level\(s\) rapports-de-pouvoir"


def defect_empty_level(book: Path) -> tuple[str, int, str]:
    page = book / "book" / "eveil.md"
    edit(page, "- Mon milieu permet-il de penser autrement ?\n", "")
    line = line_of(page, "{level} dans-mes-contextes")
    return "book/eveil.md", line, r"level 'dans-mes-contextes' of 'eveil' has no questions"


def defect_broken_toc(book: Path) -> tuple[str, int, str]:
    edit(book / "_toc.yml", "- file: book/cloture", "- file: book/conclusion")
    return "_toc.yml", 5, r"toc entry 'book/conclusion': no such page"


def defect_malformed_id(book: Path) -> tuple[str, int, str]:
    page = book / "book" / "cloture.md"
    edit(page, "{prompt} cloture.apprentissage", "{prompt} Clôture_Apprentissage")
    return "book/cloture.md", 3, r"prompt: malformed id 'Clôture_Apprentissage'"


DEFECTS = [
    defect_duplicate,
    defect_missing_level,
    defect_empty_level,
    defect_broken_toc,
    defect_malformed_id,
]


@pytest.mark.parametrize("defect", DEFECTS, ids=lambda d: d.__name__.removeprefix("defect_"))
def test_each_defect_fails_at_its_file_and_line(capsys, monkeypatch, book, defect):
    file, line, pattern = defect(book)
    status, out, err = run(capsys, monkeypatch, book, "check")
    assert status == 1
    assert "FAILED" in err
    hits = [
        text
        for text in out.splitlines()
        if text.startswith(f"{file}:{line}: error: ") and re.search(pattern, text)
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


def test_locations_follow_the_book_argument(capsys, monkeypatch, book):
    defect_malformed_id(book)
    status, out, _ = run(capsys, monkeypatch, book.parent, "check", "book")
    assert status == 1
    assert out.startswith("book/book/cloture.md:3: error: prompt: malformed id")


def test_not_a_book(capsys, monkeypatch, tmp_path):
    status, _, err = run(capsys, monkeypatch, tmp_path, "check")
    assert status == 1
    assert "no _config.yml" in err


def test_a_bad_setting_is_reported_at_its_line(capsys, monkeypatch, book):
    edit(book / "_config.yml", "cahier_book: cahier-essai", "cahier_book: Cahier Essai")
    status, out, _ = run(capsys, monkeypatch, book, "check")
    assert status == 1
    line = line_of(book / "_config.yml", "cahier_book:")
    assert out.startswith(f"_config.yml:{line}: error: cahier_book: 'Cahier Essai' must be")


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
        assert f"_config.yml:{line}: error: {key} is still to be filled in for edition 2026" in out

    fill_markers(new)
    status, out, err = run(capsys, monkeypatch, new, "check")
    assert (status, out) == (0, ""), out
    assert "ok: 0 error(s), 0 warning(s)" in err


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
    assert "cahier_dates is still to be filled in" in unfilled.stdout + unfilled.stderr

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


def test_check_against_lists_removed_renamed_and_reworded(capsys, monkeypatch, editions):
    _, new = editions
    fill_markers(new)
    change_for_next_year(new)
    saved = "editions/2025/manifest.json"
    status, out, _ = run(capsys, monkeypatch, new, "check", "--against", saved)
    assert status == 1
    lines = out.splitlines()
    removed = [line for line in lines if line.startswith(f"{saved}: error: box id ")]
    assert len(removed) == 2, out
    assert any("'cloture.decision' of edition 2025 is gone" in line for line in removed)
    renamed = next(line for line in removed if "'cloture.apprentissage'" in line)
    assert "was at book/cloture.md:3" in renamed
    assert "new id 'cloture.lecon' has the same questions: renamed?" in renamed
    assert "book/cloture.md:3: note: new box id 'cloture.lecon' (not in edition 2025)" in lines
    reworded = [line for line in lines if "questions reworded" in line]
    assert len(reworded) == 1
    assert reworded[0].startswith(
        "book/eveil.md:6: warning: box 'eveil.en-moi': questions reworded"
    )
    assert "me surprend" in reworded[0] and "me bouscule" in reworded[0]
    assert len(lines) == 4, out

    # The same findings in JSON, with the changes listed by kind.
    status, out, _ = run(capsys, monkeypatch, new, "check", "--against", saved, "--format", "json")
    report = json.loads(out)
    assert status == 1 and report["ok"] is False
    assert [str(cli.Finding(**f)) for f in report["findings"]] == lines
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
    assert out.count(": warning: box id ") == 2


def test_check_compares_with_the_saved_edition_by_default(capsys, monkeypatch, editions):
    _, new = editions
    fill_markers(new)
    edit(new / "book" / "eveil.md", "{level} en-moi", "{level} en-moi\n:class: x")
    edit(new / "book" / "cloture.md", "{prompt} cloture.decision", "{prompt} cloture.choix")
    status, out, _ = run(capsys, monkeypatch, new, "check")
    assert status == 1
    assert "editions/2025/manifest.json: error: box id 'cloture.decision'" in out
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
        url = f"http://127.0.0.1:{server.server_address[1]}/editions/2025/manifest.json"
        status, out, _ = run(capsys, monkeypatch, new, "check", "--against", url)
    finally:
        server.shutdown()
        server.server_close()
    assert status == 1
    assert f"{url}: error: box id 'cloture.decision' of edition 2025 is gone" in out


def test_a_manifest_of_another_book_is_refused(capsys, monkeypatch, editions, tmp_path):
    _, new = editions
    fill_markers(new)
    other = json.loads((new / "editions" / "2025" / "manifest.json").read_text())
    other["book"] = "autre-cahier"
    (tmp_path / "other.json").write_text(json.dumps(other))
    status, out, _ = run(
        capsys, monkeypatch, new, "check", "--against", str(tmp_path / "other.json")
    )
    assert status == 1
    assert "cahier_book must never change" in out


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
    assert "lists 2026, 2025" in out

    for edition in ("2025", "2026"):
        page = (site / edition / "book" / "eveil.html").read_text(encoding="utf-8")
        assert f'data-cahier-edition="{edition}"' in page
        assert (site / edition / "_static" / "cahier" / "manifest.json").is_file()
        assert "book/index.html" in (site / edition / "index.html").read_text()
    assert "carry-over.js" in (site / "2026" / "book" / "eveil.html").read_text()
    assert "carry-over.js" not in (site / "2025" / "book" / "eveil.html").read_text()

    landing = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in landing
    assert "<h1>Cahier d&#x27;essai</h1>" in landing
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', landing)
    assert links == [("2026/", "Édition 2026"), ("2025/", "Édition 2025")]
    assert "Octobre 2026" in landing and "Octobre 2025" in landing
    assert "<script" not in landing and not re.search(r"(src|href)=\"(https?:)?//", landing)


# --- the blank paper cahier --------------------------------------------------------------------


def test_pdf_holds_every_question(book, tmp_path):
    # The installed command, in its own process: as an organizer runs it (and away from the
    # asyncio loop that the browser tests' Playwright leaves in this process).
    output = tmp_path / "cahier.pdf"
    command = Path(sys.executable).parent / "cahier"
    result = subprocess.run(
        [str(command), "pdf", "-o", str(output)], cwd=book, capture_output=True, text=True
    )
    status, err = result.returncode, result.stderr
    assert status == 0, err
    assert "3/3 book/cloture" in err  # the progress bar, over the pages in reading order
    assert output.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(output), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for question in QUESTIONS:
        assert question in flat, f"{question!r} not in the PDF:\n{text}"
    # Paper only: no navigation, no screen-only interface text.
    assert "Enregistré" not in flat and "Sommaire" not in flat
    assert flat.index("Cahier d'essai") < flat.index("Éveil") < flat.index("Clôture")


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
    assert out.startswith(f"{file}:{line}: error: ") and re.search(pattern, out)
