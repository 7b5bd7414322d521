"""The built workbook holds every word of the seed text, on the right page, in the seed's order.

The seed (``tests/seed/cahier-reflexif-2025.txt``) is a verbatim copy of the text the organizers
gave us. The book is built once with ``jupyter-book build -W``; each page's visible article text is
extracted with :mod:`html.parser` and compared with the seed:

* every word of the seed occurs in the site (and in the page its seed section belongs to);
* every question line of the seed (``- ...``) appears verbatim on its page;
* the ``<link rel="next">`` chain of the built pages follows the seed's order.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from posixpath import normpath
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).parents[1]
SEED = Path(__file__).parent / "seed" / "cahier-reflexif-2025.txt"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
MANIFEST = "_static/cahier/manifest.json"

# The pages of the book in the seed's order, each with the seed heading that opens it
# (the dashes are the seed's en dashes, on purpose: hence the noqa).
PAGES: list[tuple[str, str]] = [
    ("book/index", "CAHIER RÉFLEXIF DU PARTICIPANT"),
    ("book/dessin", "DESSINEZ VOS IDÉES"),
    ("book/eveil", "ÉVEIL – LES ANCRAGES THÉORIQUES DE LA CO-PRODUCTION"),
    ("book/regards", "REGARDS – CAS CONCRETS DE CO-PRODUCTION"),
    ("book/postures", "POSTURES – COMPÉTENCES DES GESTIONNAIRES PUBLICS"),
    ("book/liens", "LIENS – CO-PRODUCTION ET GESTION DES CRISES"),
    ("book/savoirs", "SAVOIRS – LA PERSPECTIVE DES CITOYENS"),
    ("book/cloture", "QUESTIONS TRANSVERSALES"),
]
DOCNAMES = [docname for docname, _ in PAGES]
# Pages of the web workbook that the paper seed does not have, read after the seed's pages.
WEB_PAGES = ["book/mon-cahier"]

# A word: letters or digits (accents included), possibly joined by a middle dot (prêt·e).
WORD = re.compile(r"[^\W_]+(?:·[^\W_]+)*")


def normalize(text: str) -> str:
    """NFC, markdown bold removed, whitespace (incl. no-break spaces) collapsed."""
    text = unicodedata.normalize("NFC", text).replace("**", "")
    return " ".join(text.split())


def words(text: str) -> set[str]:
    return set(WORD.findall(unicodedata.normalize("NFC", text).casefold()))


# ---------------------------------------------------------------------------------------------
# The seed, cut into the sections of the pages
# ---------------------------------------------------------------------------------------------


@dataclass
class Section:
    docname: str
    lines: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)


def heading_text(line: str) -> str:
    return line.strip().lstrip("#").strip().strip("*").strip()


def read_seed() -> list[Section]:
    """Cut the seed at the heading of each page; collect its words and its question lines.

    A question is a line starting with ``- ``; a following non-blank line that is neither a
    question, a heading nor a ``---`` separator continues it (the seed's hard line break).
    """
    openers = {heading: docname for docname, heading in PAGES}
    sections: list[Section] = []
    in_question = False
    for line in SEED.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("#") and heading_text(stripped) in openers:
            sections.append(Section(openers[heading_text(stripped)]))
        if not sections:
            assert not stripped, f"seed text before the first page heading: {line!r}"
            continue
        section = sections[-1]
        section.lines.append(line)
        if stripped.startswith("- "):
            section.questions.append(stripped[2:])
            in_question = True
        elif in_question and stripped and not stripped.startswith(("#", "---")):
            section.questions[-1] += " " + stripped
        else:
            in_question = False
    return sections


SECTIONS = read_seed()
QUESTIONS = [(s.docname, q) for s in SECTIONS for q in s.questions]


def test_seed_is_cut_into_the_pages_in_order():
    assert [s.docname for s in SECTIONS] == DOCNAMES
    # 5 themes x 3 levels x 2 questions, then the 3 closing questions.
    assert len(QUESTIONS) == 33


# ---------------------------------------------------------------------------------------------
# The built site
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def content_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the whole book once (warnings are errors); return its HTML directory."""
    out = tmp_path_factory.mktemp("content-build")
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(out), "-W"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            "jupyter-book build failed:\n" + result.stdout[-6000:] + "\n" + result.stderr[-6000:]
        )
    return out / "_build" / "html"


