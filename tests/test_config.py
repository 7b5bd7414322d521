"""Bad edition settings stop the build before any page is read, naming the setting."""

import shutil

import pytest
from cahier.config import parse_levels
from sphinx.errors import ConfigError


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cahier_book": "Mon Cahier"}, "sphinx.config.cahier_book"),
        ({"cahier_edition": "2025:a"}, "sphinx.config.cahier_edition"),
        ({"cahier_levels": []}, "non-empty list"),
    ],
)
def test_bad_settings_are_config_errors(make_app, rootdir, tmp_path, overrides, message):
    shutil.copytree(rootdir / "test-basic", tmp_path / "src")
    with pytest.raises(ConfigError, match=message):
        make_app("html", srcdir=tmp_path / "src", confoverrides=overrides)


def test_numeric_edition_from_yaml_becomes_text(make_app, rootdir, tmp_path):
    shutil.copytree(rootdir / "test-basic", tmp_path / "src")
    app = make_app("html", srcdir=tmp_path / "src", confoverrides={"cahier_edition": 2026})
    assert app.config.cahier_edition == "2026"


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ("en-moi", "non-empty list"),
        (["en-moi"], "level 1: expected a mapping"),
        ([{"id": "En Moi", "name": "En moi"}], "level 1: id 'En Moi'"),
        ([{"id": "a", "name": "A"}, {"id": "a", "name": "B"}], "level 2: duplicate id 'a'"),
        ([{"id": "a", "name": " "}], r"level 1 \(a\): a name is required"),
        ([{"id": "a", "name": "A", "colour": "red"}], r"unknown key\(s\) colour"),
        ([{"id": "a", "name": "A", "description": 3}], "description must be text"),
    ],
)
def test_malformed_levels_are_named(levels, message):
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
