"""A box renamed or retired on purpose (``cahier_renamed``, ``cahier_retired``), in Chromium.

A site of editions is built from the real book: 2025 as it is, and 2026 prepared with
``cahier new-edition 2026`` in which ``cloture.apprentissage`` is renamed ``cloture.lecon`` and
``cloture.decision`` is removed, both recorded in ``_config.yml``. A plain ``cahier check`` passes,
``cahier site`` publishes it; then the 2025 answer to the renamed box follows it into 2026, by the
carry-over offer and by importing a 2025 export, and the 2025 edition is left untouched.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cahier_helpers import (
    BOOK,
    box_input,
    copy_book,
    dumps,
    import_file,
    open_mon_cahier,
    seed,
    text_of,
    workbook_storage,
)
from cli_helpers import edit
from playwright.sync_api import expect
from sphinx_cahier import cli
from sphinx_cahier.config import TO_FILL
from sphinx_cahier.localserver import serve

OLD = f"cahier:{BOOK}:2025:"
NEW = f"cahier:{BOOK}:2026:"
READY = "#cahier-script[data-cahier-ready]"
T = 1_700_000_000_000


def answer(text: str, t: int = T) -> str:
    return dumps({"v": 1, "text": text, "t": t})


@pytest.fixture(scope="module")
def editions_site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("renamed")
    book = copy_book(work)
    site = work / "site"
    assert cli.main(["site", str(site), str(book)]) == 0
    assert (
        cli.main(["new-edition", "2026", str(book), "--dates", "Octobre 2026", "--place", "Québec"])
        == 0
    )
    cloture = book / "book" / "cloture.md"
    edit(cloture, "{prompt} cloture.apprentissage", "{prompt} cloture.lecon")
    text = cloture.read_text(encoding="utf-8")
    start = text.index(":::{prompt} cloture.decision")
    end = text.index(":::", text.index("\n", start)) + 3
    cloture.write_text(text[:start] + text[end:], encoding="utf-8")
    config = book / "_config.yml"
    edit(
        config,
        'cahier_place: "Québec"',
        'cahier_place: "Québec"\n'
        "    cahier_retired: [cloture.decision]\n"
        "    cahier_renamed: {cloture.apprentissage: cloture.lecon}",
    )
    assert TO_FILL not in config.read_text(encoding="utf-8")
    # A plain check passes: the changes are deliberate, recorded in _config.yml.
    assert cli.main(["check", str(book)]) == 0
    assert cli.main(["site", str(site), str(book)]) == 0
    return site


@pytest.fixture(scope="module")
def site_url(editions_site):
    """Overrides the session's site: this module serves its site of editions."""
    with serve(editions_site) as url:
        yield url


OLD_ANSWERS = {
    OLD + "cloture.apprentissage": answer("Ma leçon de 2025"),
    OLD + "cloture.decision": answer("Une décision de 2025, retirée en 2026"),
    OLD + "attentes": answer("Mes attentes de 2025"),
}


def test_the_manifests_tell_the_renames(editions_site):
    new = json.loads((editions_site / "2026/_static/cahier/manifest.json").read_text("utf-8"))
    old = json.loads((editions_site / "2025/_static/cahier/manifest.json").read_text("utf-8"))
    assert new["renamed"] == {"cloture.apprentissage": "cloture.lecon"}
    assert new["retired"] == ["cloture.decision"]
    assert "cloture.lecon" in {box["id"] for box in new["boxes"]}
    assert old["renamed"] == {} and "cloture.apprentissage" in {b["id"] for b in old["boxes"]}


def accept_the_offer_on_cloture(page, site_url, empty: int) -> None:
    """Open the 2026 closing page, check that the offer of the 2025 answers counts ``empty``
    boxes to fill (the retired box is never one), accept it, wait for the page to come back."""
    page.goto(f"{site_url}/2026/book/cloture.html")
    page.wait_for_selector(READY, state="attached")
    region = page.locator('.cahier-carry-over[data-cahier-carry-over="2025"]')
    region.wait_for()
    assert f"pour {empty} question(s) encore vide(s) ici" in " ".join(region.inner_text().split())
    with page.expect_navigation():
        region.get_by_role("button", name="Reprendre mes réponses").click()
    page.wait_for_selector(READY, state="attached")


