"""The Content-Security-Policy of every page (cahier/csp.py), checked on the written files: it lists
exactly the hashes of the page's inline code (recomputed here with a parse of our own), comes first
in the head, keeps search free of ``new Function``, survives rebuilds, and is what the service
worker's version covers. The browser side is tests/browser/test_csp.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from pathlib import Path

from sphinx_cahier import offline

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
#: An inline script that runs (no src; no type, or a JavaScript one) and its text.
INLINE_SCRIPT = re.compile(
    r'<script(?![^>]*\ssrc=)(?:\s+type="(?:text/javascript|module)")?\s*>(.*?)</script>', re.S
)
INLINE_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)

RAW_PAGE = """---
orphan: true
---
# Du HTML brut

<p style="color: rebeccapurple">Une couleur en attribut.</p>

<button onclick="alert(1)">Non</button>

<script type="application/json" id="des-donnees">{"a": 1}</script>
"""


def b64sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def policy_of(html: str) -> dict[str, list[str]]:
    (content,) = META.findall(html)
    return {name: values for name, *values in (part.split() for part in content.split(";"))}


def pages(outdir: Path) -> list[Path]:
    return sorted(p for p in outdir.rglob("*.html") if p.relative_to(outdir).parts[0] != "_static")


def build(make_app, srcdir: Path, **overrides):
    app = make_app(
        "html",
        srcdir=srcdir,
        confoverrides={"html_theme": "furo", "cahier_offline": True, **overrides},
    )
    app.build()
    return app


def source(rootdir, tmp_path) -> Path:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-basic", srcdir)
    return srcdir


def test_each_page_lists_exactly_the_hashes_of_its_inline_code(make_app, rootdir, tmp_path):
    app = build(make_app, source(rootdir, tmp_path))
    assert app._warning.getvalue() == ""
    found = pages(app.outdir)
    assert {"index.html", "theme.html", "search.html", "genindex.html"} <= {p.name for p in found}
    for page in found:
        html = page.read_text(encoding="utf-8")
        policy = policy_of(html)
        scripts = {b64sha256(text) for text in INLINE_SCRIPT.findall(html) if text}
        styles = {b64sha256(text) for text in INLINE_STYLE.findall(html)}
        assert scripts, f"{page.name}: furo's theme script"
        assert policy["script-src"][0] == "'self'" and set(policy["script-src"][1:]) == scripts
        assert policy["style-src"][0] == "'self'" and set(policy["style-src"][1:]) == styles
        # furo's icons carry no style attribute any more: no 'unsafe-hashes' needed.
        assert ' style="' not in html, page.name
        assert policy["default-src"] == ["'none'"] and policy["form-action"] == ["'self'"]
        # Right after <meta charset>, before anything it governs.
        head = html[: html.index("</head>")]
        assert re.search(r'<meta charset="utf-8">' + META.pattern, head), page.name
        # No <link rel="next"> for Firefox to prefetch against default-src 'none'.
        assert 'rel="next"' not in head, page.name
    # Only that hint goes: the one to the page before stays, and the page's own "next" link.
    theme = (app.outdir / "theme.html").read_text(encoding="utf-8")
    assert '<link rel="prev"' in theme and 'class="next-page"' in theme


def test_search_loads_its_translations_without_eval(make_app, rootdir, tmp_path):
    app = build(make_app, source(rootdir, tmp_path))
    search = (app.outdir / "search.html").read_text(encoding="utf-8")
    patch = re.search(r"<script>(Documentation\.addTranslations = .*?)</script>", search).group(1)
    assert "new Function" not in patch and "eval" not in patch
    assert (
        "PLURAL_EXPR = (n) => +((n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2)"
        in (patch)
    )
    # After doctools.js (which it patches), before translations.js (which calls it).
    assert search.index("doctools.js") < search.index(patch) < search.index("translations.js")
    assert "'unsafe-eval'" not in " ".join(policy_of(search)["script-src"])
    translations = (app.outdir / "_static" / "translations.js").read_text(encoding="utf-8")
    assert (
        json.loads(translations[translations.index("{") : translations.rindex("}") + 1])[
            "plural_expr"
        ]
        in patch
    )
    # The other pages load no translations: nothing to patch there.
    assert "addTranslations" not in (app.outdir / "theme.html").read_text(encoding="utf-8")


def test_rebuilds_keep_one_policy_and_the_worker_covers_the_final_pages(
    make_app, rootdir, tmp_path
):
    srcdir = source(rootdir, tmp_path)
    first = build(make_app, srcdir)
    before = {p: p.read_text(encoding="utf-8") for p in pages(first.outdir)}
    # A changed page: only it is written again; every page keeps exactly one policy.
    theme = srcdir / "theme.md"
    theme.write_text(theme.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", "utf-8")
    second = build(make_app, srcdir)
    for page in pages(second.outdir):
        html = page.read_text(encoding="utf-8")
        assert len(META.findall(html)) == 1, page.name
        if page.name != "theme.html":
            assert html == before[page], page.name
    # The service worker's version is the hash of the pages as they are now, policy included.
    outdir = Path(second.outdir)
    sw = (outdir / "sw.js").read_text(encoding="utf-8")
    version = json.loads(sw[sw.index("{") : sw.index("};") + 1])["version"]
    assert version == offline.content_version(outdir, offline.precache_list(outdir))


def test_inline_html_of_a_page_is_hashed_or_reported(make_app, rootdir, tmp_path):
    srcdir = source(rootdir, tmp_path)
    (srcdir / "brut.md").write_text(RAW_PAGE, encoding="utf-8")
    app = build(make_app, srcdir)
    warnings = app._warning.getvalue()
    assert "brut.html: <button onclick> is inline code that the Content-Security-Policy blocks" in (
        warnings
    )
    html = (app.outdir / "brut.html").read_text(encoding="utf-8")
    policy = policy_of(html)
    # A style attribute of the content is allowed by its hash; the JSON data block is not a script.
    assert policy["style-src"][-2:] == ["'unsafe-hashes'", b64sha256("color: rebeccapurple")]
    assert b64sha256('{"a": 1}') not in policy["script-src"]
    assert (
        "'unsafe-hashes'"
        not in policy_of((app.outdir / "theme.html").read_text(encoding="utf-8"))["style-src"]
    )


def test_cahier_csp_off_leaves_pages_alone(make_app, rootdir, tmp_path):
    app = build(make_app, source(rootdir, tmp_path), cahier_csp=False)
    for page in pages(app.outdir):
        html = page.read_text(encoding="utf-8")
        assert "Content-Security-Policy" not in html, page.name
        assert "Documentation.addTranslations = " not in html, page.name
