"""Import refuses every bad file: a clear French message, storage unchanged, no script run."""

from __future__ import annotations

import json

from cahier_helpers import dumps, open_mon_cahier, page_info, seed, snapshot
from playwright.sync_api import expect

BOOK = "enap-coproduction"
GOOD = {
    "format": "cahier-export",
    "v": 1,
    "book": BOOK,
    "edition": "2025",
    "exported": "2025-10-20T10:00:00.000Z",
    "answers": {"eveil.en-moi": {"text": "importé", "t": 1_700_000_000_000}},
}
NOT_OURS = "Ce fichier n'est pas une exportation du cahier"
DAMAGED = "Ce fichier ressemble à une exportation du cahier, mais il est abîmé ou incomplet."
NEWER = "Ce fichier a été créé par une version plus récente du cahier"
OTHER_BOOK = "Ce fichier appartient à un autre cahier (autre-cahier)."
NOTHING = "Rien à importer"
PWN = "window.__pwned = (window.__pwned || 0) + 1"


def good(**changes) -> dict:
    data = json.loads(json.dumps(GOOD))
    for key, value in changes.items():
        if value is ...:
            del data[key]
        else:
            data[key] = value
    return data


def with_answer(entry) -> dict:
    return good(answers={"eveil.en-moi": entry})


def html_export(data_text: str, extra: str = "") -> str:
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Cahier</title></head><body>"
        f'{extra}<script type="application/json" id="cahier-data">{data_text}</script>'
        "</body></html>"
    )


GOOD_JSON = dumps(GOOD)
GOOD_HTML = html_export(GOOD_JSON.replace("<", "\\u003c"))

