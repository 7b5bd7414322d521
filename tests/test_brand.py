"""Branding (cahier/brand.py): a logo, a favicon and an accent colour; the accent's contrast is
checked at build time, a colour that fails WCAG AA being a warning that names the setting."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sphinx_cahier import cli
from sphinx_cahier.brand import brand_css, contrast, lightened
from sphinx_cahier.config import SettingError

ROOTS = Path(__file__).parent / "roots"
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8"/></svg>'
)


def test_contrast_follows_wcag():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48
    assert contrast("#1d4e74", "#ffffff") > 4.5


def test_a_dark_variant_is_lightened_until_it_reads_on_the_dark_background():
    dark = lightened("#1d4e74", "#131416")
    assert contrast(dark, "#131416") >= 4.5
    assert contrast("#1d4e74", "#131416") < 4.5


def test_the_stylesheet_sets_every_theme_s_accent_in_light_and_dark():
    css = brand_css("#1d4e74", "#7fa6c4")
    for name in ("--cahier-brand", "--color-brand-primary", "--pst-color-primary"):
        assert f"{name}: #1d4e74;" in css and f"{name}: #7fa6c4;" in css
    assert "@media (prefers-color-scheme: dark)" in css
    assert 'html[data-theme="dark"]' in css and 'body[data-theme="dark"]' in css


@pytest.fixture
def branded(make_app, tmp_path):
    def make(**settings):
        src = tmp_path / "src"
        if not src.exists():
            shutil.copytree(ROOTS / "test-basic", src)
            (src / "images").mkdir()
            (src / "images" / "logo.svg").write_text(LOGO, encoding="utf-8")
        lines = "".join(f"{key} = {value!r}\n" for key, value in settings.items())
        conf = src / "conf.py"
        conf.write_text(conf.read_text(encoding="utf-8") + lines, encoding="utf-8")
        return make_app("html", srcdir=src, freshenv=True)

    return make


def test_logo_favicon_and_accent_reach_the_pages(branded):
    app = branded(
        cahier_logo="images/logo.svg",
        cahier_favicon="images/logo.svg",
        cahier_accent_color="#7a2e8e",
        html_theme="furo",
    )
    app.build()
    assert "cahier_accent_color" not in app._warning.getvalue()
    page = (app.outdir / "theme.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="(?:shortcut )?icon" href="_static/logo\.svg', page)
    assert re.search(r'<img class="sidebar-logo" src="_static/logo\.svg"', page)
    assert re.search(
        r'<link rel="stylesheet" type="text/css" href="_static/cahier-brand\.css', page
    )
    css = (app.outdir / "_static" / "cahier-brand.css").read_text(encoding="utf-8")
    assert "--color-brand-primary: #7a2e8e;" in css
    # The installed app's icon is the favicon when it is an SVG and cahier_icon names none.
    assert app.config.cahier_icon == "images/logo.svg"


def test_an_accent_that_fails_aa_is_a_warning_naming_the_setting(branded):
    app = branded(
        cahier_accent_color="#ffcc00", cahier_accent_color_dark="#333333", html_theme="furo"
    )
    warnings = app._warning.getvalue()
    line = next(
        n
        for n, text in enumerate((app.srcdir / "conf.py").read_text().splitlines(), 1)
        if text.startswith("cahier_accent_color =")
    )
    assert re.search(
        rf"conf\.py:{line}: WARNING: cahier_accent_color : #ffcc00 a un contraste de 1,5:1 avec "
        r"le fond de la page \(#ffffff\) ; le niveau AA des WCAG demande au moins 4,5:1",
        warnings,
    ), warnings
    assert "cahier_accent_color_dark : #333333 a un contraste de 1,5:1 avec le fond sombre" in (
        warnings
    )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"cahier_accent_color": "violet"}, "cahier_accent_color : « violet » n'est pas une coul"),
        ({"cahier_logo": "images/absent.svg"}, "cahier_logo : images/absent.svg : ce fichier n'es"),
        ({"cahier_favicon": "conf.py"}, "cahier_favicon : conf.py n'est pas une image"),
    ],
)
def test_a_setting_that_cannot_be_used_stops_at_its_line(branded, settings, message):
    with pytest.raises(SettingError, match=r"^conf\.py:\d+: " + re.escape(message)):
        branded(**settings)


def test_cahier_check_fails_on_a_poor_accent_of_a_jupyter_book(capsys, monkeypatch, tmp_path):
    book = Path(shutil.copytree(ROOTS / "jb-sample", tmp_path / "book"))
    config = book / "_config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            '    cahier_place: "Québec"\n',
            '    cahier_place: "Québec"\n    cahier_accent_color: "#9ab"\n',
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(book)
    status = cli.main(["check"])
    out, _err = capsys.readouterr()
    assert status == 1
    line = text.splitlines().index('    cahier_place: "Québec"') + 2
    assert f"_config.yml:{line}: erreur : cahier_accent_color : #99aabb a un contraste de" in out


def test_the_site_of_editions_shows_an_svg_favicon(tmp_path):
    from sphinx_cahier.cli.book import Book
    from sphinx_cahier.cli.site import landing_icon

    book = Path(shutil.copytree(ROOTS / "jb-sample", tmp_path / "book"))
    config = book / "_config.yml"
    text = config.read_text(encoding="utf-8")
    assert landing_icon(Book(book)) is None
    config.write_text(
        text.replace("    cahier_place:", "    cahier_favicon: images/logo.svg\n    cahier_place:"),
        encoding="utf-8",
    )
    assert landing_icon(Book(book)) == "images/logo.svg"
