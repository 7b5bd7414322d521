"""Levels per theme (tests/roots/test-levels/): the levels are defined once, a theme may use a
subset (``:levels:``) and a level may be optional; the checks, the manifest and the pages follow."""

from __future__ import annotations

import json
import re

import pytest
from sphinx_cahier.config import SettingError, parse_levels


@pytest.fixture
def built(app):
    app.build()
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", app._warning.getvalue()).splitlines()
    manifest = json.loads((app.outdir / "_static/cahier/manifest.json").read_text("utf-8"))
    return app, warnings, {box["id"]: box for box in manifest["boxes"]}


def warnings_of(warnings: list[str], filename: str) -> list[str]:
    return [w for w in warnings if w.startswith(f"{filename}:")]


@pytest.mark.sphinx("html", testroot="levels", freshenv=True)
def test_a_theme_uses_the_levels_its_option_names(built):
    app, warnings, boxes = built
    assert warnings_of(warnings, "sous-ensemble.md") == []
    assert [b for b in boxes if b.startswith("court.")] == ["court.quoi", "court.et-maintenant"]
    html = (app.outdir / "sous-ensemble.html").read_text("utf-8")
    # Each level keeps its place among the book's levels (its accent and icon): 1 and 3.
    assert re.findall(r'class="cahier-level cahier-level--(\d)', html) == ["1", "3"]


@pytest.mark.sphinx("html", testroot="levels", freshenv=True)
def test_an_optional_level_may_be_left_out_and_is_marked(built):
    app, warnings, boxes = built
    assert warnings_of(warnings, "facultatif-omis.md") == []
    assert warnings_of(warnings, "tous.md") == []
    assert boxes["complet.pour-aller-plus-loin"]["optional"] is True
    assert boxes["complet.quoi"]["optional"] is False
    html = (app.outdir / "tous.html").read_text("utf-8")
    assert re.search(
        r'<label class="cahier-box-label" for="cahier-box-complet.pour-aller-plus-loin">'
        r'Pour aller plus loin<span class="cahier-optional-mark"> \(facultatif\)</span></label>',
        html,
    )
    assert "cahier-level-optional" in html


@pytest.mark.sphinx("html", testroot="levels", freshenv=True)
def test_mistakes_with_levels_are_reported_at_their_line(built):
    _app, warnings, boxes = built
    found = warnings_of(warnings, "erreurs.md")
    expected = [
        (3, "ERROR", r"reflection « inconnu » : :levels: nomme un niveau inconnu « ailleurs »"),
        (
            18,
            "ERROR",
            r"le niveau « et-alors » ne fait pas partie des niveaux de la reflection "
            r"« hors-liste » \(:levels: quoi\)",
        ),
        (
            23,
            "WARNING",
            r"reflection « manque » : niveau\(x\) manquant\(s\) et-alors, nommé\(s\) dans ses "
            r":levels:",
        ),
    ]
    for line, level, pattern in expected:
        hits = [w for w in found if w.startswith(f"erreurs.md:{line}: {level}: ")]
        assert len(hits) == 1 and re.search(pattern, hits[0]), "\n".join(found)
    assert len(found) == len(expected), "\n".join(found)
    assert "hors-liste.et-alors" not in boxes


@pytest.mark.sphinx("html", testroot="levels", freshenv=True)
def test_options_without_a_blank_line_before_the_levels_are_explained(built):
    """MyST reads ``:::{level}`` right under ``:levels:`` as one more option line."""
    _app, warnings, _boxes = built
    explained = "{reflection} : ses options (:levels: …) s'arrêtent à la première ligne vide"
    hits = [w for w in warnings if w.startswith("collee.md:3: WARNING: ") and explained in w]
    assert len(hits) == 1, "\n".join(warnings)


def test_optional_is_true_or_false():
    levels = parse_levels([{"id": "a", "name": "A", "optional": True}, {"id": "b", "name": "B"}])
    assert [level.optional for level in levels] == [True, False]
    with pytest.raises(SettingError, match="optional"):
        parse_levels([{"id": "a", "name": "A", "optional": "oui"}])


@pytest.mark.sphinx("html", testroot="levels", freshenv=True)
def test_mon_cahier_and_the_progress_leave_optional_levels_uncounted(built):
    app, _warnings, _boxes = built
    summary = (app.outdir / "mon-cahier.html").read_text("utf-8")
    assert re.search(
        r'data-cahier-mc-box="complet.pour-aller-plus-loin" data-cahier-mc-kind="text"'
        r' data-cahier-mc-optional><h3><a href="[^"]*">Pour aller plus loin \(facultatif\)</a>',
        summary,
    )
    (pages_file,) = app.outdir.glob("_static/cahier/*/book-*.json")
    pages = json.loads(pages_file.read_text("utf-8"))
    listed = [box for page in pages["pages"] for box in page["boxes"]]
    assert "complet.quoi" in listed and "complet.pour-aller-plus-loin" not in listed
    assert pages["total"] == len(listed)
