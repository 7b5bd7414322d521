"""Organizers' mistakes give a Sphinx error or warning naming the file and the line."""

import re

import pytest

# (file, line, level, message pattern) for each defect in tests/roots/test-errors/.
EXPECTED = [
    ("missing-id.md", 3, "ERROR", r"prompt: missing id"),
    ("malformed-id.md", 3, "ERROR", r"prompt: malformed id 'Clôture_Apprentissage'"),
    ("unknown-level.md", 13, "ERROR", r"unknown level 'en-nous'; one of: en-moi, "),
    ("empty-level.md", 7, "ERROR", r"level 'dans-mes-contextes' of 'vide' has no questions"),
    ("missing-level.md", 3, "WARNING", r"reflection 'manquant': missing level\(s\) dans-mes-co"),
    ("duplicate-level.md", 13, "ERROR", r"level 'en-moi' appears twice in reflection 'double'"),
    ("level-outside.md", 3, "ERROR", r"a level belongs inside a \{reflection\} directive"),
    ("unknown-option.md", 3, "WARNING", r"Unknown option keys: \['couleur'\]"),
    ("prompt-empty.md", 3, "ERROR", r"prompt 'vide': write the question, or give a :label:"),
    ("prompt-long.md", 3, "ERROR", r"several paragraphs needs a short :label:"),
    ("duplicate-same-page.md", 7, "ERROR", r"duplicate box id 'meme': already used on line 3"),
    ("duplicate-b.md", 5, "WARNING", r"duplicate box id 'partage': already used at duplicate-a"),
    ("stray-content.md", 4, "WARNING", r"only \{level\} directives belong inside a reflection"),
]


@pytest.fixture
def warnings(app) -> list[str]:
    app.build()
    text = re.sub(r"\x1b\[[0-9;]*m", "", app._warning.getvalue())
    return text.splitlines()


@pytest.mark.sphinx("html", testroot="errors", freshenv=True)
def test_every_defect_is_reported_once_at_its_file_and_line(app, warnings):
    for filename, line, level, pattern in EXPECTED:
        location = f"{app.srcdir / filename}:{line}: {level}: "
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
    assert not [w for w in warnings if "duplicate box id 'partage'" in w]
    assert [w for w in warnings if "missing level(s)" in w]


@pytest.mark.sphinx("html", testroot="errors", freshenv=True)
def test_a_rejected_box_renders_nothing_to_write_in(app, warnings):
    html = (app.outdir / "duplicate-same-page.html").read_text(encoding="utf-8")
    assert html.count('data-cahier-box="meme"') == 1
