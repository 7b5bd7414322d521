"""Participants keep their work: « Mon cahier », progress, export, import, print, erase."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

from cahier_helpers import (
    FILL_STORAGE_ON_DEMAND,
    box,
    box_input,
    dumps,
    import_file,
    open_book_page,
    open_mon_cahier,
    page_info,
    seed,
    snapshot,
    stored,
    wait_stored_text,
)
from markdown_it import MarkdownIt
from playwright.sync_api import expect

DAY_MS = 24 * 60 * 60 * 1000
TRICKY = (
    "Ligne 1 « guillemets » & <b>gras</b>\n</script><script>window.__pwned=1</script>\n<!-- fin"
)
ANSWERS = {
    "eveil.en-moi": "Éveil, en moi : " + TRICKY,
    "eveil.dans-mes-contextes": "Mes contextes\n\n— deuxième paragraphe ✍️",
    "eveil.rapports-de-pouvoir": "Pouvoir : qui décide ?",
    "regards.en-moi": "Regards, en moi\nsur deux lignes",
}
FILE_NAME = re.compile(r"^cahier-enap-coproduction-2025-\d{4}-\d{2}-\d{2}\.(html|json|md)$")


def now_ms(page) -> int:
    return page.evaluate("() => Date.now()")


def write_answers(page, url, answers=ANSWERS):
    """Type the answers on their pages (two pages) and wait until each is stored."""
    for name in sorted({bid.split(".")[0] for bid in answers}):
        open_book_page(page, url(name))
        prefix = page_info(page)["prefix"]
        for bid, text in answers.items():
            if bid.startswith(name + "."):
                box_input(page, bid).fill(text)
        for bid, text in answers.items():
            if bid.startswith(name + "."):
                wait_stored_text(page, prefix + bid, text)
    return prefix


def download(page, selector: str, tmp_path: Path) -> tuple[str, str]:
    with page.expect_download() as info:
        page.click(selector)
    dl = info.value
    target = tmp_path / dl.suggested_filename
    dl.save_as(target)
    return dl.suggested_filename, target.read_text(encoding="utf-8")


def embedded_json(html: str) -> dict:
    (data,) = re.findall(
        r'<script type="application/json" id="cahier-data">(.*?)</script>', html, re.S
    )
    return json.loads(data)


def test_progress_in_navigation_and_mon_cahier(page, url):
    write_answers(page, url)
    open_book_page(page, url("postures"))
    info = page_info(page)
    done = page.locator(".sidebar-tree a.reference.cahier-page-done")
    expect(done).to_have_count(1)
    expect(done).to_have_attribute("href", "eveil.html")
    expect(done.locator(".cahier-visually-hidden")).to_have_text(" (complété)")
    regards = page.locator('.sidebar-tree a.reference[href="regards.html"]')
    expect(regards).not_to_have_class(re.compile("cahier-page-done"))
    # The bar on every page: link, progress, export.
    nav = page.locator("nav.cahier-nav")
    expect(nav.locator("a")).to_have_attribute("href", "mon-cahier.html")
    expect(nav.locator(".cahier-nav-progress")).to_have_text(
        re.compile(r"^4 sur \d+ cases écrites$")
    )

    # Completing a page marks it at once.
    open_book_page(page, url("regards"))
    for bid in ["regards.dans-mes-contextes", "regards.rapports-de-pouvoir"]:
        box_input(page, bid).fill("fait")
        wait_stored_text(page, info["prefix"] + bid, "fait")
    expect(page.locator('.sidebar-tree a.reference[href="#"]')).to_have_class(
        re.compile("cahier-page-done")
    )

    open_mon_cahier(page, url("mon-cahier"))
    manifest = page.evaluate("() => fetch('../_static/cahier/manifest.json').then((r) => r.json())")
    text_boxes = [b for b in manifest["boxes"] if b["kind"] in ("reflection", "prompt")]
    expect(page.locator(".cahier-mc-count")).to_have_text(f"6 sur {len(text_boxes)} cases écrites")
    items = page.locator(".cahier-mc-box").evaluate_all(
        "(els) => els.map((e) => e.dataset.cahierMcBox)"
    )
    text_ids = [b["id"] for b in text_boxes]
    # Every text box, in book order (drawings, if listed, sit in between).
    assert [i for i in items if i in text_ids] == text_ids
    first = page.locator('.cahier-mc-box[data-cahier-mc-box="eveil.en-moi"]')
    expect(first.locator(".cahier-mc-answer")).to_have_text(ANSWERS["eveil.en-moi"])
    expect(first.locator("h3 a")).to_have_text("En moi")
    # A link relative to the page (written by the build): where it leads.
    assert (
        first.locator("h3 a")
        .evaluate("(a) => a.href")
        .endswith("/book/eveil.html#cahier-box-eveil.en-moi")
    )
    by_id = {b["id"]: b for b in text_boxes}
    expect(first.locator("li")).to_have_text(by_id["eveil.en-moi"]["questions"])
    expect(
        page.locator('.cahier-mc-box[data-cahier-mc-box="liens.en-moi"] .cahier-mc-empty')
    ).to_have_text("Pas encore de réponse")
    eveil_section = page.locator(".cahier-mc-page", has=first)
    expect(eveil_section.locator("h2")).to_have_text(by_id["eveil.en-moi"]["pageTitle"])
    # The link goes back to the box.
    first.locator("h3 a").click()
    page.wait_for_url(re.compile(r"eveil\.html#cahier-box-eveil\.en-moi$"))
    expect(box_input(page, "eveil.en-moi")).to_have_value(ANSWERS["eveil.en-moi"])
    assert page.evaluate("() => window.__pwned") is None


def test_export_html_json_markdown_hold_every_answer(page, url, tmp_path):
    prefix = write_answers(page, url)
    before = now_ms(page)
    open_mon_cahier(page, url("mon-cahier"))
    expect(page.locator(".cahier-mc-last-export")).to_have_text(
        "Vos réponses n'ont jamais été exportées."
    )

    name, html = download(page, "button.cahier-mc-export-html", tmp_path)
    assert FILE_NAME.match(name) and name.endswith(".html")
    expect(page.locator(".cahier-mc-status")).to_contain_text(
        f"4 réponse(s) exportée(s) dans {name}"
    )
    data = embedded_json(html)
    assert list(data) == ["format", "v", "book", "edition", "exported", "answers"]
    assert (data["format"], data["v"], data["book"], data["edition"]) == (
        "cahier-export",
        1,
        "enap-coproduction",
        "2025",
    )
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", data["exported"])
    assert {k: v["text"] for k, v in data["answers"].items()} == ANSWERS
    assert all(set(v) == {"text", "t"} and v["t"] <= before for v in data["answers"].values())
    # Nothing in an answer can end the data block or open a comment.
    assert html.count("</script>") == 1 and "<!-- fin" not in html
    assert "<script" not in html.replace('<script type="application/json" id="cahier-data">', "")
    assert "\\u003c/script\\u003e" in html
    # Readable without any script: every answer and question is in the HTML text.
    for text in ANSWERS.values():
        assert unescape(html).count(text) >= 1
    assert "Quels principes de la co-production remettent en question" in html
    assert "Pas encore de réponse" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)

    name, raw = download(page, "button.cahier-mc-export-json", tmp_path)
    assert FILE_NAME.match(name) and name.endswith(".json")
    data_json = json.loads(raw)
    assert {k: v["text"] for k, v in data_json["answers"].items()} == ANSWERS
    assert set(data_json) == {"format", "v", "book", "edition", "exported", "answers"}

    name, md = download(page, "button.cahier-mc-export-md", tmp_path)
    assert FILE_NAME.match(name) and name.endswith(".md")
    # Escaped for Markdown: a CommonMark renderer shows each answer as typed (test_markdown_export).
    shown = unescape(re.sub(r"<[^>]+>", "", MarkdownIt("commonmark").render(md)))
    for text in ANSWERS.values():
        assert text in shown
    assert "## Éveil" in md and "### En moi" in md

    meta = json.loads(stored(page, prefix + "_meta"))
    assert meta["v"] == 1 and meta["lastExport"] >= before
    expect(page.locator(".cahier-mc-last-export")).to_contain_text("Dernière exportation")


def test_export_takes_text_typed_just_before(page, url, tmp_path):
    open_book_page(page, url("eveil"))
    prefix = page_info(page)["prefix"]
    box_input(page, "eveil.en-moi").fill("tapé à l'instant")
    # Export without leaving the box (no blur) and before the debounce fires.
    with page.expect_download() as info:
        page.evaluate("() => document.querySelector('.cahier-nav-export').click()")
    target = tmp_path / "x.html"
    info.value.save_as(target)
    data = embedded_json(target.read_text(encoding="utf-8"))
    assert data["answers"]["eveil.en-moi"]["text"] == "tapé à l'instant"
    assert json.loads(stored(page, prefix + "eveil.en-moi"))["text"] == "tapé à l'instant"


def test_export_carries_text_that_a_full_storage_refused(context, url, tmp_path):
    """Exporting is the way out of a full storage: the file holds what is on screen."""
    context.add_init_script(FILL_STORAGE_ON_DEMAND)
    page = context.new_page()
    open_book_page(page, url("eveil"))
    prefix = page_info(page)["prefix"]
    box_input(page, "eveil.en-moi").fill("déjà enregistré")
    wait_stored_text(page, prefix + "eveil.en-moi", "déjà enregistré")
    page.evaluate("() => { window.__cahierFull = true; }")
    box_input(page, "eveil.en-moi").fill("déjà enregistré, puis refusé par le stockage plein")
    box_input(page, "eveil.rapports-de-pouvoir").fill("jamais enregistré")
    box_input(page, "eveil.en-moi").blur()
    expect(page.locator(".cahier-alert")).to_be_visible()
    with page.expect_download() as info:
        page.evaluate("() => document.querySelector('.cahier-nav-export').click()")
    target = tmp_path / "plein.html"
    info.value.save_as(target)
    answers = embedded_json(target.read_text(encoding="utf-8"))["answers"]
    assert answers["eveil.en-moi"]["text"] == "déjà enregistré, puis refusé par le stockage plein"
    assert answers["eveil.rapports-de-pouvoir"]["text"] == "jamais enregistré"
    # Storage still holds the last accepted text; nothing was overwritten or lost.
    assert json.loads(stored(page, prefix + "eveil.en-moi"))["text"] == "déjà enregistré"


def test_import_html_export_into_fresh_browser(browser, page, url, tmp_path, guard):
    write_answers(page, url)
    open_mon_cahier(page, url("mon-cahier"))
    name, _ = download(page, "button.cahier-mc-export-html", tmp_path)

    fresh = browser.new_context()
    try:
        other = fresh.new_page()
        guard.watch(other)
        open_mon_cahier(other, url("mon-cahier"))
        expect(other.locator(".cahier-mc-count")).to_have_text(re.compile(r"^0 sur \d+"))
        other.set_input_files("input.cahier-mc-import-file", str(tmp_path / name))
        dialog = other.locator("dialog.cahier-dialog")
        expect(dialog).to_be_visible()
        expect(dialog.locator(".cahier-import-new")).to_have_text("4 nouvelle(s) réponse(s).")
        dialog.locator("button.cahier-import-confirm").click()
        expect(dialog).to_have_count(0)
        expect(other.locator(".cahier-mc-status")).to_contain_text("4 réponse(s) importée(s).")
        expect(other.locator(".cahier-mc-count")).to_have_text(re.compile(r"^4 sur \d+"))
        for name_ in ["eveil", "regards"]:
            open_book_page(other, url(name_))
            for bid, text in ANSWERS.items():
                if bid.startswith(name_):
                    expect(box_input(other, bid)).to_have_value(text)
        assert other.evaluate("() => window.__pwned") is None
    finally:
        fresh.close()


def test_import_from_another_edition_takes_matching_ids(page, url):
    open_mon_cahier(page, url("mon-cahier"))
    prefix = page_info(page)["prefix"]
    newer = dumps({"v": 2, "text": "d'une version future", "t": 1})
    seed(
        page,
        {
            prefix + "regards.en-moi": newer,
            prefix + "liens.en-moi": dumps({"v": 1, "text": "ancien texte", "t": 5}),
        },
    )
    export = {
        "format": "cahier-export",
        "v": 1,
        "book": "enap-coproduction",
        "edition": "2024",
        "exported": "2024-10-20T10:00:00.000Z",
        "answers": {
            "eveil.en-moi": {"text": "de 2024", "t": 1_700_000_000_000},
            "liens.en-moi": {"text": "nouveau texte", "t": 1_700_000_000_001},
            "regards.en-moi": {"text": "écraserait", "t": 1_700_000_000_002},
            "ateliers.matin": {"text": "une case disparue", "t": 1_700_000_000_003},
        },
    }
    page.reload()
    open_mon_cahier(page, url("mon-cahier"))
    import_file(page, export)
    dialog = page.locator("dialog.cahier-dialog")
    expect(dialog.locator(".cahier-import-other-edition")).to_contain_text("l'édition 2024")
    expect(dialog.locator(".cahier-import-unknown")).to_contain_text("ateliers.matin")
    expect(dialog.locator(".cahier-import-protected")).to_contain_text("Regards")
    expect(dialog).to_contain_text("1 réponse(s) différente(s)")
    expect(dialog).to_contain_text("1 nouvelle(s) réponse(s).")
    dialog.locator("button.cahier-import-confirm").click()
    status = page.locator(".cahier-mc-status")
    expect(status).to_contain_text("2 réponse(s) importée(s).")
    expect(status).to_contain_text("ateliers.matin")
    assert json.loads(stored(page, prefix + "eveil.en-moi")) == {
        "v": 1,
        "text": "de 2024",
        "t": 1_700_000_000_000,
    }
    assert json.loads(stored(page, prefix + "liens.en-moi"))["text"] == "nouveau texte"
    assert stored(page, prefix + "regards.en-moi") == newer
    assert stored(page, prefix + "ateliers.matin") is None


def test_import_is_all_or_nothing(page, url):
    open_mon_cahier(page, url("mon-cahier"))
    prefix = page_info(page)["prefix"]
    seed(page, {prefix + "eveil.en-moi": dumps({"v": 1, "text": "garde-moi", "t": 3})})
    # Fill the origin's storage so that the last (large) answer of the file cannot be written.
    page.evaluate(
        """() => {
          let size = 1 << 20;
          let i = 0;
          while (size >= 1024) {
            try { localStorage.setItem("remplissage-" + i, "x".repeat(size)); i++; }
            catch { size >>= 1; }
          }
        }"""
    )
    before = snapshot(page)
    export = {
        "format": "cahier-export",
        "v": 1,
        "book": "enap-coproduction",
        "edition": "2025",
        "exported": "2025-10-20T10:00:00.000Z",
        "answers": {
            "eveil.en-moi": {"text": "remplacé", "t": 10},
            "regards.en-moi": {"text": "nouveau", "t": 11},
            "liens.en-moi": {"text": "y" * 400_000, "t": 12},
        },
    }
    import_file(page, export)
    page.locator("dialog.cahier-dialog button.cahier-import-confirm").click()
    expect(page.locator(".cahier-mc-error")).to_have_text(
        "L'importation a échoué (stockage plein ou bloqué) : chaque réponse a été remise comme "
        "avant ; rien n'a été importé."
    )
    after = snapshot(page)
    page.evaluate(
        "() => Object.keys(localStorage).filter((k) => k.startsWith('remplissage-'))"
        ".forEach((k) => localStorage.removeItem(k))"
    )
    assert after == before


def test_print_shows_a_long_answer_whole(page, url):
    open_book_page(page, url("eveil"))
    prefix = page_info(page)["prefix"]
    long_text = "\n".join(
        f"Ligne {n} de ma réflexion, assez longue pour compter." for n in range(1, 31)
    )
    box_input(page, "eveil.en-moi").fill(long_text)
    wait_stored_text(page, prefix + "eveil.en-moi", long_text)
    page.emulate_media(media="print")
    copy = box(page, "eveil.en-moi").locator(".cahier-box-print")
    expect(copy).to_be_visible()
    expect(box_input(page, "eveil.en-moi")).to_be_hidden()
    assert copy.text_content() == long_text
    geometry = page.evaluate(
        """() => {
          const b = document.querySelector('[data-cahier-box="eveil.en-moi"]');
          const c = b.querySelector('.cahier-box-print');
          const br = b.getBoundingClientRect(), cr = c.getBoundingClientRect();
          const line = parseFloat(getComputedStyle(c).lineHeight);
          return {scroll: c.scrollHeight, client: c.clientHeight, boxBottom: br.bottom,
                  copyBottom: cr.bottom, copyHeight: cr.height, line};
        }"""
    )
    assert geometry["scroll"] <= geometry["client"] + 1
    assert geometry["copyBottom"] <= geometry["boxBottom"] + 1
    assert geometry["copyHeight"] >= 30 * geometry["line"] - 2
    # The other boxes are empty: ruled lines, no copy.
    empty = box(page, "eveil.dans-mes-contextes")
    expect(empty.locator(".cahier-box-print")).to_be_hidden()
    assert empty.evaluate("(e) => getComputedStyle(e).backgroundImage").startswith(
        "repeating-linear-gradient"
    )
    # No navigation, no buttons.
    for selector in ["nav.cahier-nav", ".sidebar-drawer", "button"]:
        assert page.locator(selector).evaluate_all(
            "(els) => els.every((e) => getComputedStyle(e).display === 'none' || !e.offsetParent)"
        )

    page.emulate_media(media="screen")
    open_mon_cahier(page, url("mon-cahier"))
    page.emulate_media(media="print")
    answer = page.locator('.cahier-mc-box[data-cahier-mc-box="eveil.en-moi"] .cahier-mc-answer')
    expect(answer).to_be_visible()
    assert answer.text_content() == long_text
    assert answer.evaluate("(e) => e.scrollHeight <= e.clientHeight + 1")
    breaks = page.locator(".cahier-mc-page").evaluate_all(
        "(els) => els.map((e) => getComputedStyle(e).breakBefore)"
    )
    assert len(breaks) >= 5 and breaks[0] != "page" and set(breaks[1:]) == {"page"}
    expect(page.locator(".cahier-mc-actions")).to_be_hidden()


def test_erase_removes_this_edition_only(page, url):
    prefix = write_answers(page, url)
    others = {
        "cahier:autre-cahier:2025:eveil.en-moi": dumps({"v": 1, "text": "autre cahier", "t": 1}),
        "cahier:enap-coproduction:2024:eveil.en-moi": dumps({"v": 1, "text": "2024", "t": 1}),
        "cahier:enap-coproduction:2024:_meta": dumps({"v": 1, "lastExport": 1}),
        "preferences-d-un-autre-site": "garder",
        "cahier:enap-coproduction:2025x:eveil.en-moi": "voisin",
    }
    seed(page, {**others, prefix + "_meta": dumps({"v": 1, "lastExport": 1})})
    seed(page, {prefix + "liens.en-moi": dumps({"v": 9, "future": True})})
    open_mon_cahier(page, url("mon-cahier"))
    page.click("button.cahier-mc-erase")
    dialog = page.locator("dialog.cahier-dialog")
    expect(dialog).to_contain_text("Exportez-les d'abord")
    expect(dialog.locator("button.cahier-erase-export")).to_be_visible()
    dialog.locator("button.cahier-dialog-cancel").click()
    assert stored(page, prefix + "eveil.en-moi") is not None

    page.click("button.cahier-mc-erase")
    # The 4 answers, and the value kept as it is (a newer version's), named as erased too.
    expect(dialog).to_contain_text("les 4 réponse(s) de ce cahier (édition 2025)")
    expect(dialog.locator(".cahier-erase-kept li")).to_have_text(
        ["Liens – Co-production et gestion des crises — En moi"]
    )
    dialog.locator("button.cahier-erase-confirm").click()
    expect(page.locator(".cahier-mc-status")).to_have_text(
        "Vos réponses ont été effacées de ce navigateur."
    )
    expect(page.locator(".cahier-mc-count")).to_have_text(re.compile(r"^0 sur "))
    assert snapshot(page) == others
    open_book_page(page, url("eveil"))
    for bid in ["eveil.en-moi", "eveil.dans-mes-contextes"]:
        expect(box_input(page, bid)).to_have_value("")


def test_reminder_after_a_day_goes_away_after_export(page, url, tmp_path):
    open_book_page(page, url("eveil"))
    prefix = page_info(page)["prefix"]
    now = now_ms(page)
    seed(
        page,
        {
            prefix + "eveil.en-moi": dumps({"v": 1, "text": "d'hier", "t": now - DAY_MS // 2}),
            prefix + "_meta": dumps({"v": 1, "lastExport": now - 2 * DAY_MS}),
        },
    )
    page.reload()
    open_book_page(page, url("eveil"))
    reminder = page.locator(".cahier-reminder")
    expect(reminder).to_be_visible()
    expect(reminder).to_have_attribute("role", "status")
    expect(reminder).to_contain_text("Vos réponses ont changé depuis votre dernière exportation.")
    with page.expect_download():
        reminder.locator("button.cahier-reminder-export").click()
    expect(reminder).to_have_count(0)
    page.reload()
    open_book_page(page, url("eveil"))
    expect(page.locator("nav.cahier-nav")).to_be_visible()
    expect(page.locator(".cahier-reminder")).to_have_count(0)
    assert json.loads(stored(page, prefix + "_meta"))["lastExport"] >= now


def test_no_reminder_within_a_day_except_on_the_closing_page(page, url):
    open_book_page(page, url("eveil"))
    prefix = page_info(page)["prefix"]
    now = now_ms(page)
    seed(
        page,
        {
            prefix + "eveil.en-moi": dumps({"v": 1, "text": "tout neuf", "t": now}),
            prefix + "_meta": dumps({"v": 1, "lastExport": now - 60_000, "carryOver": {"x": 1}}),
        },
    )
    page.reload()
    open_book_page(page, url("eveil"))
    expect(page.locator("nav.cahier-nav")).to_be_visible()
    expect(page.locator(".cahier-reminder")).to_have_count(0)
    open_book_page(page, url("cloture"))
    reminder = page.locator(".cahier-reminder")
    expect(reminder).to_be_visible()
    reminder.locator("button.cahier-reminder-dismiss").click()
    expect(reminder).to_have_count(0)
    meta = json.loads(stored(page, prefix + "_meta"))
    assert meta["reminderDismissed"] >= now and meta["carryOver"] == {"x": 1}
    page.reload()
    open_book_page(page, url("cloture"))
    expect(page.locator("nav.cahier-nav")).to_be_visible()
    expect(page.locator(".cahier-reminder")).to_have_count(0)


def test_simulated_day_through_the_clock(context, url):
    """Date.now moved a day ahead (init script): an answer written now is due for a reminder."""
    page = context.new_page()
    open_book_page(page, url("eveil"))
    prefix = page_info(page)["prefix"]
    box_input(page, "eveil.en-moi").fill("écrit aujourd'hui")
    wait_stored_text(page, prefix + "eveil.en-moi", "écrit aujourd'hui")
    expect(page.locator(".cahier-reminder")).to_have_count(0)
    context.add_init_script(
        f"(() => {{ const real = Date.now; Date.now = () => real() + {DAY_MS + 60_000}; }})()"
    )
    page.reload()
    open_book_page(page, url("regards"))
    expect(page.locator(".cahier-reminder")).to_be_visible()


def test_persist_is_asked_once_after_the_first_save(page, url):
    open_book_page(page, url("eveil"))
    prefix = page_info(page)["prefix"]
    assert stored(page, prefix + "_meta") is None  # nothing asked at page load
    box_input(page, "eveil.en-moi").fill("premier mot")
    page.wait_for_function(
        "(k) => { const m = JSON.parse(localStorage.getItem(k) || '{}'); "
        "return m.persist && 'granted' in m.persist; }",
        arg=prefix + "_meta",
    )
    open_mon_cahier(page, url("mon-cahier"))
    expect(page.locator(".cahier-mc-persist")).to_have_text(
        re.compile("^Ce navigateur (a accepté|n'a pas promis)")
    )


def test_a_page_naming_a_removed_book_file_finds_todays(browser, url, guard):
    """A page kept by the browser's cache names the book file of an earlier build, which a new
    publication removed: the page asks the server for today's name, and speaks French, counts
    and marks the navigation all the same."""
    stale = []

    def older_build(route):
        if stale:
            route.continue_()
            return
        response = route.fetch()
        body = re.sub(r"book-[0-9a-f]{12}\.json", "book-000000000000.json", response.text())
        assert body != response.text()
        stale.append(body)
        route.fulfill(response=response, body=body)

    # No service worker: the test plays the browser's HTTP cache that kept the page.
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    guard.watch(page)
    write_answers(page, url)
    page.route("**/book/postures.html", older_build)
    missing = []
    page.on("response", lambda r: r.status == 404 and missing.append(r.url))
    open_book_page(page, url("postures"))
    assert stale and [u.rsplit("/", 1)[-1] for u in missing] == ["book-000000000000.json"]
    bid = page.locator(".cahier-box[data-cahier-box]").first.get_attribute("data-cahier-box")
    box_input(page, bid).fill("encore")
    expect(box(page, bid).locator(".cahier-box-status")).to_have_text("Enregistré")
    expect(page.locator("nav.cahier-nav .cahier-nav-progress")).to_have_text(
        re.compile(r"^\d+ sur \d+ cases écrites$")
    )
    expect(page.locator(".sidebar-tree a.reference.cahier-page-done")).to_have_count(1)
    # The 404 of the earlier file is the test's doing.
    guard.console_errors[:] = [m for m in guard.console_errors if "404" not in m]
    context.close()
