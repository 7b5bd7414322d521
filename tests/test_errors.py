"""Organizers' mistakes give a Sphinx error or warning naming the file and the line."""

import json
import re

import pytest

# (file, line, level, message pattern) for each defect in tests/roots/test-errors/: relative to the
# book, in its language (French), in plain words.
EXPECTED = [
    ("missing-id.md", 3, "ERROR", r"prompt : il manque l'id, p\. ex\. « \{prompt\} cloture\."),
    ("malformed-id.md", 3, "ERROR", r"prompt : id « Clôture_Apprentissage » mal écrit : écrivez"),
    ("unknown-level.md", 13, "ERROR", r"niveau inconnu « en-nous » ; l'un de : en-moi, "),
    ("empty-level.md", 7, "ERROR", r"le niveau « dans-mes-contextes » de « vide » n'a pas de q"),
    ("missing-level.md", 3, "WARNING", r"reflection « manquant » : niveau\(x\) manquant\(s\) da"),
    ("duplicate-level.md", 13, "ERROR", r"le niveau « en-moi » apparaît deux fois dans la reflec"),
    ("level-outside.md", 3, "ERROR", r"un niveau va à l'intérieur d'une \{reflection\} ; s'il y"),
    ("unknown-option.md", 3, "WARNING", r"\{prompt\} : option inconnue :couleur: ; ce bloc conn"),
    ("prompt-empty.md", 3, "ERROR", r"prompt « vide » : écrivez la question, ou donnez un :label:"),
    ("prompt-long.md", 3, "ERROR", r"plusieurs paragraphes a besoin d'un :label: court"),
    ("duplicate-same-page.md", 7, "ERROR", r"« meme » est utilisé deux fois : déjà à la ligne 3"),
    ("duplicate-b.md", 5, "WARNING", r"« partage » est utilisé deux fois : déjà en duplicate-a"),
    ("stray-content.md", 4, "WARNING", r"seuls des blocs \{level\} vont dans une reflection"),
    # 2. A box inside a box: the fence of the first one was left open.
    (
        "unclosed-level.md",
        8,
        "ERROR",
        r"\{level\} dans-mes-contextes se trouve à l'intérieur de \{level\} en-moi \(ligne 4\)"
        r" : fermez d'abord ce bloc-là",
    ),
    (
        "unclosed-prompt.md",
        6,
        "ERROR",
        r"\{prompt\} seconde se trouve à l'intérieur de \{prompt\} premiere \(ligne 3\)",
    ),
    # 3. A directive without its fence.
    ("as-text.md", 5, "WARNING", r"« \{prompt\} cloture.tension » s'affiche comme du texte"),
    # 8. A mistyped directive.
    ("typo-directive.md", 3, "WARNING", r"\{reflexion\} n'est pas un bloc .*dire \{reflection\}"),
]


@pytest.fixture
def warnings(app) -> list[str]:
    app.build()
    text = re.sub(r"\x1b\[[0-9;]*m", "", app._warning.getvalue())
    return text.splitlines()


@pytest.mark.sphinx("html", testroot="errors", freshenv=True)
def test_every_defect_is_reported_once_at_its_file_and_line(app, warnings):
    for filename, line, level, pattern in EXPECTED:
        location = f"{filename}:{line}: {level}: "
        hits = [w for w in warnings if w.startswith(location) and re.search(pattern, w)]
        assert len(hits) == 1, f"{filename}:{line} {pattern!r} not reported once in:\n" + "\n".join(
            warnings
        )
    # Nothing else is reported: each defect gives one message.
    assert len([w for w in warnings if re.search(r": (WARNING|ERROR): ", w)]) == len(EXPECTED)


@pytest.mark.sphinx(
    "html",
    testroot="errors",
    freshenv=True,
    confoverrides={"suppress_warnings": ["cahier.duplicate_id"]},
)
def test_duplicate_warning_has_its_own_subtype(app, warnings):
    assert not [w for w in warnings if "« partage » est utilisé deux fois" in w]
    assert [w for w in warnings if "niveau(x) manquant(s)" in w]


@pytest.mark.sphinx("html", testroot="errors", freshenv=True)
def test_a_rejected_box_renders_nothing_to_write_in(app, warnings):
    html = (app.outdir / "duplicate-same-page.html").read_text(encoding="utf-8")
    assert html.count('data-cahier-box="meme"') == 1


@pytest.mark.sphinx("html", testroot="errors", freshenv=True)
def test_a_box_left_open_puts_no_question_in_the_wrong_box(app, warnings):
    manifest = json.loads((app.outdir / "_static/cahier/manifest.json").read_text("utf-8"))
    by_id = {box["id"]: box for box in manifest["boxes"]}
    assert by_id["ouvert.en-moi"]["questions"] == ["Première question ?", "Deuxième question ?"]
    assert "ouvert.dans-mes-contextes" not in by_id
    assert by_id["premiere"]["questions"] == ["Première question ?"]
    assert "seconde" not in by_id
    # No "missing level" for the level reported as left inside another.
    assert not [w for w in warnings if "« ouvert » : niveau(x) manquant(s)" in w]
