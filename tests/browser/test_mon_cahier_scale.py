"""« Mon cahier » at scale (issue 14): it does not move while it fills, an export or another tab
touches only what changed, and every file the cahier exports imports back, up to a full storage.

Deterministic: counted, never timed (benchmarks/mon_cahier.py measures the render time).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cahier_helpers import open_book_page, open_mon_cahier, page_info, snapshot
from playwright.sync_api import expect

MAX_CLS = 0.01
SCREENS = {"phone": (390, 844), "desktop": (1280, 800)}
#: Every request waits this long: without care, the page is drawn before its scripts have run.
LATENCY_MS = 150
#: What localStorage holds per origin, keys and values: 5 MiB of UTF-16 code units.
STORAGE_UNITS = 5 * 1024 * 1024
TOO_LARGE = "Ce fichier est trop volumineux pour être importé"
NOT_OURS = "n'est pas une exportation"

#: Counts the layout shifts of the page from its start (buffered), with what moved.
CLS = """() => new Promise((resolve) => {
  const shifts = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) shifts.push({value: e.value,
      sources: (e.sources || []).map((s) => (s.node && s.node.nodeName) + " "
        + (s.node && s.node.className) + " "
        + JSON.stringify([s.previousRect.y, s.currentRect.y]))});
  });
  observer.observe({type: "layout-shift", buffered: true});
  setTimeout(() => { observer.disconnect(); resolve(shifts); }, 300);
})"""

#: The module files of the page (the versioned folder of #cahier-script).
MODULE = """(name) => import(new URL(name, document.getElementById("cahier-script").src).href)"""

#: Fills storage: every box of the book (text: `chars` characters of French with accents and emoji,
#: on several lines; the drawing: strokes), `others` answers under ids this edition does not have,
#: and one value a newer version saved. Returns the box ids.
SEED = """async ([chars, others]) => {
  const d = document.getElementById("cahier-script").dataset;
  const prefix = `cahier:${d.cahierBook}:${d.cahierEdition}:`;
  const manifest = await (await fetch("../_static/cahier/manifest.json")).json();
  const script = document.getElementById("cahier-script").src;
  const codec = await import(new URL("sketch-codec.js", script).href);
  const words = ["Réflexion", "sur", "la", "co-production", "à", "Québec", "✍️", "naïveté", "«",
    "œuvre", "»", "élève", "🌱", "pouvoir", "and", "public", "service", "’", "ça"];
  const text = (seed, n) => {
    let out = "";
    for (let i = seed; out.length < n; i++) out += words[i % words.length] + (i % 23 ? " " : "\\n");
    return out.slice(0, n);
  };
  const t = Date.now() - 86_400_000;
  const ids = [];
  for (const [i, box] of manifest.boxes.entries()) {
    if (box.kind === "sketch") {
      const pts = [];
      for (let k = 0; k < 60; k++) pts.push(100 + 10 * k, 300 + (k % 7) * 9);
      const strokes = codec.encodeStrokes([{ c: 1, w: 7, pts, pr: null }]);
      localStorage.setItem(prefix + box.id, JSON.stringify({ v: 1, strokes, t }));
    } else {
      const value = { v: 1, text: text(i, chars), t: t + i };
      localStorage.setItem(prefix + box.id, JSON.stringify(value));
    }
    ids.push(box.id);
  }
  for (let i = 0; i < others; i++) {
    localStorage.setItem(`${prefix}ancien.case-${String(i).padStart(3, "0")}`,
      JSON.stringify({ v: 1, text: text(i, 300), t }));
  }
  const future = { v: 2, text: "d'une version future" };
  localStorage.setItem(prefix + "ancien.futur", JSON.stringify(future));
  return ids;
}"""


def fresh(browser, size=(1280, 800)):
    return browser.new_context(
        viewport={"width": size[0], "height": size[1]}, service_workers="block"
    )


def filled(page) -> None:
    """« Mon cahier » filled: its count written (whatever the version of the page)."""
    page.wait_for_function(
        "() => (document.querySelector('.cahier-mc-count')?.textContent || '').trim()",
        timeout=20_000,
    )


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("answers", ["empty", "many"])
def test_mon_cahier_does_not_move_while_it_fills(browser, guard, url, answers, screen):
    """Measured as Chromium reports it (layout-shift, buffered), each request delayed: the build
    wrote the list, the script fills it in while it is still invisible (mon-cahier.css)."""
    context = fresh(browser, SCREENS[screen])
    try:
        page = context.new_page()
        guard.watch(page)
        if answers == "many":
            open_book_page(page, url("index"))
            page.evaluate(SEED, [1500, 40])
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCY_MS,
                "downloadThroughput": -1,
                "uploadThroughput": -1,
            },
        )
        page.goto(url("mon-cahier"), wait_until="load")
        filled(page)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        shifts = page.evaluate(CLS)
        total = sum(s["value"] for s in shifts)
        assert total <= MAX_CLS, f"{answers}, {screen}: CLS {total:.4f}\n{shifts}"
        if answers == "many":
            expect(page.locator(".cahier-mc-answer").first).to_be_visible()
            expect(page.locator(".cahier-mc-others .cahier-mc-box")).to_have_count(41)
            expect(page.locator(".cahier-mc-drawing svg")).to_have_count(1)
    finally:
        context.close()


#: Whether « Mon cahier »'s list is drawn (not visibility: hidden) and whether it is filled.
LIST_STATE = """() => {
  const root = document.querySelector("[data-cahier-mon-cahier]");
  return { visible: getComputedStyle(root).visibility === "visible",
    filled: root.hasAttribute("data-cahier-mc-filled") };
}"""


def test_mon_cahier_list_shows_without_its_script(browser, url):
    """The list waits invisible for its script; a script that never runs (blocked, failed) leaves
    it as the build wrote it after 4 s, and without scripting it shows at once."""
    context = fresh(browser)
    try:
        page = context.new_page()
        page.route("**/*.js", lambda route: route.abort())
        page.goto(url("mon-cahier"), wait_until="load")
        assert page.evaluate(LIST_STATE) == {"visible": False, "filled": False}
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('[data-cahier-mon-cahier]'))"
            ".visibility === 'visible'",
            timeout=8_000,
        )
        expect(page.locator(".cahier-mc-empty").first).to_be_visible()
    finally:
        context.close()
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url("mon-cahier"), wait_until="load")
        assert page.evaluate(LIST_STATE) == {"visible": True, "filled": False}
        expect(page.locator(".cahier-mc-needs-js")).to_be_visible()
    finally:
        context.close()
    context = fresh(browser)
    try:
        page = context.new_page()
        page.goto(url("mon-cahier"), wait_until="load")
        filled(page)
        assert page.evaluate(LIST_STATE) == {"visible": True, "filled": True}
    finally:
        context.close()


#: Marks every box of the list and its answer, and records which boxes change from now on.
MARK = """() => {
  window.__changed = new Set();
  for (const box of document.querySelectorAll(".cahier-mc-box")) {
    box.__mark = box.dataset.cahierMcBox;
    if (box.lastElementChild) box.lastElementChild.__mark = box.dataset.cahierMcBox;
  }
  new MutationObserver((records) => {
    for (const r of records) {
      const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      const box = node && node.closest(".cahier-mc-box");
      if (box) window.__changed.add(box.dataset.cahierMcBox);
      else if (node && node.closest(".cahier-mc-list")) window.__changed.add("(the list)");
    }
  }).observe(document.querySelector(".cahier-mc-list"),
    { subtree: true, childList: true, characterData: true, attributes: true });
}"""

#: The boxes (and answers) of the list that are no longer the marked nodes.
REPLACED = """() => [...document.querySelectorAll(".cahier-mc-box")]
  .filter((box) => box.__mark !== box.dataset.cahierMcBox
    || (box.lastElementChild && box.lastElementChild.__mark !== box.dataset.cahierMcBox))
  .map((box) => box.dataset.cahierMcBox)"""


def test_an_export_or_another_tab_touches_only_what_changed(context, url, tmp_path):
    page = context.new_page()
    open_book_page(page, url("index"))
    page.evaluate(SEED, [400, 5])
    prefix = page_info(page)["prefix"]
    open_mon_cahier(page, url("mon-cahier"))
    last_export = page.locator(".cahier-mc-last-export")
    expect(last_export).to_have_text("Vos réponses n'ont jamais été exportées.")
    page.evaluate(MARK)

    # An export: the « last export » line changes, the list's nodes stay the same objects.
    with page.expect_download() as download:
        page.click("button.cahier-mc-export-html")
    download.value.save_as(tmp_path / "export.html")
    expect(last_export).to_contain_text("Dernière exportation")
    assert page.evaluate(REPLACED) == []
    assert page.evaluate("() => [...window.__changed]") == []

    # Another tab writes one box: only that box changes here.
    other = context.new_page()
    open_book_page(other, url("regards"))
    other.locator('textarea[name="regards.en-moi"]').fill("Écrit dans l'autre onglet.")
    answer = page.locator('.cahier-mc-box[data-cahier-mc-box="regards.en-moi"] .cahier-mc-answer')
    expect(answer).to_have_text("Écrit dans l'autre onglet.")
    assert page.evaluate("() => [...window.__changed]") == ["regards.en-moi"]
    assert page.evaluate(REPLACED) in ([], ["regards.en-moi"])
    # An answer under an id this edition does not have: added to « other answers », nothing else.
    other.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [
            prefix + "ancien.case-002b",
            json.dumps({"v": 1, "text": "ajoutée", "t": 1_760_000_000_000}),
        ],
    )
    added = page.locator('.cahier-mc-others [data-cahier-mc-box="ancien.case-002b"]')
    expect(added).to_contain_text("ajoutée")
    ids = page.locator(".cahier-mc-others .cahier-mc-box").evaluate_all(
        "(boxes) => boxes.map((b) => b.dataset.cahierMcBox)"
    )
    assert ids == sorted(ids) and len(ids) == 7
    assert page.evaluate(REPLACED) in (["ancien.case-002b"], ["ancien.case-002b", "regards.en-moi"])


def fill_storage(page, units: int) -> dict[str, str]:
    """Every text box of the book and the drawing, until keys and values hold about ``units``
    UTF-16 code units: French with accents, emoji, quotes and line breaks. Returns the storage."""
    page.evaluate(
        """([target]) => {
          const d = document.getElementById("cahier-script").dataset;
          const prefix = `cahier:${d.cahierBook}:${d.cahierEdition}:`;
          const used = () => Object.keys(localStorage).reduce(
            (n, k) => n + k.length + localStorage.getItem(k).length, 0);
          const keys = Object.keys(localStorage).filter((k) => k.startsWith(prefix)
            && JSON.parse(localStorage.getItem(k)).text !== undefined);
          const piece = "Écrire, c'est « penser » deux fois 🌱 — l'œuvre de Québec\\n"
            + "plain ASCII text, and \\"quotes\\" too ✍️ ça naïveté ";
          const room = target - used();
          const each = Math.floor(room / keys.length);
          const t = Date.now() - 3_600_000;
          for (const [i, key] of keys.entries()) {
            // Stored as JSON: a quote or a line break takes two units, an emoji two.
            const text = (n) => piece.repeat(Math.ceil(n / piece.length)).slice(0, n)
              .replace(/[\\ud800-\\udbff]$/, "");
            const value = (n) => JSON.stringify({ v: 1, text: text(n), t: t + i });
            let n = each;
            while (value(n).length > each) n -= 64 + (value(n).length - each);
            localStorage.setItem(key, value(n));
          }
          return used();
        }""",
        [units],
    )
    return snapshot(page)


@pytest.mark.parametrize("kind", ["html", "json"])
def test_a_full_storage_exports_and_imports_back(browser, guard, url, tmp_path, kind):
    source = fresh(browser)
    target = fresh(browser)
    try:
        page = source.new_page()
        guard.watch(page)
        open_book_page(page, url("index"))
        page.evaluate(SEED, [1000, 0])
        page.evaluate(
            "(key) => localStorage.removeItem(key)", page_info(page)["prefix"] + "ancien.futur"
        )
        stored = fill_storage(page, 5_000_000)
        prefix = page_info(page)["prefix"]
        ours = {k: v for k, v in stored.items() if k.startswith(prefix)}
        units = sum(len(k) + len(v) for k, v in stored.items())
        assert 4_900_000 <= units <= STORAGE_UNITS
        assert len([k for k in ours if '"strokes"' in ours[k]]) == 1

        open_mon_cahier(page, url("mon-cahier"))
        with page.expect_download() as download:
            page.click(f"button.cahier-mc-export-{kind}")
        file = tmp_path / download.value.suggested_filename
        download.value.save_as(file)
        size = file.stat().st_size
        assert size > 5 * 1024 * 1024  # more than the 5 MB that the import once refused

        other = target.new_page()
        guard.watch(other)
        open_mon_cahier(other, url("mon-cahier"))
        other.set_input_files("input.cahier-mc-import-file", str(file))
        dialog = other.locator("dialog.cahier-dialog")
        expect(dialog).to_be_visible(timeout=20_000)
        expect(dialog.locator(".cahier-import-new")).to_have_text(
            f"{len(ours)} nouvelle(s) réponse(s)."
        )
        dialog.locator("button.cahier-import-confirm").click()
        expect(other.locator(".cahier-mc-status")).to_contain_text(
            f"{len(ours)} réponse(s) importée(s).", timeout=20_000
        )
        imported = {k: v for k, v in snapshot(other).items() if k.startswith(prefix)}
        imported.pop(prefix + "_meta", None)
        assert imported == ours

        if kind == "html":
            # Our file cut short (the copy stopped halfway): damaged, not foreign.
            cut = tmp_path / "coupe.html"
            cut.write_bytes(file.read_bytes()[: size // 2])
            other.set_input_files("input.cahier-mc-import-file", str(cut))
            expect(other.locator(".cahier-mc-error")).to_contain_text("abîmé")
    finally:
        source.close()
        target.close()


def limit_text(page) -> tuple[int, str]:
    """The import's limit in bytes, and as the message names it."""
    limit = page.evaluate(f"() => ({MODULE})('import.js').then((m) => m.MAX_BYTES)")
    mb = f"{limit / 1e6:.1f}".replace(".", ",").replace(",0", "")
    return limit, f"{mb} Mo"


