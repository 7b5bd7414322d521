"""Bad edition settings stop the build before any page is read, naming the setting."""

import shutil

import pytest
from sphinx.errors import ConfigError
from sphinx_cahier.config import parse_levels
from sphinx_cahier.messages import use_language

#: A setting's mistake names its line of conf.py when the setting is written there.
LOCATED = r"^(?:conf\.py(?::\d+)?: )?"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"cahier_book": "Mon Cahier"},
            LOCATED + "cahier_book : « Mon Cahier » doit être un nom court",
        ),
        (
            {"cahier_edition": "2025:a"},
            LOCATED + "cahier_edition : « 2025:a » : écrivez-le en minuscules",
        ),
        ({"cahier_edition": 2026.1}, LOCATED + "cahier_edition : 2026.1 se lit comme un nombre"),
        ({"cahier_levels": []}, LOCATED + "cahier_levels : il faut une liste de niveaux"),
        ({"cahier_retired": 3}, LOCATED + "cahier_retired : il faut une liste d.id de cases"),
        (
            {"cahier_retired": ["Mauvais Id"]},
            LOCATED + "cahier_retired : « Mauvais Id » n'est pas un id",
        ),
        ({"cahier_renamed": ["a"]}, LOCATED + "cahier_renamed : il faut des paires"),
        ({"cahier_renamed": {"a": "b", "b": "a"}}, "les changements de nom de « a » tournent"),
        (
            {"cahier_renamed": {"a": "b"}, "cahier_retired": ["a"]},
            "« a » est aussi dans cahier_retired",
        ),
    ],
)
def test_bad_settings_are_config_errors(make_app, rootdir, tmp_path, overrides, message):
    shutil.copytree(rootdir / "test-basic", tmp_path / "src")
    with pytest.raises(ConfigError, match=message):
        make_app("html", srcdir=tmp_path / "src", confoverrides=overrides)


def test_renames_are_resolved_to_the_last_id(make_app, rootdir, tmp_path):
    shutil.copytree(rootdir / "test-basic", tmp_path / "src")
    renamed = {"cloture.lecon": "cloture.apprentissage", "ancien": "cloture.lecon"}
    app = make_app("html", srcdir=tmp_path / "src", confoverrides={"cahier_renamed": renamed})
    assert app.config.cahier_renamed == {
        "cloture.lecon": "cloture.apprentissage",
        "ancien": "cloture.apprentissage",
    }


def test_an_unknown_setting_suggests_ours(make_app, rootdir, tmp_path):
    shutil.copytree(rootdir / "test-basic", tmp_path / "src")
    app = make_app("html", srcdir=tmp_path / "src", confoverrides={"cahier_ecole": "ÉNAP"})
    warnings = app._warning.getvalue()
    assert "réglage inconnu cahier_ecole : il est ignoré ; vouliez-vous dire cahier_school ?" in (
        warnings
    )
    assert "in override" not in warnings


def test_numeric_edition_from_yaml_becomes_text(make_app, rootdir, tmp_path):
    shutil.copytree(rootdir / "test-basic", tmp_path / "src")
    app = make_app("html", srcdir=tmp_path / "src", confoverrides={"cahier_edition": 2026})
    assert app.config.cahier_edition == "2026"


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ("en-moi", "expected a list of levels"),
        (["en-moi"], "level 1: expected"),
        ([{"id": "En Moi", "name": "En moi"}], "level 1: id 'En Moi'"),
        ([{"id": "a", "name": "A"}, {"id": "a", "name": "B"}], "level 2: duplicate id 'a'"),
        ([{"id": "a", "name": " "}], r"level 1 \(a\): a name is required"),
        ([{"id": "a", "name": "A", "colour": "red"}], r"unknown key\(s\) colour"),
        ([{"id": "a", "name": "A", "description": 3}], "description must be text"),
    ],
)
def test_malformed_levels_are_named(levels, message):
    use_language("en")
    with pytest.raises(ConfigError, match=message):
        parse_levels(levels)


def test_levels_keep_their_order_and_wording():
    levels = parse_levels(
        [{"id": "b", "name": " B "}, {"id": "a", "name": "A", "description": "d"}]
    )
    assert [(lvl.id, lvl.name, lvl.description) for lvl in levels] == [
        ("b", "B", ""),
        ("a", "A", "d"),
    ]