# (name, file content (str or bytes), expected message start)
CORPUS: list[tuple[str, str | bytes, str]] = [
    ("empty.json", "", NOT_OURS),
    ("blank.json", "   \n\t ", NOT_OURS),
    ("text.txt", "Mes réponses du cahier", NOT_OURS),
    ("not-json.json", "{ceci n'est pas du JSON}", NOT_OURS),
    ("brace.json", "{", NOT_OURS),
    ("truncated.json", GOOD_JSON[: len(GOOD_JSON) // 2], DAMAGED),
    ("truncated-end.json", GOOD_JSON[:-1], DAMAGED),
    ("truncated.html", GOOD_HTML[: GOOD_HTML.index("importé")], DAMAGED),
    ("array.json", "[1, 2, 3]", NOT_OURS),
    ("null.json", "null", NOT_OURS),
    ("number.json", "42", NOT_OURS),
    ("string.json", '"cahier-export"', NOT_OURS),
    ("object.json", "{}", NOT_OURS),
    ("manifest.json", dumps({"format": "cahier-manifest", "v": 1, "boxes": []}), NOT_OURS),
    ("no-format.json", dumps(good(format=...)), NOT_OURS),
    ("format-type.json", dumps(good(format=["cahier-export"])), NOT_OURS),
    ("no-v.json", dumps(good(v=...)), DAMAGED),
    ("v-string.json", dumps(good(v="1")), DAMAGED),
    ("v-zero.json", dumps(good(v=0)), DAMAGED),
    ("v-float.json", dumps(good(v=1.5)), DAMAGED),
    ("v-newer.json", dumps(good(v=2)), NEWER),
    ("no-book.json", dumps(good(book=...)), DAMAGED),
    ("book-number.json", dumps(good(book=7)), DAMAGED),
    ("book-empty.json", dumps(good(book="")), DAMAGED),
    ("other-book.json", dumps(good(book="autre-cahier")), OTHER_BOOK),
    ("other-book.html", html_export(dumps(good(book="autre-cahier"))), OTHER_BOOK),
    ("no-edition.json", dumps(good(edition=...)), DAMAGED),
    ("edition-null.json", dumps(good(edition=None)), DAMAGED),
    ("edition-number.json", dumps(good(edition=2025)), DAMAGED),
    ("no-exported.json", dumps(good(exported=...)), DAMAGED),
    ("exported-number.json", dumps(good(exported=1_700_000_000_000)), DAMAGED),
    ("no-answers.json", dumps(good(answers=...)), DAMAGED),
    ("answers-array.json", dumps(good(answers=[{"text": "x", "t": 1}])), DAMAGED),
    ("answers-string.json", dumps(good(answers="eveil.en-moi")), DAMAGED),
    ("answers-null.json", dumps(good(answers=None)), DAMAGED),
    ("entry-string.json", dumps(with_answer("importé")), DAMAGED),
    ("entry-array.json", dumps(with_answer(["importé", 1])), DAMAGED),
    ("entry-null.json", dumps(with_answer(None)), DAMAGED),
    ("text-number.json", dumps(with_answer({"text": 42, "t": 1})), DAMAGED),
    ("text-null.json", dumps(with_answer({"text": None, "t": 1})), DAMAGED),
    ("text-object.json", dumps(with_answer({"text": {"toString": PWN}, "t": 1})), DAMAGED),
    ("text-missing.json", dumps(with_answer({"t": 1})), DAMAGED),
    ("t-string.json", dumps(with_answer({"text": "x", "t": "1700000000000"})), DAMAGED),
    ("t-missing.json", dumps(with_answer({"text": "x"})), DAMAGED),
    ("t-negative.json", dumps(with_answer({"text": "x", "t": -1})), DAMAGED),
    ("unknown-field.json", dumps(good(extra="champ inconnu")), DAMAGED),
    ("unknown-entry-field.json", dumps(with_answer({"text": "x", "t": 1, "html": "<b>"})), DAMAGED),
    ("id-upper.json", dumps(good(answers={"Eveil.EN-MOI": {"text": "x", "t": 1}})), DAMAGED),
    ("id-path.json", dumps(good(answers={"../eveil": {"text": "x", "t": 1}})), DAMAGED),
    ("id-meta.json", dumps(good(answers={"_meta": {"text": "x", "t": 1}})), DAMAGED),
    ("id-empty.json", dumps(good(answers={"": {"text": "x", "t": 1}})), DAMAGED),
    ("id-space.json", dumps(good(answers={"eveil en-moi": {"text": "x", "t": 1}})), DAMAGED),
    (
        "proto-top.json",
        '{"__proto__": {"format": "cahier-export", "v": 1, "polluted": true}}',
        NOT_OURS,
    ),
    (
        "proto-answers.json",
        GOOD_JSON.replace(
            '"answers": {"eveil.en-moi": {"text": "importé", "t": 1700000000000}}',
            '"answers": {"__proto__": {"text": "x", "t": 1, "polluted": true}, '
            '"constructor": {"text": "y", "t": 2}, "prototype": {"text": "z", "t": 3}}',
        ),
        NOTHING,
    ),
    (
        "proto-entry.json",
        dumps(with_answer({"text": "x", "t": 1, "__proto__": {"polluted": True}, "extra": 1})),
        DAMAGED,
    ),
    (
        "constructor-top.json",
        '{"constructor": {"prototype": {"polluted": true}}, "format": "cahier-export", "v": 1, '
        '"book": "enap-coproduction", "edition": "2025", "exported": "2025-10-20T10:00:00Z", '
        '"answers": {"__proto__": {"polluted": true}, "eveil.__proto__": {"text": "x", "t": 1}}}',
        DAMAGED,
    ),
    (
        "page.html",
        f"<!DOCTYPE html><html><body><h1>Pas à nous</h1><script>{PWN}</script>",
        NOT_OURS,
    ),
    (
        "img-onerror.html",
        f'<html><body><img src="x.png" onerror="{PWN}"><img src="http://example.invalid/a.png">',
        NOT_OURS,
    ),
    (
        "data-div.html",
        f'<html><body><div id="cahier-data">{GOOD_JSON}</div><script>{PWN}</script>',
        NOT_OURS,
    ),
    (
        "data-js.html",
        f'<html><body><script id="cahier-data">{PWN}</script></body></html>',
        NOT_OURS,
    ),
    (
        "data-broken.html",
        html_export('{"format": "cahier-export", </script><script>' + PWN + "</script>"),
        DAMAGED,
    ),
    (
        "data-script-payload.html",
        html_export(dumps(good(v="1")), extra=f'<script>{PWN}</script><svg onload="{PWN}"></svg>'),
        DAMAGED,
    ),
    ("svg.html", f'<svg xmlns="http://www.w3.org/2000/svg"><script>{PWN}</script></svg>', NOT_OURS),
    ("binary.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), NOT_OURS),
    # Our export (its <meta name="cahier-export">) cut short before its data block: damaged, not
    # foreign. A file too large for any export: test_mon_cahier_scale.py (files of 150 MB and more).
    (
        "cut-short.html",
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="cahier-export" content="1"><title>Cahier</title></head><body><main>'
        '<section><h2>Éveil</h2><h3>En moi</h3><div class="answer">Ma répon',
        DAMAGED,
    ),
    (
        "cut-before-data.html",
        GOOD_HTML.replace("<title>", '<meta name="cahier-export" content="1"><title>').split(
            "<script"
        )[0],
        DAMAGED,
    ),
]


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 40
    assert len({name for name, _, _ in CORPUS}) == len(CORPUS)


def test_every_bad_file_is_refused_and_changes_nothing(page, url, guard):
    open_mon_cahier(page, url("mon-cahier"))
    prefix = page_info(page)["prefix"]
    seed(
        page,
        {
            prefix + "eveil.en-moi": dumps({"v": 1, "text": "à garder", "t": 1_600_000_000_000}),
            prefix + "regards.en-moi": dumps({"v": 2, "text": "futur", "t": 1}),
            prefix + "_meta": dumps({"v": 1, "lastExport": 1_600_000_000_001}),
            "cahier:enap-coproduction:2024:eveil.en-moi": dumps({"v": 1, "text": "2024", "t": 1}),
            "un-autre-site": "ne pas toucher",
        },
    )
    page.reload()
    open_mon_cahier(page, url("mon-cahier"))
    before = snapshot(page)
    failures = []
    for name, content, expected in CORPUS:
        page.evaluate(
            "() => { for (const el of document.querySelectorAll('.cahier-mc-status, "
            ".cahier-mc-error')) el.textContent = ''; }"
        )
        body = content if isinstance(content, bytes) else content.encode("utf-8")
        mime = "text/html" if name.endswith(".html") else "application/json"
        page.set_input_files(
            "input.cahier-mc-import-file", files=[{"name": name, "mimeType": mime, "buffer": body}]
        )
        message = page.locator(".cahier-mc-error" if expected != NOTHING else ".cahier-mc-status")
        try:
            expect(message).to_contain_text(expected, timeout=3000)
            if expected != NOTHING:
                expect(message).to_contain_text("Rien n'a été modifié.")
        except AssertionError as error:
            failures.append(f"{name}: {error}")
            continue
        if page.locator("dialog.cahier-dialog").count():
            failures.append(f"{name}: a confirmation was offered")
        state = page.evaluate(
            """() => ({
              pwned: window.__pwned ?? null,
              polluted: ({}).polluted ?? null,
              protoOfObject: Object.getPrototypeOf({}) === Object.prototype,
            })"""
        )
        if state["pwned"] is not None or state["polluted"] is not None:
            failures.append(f"{name}: script ran or prototype polluted: {state}")
        if not state["protoOfObject"]:
            failures.append(f"{name}: Object prototype replaced")
        if snapshot(page) != before:
            failures.append(f"{name}: storage changed")
    # The page's Content-Security-Policy (cahier/csp.py) reports the hostile files' inline event
    # handlers as the inert copy is parsed: the policy at work, not an error of Cahier's scripts.
    guard.console_errors[:] = [
        e for e in guard.console_errors if "Executing inline event handler violates" not in e
    ]
    assert failures == []
    assert page.evaluate("() => Object.keys(Object.prototype).length") == 0
    assert page.evaluate("() => 'polluted' in Object.prototype") is False
