"""The organizer's guide (docs/) is a Sphinx site built with the extension itself, with -W: the
README's authoring part, the directive reference (every option of every directive, with an
example), publishing.md, and a live example page (its boxes saving is tested in the browser,
tests/browser/test_docs_site.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sphinx_cahier.directives import LevelDirective, PromptDirective, ReflectionDirective
from sphinx_cahier.sketch import SketchDirective

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def build_docs(out: Path) -> Path:
    """``sphinx-build -W`` of docs/ into ``out``; the HTML folder."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            str(DOCS),
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def docs_html(tmp_path_factory) -> Path:
    return build_docs(tmp_path_factory.mktemp("docs") / "html")


def test_the_guide_builds_with_every_page(docs_html):
    for page in ("index", "authoring", "reference", "example", "answers", "publishing"):
        assert (docs_html / f"{page}.html").is_file(), page


def test_the_authoring_chapter_is_the_readme_s(docs_html):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- authoring-start" in readme and "<!-- authoring-end -->" in readme
    html = (docs_html / "authoring.html").read_text(encoding="utf-8")
    assert "Ids keep the answers." in html and "The build checks the content" in html
    assert 'href="publishing.html"' in html  # the README's link to docs/publishing.md


@pytest.mark.parametrize(
    ("name", "directive"),
    [
        ("reflection", ReflectionDirective),
        ("level", LevelDirective),
        ("prompt", PromptDirective),
        ("sketch", SketchDirective),
    ],
)
def test_the_reference_gives_every_option_with_an_example(name, directive):
    reference = (DOCS / "reference.md").read_text(encoding="utf-8")
    section = reference.split(f"### `{name}`", 1)[1].split("\n### ", 1)[0]
    for option in directive.option_spec:
        assert f"| `:{option}:` |" in section, f"{name}: :{option}: not described"
        assert re.search(rf"`:{option}: [^`]+` \|", section), f"{name}: :{option}: no example"
    assert f"{{{name}}}" in section


def test_the_reference_lists_every_setting(make_app, tmp_path):
    reference = (DOCS / "reference.md").read_text(encoding="utf-8")
    (tmp_path / "conf.py").write_text('extensions = ["sphinx_cahier"]\n', encoding="utf-8")
    (tmp_path / "index.rst").write_text("Index\n=====\n", encoding="utf-8")
    app = make_app("html", srcdir=tmp_path)
    settings = sorted(name for name in app.config.values if name.startswith("cahier_"))
    assert len(settings) > 20
    for setting in settings:
        assert f"`{setting}`" in reference, setting


def test_the_example_page_has_live_boxes(docs_html):
    html = (docs_html / "example.html").read_text(encoding="utf-8")
    for box in ("first-placement.what", "short-theme.now-what", "closing.lesson", "map.words"):
        assert f'data-cahier-box="{box}"' in html
    assert 'data-cahier-book="cahier-guide"' in html
