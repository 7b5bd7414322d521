"""Values this version cannot read (a newer version's, unreadable ones) are kept, shown and
exported as they are, and erasing names them (issue 9, point 8)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cahier_helpers import dumps, open_mon_cahier, page_info, seed, snapshot, stored
from playwright.sync_api import expect

NEWER = '{"v": 2,  "text": "écrit par le cahier de 2027", "t": 1760000000000, "extra": [1]}'
UNREADABLE = '{"v": 1, "text": "coupé en plein mil'
BAD_DRAWING = '{"v":1,"strokes":[{"c":99,"w":7,"p":"00"}],"t":1760000000000}'
NEWER_UNKNOWN_BOX = '{"v":3,"blob":"\\u00e9t\\u00e9 </script><!--"}'
KEPT = {
    "eveil.en-moi": NEWER,
    "eveil.dans-mes-contextes": UNREADABLE,
    "dessin": BAD_DRAWING,
    "ateliers.matin": NEWER_UNKNOWN_BOX,
}
ORDINARY = {"regards.en-moi": "Une réponse ordinaire."}
NEWER_NOTE = "Enregistrée par une version plus récente du cahier"
UNREADABLE_NOTE = "Illisible"


def seed_all(page, url) -> str:
    open_mon_cahier(page, url("mon-cahier"))
    prefix = page_info(page)["prefix"]
    seed(page, {prefix + k: v for k, v in KEPT.items()})
    seed(
        page,
        {
            prefix + k: dumps({"v": 1, "text": v, "t": 1_760_000_000_000})
            for k, v in ORDINARY.items()
        },
    )
    page.reload()
    open_mon_cahier(page, url("mon-cahier"))
    return prefix


def download(page, selector: str, tmp_path: Path) -> str:
    with page.expect_download() as info:
        page.click(selector)
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_text(encoding="utf-8")


def mc_box(page, box_id: str):
    return page.locator(f'.cahier-mc-box[data-cahier-mc-box="{box_id}"]')


def test_mon_cahier_shows_values_kept_as_they_are(page, url):
    prefix = seed_all(page, url)
    expect(mc_box(page, "eveil.en-moi").locator(".cahier-mc-kept")).to_contain_text(NEWER_NOTE)
    expect(mc_box(page, "eveil.dans-mes-contextes").locator(".cahier-mc-kept")).to_contain_text(
        UNREADABLE_NOTE
    )
    # A drawing whose strokes do not validate is not drawn: it is said to be unreadable.
    drawing = mc_box(page, "dessin")
    expect(drawing.locator(".cahier-mc-kept")).to_contain_text(UNREADABLE_NOTE)
    expect(drawing.locator("svg")).to_have_count(0)
    expect(mc_box(page, "ateliers.matin").locator(".cahier-mc-kept")).to_contain_text(NEWER_NOTE)
    expect(mc_box(page, "regards.en-moi").locator(".cahier-mc-answer")).to_have_text(
        ORDINARY["regards.en-moi"]
    )
    for box_id in KEPT:
        expect(mc_box(page, box_id).locator(".cahier-mc-empty")).to_have_count(0)
        assert stored(page, prefix + box_id) == KEPT[box_id]


def test_exports_carry_them_byte_for_byte_and_say_so(page, url, tmp_path):
    prefix = seed_all(page, url)
    before = snapshot(page)

    data = json.loads(download(page, "button.cahier-mc-export-json", tmp_path))
    assert data["raw"] == KEPT
    assert {k: v["text"] for k, v in data["answers"].items()} == ORDINARY
    status = page.locator(".cahier-mc-status")
    expect(status).to_contain_text("1 réponse(s) exportée(s)")
    expect(status).to_contain_text("4 réponse(s)")
    expect(status).to_contain_text("telles quelles")

    html = download(page, "button.cahier-mc-export-html", tmp_path)
    (embedded,) = re.findall(
        r'<script type="application/json" id="cahier-data">(.*?)</script>', html, re.S
    )
    assert json.loads(embedded)["raw"] == KEPT
    assert html.count("</script>") == 1 and "<!--" not in html
    assert "Enregistrée par une version plus récente du cahier" in html
    assert "Illisible" in html and "ateliers.matin" in html

    md = download(page, "button.cahier-mc-export-md", tmp_path)
    assert "Enregistrée par une version plus récente du cahier" in md and "Illisible" in md
    assert "ateliers.matin" in md

    # Exporting never touches what is stored.
    after = snapshot(page)
    for values in (before, after):
        values.pop(prefix + "_meta", None)  # the last export's time
    assert after == before


def test_erase_names_what_it_removes(page, url):
    prefix = seed_all(page, url)
    page.click("button.cahier-mc-erase")
    dialog = page.locator("dialog.cahier-dialog")
    expect(dialog).to_contain_text("les 1 réponse(s) de ce cahier (édition 2025)")
    kept = dialog.locator(".cahier-erase-kept")
    expect(kept).to_contain_text("4 réponse(s)")
    expect(kept).to_contain_text("aussi effacée")
    expect(kept.locator("li")).to_have_count(4)
    expect(kept).to_contain_text("En moi")
    expect(kept).to_contain_text("Mon dessin")
    expect(kept).to_contain_text("ateliers.matin")
    dialog.locator("button.cahier-erase-confirm").click()
    expect(page.locator(".cahier-mc-status")).to_have_text(
        "Vos réponses ont été effacées de ce navigateur."
    )
    assert not [k for k in snapshot(page) if k.startswith(prefix)]
