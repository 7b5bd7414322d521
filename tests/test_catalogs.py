"""French and English catalogs are complete, and the compiled .mo files match the .po sources."""

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sphinx_cahier import strings

LOCALES = Path(strings.__file__).parent / "locales"


def english_msgids() -> list[str]:
    original = strings._
    try:
        strings._ = lambda message: message
        return [*strings.ui_strings().values(), *strings.build_strings().values()]
    finally:
        strings._ = original


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_interface_string_is_translated(language):
    with open(LOCALES / language / "LC_MESSAGES" / "cahier.po", "rb") as po_file:
        catalog = read_po(po_file)
    for msgid in english_msgids():
        message = catalog.get(msgid)
        assert message is not None and message.string, f"{language}: {msgid!r} untranslated"
        assert not message.fuzzy


@pytest.mark.parametrize("language", ["fr", "en"])
def test_compiled_catalog_matches_its_source(language):
    folder = LOCALES / language / "LC_MESSAGES"
    with open(folder / "cahier.po", "rb") as po_file, open(folder / "cahier.mo", "rb") as mo_file:
        source, compiled = read_po(po_file), read_mo(mo_file)
    as_dict = {m.id: m.string for m in source if m.id}
    assert as_dict == {m.id: m.string for m in compiled if m.id}, (
        "run: pybabel compile -D cahier -d extensions/sphinx_cahier/locales"
    )