def test_a_file_larger_than_any_export_is_said_too_large(page, url, tmp_path):
    open_mon_cahier(page, url("mon-cahier"))
    limit, named = limit_text(page)
    # What a full storage can export, at the costliest: every unit 10 bytes or more.
    assert limit >= 10 * STORAGE_UNITS
    for name in ("enorme.html", "enorme.json"):
        big = tmp_path / name
        with big.open("wb") as f:  # sparse: nothing is written, the size is what counts
            f.truncate(limit + 1)
        assert os.path.getsize(big) == limit + 1
        page.set_input_files("input.cahier-mc-import-file", str(big))
        error = page.locator(".cahier-mc-error")
        expect(error).to_contain_text(TOO_LARGE)
        expect(error).to_contain_text(f"plus de {named}")
        expect(error).not_to_contain_text(NOT_OURS)
        page.evaluate("() => { document.querySelector('.cahier-mc-error').textContent = ''; }")


#: The costliest things to export, per UTF-16 code unit of storage (EXPORT_BYTES_PER_UNIT).
WORST = {
    "lt": "<" * 20_000,
    "gt": ">" * 20_000,
    "amp": "&" * 20_000,
    "separators": "\u2028\u2029" * 10_000,
    "controls": "\u0001\u0002\u001f" * 5_000,
    "quotes": "\"'" * 10_000,
    "bmp": "€œ«»" * 5_000,
    "emoji": "🌱✍️" * 5_000,
}


