"""Coming back (issue 13): the title page offers « Reprendre là où j'en étais » — the box written
last, by its time stamp — once something is written; before that, the way in to the first box."""

from __future__ import annotations

from cahier_helpers import dumps, open_book_page, page_info, seed
from playwright.sync_api import expect


def test_the_title_page_leads_back_to_the_box_written_last(page, url, site_dir):
    # Written by the build, so that nothing moves when the script fills it in.
    html = (site_dir / "book" / "index.html").read_text(encoding="utf-8")
    assert 'class="cahier-resume-link" href="#cahier-box-attentes"' in html

    open_book_page(page, url("index"))
    info = page_info(page)
    s = info["strings"]
    link = page.locator("a.cahier-resume-link")
    expect(link).to_have_text(s["resume_start"])

    seed(
        page,
        {
            info["prefix"] + "eveil.en-moi": dumps({"v": 1, "text": "ancien", "t": 1_700_000_0}),
            info["prefix"] + "liens.rapports-de-pouvoir": dumps(
                {"v": 1, "text": "le plus récent", "t": 1_700_000_9}
            ),
            # blank: not « written »
            info["prefix"] + "regards.en-moi": dumps({"v": 1, "text": " ", "t": 1_800_000_0}),
        },
    )
    page.reload()
    open_book_page(page, url("index"))
    expect(link).to_have_text(s["resume_last"])
    expect(link).to_have_attribute("href", "/book/liens.html#cahier-box-liens.rapports-de-pouvoir")
    link.click()
    page.wait_for_url("**/book/liens.html#cahier-box-liens.rapports-de-pouvoir")
    # Only the title page has it.
    assert page.locator("a.cahier-resume-link").count() == 0
