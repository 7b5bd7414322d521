"""The edition settings: school, dates, place, previous editions, the to-fill marker, titles."""

import re
import shutil

import pytest
from sphinx.errors import ConfigError
from sphinx_cahier.config import TO_FILL


@pytest.fixture
def srcdir(rootdir, tmp_path):
    shutil.copytree(rootdir / "test-basic", tmp_path / "src")
    return tmp_path / "src"


def test_title_fields_and_substitutions(make_app, srcdir):
    overrides = {
        "cahier_edition": 2026,
        "cahier_school": "École",
        "cahier_dates": "Octobre 2026",
        "cahier_place": "Québec",
        "html_title": "Cahier {edition} — {school}, {place}, {dates}",
    }
    app = make_app("html", srcdir=srcdir, confoverrides=overrides)
    assert app.config.html_title == "Cahier 2026 — École, Québec, Octobre 2026"
    assert app.config.myst_substitutions["cahier_dates"] == "Octobre 2026"
    assert app.config.myst_substitutions["cahier_edition"] == "2026"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"html_title": "Cahier {annee}"}, r"html_title : champ\(s\) inconnu\(s\) annee"),
        ({"cahier_previous_editions": ["2025"]}, r"cahier_previous_editions : « 2025 » doit être"),
        ({"cahier_previous_editions": ["20 24"]}, r"cahier_previous_editions : « 20 24 » doit "),
        ({"cahier_previous_editions": 2024}, "il faut une liste d'éditions"),
    ],
)
def test_bad_edition_settings_are_config_errors(make_app, srcdir, overrides, message):
    with pytest.raises(ConfigError, match=message):
        make_app("html", srcdir=srcdir, confoverrides=overrides)


def test_a_setting_to_fill_in_is_a_warning_of_the_build(make_app, srcdir):
    app = make_app("html", srcdir=srcdir, confoverrides={"cahier_dates": TO_FILL})
    assert "cahier_dates reste à compléter pour l'édition 2025" in app._warning.getvalue()


def test_previous_editions_reach_the_page(make_app, srcdir):
    app = make_app("html", srcdir=srcdir, confoverrides={"cahier_previous_editions": [2024]})
    app.build()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'data-cahier-previous-editions="[&quot;2024&quot;]"' in html
    assert re.search(r"_static/cahier/[0-9a-f]{12}/carry-over\.js", html)
    assert 'media="print"' in html


def test_no_carry_over_without_previous_editions(make_app, srcdir):
    app = make_app("html", srcdir=srcdir)
    app.build()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "carry-over.js" not in html
    assert 'data-cahier-previous-editions="[]"' in html