@pytest.mark.parametrize("what", [*WORST, "pressure drawing"])
def test_the_html_export_stays_within_the_bound_the_import_uses(page, url, tmp_path, what):
    """Every stored UTF-16 code unit costs at most EXPORT_BYTES_PER_UNIT bytes in the HTML file,
    beyond the book's own text: the import's limit holds every export of a full storage."""
    open_book_page(page, url("index"))
    prefix = page_info(page)["prefix"]
    if what == "pressure drawing":
        # A pen whose pressure changes at every point: one path per point in the image.
        page.evaluate(
            f"""async (prefix) => {{
              const codec = await ({MODULE})("sketch-codec.js");
              const pts = [], pr = [];
              for (let i = 0; i < 4000; i++) {{
                pts.push(985 + (i % 2 ? 14 : 0) + (i % 3 ? 1 : 0));
                pts.push(735 + (i % 4 ? 15 : 0) - (i % 2));
                pr.push(i % 2 ? 62 : 1);
              }}
              const strokes = codec.encodeStrokes([{{ c: 5, w: 60, pts, pr }}]);
              const value = {{ v: 1, strokes, t: 1760000000000 }};
              localStorage.setItem(prefix + "dessin", JSON.stringify(value));
            }}""",
            prefix,
        )
    else:
        page.evaluate(
            "([key, text]) => localStorage.setItem(key,"
            " JSON.stringify({v: 1, text, t: 1760000000000}))",
            [prefix + "eveil.en-moi", WORST[what]],
        )
    units = page.evaluate(
        "(prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix))"
        ".reduce((n, k) => n + k.length + localStorage.getItem(k).length, 0)",
        prefix,
    )
    open_mon_cahier(page, url("mon-cahier"))
    per_unit = page.evaluate(f"() => ({MODULE})('export.js').then((m) => m.EXPORT_BYTES_PER_UNIT)")
    book = page.evaluate(f"() => ({MODULE})('import.js').then((m) => m.BOOK_TEXT_BYTES)")
    with page.expect_download() as download:
        page.click("button.cahier-mc-export-html")
    file = tmp_path / "x.html"
    download.value.save_as(file)
    empty = tmp_path / "empty.html"
    page.evaluate(
        "(prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix))"
        ".forEach((k) => localStorage.removeItem(k))",
        prefix,
    )
    open_mon_cahier(page, url("mon-cahier"))
    with page.expect_download() as download:
        page.click("button.cahier-mc-export-html")
    download.value.save_as(empty)
    book_text = empty.stat().st_size
    assert book_text <= book
    answers = file.stat().st_size - book_text
    assert answers <= per_unit * units, (what, answers, units)
    if what != "pressure drawing":
        assert answers <= 10 * units, (what, answers, units)  # text: 10 at most (export.js)
    # ... and the data block still carries the value exactly.
    html = file.read_text(encoding="utf-8")
    data = json.loads(html.split('id="cahier-data">')[1].split("</script>")[0])
    if what != "pressure drawing":
        assert data["answers"]["eveil.en-moi"]["text"] == WORST[what]
    assert Path(file).read_bytes().count(b"<script") == 1
