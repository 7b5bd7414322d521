"""Export with the network gone (issue 9, point 3): once a page is loaded, every export still
gives a file; what cannot be done is said in plain French (role="alert"), with the way out.

Service workers are blocked here: the pages themselves must keep the export working offline
(before a service worker is installed, or in a browser where none runs)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cahier_helpers import (
    box_input,
    dumps,
    open_book_page,
    open_mon_cahier,
    page_info,
    seed,
    wait_stored_text,
)
from playwright.sync_api import expect

NOW = 1_760_000_000_000
EXPORT_JS = re.compile(r".*/export\.js(\?.*)?$")
MANIFEST = re.compile(r".*/manifest\.json(\?.*)?$")
SEEDED = {
    "eveil.en-moi": "Écrit hier, sur la page Éveil.",
    "regards.dans-mes-contextes": "Écrit hier aussi.\nSur deux lignes.",
}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "service_workers": "block"}


def seed_answers(page, url) -> str:
    open_book_page(page, url("index"))
    prefix = page_info(page)["prefix"]
    seed(page, {prefix + k: dumps({"v": 1, "text": v, "t": NOW}) for k, v in SEEDED.items()})
    return prefix


def embedded(html: str) -> dict:
    (data,) = re.findall(
        r'<script type="application/json" id="cahier-data">(.*?)</script>', html, re.S
    )
    return json.loads(data)


def click_download(page, selector: str, tmp_path: Path) -> tuple[str, str]:
    with page.expect_download(timeout=5000) as info:
        page.click(selector)
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return info.value.suggested_filename, target.read_text(encoding="utf-8")


def forget_network_errors(guard):
    """Chromium logs each refused request ("Failed to load resource: net::…") as a console
    error; those are the test's doing, not an error of Cahier's scripts."""
    guard.console_errors[:] = [m for m in guard.console_errors if "net::ERR_" not in m]


def test_bar_export_works_offline_once_the_page_is_loaded(context, url, tmp_path):
    page = context.new_page()
    seed_answers(page, url)
    open_book_page(page, url("postures"))
    page.wait_for_load_state("networkidle")
    context.set_offline(True)
    box_input(page, "postures.en-moi").fill("Tapé hors ligne.")
    name, html = click_download(page, "nav.cahier-nav button.cahier-nav-export", tmp_path)
    assert name.endswith(".html")
    answers = embedded(html)["answers"]
    assert {k: v["text"] for k, v in answers.items()} == {
        **SEEDED,
        "postures.en-moi": "Tapé hors ligne.",
    }
    # The whole file: the workbook's pages and questions, not only the answers.
    assert "Quels principes de la co-production remettent en question" in html
    expect(page.locator(".cahier-export-alert")).to_have_count(0)


def test_a_first_answer_prepares_the_export_for_later(context, url, tmp_path):
    """Nothing stored when the page loads (nothing extra is downloaded then); the first answer
    typed prepares the export, so that it works after the network goes."""
    page = context.new_page()
    open_book_page(page, url("liens"))
    prefix = page_info(page)["prefix"]
    page.wait_for_load_state("networkidle")
    box_input(page, "liens.en-moi").fill("Ma première réponse.")
    wait_stored_text(page, prefix + "liens.en-moi", "Ma première réponse.")
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => performance.getEntriesByType('resource')"
        ".some((e) => e.name.includes('/manifest.json') && e.responseEnd > 0)",
        timeout=5000,
    )
    context.set_offline(True)
    _, html = click_download(page, "nav.cahier-nav button.cahier-nav-export", tmp_path)
    assert embedded(html)["answers"]["liens.en-moi"]["text"] == "Ma première réponse."


def test_mon_cahier_exports_offline(context, url, tmp_path):
    page = context.new_page()
    seed_answers(page, url)
    open_mon_cahier(page, url("mon-cahier"))
    page.wait_for_load_state("networkidle")
    context.set_offline(True)
    status = page.locator(".cahier-mc-status")
    for kind, selector in [
        ("html", "button.cahier-mc-export-html"),
        ("json", "button.cahier-mc-export-json"),
        ("md", "button.cahier-mc-export-md"),
    ]:
        name, content = click_download(page, selector, tmp_path)
        assert name.endswith("." + kind)
        expect(status).to_contain_text(f"2 réponse(s) exportée(s) dans {name}")
        for text in SEEDED.values():
            assert text.split("\n")[0] in content
    expect(page.locator(".cahier-mc-error")).to_be_empty()


def test_export_code_not_loaded_is_said_with_the_way_out(context, url, tmp_path, guard):
    """The network went before the export code could load (here: it is refused): an alert says
    so in plain French and what to do; once the network is back, the same button works."""
    page = context.new_page()
    seed_answers(page, url)
    page.route(EXPORT_JS, lambda route: route.abort("internetdisconnected"))
    open_book_page(page, url("eveil"))
    page.wait_for_load_state("networkidle")
    page.click("nav.cahier-nav button.cahier-nav-export")
    alert = page.locator(".cahier-export-alert")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("L'exportation n'a pas pu se faire")
    expect(alert).to_contain_text("gardez cette page ouverte")
    expect(alert).to_contain_text("copiez vos réponses dans un document")
    forget_network_errors(guard)

    page.unroute(EXPORT_JS)
    _, html = click_download(page, "nav.cahier-nav button.cahier-nav-export", tmp_path)
    assert set(embedded(html)["answers"]) == set(SEEDED)
    expect(alert).to_have_count(0)


def test_without_the_manifest_the_file_still_holds_every_answer(context, url, tmp_path, guard):
    """The list of questions (manifest.json) never arrived: the HTML file still holds every
    answer, by box, imports again, and an alert says what is missing and how to get it."""
    page = context.new_page()
    seed_answers(page, url)
    page.route(MANIFEST, lambda route: route.abort("internetdisconnected"))
    open_book_page(page, url("eveil"))
    page.wait_for_load_state("networkidle")
    box_input(page, "eveil.rapports-de-pouvoir").fill("Encore à l'écran.")
    name, html = click_download(page, "nav.cahier-nav button.cahier-nav-export", tmp_path)
    data = embedded(html)
    assert {k: v["text"] for k, v in data["answers"].items()} == {
        **SEEDED,
        "eveil.rapports-de-pouvoir": "Encore à l'écran.",
    }
    # Readable: each answer under its box id.
    assert "eveil.en-moi" in html and "Écrit hier, sur la page Éveil." in html
    alert = page.locator(".cahier-export-alert")
    expect(alert).to_contain_text(name)
    expect(alert).to_contain_text("sans les questions")
    expect(alert).to_contain_text("reconnectez-vous")
    forget_network_errors(guard)


def test_preparing_the_export_stays_within_the_request_budget(browser, url):
    """A participant with answers: the page loads the export code and the manifest at idle time,
    once; a first visitor with nothing written loads neither (test_budget.py)."""
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        seed_answers(page, url)
        responses = []
        page.on("response", lambda r: responses.append(r.url))
        open_book_page(page, url("savoirs"))
        page.wait_for_load_state("networkidle")
        page.wait_for_function(
            "() => performance.getEntriesByType('resource')"
            ".some((e) => e.name.includes('/manifest.json') && e.responseEnd > 0)",
            timeout=5000,
        )
        names = [u.split("?")[0].rsplit("/", 1)[-1] for u in responses]
        assert names.count("export.js") == 1 and names.count("manifest.json") == 1, names
        assert len(responses) <= 16, responses
    finally:
        context.close()
