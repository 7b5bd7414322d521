"""The real book made bigger: copies of a theme page, fresh ids, before the closing page.

One recipe for tests/test_page_weight.py (what a page carries does not grow with the book) and
benchmarks/run.py (the 5-, 50- and 200-theme books, of this tree and of the baseline's
``git archive``), so that both measure the same books. Importable from the tests (tests/ is on
``sys.path``, see stroke_codec.py) and from run.py (which puts tests/ on its path).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

#: The theme page that is copied.
THEME = "eveil"


def make_book(source: Path, folder: Path, themes: int) -> Path:
    """``source``'s book (``_config.yml``, ``_toc.yml``, ``book/``) in the new folder ``folder``,
    with ``themes - 5`` copies of its theme page (fresh ids, own titles) before the closing page.
    ValueError when ``source`` has no such theme page or closing page."""
    folder.mkdir(parents=True)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(source / name, folder / name)
    shutil.copytree(source / "book", folder / "book")
    theme = (source / "book" / f"{THEME}.md").read_text(encoding="utf-8")
    entries = []
    for i in range(themes - 5):
        name = f"copie-{i:03d}"
        text = theme.replace(f"{{reflection}} {THEME}\n", f"{{reflection}} {name}\n")
        if text == theme:
            raise ValueError(f"no {{reflection}} {THEME} in {source}/book/{THEME}.md")
        text = re.sub(r"^# .*$", f"# Copie {i} d'un thème", text, count=1, flags=re.M)
        (folder / "book" / f"{name}.md").write_text(text, encoding="utf-8")
        entries.append(f"  - file: book/{name}\n")
    toc = (folder / "_toc.yml").read_text(encoding="utf-8")
    closing = "  - file: book/cloture\n"
    if closing not in toc:
        raise ValueError(f"no '{closing.strip()}' in {source}/_toc.yml")
    (folder / "_toc.yml").write_text(toc.replace(closing, "".join(entries) + closing), "utf-8")
    return folder
