"""Compile the extension's message catalogs (.po -> .mo); run after editing a .po file.

    .venv/bin/python scripts/compile_catalogs.py

tests/test_catalogs.py fails when a .mo is stale or a UI string lacks a translation.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parents[1] / "extensions" / "sphinx_cahier" / "locales"

for po_path in sorted(LOCALES.glob("*/LC_MESSAGES/*.po")):
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file)
    with po_path.with_suffix(".mo").open("wb") as mo_file:
        write_mo(mo_file, catalog)
    print(f"compiled {po_path.relative_to(LOCALES.parent)} ({len(catalog)} messages)")
