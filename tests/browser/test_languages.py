"""French (the default) and English interfaces: the extension's strings and the theme's.

The English book is the real book built with ``language: en`` (a copy of its configuration in a
temporary folder). The content stays French in both: only the interface changes. Every interface
text of a page (outside the article: navigation, header, footer; anywhere: labels, titles,
alerts, statuses, buttons; the strings handed to the scripts) is checked against the catalogs:
no French translation in the English book, no untranslated English in the French book.
"""

from __future__ import annotations

import functools
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sphinx
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from book_file import PAGE_STRINGS
from cahier_helpers import open_book_page
from conftest import ROOT
from playwright.sync_api import expect
from sphinx_cahier import strings
from sphinx_cahier.localserver import serve

LOCALES = Path(strings.__file__).parent / "locales"
SPHINX_FR = Path(sphinx.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "sphinx.mo"
PAGE = "book/eveil.html"

INTERFACE_TEXTS = """async () => {
  const out = [];
  const article = document.querySelector("article");
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode()); ) {
    const parent = n.parentElement;
    if (!parent || parent.closest("script, style")) continue;
    const ui = parent.closest("[role=alert], [role=status], button, .cahier-box-conflict");
    if (article && article.contains(n) && !ui) continue;  // the organizers' content
    const text = n.textContent.replace(/\\s+/g, " ").trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll("[aria-label], [title], [placeholder], [alt]"))
    for (const a of ["aria-label", "title", "placeholder", "alt"]) {
      const v = (el.getAttribute(a) || "").trim();
      if (v) out.push(v);
    }
  const meta = document.querySelector('meta[name="cahier-book"]');
  if (meta) {
    const url = new URL(JSON.parse(meta.content).book, document.baseURI);
    out.push(...Object.values((await (await fetch(url)).json()).strings));
  }
  return out;
}"""


def _pairs(catalog) -> dict[str, str]:
    """msgid -> msgstr, where they differ (a string the same in both languages proves nothing);
    strings with placeholders or markup are left out (they never appear verbatim)."""
    pairs = {}
    for message in catalog:
        if not message.id or not message.string or isinstance(message.id, tuple):
            continue
        msgid, msgstr = " ".join(message.id.split()), " ".join(message.string.split())
        if msgid != msgstr and not any(c in msgid for c in "%{<&"):
            pairs[msgid] = msgstr
    return pairs


@functools.cache
def french_pairs() -> dict[str, str]:
    pairs = {}
    with open(SPHINX_FR, "rb") as f:
        pairs.update(_pairs(read_mo(f)))
    for name in ("cahier.po", "sphinx.po"):
        with open(LOCALES / "fr" / "LC_MESSAGES" / name, "rb") as f:
            pairs.update(_pairs(read_po(f)))
    return pairs


@pytest.fixture(scope="session")
def english_site(tmp_path_factory) -> Path:
    """The book built with ``language: en``."""
    src = tmp_path_factory.mktemp("cahier-en")
    shutil.copytree(ROOT / "book", src / "book")
    shutil.copy(ROOT / "_toc.yml", src / "_toc.yml")
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert "    language: fr\n" in config
    (src / "_config.yml").write_text(config.replace("    language: fr\n", "    language: en\n"))
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run(
        [str(jupyter_book), "build", str(src), "-W"], capture_output=True, text=True, cwd=src
    )
    html = src / "_build" / "html"
    assert proc.returncode == 0 and (html / PAGE).is_file(), proc.stdout[-4000:] + proc.stderr
    return html


@pytest.fixture(scope="session")
def english_url(english_site):
    with serve(english_site) as url:
        yield url


def page_titles(site: Path) -> set[str]:
    """The titles of the book's pages: content (French in both books), shown in the navigation."""
    titles = set()
    for path in (site / "book").glob("*.html"):
        found = re.search(r"<h1[^>]*>(.*?)<", path.read_text(encoding="utf-8"), re.S)
        if found:
            titles.add(" ".join(html.unescape(found[1]).split()))
    return titles


def interface_texts(context, base: str, name: str) -> tuple[set[str], object]:
    """The interface texts of a page, with the storage alert and a box status showing."""
    context.add_init_script(
        'Object.defineProperty(window, "localStorage", { get() { return null; }, '
        "configurable: true });"
    )
    page = context.new_page()
    if name.startswith("book/"):
        open_book_page(page, f"{base}/{name}")
        expect(page.get_by_role("alert")).to_be_visible()
        field = page.locator("textarea.cahier-box-input").first
        field.fill("texte")
        field.blur()
        page.locator(".cahier-box-status:not(:empty)").first.wait_for()
    else:
        page.goto(f"{base}/{name}", wait_until="networkidle")
    return set(page.evaluate(INTERFACE_TEXTS)), page


@pytest.mark.parametrize("name", [PAGE, "book/index.html", "search.html", "genindex.html"])
def test_english_book_has_an_english_interface(context, guard, english_site, english_url, name):
    guard.site_url = english_url  # the English book's server is the local one here
    texts, page = interface_texts(context, english_url, name)
    texts -= page_titles(english_site)
    assert page.evaluate("document.documentElement.lang") == "en"
    french = {t for t in texts if t in set(french_pairs().values())}
    assert french == set(), f"French interface text in the English book: {french}"
    expected = {"Skip to content", "Back to top", "Search", "Toggle site navigation sidebar"}
    if name == PAGE:
        expected |= {"Next", "Previous", "Not saved"}
        s = page.evaluate(PAGE_STRINGS)
        assert s["saved"] == "Saved" and s["conflict_keep_mine"] == "Keep this text"
        assert page.get_by_role("alert").inner_text().startswith("This browser")
    assert expected <= texts, expected - texts


@pytest.mark.parametrize("name", [PAGE, "book/index.html", "search.html", "genindex.html"])
def test_french_book_has_no_english_leftovers(context, site_dir, site_url, name):
    texts, page = interface_texts(context, site_url, name)
    texts -= page_titles(site_dir)
    assert page.evaluate("document.documentElement.lang") == "fr"
    english = {t for t in texts if t in french_pairs()}
    assert english == set(), f"English interface text in the French book: {english}"
    footer = page.locator("footer").inner_text()
    assert "Made with" not in footer and "Copyright" not in footer
    expected = {"Aller au contenu", "Retour en haut", "Recherche"}
    if name == PAGE:
        expected |= {"Suivant", "Précédent", "Non enregistré"}
    assert expected <= texts, expected - texts