class PageParser(HTMLParser):
    """Visible text of the first ``<article>``, and the next and previous pages' links."""

    # fmt: off
    INLINE = frozenset({
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
        "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    })
    # fmt: on
    HIDDEN = frozenset({"script", "style", "template", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: dict[str, str] = {}
        self.parts: list[str] = []
        self.article_depth = 0
        self.article_done = False
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        # The links a participant follows: furo's « Suivant » / « Précédent » at the foot of the
        # page (the build drops the head's <link rel="next">: Firefox would prefetch it).
        classes = (attributes.get("class") or "").split()
        for rel in ("next", "prev"):
            if tag == "a" and f"{rel}-page" in classes:
                self.links[rel] = attributes.get("href") or ""
        if tag == "article" and not self.article_done:
            self.article_depth += 1
        elif tag in self.HIDDEN and self.article_depth:
            self.hidden_depth += 1
        if tag not in self.INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.article_depth:
            self.article_depth -= 1
            self.article_done = self.article_depth == 0
        elif tag in self.HIDDEN and self.hidden_depth:
            self.hidden_depth -= 1
        if tag not in self.INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.article_depth and not self.hidden_depth:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return normalize("".join(self.parts))


@dataclass
class Page:
    text: str
    links: dict[str, str]


@pytest.fixture(scope="session")
def pages(content_site: Path) -> dict[str, Page]:
    result = {}
    for docname in DOCNAMES + WEB_PAGES:
        path = content_site / f"{docname}.html"
        assert path.is_file(), f"page not built: {path}"
        parser = PageParser()
        parser.feed(path.read_text(encoding="utf-8"))
        parser.close()
        assert parser.text, f"no article text in {path}"
        result[docname] = Page(parser.text, parser.links)
    return result


# ---------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------


def test_every_seed_word_is_in_the_site(pages: dict[str, Page]):
    site_words = set().union(*(words(page.text) for page in pages.values()))
    missing = sorted(words(SEED.read_text(encoding="utf-8")) - site_words)
    assert not missing, f"seed words missing from the site: {missing}"


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.docname)
def test_every_seed_word_is_on_its_page(pages: dict[str, Page], section: Section):
    missing = sorted(words("\n".join(section.lines)) - words(pages[section.docname].text))
    assert not missing, f"seed words missing from {section.docname}: {missing}"


@pytest.mark.parametrize(
    ("docname", "question"), QUESTIONS, ids=[f"{d}-{i}" for i, (d, _) in enumerate(QUESTIONS)]
)
def test_every_question_is_verbatim_on_its_page(pages: dict[str, Page], docname: str, question):
    assert normalize(question) in pages[docname].text


def test_navigation_follows_the_seed_order(pages: dict[str, Page]):
    def target(docname: str, rel: str) -> str | None:
        href = pages[docname].links.get(rel)
        if href is None:
            return None
        path = urlsplit(href).path or f"{docname}.html"
        return normpath(f"{docname.rpartition('/')[0]}/{path}").removesuffix(".html")

    reading = DOCNAMES + WEB_PAGES
    order = [reading[0]]
    while (following := target(order[-1], "next")) is not None:
        assert following not in order, f"navigation loops back to {following}: {order}"
        order.append(following)
        if following not in pages:
            break
    assert order == reading

    backwards = [reading[-1]]
    while (preceding := target(backwards[-1], "prev")) in pages and preceding not in backwards:
        backwards.append(preceding)
    assert backwards == reading[::-1]


def test_the_seed_line_break_stays_inside_its_question(content_site: Path):
    """Liens / En moi: two sentences, one question, split by a hard line break only."""
    html = (content_site / "book" / "liens.html").read_text(encoding="utf-8")
    first, second = "Comment je réagis en situation de crise ?", "Qu'est-ce que cela me dit"
    assert first in html
    assert second in html
    between = html[html.index(first) + len(first) : html.index(second)]
    assert re.fullmatch(r"\s*<br\s*/?>\s*", between), f"not a hard line break: {between!r}"


def test_the_manifest_holds_the_questions_as_plain_text(content_site: Path):
    """Issue 9: the hard line break of Liens / En moi is a space in the manifest (what « Mon
    cahier » and the exports show), never ``<br />`` or the LaTeX ``\\\\``."""
    manifest = json.loads((content_site / MANIFEST).read_text(encoding="utf-8"))
    (liens,) = [box for box in manifest["boxes"] if box["id"] == "liens.en-moi"]
    assert liens["questions"][0] == (
        "Comment je réagis en situation de crise ? "
        "Qu'est-ce que cela me dit de ma tolérance à l'incertitude, à la complexité ?"
    )
    for box in manifest["boxes"]:
        for text in [box["pageTitle"], box["label"], *box["questions"]]:
            assert "<" not in text and "\\" not in text, (box["id"], text)
