"""The HTML that the directives produce, and the assets that come with it."""

import re
from html.parser import HTMLParser

import pytest
from book_file import book_file

LEVELS = ["en-moi", "dans-mes-contextes", "rapports-de-pouvoir"]


class Elements(HTMLParser):
    """Every start tag of a page, with its attributes, in order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]

    def by_id(self, element_id: str) -> tuple[str, dict[str, str]]:
        (match,) = [(t, a) for t, a in self.tags if a.get("id") == element_id]
        return match


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_reflection_renders_a_labelled_box_per_level(app):
    app.build()
    assert app._warning.getvalue() == ""
    html = (app.outdir / "theme.html").read_text(encoding="utf-8")
    page = Elements(html)

    textareas = page.find("textarea")
    assert [t["name"] for t in textareas] == [f"eveil.{level}" for level in LEVELS]
    for level, name in zip(
        LEVELS, ["En moi", "Dans mes contextes", "Sur les rapports de pouvoir"], strict=True
    ):
        box_id = f"eveil.{level}"
        (textarea,) = page.find("textarea", id=f"cahier-box-{box_id}")
        # The level name is a real <label> inside an h2, tied to the textarea.
        assert re.search(
            rf'<h2 class="[^"]*cahier-level-title[^"]*"><label class="cahier-box-label" '
            rf'for="cahier-box-{re.escape(box_id)}">{name}</label></h2>',
            html,
        )
        # Questions and the level description describe the box; both exist on the page.
        described = textarea["aria-describedby"].split()
        assert described == [f"cahier-desc-{box_id}", f"cahier-q-{box_id}"]
        for target in described:
            page.by_id(target)
        assert "placeholder" not in textarea
        (box,) = page.find("div", **{"data-cahier-box": box_id})
        assert box["class"] == "cahier-box"
        (status,) = page.find("p", id=f"cahier-status-{box_id}")
        assert status["role"] == "status"
    assert "Question un, en moi ?" in html
    assert "Sur vous-même : votre posture" in html


@pytest.mark.sphinx("html", testroot="basic")
def test_prompt_question_is_the_label_or_its_description(app):
    app.build()
    html = (app.outdir / "cloture.html").read_text(encoding="utf-8")
    page = Elements(html)
    # Without :label:, the question (inline markup kept) is the label.
    assert (
        '<label class="cahier-box-label" for="cahier-box-cloture.apprentissage">'
        "Que retenez-vous <strong>pour vous</strong> ?</label>"
    ) in html
    (plain,) = page.find("textarea", name="cloture.apprentissage")
    assert "aria-describedby" not in plain
    # With :label:, the label names the box and the content describes it.
    assert (
        '<label class="cahier-box-label" for="cahier-box-cloture.decision">Une décision</label>'
    ) in html
    (labelled,) = page.find("textarea", name="cloture.decision")
    assert labelled["aria-describedby"] == "cahier-q-cloture.decision"
    assert page.by_id("cahier-q-cloture.decision")[0] == "div"
    assert "petite décision" in html


@pytest.mark.sphinx("html", testroot="basic")
def test_html_pages_load_the_scripts_with_namespace_and_translated_strings(app):
    app.build()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    (script,) = Elements(html).find("script", id="cahier-script")
    assert script["type"] == "module"
    # Our files are published in a folder named by their hash (see cahier/assets.py).
    version = re.fullmatch(r"_static/cahier/([0-9a-f]{12})/cahier\.js\?v=\w+", script["src"])[1]
    assert script["data-cahier-book"] == "test-book"
    assert script["data-cahier-edition"] == "2025"
    # The UI strings: in the edition's book file, not in the page.
    assert "data-cahier-strings" not in script
    strings = book_file(app.outdir, "index.html")["strings"]
    assert strings["saved"] == "Enregistré"
    assert strings["storage_full"].startswith("L'espace de stockage")
    assert (app.outdir / f"_static/cahier/{version}/cahier.js").is_file()
    assert (app.outdir / f"_static/cahier/{version}/store.js").is_file()
    assert f"_static/cahier/{version}/cahier.css" in html


@pytest.mark.sphinx("html", testroot="basic", confoverrides={"language": "en"})
def test_english_build_gets_english_strings(app):
    app.build()
    strings = book_file(app.outdir, "index.html")["strings"]
    assert strings["saved"] == "Saved"
    assert strings["conflict_keep_mine"] == "Keep this text"


@pytest.mark.sphinx("html", testroot="basic")
def test_participant_facing_html_never_contains_inline_script_strings(app):
    """UI strings travel in the book file, not in inline scripts."""
    app.build()
    html = (app.outdir / "theme.html").read_text(encoding="utf-8")
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    assert not any("Enregistr" in body for body in inline_scripts)
