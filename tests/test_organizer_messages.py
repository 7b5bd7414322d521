"""Organizers' messages (build findings, the ``cahier`` command, landing page, paper cover) are
complete in French, compiled, and free of programmers' jargon."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sphinx_cahier import messages

EXTENSION = Path(messages.__file__).parent
CATALOG = EXTENSION / "locales" / "fr" / "LC_MESSAGES" / f"{messages.ORGANIZERS_CATALOG}.po"
JARGON = ("ASCII", "Domain", "toctree", "in override", "docname", "Traceback")


def msgids() -> list[str]:
    found = extract_from_dir(
        str(EXTENSION), method_map=[("**.py", "python")], keywords={"__": None}
    )
    return sorted({message for _file, _line, message, _comments, _context in found})


def test_every_organizer_message_is_in_french():
    with CATALOG.open("rb") as po_file:
        catalog = read_po(po_file)
    ids = msgids()
    assert len(ids) > 100
    for msgid in ids:
        message = catalog.get(msgid)
        assert message is not None and message.string, f"fr: {msgid!r} untranslated"
        assert not message.fuzzy
        # The same fields, so that .format() fills the translation as the original.
        fields = {f for f in msgid.replace("{{", "").split("{")[1:]}
        for field in fields:
            name = field.split("}")[0].split("!")[0]
            assert "{" + name in message.string, f"fr: {msgid!r} lost {{{name}}}"


def test_compiled_catalog_matches_its_source():
    with CATALOG.open("rb") as po_file, CATALOG.with_suffix(".mo").open("rb") as mo_file:
        source, compiled = read_po(po_file), read_mo(mo_file)
    as_dict = {m.id: m.string for m in source if m.id}
    assert as_dict == {m.id: m.string for m in compiled if m.id}, (
        "run: .venv/bin/python scripts/compile_catalogs.py"
    )


@pytest.mark.parametrize("word", JARGON)
def test_no_jargon_in_the_messages(word):
    with CATALOG.open("rb") as po_file:
        catalog = read_po(po_file)
    for message in catalog:
        if message.id:
            assert word not in message.id and word not in message.string, message.id
