"""Questions, labels and titles reach the manifest as plain text (issue 9).

« Mon cahier », the exports and the organizers' tools show the manifest's texts with
``textContent``: a MyST hard line break, emphasis, code, links or raw HTML in a question must leave
only the words a reader sees on the page, never ``<br />``, ``\\\\`` or tags.
"""

import json

import pytest


def manifest_boxes(app) -> dict[str, dict]:
    manifest = json.loads((app.outdir / "_static/cahier/manifest.json").read_text(encoding="utf-8"))
    return {box["id"]: box for box in manifest["boxes"]}


@pytest.mark.sphinx("html", testroot="plain-text", freshenv=True)
def test_questions_labels_and_titles_are_plain_text(app):
    app.build()
    assert app._warning.getvalue() == ""
    boxes = manifest_boxes(app)

    # A hard line break (MyST `\` at the end of a line, or raw `<br>`) reads as a space.
    assert boxes["liens.en-moi"]["questions"] == [
        "Comment je réagis en situation de crise ? Qu'est-ce que cela me dit de ma tolérance ?",
        "Une question mise en relief, forte, avec du code et un lien ?",
    ]
    # Inline raw HTML keeps its text only: no tags, no comments, entities decoded.
    assert boxes["liens.dans-mes-contextes"]["questions"] == [
        "Qui décide ? Qui est écarté ?",
        "Une crise déjà vécue ?",
    ]
    # A block of raw HTML shows its words on the page: the manifest keeps them, without tags.
    assert boxes["liens.rapports-de-pouvoir"]["questions"] == [
        "Une question en bloc HTML ?",
        "Une autre question sur deux lignes ?",
    ]
    # A prompt named by its question: the label is plain text too.
    closing = boxes["liens.apprentissage"]
    assert closing["label"] == "Que retenez-vous pour vous, et pourquoi ?"
    assert closing["questions"] == [closing["label"]]
    decision = boxes["liens.decision"]
    assert decision["label"] == "Une décision"
    assert decision["questions"] == ["Une petite décision concrète ?"]
    # The page title, as « Mon cahier » and the exports group the answers under it.
    assert {box["pageTitle"] for box in boxes.values() if box["page"] == "index"} == {
        "Liens en crise"
    }
    assert boxes["autre.simple"]["questions"] == ["Une question sans balisage ?"]

    for box in boxes.values():
        for text in [box["pageTitle"], box["label"], *box["questions"]]:
            assert "<" not in text and ">" not in text and "\\" not in text, (box["id"], text)


@pytest.mark.sphinx("html", testroot="plain-text", freshenv=True)
def test_the_page_keeps_its_markup(app):
    """Only the manifest is flattened: the page still shows the line break and the emphasis."""
    app.build()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "Comment je réagis en situation de crise ?<br />" in html
    assert "<strong>pour vous</strong>" in html
    assert "<b>petite</b>" in html