def test_carry_over_follows_a_renamed_box(page, site_url):
    page.goto(f"{site_url}/index.html")
    seed(page, OLD_ANSWERS)
    before_2025 = {k: v for k, v in workbook_storage(page).items() if k.startswith(OLD)}
    accept_the_offer_on_cloture(page, site_url, empty=2)  # the renamed box and « attentes »
    stored = workbook_storage(page)
    assert text_of(stored.get(NEW + "cloture.lecon")) == "Ma leçon de 2025"
    assert NEW + "cloture.apprentissage" not in stored
    assert NEW + "cloture.decision" not in stored
    assert text_of(stored.get(NEW + "attentes")) == "Mes attentes de 2025"
    assert box_input(page, "cloture.lecon").input_value() == "Ma leçon de 2025"
    # The 2025 answers, and so « Mon cahier » of 2025, are untouched.
    assert {k: v for k, v in stored.items() if k.startswith(OLD)} == before_2025
    page.goto(f"{site_url}/2025/book/cloture.html")
    page.wait_for_selector(READY, state="attached")
    assert box_input(page, "cloture.apprentissage").input_value() == "Ma leçon de 2025"
    assert box_input(page, "cloture.decision").input_value() == (
        "Une décision de 2025, retirée en 2026"
    )


def test_carry_over_never_replaces_the_renamed_box_written_here(page, site_url):
    page.goto(f"{site_url}/index.html")
    seed(page, {**OLD_ANSWERS, NEW + "cloture.lecon": answer("Déjà écrit en 2026", T + 1)})
    accept_the_offer_on_cloture(page, site_url, empty=1)  # « attentes »
    assert text_of(workbook_storage(page)[NEW + "cloture.lecon"]) == "Déjà écrit en 2026"


def export_2025(answers: dict[str, str]) -> dict:
    return {
        "format": "cahier-export",
        "v": 1,
        "book": BOOK,
        "edition": "2025",
        "exported": "2025-10-20T10:00:00.000Z",
        "answers": {box_id: {"text": text, "t": T} for box_id, text in answers.items()},
    }


def test_import_of_a_2025_file_follows_a_renamed_box(page, site_url):
    page.goto(f"{site_url}/index.html")
    seed(page, {NEW + "_meta": dumps({"v": 1, "carryOver": {"2025": "declined"}})})
    open_mon_cahier(page, f"{site_url}/2026/book/mon-cahier.html")
    import_file(
        page,
        export_2025(
            {
                "cloture.apprentissage": "Ma leçon importée",
                "cloture.decision": "Une case retirée",
                "attentes": "Mes attentes importées",
            }
        ),
    )
    dialog = page.locator("dialog.cahier-dialog")
    expect(dialog).to_contain_text("2 nouvelle(s) réponse(s).")
    expect(dialog.locator(".cahier-import-unknown")).to_contain_text("cloture.decision")
    expect(dialog.locator(".cahier-import-unknown")).not_to_contain_text("cloture.apprentissage")
    dialog.locator("button.cahier-import-confirm").click()
    expect(page.locator(".cahier-mc-status")).to_contain_text("2 réponse(s) importée(s).")
    stored = workbook_storage(page)
    assert text_of(stored.get(NEW + "cloture.lecon")) == "Ma leçon importée"
    assert NEW + "cloture.apprentissage" not in stored and NEW + "cloture.decision" not in stored


def test_import_replaces_a_different_renamed_box_and_prefers_the_new_id(page, site_url):
    page.goto(f"{site_url}/index.html")
    seed(
        page,
        {
            NEW + "_meta": dumps({"v": 1, "carryOver": {"2025": "declined"}}),
            NEW + "cloture.lecon": answer("Écrit en 2026", T + 5),
        },
    )
    open_mon_cahier(page, f"{site_url}/2026/book/mon-cahier.html")
    # Different: replaced, as for any box (same rules as an id that did not change).
    import_file(page, export_2025({"cloture.apprentissage": "Version du fichier"}))
    dialog = page.locator("dialog.cahier-dialog")
    expect(dialog).to_contain_text("1 réponse(s) différente(s)")
    dialog.locator("button.cahier-import-confirm").click()
    expect(page.locator(".cahier-mc-status")).to_contain_text("1 réponse(s) importée(s).")
    assert text_of(workbook_storage(page)[NEW + "cloture.lecon"]) == "Version du fichier"

    # A file holding both ids: the new id's own entry wins.
    both = export_2025({"cloture.apprentissage": "Ancien id", "cloture.lecon": "Nouvel id"})
    both["edition"] = "2026"
    import_file(page, both)
    dialog = page.locator("dialog.cahier-dialog")
    expect(dialog).to_contain_text("1 réponse(s) différente(s)")
    dialog.locator("button.cahier-import-confirm").click()
    expect(page.locator(".cahier-mc-status")).to_contain_text("1 réponse(s) importée(s).")
    assert text_of(workbook_storage(page)[NEW + "cloture.lecon"]) == "Nouvel id"
