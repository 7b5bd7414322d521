"""Helpers shared by the browser tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from book_file import PAGE_STRINGS

ROOT = Path(__file__).resolve().parents[2]
BOOK = "enap-coproduction"  # the real book's cahier_book

THEME_PAGES = ["eveil", "regards", "postures", "liens", "savoirs"]
ALL_PAGES = [*THEME_PAGES, "index", "cloture", "dessin"]
LEVEL_NAMES = ["En moi", "Dans mes contextes", "Sur les rapports de pouvoir"]


def page_info(page) -> dict:
    """Storage prefix, UI strings (the book file's) and box ids as the page declares them."""
    return page.evaluate(
        """async () => {
        const d = document.getElementById("cahier-script").dataset;
        return {
          prefix: `cahier:${d.cahierBook}:${d.cahierEdition}:`,
          strings: await ("""
        + PAGE_STRINGS
        + """)(),
          boxes: [...document.querySelectorAll(".cahier-box[data-cahier-box]")]
            .map((b) => b.dataset.cahierBox),
        };
      }"""
    )


def stored(page, key: str):
    return page.evaluate("(k) => localStorage.getItem(k)", key)


def wait_stored_text(page, key: str, text: str, timeout: float = 3000):
    page.wait_for_function(
        """([k, text]) => {
          const raw = localStorage.getItem(k);
          if (!raw) return false;
          try { return JSON.parse(raw).text === text; } catch { return false; }
        }""",
        arg=[key, text],
        timeout=timeout,
    )


def box_input(page, box_id: str):
    return page.locator(f'.cahier-box[data-cahier-box="{box_id}"] textarea.cahier-box-input')


def box(page, box_id: str):
    return page.locator(f'.cahier-box[data-cahier-box="{box_id}"]')


def seed(page, items: dict[str, str]):
    page.evaluate(
        "(items) => { for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v); }",
        items,
    )


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def open_book_page(page, url: str):
    """Go to a page and wait until Cahier's script has wired its boxes."""
    page.goto(url)
    page.locator("#cahier-script[data-cahier-ready]").wait_for(state="attached", timeout=5000)


def snapshot(page) -> dict[str, str]:
    """Every localStorage key and raw value of the origin."""
    return page.evaluate(
        "() => Object.fromEntries("
        "Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)]))"
    )


def open_mon_cahier(page, url: str):
    """Go to « Mon cahier » and wait until its list is filled and its actions are wired."""
    open_book_page(page, url)
    page.locator("[data-cahier-mon-cahier][data-cahier-mc-ready]").wait_for(
        state="attached", timeout=5000
    )


def import_file(page, export: dict) -> None:
    """Give « Mon cahier »'s import the export ``export`` as a JSON file."""
    page.set_input_files(
        "input.cahier-mc-import-file",
        files=[
            {"name": "a.json", "mimeType": "application/json", "buffer": dumps(export).encode()}
        ],
    )


def open_two_tabs(context, url: str):
    """The page ``url`` in two tabs of one browser (one storage), both wired; returns them."""
    a = context.new_page()
    b = context.new_page()
    open_book_page(a, url)
    open_book_page(b, url)
    return a, b


#: To evaluate in a page: from then on, every storage write of that page throws (an UnknownError),
#: so that what is typed there stays pending.
FAIL_WRITES = """() => { const orig = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    if (window.__cahierFail) throw new DOMException("boom", "UnknownError");
    return orig.call(this, k, v); };
  window.__cahierFail = true; }"""


#: An init script: once a test sets ``window.__cahierFull = true``, every write but the start-up
#: probe throws the QuotaExceededError of a full storage.
FILL_STORAGE_ON_DEMAND = """(() => { const orig = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    if (window.__cahierFull && !String(k).endsWith(":_probe"))
      throw new DOMException("full", "QuotaExceededError");
    return orig.call(this, k, v); }; })();"""


# --- a site of editions (test_carry_over.py, test_renamed.py) ----------------------------------


def copy_book(folder: Path) -> Path:
    """A copy of the real book's project (``book/``, ``_toc.yml``, ``_config.yml``) in
    ``folder/book``, for ``cahier new-edition`` and ``cahier site`` to work on; returns it."""
    book = folder / "book"
    book.mkdir()
    shutil.copytree(ROOT / "book", book / "book")
    for name in ("_toc.yml", "_config.yml"):
        shutil.copy2(ROOT / name, book / name)
    return book


def workbook_storage(page, book: str = BOOK) -> dict[str, str]:
    """Every localStorage key of the workbook ``book`` (all its editions), with its raw value."""
    return page.evaluate(
        """(book) => Object.fromEntries(Object.keys(localStorage)
            .filter((k) => k.startsWith(`cahier:${book}:`))
            .map((k) => [k, localStorage.getItem(k)]))""",
        book,
    )


def text_of(value: str | None) -> str | None:
    """The text of a box's stored value (None for none)."""
    return None if value is None else json.loads(value)["text"]
