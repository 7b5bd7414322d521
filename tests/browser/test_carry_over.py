"""The offer to bring answers over from the previous edition (carry-over.js), in Chromium.

A site of editions is built from the real book: its edition 2026 is prepared with
``cahier new-edition 2026`` (so ``cahier_previous_editions: ["2025"]``) and published with
``cahier site`` into ``/2026/``. The 2025 answers are seeded in the same origin's storage.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cahier_helpers import BOOK, box_input, copy_book, dumps, seed, text_of, workbook_storage
from sphinx_cahier import cli
from sphinx_cahier.config import TO_FILL
from sphinx_cahier.localserver import serve

OLD = f"cahier:{BOOK}:2025:"
NEW = f"cahier:{BOOK}:2026:"
READY = "#cahier-script[data-cahier-ready]"


def answer(text: str, t: int = 1_700_000_000_000) -> str:
    return dumps({"v": 1, "text": text, "t": t})


# The participant's 2025 answers; eveil.dans-mes-contextes is already answered in 2026.
OLD_ANSWERS = {
    OLD + "eveil.en-moi": answer("Ma réponse de 2025 (en moi)"),
    OLD + "eveil.dans-mes-contextes": answer("Mes contextes en 2025"),
    OLD + "attentes": answer("Mes attentes de 2025"),
    OLD + "eveil.rapports-de-pouvoir": answer("   "),  # blank: nothing to bring
    OLD + "ancienne.question": answer("Une boîte disparue en 2026"),  # not a 2026 box
    OLD + "dessin": answer("Du texte sous l'id du dessin"),  # a drawing in 2026: not for text
    OLD + "_meta": dumps({"v": 1, "lastExport": 1}),
}
NEW_ANSWERS = {NEW + "eveil.dans-mes-contextes": answer("Déjà écrit en 2026", 1_800_000_000_000)}


@pytest.fixture(scope="module")
def editions_site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("carry-over")
    book = copy_book(work)
    assert cli.main(["new-edition", "2026", str(book)]) == 0
    config = book / "_config.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace(f'cahier_dates: "{TO_FILL}"', 'cahier_dates: "Octobre 2026"')
    text = text.replace(f'cahier_place: "{TO_FILL}"', 'cahier_place: "Québec"')
    config.write_text(text, encoding="utf-8")
    site = work / "site"
    assert cli.main(["site", str(site), str(book)]) == 0
    return site


@pytest.fixture(scope="module")
def site_url(editions_site):
    """Overrides the session's site: this module serves its site of editions."""
    with serve(editions_site) as url:
        yield url


@pytest.fixture
def eveil(page, site_url):
    """The 2026 Éveil page, opened once the 2025 (and one 2026) answers are in storage."""
    page.goto(f"{site_url}/index.html")
    seed(page, {**OLD_ANSWERS, **NEW_ANSWERS})
    page.goto(f"{site_url}/2026/book/eveil.html")
    page.wait_for_selector(READY, state="attached")
    return page


def offer(page):
    return page.locator('.cahier-carry-over[data-cahier-carry-over="2025"]')


def test_the_offer_counts_only_answers_for_empty_boxes_of_this_edition(eveil):
    region = offer(eveil)
    region.wait_for()
    assert region.get_attribute("aria-label") == "Réponses d'une édition précédente"
    text = " ".join(region.inner_text().split())
    assert "Reprendre mes réponses de l'édition 2025 ?" in text
    # en-moi and attentes: not the answered, the blank, the vanished box nor the drawing.
    assert "pour 2 question(s) encore vide(s) ici" in text
    assert region.get_by_role("button", name="Reprendre mes réponses").is_visible()
    assert region.get_by_role("button", name="Non, merci").is_visible()


def test_accepting_fills_only_the_empty_boxes(eveil, site_url):
    before_2025 = {k: v for k, v in workbook_storage(eveil).items() if k.startswith(OLD)}
    offer(eveil).wait_for()
    with eveil.expect_navigation():
        offer(eveil).get_by_role("button", name="Reprendre mes réponses").click()
    eveil.wait_for_selector(READY, state="attached")

    stored = workbook_storage(eveil)
    assert text_of(stored.get(NEW + "eveil.en-moi")) == "Ma réponse de 2025 (en moi)"
    assert text_of(stored.get(NEW + "attentes")) == "Mes attentes de 2025"
    assert stored[NEW + "eveil.dans-mes-contextes"] == NEW_ANSWERS[NEW + "eveil.dans-mes-contextes"]
    assert NEW + "eveil.rapports-de-pouvoir" not in stored
    assert NEW + "ancienne.question" not in stored
    assert NEW + "dessin" not in stored  # text never lands in a drawing's key
    assert json.loads(stored[NEW + "_meta"])["carryOver"] == {"2025": "accepted"}
    # The 2025 edition is only read.
    assert {k: v for k, v in stored.items() if k.startswith(OLD)} == before_2025
    # The boxes show the copied answers; the offer is gone, and stays gone.
    assert box_input(eveil, "eveil.en-moi").input_value() == "Ma réponse de 2025 (en moi)"
    assert box_input(eveil, "eveil.dans-mes-contextes").input_value() == "Déjà écrit en 2026"
    assert offer(eveil).count() == 0
    eveil.goto(f"{site_url}/2026/book/index.html")
    eveil.wait_for_selector(READY, state="attached")
    assert box_input(eveil, "attentes").input_value() == "Mes attentes de 2025"
    eveil.wait_for_timeout(300)
    assert offer(eveil).count() == 0


def test_text_typed_before_accepting_is_never_replaced(eveil):
    offer(eveil).wait_for()
    box_input(eveil, "eveil.en-moi").fill("Écrit à l'instant")
    with eveil.expect_navigation():
        offer(eveil).get_by_role("button", name="Reprendre mes réponses").click()
    eveil.wait_for_selector(READY, state="attached")
    stored = workbook_storage(eveil)
    assert text_of(stored[NEW + "eveil.en-moi"]) == "Écrit à l'instant"
    assert text_of(stored[NEW + "attentes"]) == "Mes attentes de 2025"


def test_declining_leaves_everything_and_is_remembered(eveil):
    before = workbook_storage(eveil)
    offer(eveil).wait_for()
    offer(eveil).get_by_role("button", name="Non, merci").click()
    assert offer(eveil).count() == 0
    after = workbook_storage(eveil)
    meta = after.pop(NEW + "_meta")
    assert json.loads(meta) == {"v": 1, "carryOver": {"2025": "declined"}}
    assert after == before
    assert box_input(eveil, "eveil.en-moi").input_value() == ""

    eveil.reload()
    eveil.wait_for_selector(READY, state="attached")
    eveil.wait_for_timeout(300)
    assert offer(eveil).count() == 0
    after_reload = workbook_storage(eveil)
    after_reload.pop(NEW + "_meta")
    assert after_reload == before
