"""« Mon cahier »: the placeholder and its fallbacks, and the pages' progress meta tag."""

import json
import re

import pytest
from book_file import book_meta


def pages_meta(html: str) -> dict:
    """The ``cahier-book`` meta tag's URLs."""
    return book_meta(html)


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_html_placeholder_and_pages_meta(app):
    app.build()
    assert app._warning.getvalue() == ""
    html = (app.outdir / "mon-cahier.html").read_text(encoding="utf-8")
    assert '<div class="cahier-mon-cahier" data-cahier-mon-cahier=""' in html
    assert (
        '<noscript><p class="cahier-mc-needs-js">Cette page affiche vos réponses lorsque '
        "JavaScript est activé dans votre navigateur.</p></noscript>"
    ) in html
    # The paper sentence is for other builders only.
    assert "Dans la version web" not in html
    # The whole list, written by the build: each page, each box, its questions, an empty slot.
    assert (
        '<section class="cahier-mc-page"><h2>Éveil – Les ancrages</h2>\n'
        '<div class="cahier-mc-box" data-cahier-mc-box="eveil.en-moi" data-cahier-mc-kind="text">'
        '<h3><a href="theme.html#cahier-box-eveil.en-moi">En moi</a></h3>'
        '<ul class="cahier-mc-questions"><li>Question un, en moi ?</li>'
        "<li>Question deux, en moi ?</li></ul>"
        '<p class="cahier-mc-empty">Pas encore de réponse</p></div>'
    ) in html
    # A prompt whose text is its label shows no question; one with a label shows its text.
    assert (
        '<h3><a href="cloture.html#cahier-box-cloture.apprentissage">Que retenez-vous pour vous ?'
        '</a></h3><p class="cahier-mc-empty">'
    ) in html
    assert (
        '<h3><a href="cloture.html#cahier-box-cloture.decision">Une décision</a></h3>'
        '<ul class="cahier-mc-questions"><li>Une petite décision concrète...</li></ul>'
    ) in html
    boxes = re.findall(r'data-cahier-mc-box="([^"]+)"', html)
    assert boxes[0] == "attentes" and len(boxes) == len(set(boxes)) == 18
    # Its stylesheet is in <head> (it keeps the list invisible until filled); no script blocks the
    # page's first drawing: keep.js imports mon-cahier.js.
    head = html[: html.index("</head>")]
    assert "mon-cahier.css" in head
    assert 'blocking="render"' not in html and "modulepreload" not in html
    assert "mon-cahier.js" not in html
    # Other pages do not load it.
    assert "mon-cahier.js" not in (app.outdir / "theme.html").read_text(encoding="utf-8")

    meta = pages_meta((app.outdir / "theme.html").read_text(encoding="utf-8"))
    assert meta["summary"] == "mon-cahier.html"
    assert meta["manifest"] == "_static/cahier/manifest.json"
    # The pages and their boxes, and the UI strings: one file for the whole book, named after its
    # content, preloaded by every page.
    assert re.fullmatch(r"_static/cahier/[0-9a-f]{12}/book-[0-9a-f]{12}\.json", meta["book"])
    theme = (app.outdir / "theme.html").read_text(encoding="utf-8")
    assert f'<link rel="preload" href="{meta["book"]}" as="fetch" crossorigin="anonymous">' in theme
    listed = json.loads((app.outdir / meta["book"]).read_text(encoding="utf-8"))
    assert listed["strings"]["saved"] == "Enregistré"
    assert "data-cahier-strings" not in theme
    pages = {page["url"]: page["boxes"] for page in listed["pages"]}
    assert pages["theme.html"] == [
        "eveil.en-moi",
        "eveil.dans-mes-contextes",
        "eveil.rapports-de-pouvoir",
    ]
    assert pages["index.html"] == ["attentes"]
    assert pages["cloture.html"] == ["cloture.apprentissage", "cloture.decision"]
    # In reading order, from the site's root; the summary page has no boxes of its own.
    assert [p["url"] for p in listed["pages"]][:2] == ["index.html", "theme.html"]
    assert "mon-cahier.html" not in pages
    assert listed["total"] == sum(len(boxes) for boxes in pages.values())
    # Every HTML page knows where « Mon cahier » is.
    index_meta = pages_meta((app.outdir / "index.html").read_text(encoding="utf-8"))
    assert index_meta["summary"] == "mon-cahier.html"


@pytest.mark.sphinx("latex", testroot="basic", freshenv=True)
def test_latex_fallback(app):
    app.build()
    assert app._warning.getvalue() == ""
    (tex_file,) = app.outdir.glob("*.tex")
    tex = tex_file.read_text(encoding="utf-8")
    assert "Dans la version web du cahier, cette page rassemble toutes vos réponses." in tex
    assert "JavaScript" not in tex
    assert "cahier-mon-cahier" not in tex


@pytest.mark.sphinx("text", testroot="basic", freshenv=True)
def test_text_fallback(app):
    app.build()
    assert app._warning.getvalue() == ""
    text = (app.outdir / "mon-cahier.txt").read_text(encoding="utf-8")
    flat = " ".join(text.split())
    assert "Dans la version web du cahier, cette page rassemble toutes vos réponses." in flat
    assert "<" not in text


@pytest.mark.sphinx("html", testroot="basic", freshenv=True, parallel=2)
def test_parallel_build_finds_the_summary_page(app):
    app.build()
    meta = pages_meta((app.outdir / "savoirs.html").read_text(encoding="utf-8"))
    assert meta["summary"] == "mon-cahier.html"


@pytest.mark.sphinx("html", testroot="basic", srcdir="summary-rebuild", freshenv=True)
def test_a_changed_question_rewrites_mon_cahier(app):
    """« Mon cahier » lists every page's boxes: a change elsewhere writes it again."""
    app.build()
    theme = app.srcdir / "theme.md"
    theme.write_text(
        theme.read_text(encoding="utf-8").replace("Question un, en moi ?", "Question reformulée ?"),
        encoding="utf-8",
    )
    app.build()
    html = (app.outdir / "mon-cahier.html").read_text(encoding="utf-8")
    assert "<li>Question reformulée ?</li>" in html and "Question un, en moi" not in html
