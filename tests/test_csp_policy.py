"""The Content-Security-Policy of every page (cahier/csp.py), checked on the written files: it lists
exactly the hashes of the page's inline code (recomputed here with a parse of our own), comes first
in the head, keeps search free of ``new Function``, survives rebuilds, and is what the service
worker's version covers. The fast scan that finds the inline code finds exactly what a full parse
of the page finds, on built pages and on hostile markup, and hands the full parser only what does
not grow with the navigation. The browser side is tests/browser/test_csp.py."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import shutil
from pathlib import Path

import pytest
from sphinx_cahier import csp, offline

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


# --- The fast scan and the full parse --------------------------------------------------------

#: Markup that a quick reading of a page gets wrong: each must give what the full parse gives.
HOSTILE = [
    "<svg/onload=x>",
    '<a href="jav&#x61;script:x">',
    '<a href="&#106;avascript:x">',
    '<a href="javascript&colon;x">',
    '<a href="&Tab;javascript:x">',
    '<a href="java\tscript:x">',
    '<A HREF=" JavaScript:x">',
    "<a href='JAVASCRIPT:x'>",
    "<a href=javascript:x>",
    '<form action="javascript:x"></form><button formaction=javascript:x>',
    '<svg><a xlink:href="javascript:x"><text>t</text></a></svg>',
    '<a xlin\u212a:href="javascript:x">',
    '<a href="x.html" href="javascript:y">',
    '<a href="journal.html">',
    "<div style=color:red>",
    '<div STYLE="color: red">',
    '<div style="">',
    "<div style>",
    '<p ONCLICK="x()">',
    "<p on=x>",
    '<p one="x">',
    '<p title="x"onclick="y">',
    "<p\x0bonclick=x>",
    "<p\xa0onclick=x>",
    "< p onclick=x>",
    "<p =onclick>",
    "<p title==x onclick=y>",
    '<p title="x>y" onclick=z>',
    "<a title=x/onclick=y href=jav&#97;script:z>",
    "<a class=on-click title=style=x>",
    '<img src="data:image/png;base64,AAAA" alt=\'a"b\'>',
    "<div data-x=\"<script>y()</script>\" title='<b onclick=x>'>",
    "<script>/* </scrip */ x</script >",
    "<script>a()</script foo>b()</script>",
    '<script>a("</ script>")</script>',
    "<script>a</\u017fcript>b()</script>",
    "<script>x<!--<script>y()</script>z--></script>",
    "<script/>x()</script>",
    '<script src="x.js"/>',
    "<!-- <script>alert(1)</script> <b onclick=x> -->",
    "<!--> <b onclick=x> -->",
    "<!---> <b onclick=x> -->",
    "<!-- a -- > <b onclick=x> -->",
    "<!-- a --!> <b onclick=x> -->",
    "<![CDATA[ <b onclick=x> ]]>",
    "<?php <b onclick=x> ?>",
    '<script>var s = "<a onclick=alert(1)>";</script>',
    "<SCRIPT>x()</SCRIPT>",
    "<Script>x()</sCrIpT\n>",
    '<style>a::after { content: "</style" }</style>',
    '<style>a::after { content: "</style>" } b { color: red }</style>',
    "<style>a{}</STYLE >",
    "<textarea>&lt;script&gt;alert(1)&lt;/script&gt;</textarea>",
    "<textarea><b onclick=x></b></textarea>",
    "<title><script>t()</script></title>",
    "<TITLE>t</title>",
    "<TITLE onclick=x>t</TITLE ><textarea style='a:b'>&lt;</textarea>",
    "<svg onload=x><style>a{}</style><title>t</title></svg><style>b{}</style>",
    "<xmp><b onclick=x></b></xmp>",
    "<noscript><img src=x onerror=y></noscript>",
    '<iframe srcdoc="<script>x()</script>"></iframe>',
    "<plaintext><b onclick=x>",
    "<math><style><b onclick=x></b></style></math>",
    '<svg><style>a::after { content: "&amp;" }</style></svg>',
    "<svg><script>a() &amp;&amp; b()</script></svg><script>c() && d()</script>",
    "<svg><title>t</title></svg><style>a > b { c: d }</style>",
    '<script type="application/json">{"a": "<b onclick=x>"}</script>',
    '<script type="module">import "./x.js";</script>',
    '<script type=" Module ">m()</script><script type="text/JavaScript">j()</script>',
    '<script src="../_static/x.js?v=1" type="text/javascript"></script>',
    "<template><script>t()</script><b onclick=x></b></template>",
    "<p>a < b & c <br/> d</p>",
    "<br/><hr /><input disabled checked>",
    '<div onclick="x',
    "<script>never closed",
    "<!-- never closed <b onclick=x>",
    "</div foo><b onclick=x>",
    "</>",
]

#: Pieces of markup, put together at random (a seed per case: the same cases every run).
PIECES = [
    *("<", ">", "/", "'", '"', "=", " ", "\t", "\n", "\x0b", "\xa0", "&", "&#x61;", "&#106;"),
    *("&amp;", "&colon;", "&Tab;", "-->", "<!--", "<!", "<?", "</", "<a", "<A", "<p ", "<div"),
    *("<svg", "<script", "<SCRIPT", "<style", "<title", "<textarea", "<template", "<xmp"),
    *("<plaintext", "<noscript", "</script>", "</script", "</ script>", "</STYLE>", "</style>"),
    *("</title>", "</textarea>", "</a>", "</div>", " onclick", " ONLOAD", " on", " one"),
    *(" style", " STYLE", " href", " HREF", " src", " action", " formaction", " xlink:href"),
    *(" xlin\u212a:href", " type", " class", " data-x", "=x", '="x"', "='y'", "=javascript:x"),
    *('="javascript:x"', "=' JavaScript:x'", '="java\tscript:x"', '="jav&#x61;script:x"'),
    *('="&#106;avascript:x"', '="color:red"', "=color:red", '="module"', '="application/json"'),
    *('="text/JavaScript"', "x()", "a < b", "{}", ";", "\u017f", "\u0130", "K", "<b>", "<br/>"),
]
TAG_NAMES = [*("a", "A", "div", "svg", "p", "img", "x-y", "button", "form", "link", "meta")]
#: Their text is raw (or not) depending on the parser: the scan checks where they end.
TEXT_TAG_NAMES = ["script", "Script", "style", "title", "textarea"]
ATTRIBUTE_NAMES = [
    *("class", "id", "data-x", "aria-label", "title", "type", "TYPE", "href", "HREF", "src"),
    *("action", "formaction", "xlink:href", "xlin\u212a:href", "style", "Style", "onclick"),
    *("ONLOAD", "on", "one", "\u00e9t\u00e9", "srcset", "hrefx"),
]
VALUES = [
    *('"x"', "'y'", "x", '""', "''", '"a>b"', "'<b onclick=x>'", '"x&amp;y"', "x&amp;y", "j"),
    *('"journal.html"', "javascript:x", '"javascript:x"', "' JavaScript:x'", '"java\tscript:x"'),
    *('"jav&#x61;script:x"', "jav&#x61;script:x", '"&#106;avascript:x"', '"\x01javascript:x"'),
    *('"color:red"', "color:red", '"module"', '"application/json"', "module", '" Module "'),
    *('"text/JavaScript"', '"a\xa0b"', "a/", '"</script>"', "x=y", "x'y", "&#x27;"),
]
CONTENTS = [
    "x()",
    " ",
    "\n",
    "a < b",
    "</script>",
    "</style>",
    "</a>",
    "</p>",
    "<!-- c -->",
    "</title>",
]


def random_markup(pick: random.Random) -> str:
    """Mostly well-formed tags with attributes of every kind, between text, end tags and pieces."""
    parts = []
    for _ in range(pick.randint(1, 10)):
        roll = pick.random()
        if roll < 0.55:
            attributes = []
            for _ in range(pick.randint(0, 4)):
                attribute = pick.choice(ATTRIBUTE_NAMES)
                if pick.random() < 0.8:
                    attribute += pick.choice(["=", " = ", "=\n"]) + pick.choice(VALUES)
                attributes.append(pick.choice([" ", "  ", "\n", "\t"]) + attribute)
            end = pick.choice([">", ">", " >", "/>", " />"])
            name = pick.choice(TEXT_TAG_NAMES if pick.random() < 0.3 else TAG_NAMES)
            parts.append(f"<{name}{''.join(attributes)}{end}")
            if name in TEXT_TAG_NAMES and pick.random() < 0.8:
                text = pick.choice(["x()", "a { b: c }", "", "\n", 'f("<b onclick=x>")'])
                parts.append(text + pick.choice([f"</{name}>", f"</{name.upper()} >"]))
        elif roll < 0.85:
            parts.append(pick.choice(CONTENTS))
        else:
            parts.append(pick.choice(PIECES))
    return "".join(parts)


def found(parser: csp.InlineCode) -> tuple[list[str], ...]:
    """What InlineCode found: what the policy is made of, and what it refuses."""
    return (parser.scripts, parser.styles, parser.style_attributes, parser.refused, parser.sources)


def assert_fast_is_exact(html: str) -> bool:
    """The fast scan (when it does not give up) and inline_code find what the full parse finds;
    whether the fast scan read the page itself."""
    exact = found(csp.parse_exactly(html))
    scanned = csp.scan(html)
    if scanned is not None:
        assert found(scanned) == exact, html[:300]
    assert found(csp.inline_code(html)) == exact, html[:300]
    return scanned is not None


@pytest.mark.parametrize("theme", ["furo", "sphinx_book_theme", "alabaster"])
def test_the_fast_scan_finds_what_the_full_parse_finds(make_app, rootdir, tmp_path, theme):
    srcdir = source(rootdir, tmp_path)
    (srcdir / "brut.md").write_text(RAW_PAGE, encoding="utf-8")
    app = build(make_app, srcdir, html_theme=theme)
    found_pages = pages(app.outdir)
    assert len(found_pages) >= 10
    slow = {p.name for p in found_pages if not assert_fast_is_exact(p.read_text(encoding="utf-8"))}
    # The fast scan reads the pages itself, not its fallback; but the search page, where the
    # translations patch (its "&&") comes after furo's SVG icons, which the scan does not follow.
    assert slow <= {"search.html"}, slow
    theme_page = (app.outdir / "theme.html").read_text(encoding="utf-8")
    navigation = theme_page.index('<li class="toctree-l1')
    body_end = theme_page.rindex("</body>")
    for snippet in HOSTILE:
        assert_fast_is_exact(snippet)
        # In the middle of the navigation (what follows must still be read right), and last.
        assert_fast_is_exact(theme_page[:navigation] + snippet + theme_page[navigation:])
        assert_fast_is_exact(theme_page[:body_end] + snippet + theme_page[body_end:])


def test_inline_code_the_policy_refuses_is_found_without_the_full_parse():
    """The usual offenders are handed to the exact parser on their own: no fallback needed."""
    for html, refused in [
        ('<p>a</p><button onclick="alert(1)">b</button>', ["<button onclick>"]),
        ("<svg><rect ONLOAD='x()'/></svg>", ["<rect onload>"]),
        ('<a href="jav&#x61;script:x">a</a>', ['<a href="javascript:…">']),
        ('<A HREF=" JavaScript:x">a</A>', ['<a href="javascript:…">']),
        ('<a href="java\tscript:x">a</a>', ['<a href="javascript:…">']),
    ]:
        scanned = csp.scan(html)
        assert scanned is not None and scanned.refused == refused, html
    scanned = csp.scan('<div style="color: red"></div><div style=color:blue></div>')
    assert scanned is not None and scanned.style_attributes == ["color: red", "color:blue"]


def test_random_markup_reads_the_same_both_ways():
    """Random markup (a seed per case: the same cases every run), alone or within a page."""
    fast = 0
    for seed in range(6000):
        pick = random.Random(seed)
        if seed % 3:
            html = random_markup(pick)
        else:
            html = "".join(pick.choice(PIECES) for _ in range(pick.randint(1, 14)))
        if seed % 2:
            # Within a page: what comes after must be read right too.
            html = f'<div class="a">{html}</div><a href="b.html">c</a><script>d()</script><p>'
        fast += assert_fast_is_exact(html)
    # Enough of them go through the fast scan for this to test it, not only its fallback.
    assert fast > 2000, fast


def test_the_full_parser_reads_the_same_bytes_however_long_the_navigation(
    make_app, rootdir, tmp_path, monkeypatch
):
    app = build(make_app, source(rootdir, tmp_path))
    page = (app.outdir / "theme.html").read_text(encoding="utf-8")
    item = re.search(r'<li class="toctree-l1">(?:(?!</?li[\s>]).)*</li>', page, re.S)
    assert item, "no entry of the navigation"
    fed: list[str] = []
    feed = csp.InlineCode.feed

    def counted(parser: csp.InlineCode, data: str) -> None:
        fed.append(data)
        feed(parser, data)

    read = {}
    for copies in (1, 30, 300):
        longer = page[: item.end()] + item[0] * copies + page[item.end() :]
        fed.clear()
        monkeypatch.setattr(csp.InlineCode, "feed", counted)
        policy = csp.policy_for(longer)
        monkeypatch.setattr(csp.InlineCode, "feed", feed)
        read[copies] = list(fed)
        assert policy == csp.policy_for(page)
        assert found(csp.inline_code(longer)) == found(csp.parse_exactly(longer))
    # The same pieces (the page's inline scripts and styles), not the page: nothing more with 300
    # more entries in the navigation.
    assert read[1] == read[30] == read[300]
    assert sum(map(len, read[1])) < len(page) / 5
