"""A strict Content-Security-Policy on every page, as a ``<meta http-equiv>`` (setting
``cahier_csp``, on by default; HTML builders only).

Static hosts (GitHub Pages…) cannot send headers, so the policy travels in each page, right after
``<meta charset>``: before any script, style or link it governs. Everything comes from the page's
own host; nothing inline runs unless the build saw it:

- ``script-src 'self'`` and the SHA-256 of each inline script of *this* page (furo's theme script,
  the search page's flags), computed at ``build-finished`` from the written file, exactly as the
  browser will hash it. ``style-src`` likewise for inline ``<style>`` blocks, and for the styles a
  theme's script inserts at run time on the pages that load it (``themes.runtime_styles``:
  sphinx-book-theme's ``fontawesome.js``). Style attributes are
  only allowed when a page still has some (``'unsafe-hashes'`` and their hashes; the theme turns
  furo's into SVG presentation attributes, see ``theme.py``). Inline event handlers and
  ``javascript:`` URLs are never allowed: the build warns (and ``-W`` stops) when a page has one.
- ``img-src 'self' data:`` (the inline icon, drawings), ``connect-src``, ``manifest-src``,
  ``worker-src`` and ``font-src 'self'``; ``default-src``, ``object-src`` and ``base-uri 'none'``.
- ``form-action 'self'``: furo's search box is a ``<form action="search.html">``; ``'none'`` would
  block every search from the sidebar.
- No ``'unsafe-eval'``: Sphinx's ``doctools.js`` turns the language's plural rule into a function
  with ``new Function``. On the search page, an inline script (hashed like the others) placed right
  after ``doctools.js`` replaces ``Documentation.addTranslations`` with the same code and the rule
  written at build time, checked to be an arithmetic expression of ``n``.

Firefox prefetches the page a ``<link rel="next">`` names, a request that only ``default-src``
governs: the policy refuses it and reports a violation on every page. The build takes that hint
out of the head (the service worker keeps every page of the edition anyway; the page's own
"next" link stays).

``frame-ancestors``, ``sandbox`` and ``report-uri`` are ignored in a meta tag; a host that can send
headers may add them, but its own policy must not be looser (the browser enforces both).

The pages are rewritten at ``build-finished`` (priority 800): after Sphinx, after the root
``index.html`` that jupyter-book's table of contents writes (priority 500), before the service
worker's content hash (``offline.py``, 900), so that the precache version covers the final pages. An
incremental build recomputes the policy of every page, written this time or not.

Reading a page: ``InlineCode`` (``html.parser``) says what a page runs or styles inline, but every
page carries the theme's whole navigation, so parsing each page whole made this pass grow with the
square of the book (0.9 s of CPU at 200 themes, most of the extension's cost). ``scan`` steps over
what cannot matter with compiled regular expressions (C speed: still every byte, but some 0.07 s
for the 10 MB of the 200-theme book): text, comments, end tags, start tags whose attributes are
neither ``on…``, nor ``style``, nor a URL that may be ``javascript:`` (no ``&`` to decode, no such
prefix). It feeds InlineCode only the rest, in page order: ``<script>`` and ``<style>`` elements
whole, and the tags that have such attributes, so that InlineCode finds the same texts and
attributes in the same order as in the whole page: same policy, same warnings. The markup it steps
over is written so that ``html.parser`` (Python 3.11's, and the stricter HTML5 tokenizer of later
releases) and the browser cut it at the same places; at anything else (``<svg/onload=…>``, a
``</script`` they would read differently, ``<![CDATA[``, a ``<script>`` with ``<`` or ``&`` after
an ``<svg>``: the search page…) the page is parsed whole, as before. tests/test_csp_policy.py
compares both readings on built pages, hostile markup and random markup.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript
from sphinx.util import logging

from .themes import runtime_styles

logger = logging.getLogger(__name__)

#: Folders of an HTML build that hold files, not pages.
NOT_PAGES = frozenset({"_static", "_sources", "_images", "_downloads"})

#: ``type`` values of a script that runs (HTML: JavaScript MIME essences, modules, import maps).
#: Anything else (``application/json``…) is a data block: never run, never governed.
SCRIPT_TYPES = frozenset(
    {
        "",
        "module",
        "importmap",
        "speculationrules",
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    }
)
#: Attributes whose value is a URL that could be ``javascript:``.
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href"})

#: The same for every page; the hashes of a page's inline code join ``script-src``/``style-src``.
FIXED_POLICY = (
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("manifest-src", "'self'"),
    ("worker-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
)
META_START = '<meta http-equiv="Content-Security-Policy" content="'
#: Our meta as a previous build wrote it (an incremental build recomputes it).
OUR_META = re.compile(re.escape(META_START) + r'[^"]*">\n?')
META_CHARSET = re.compile(r"<meta\s+charset\s*=[^>]*>", re.IGNORECASE)
HEAD_START = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)
GOVERNED = re.compile(r"<(?:script|style|link)[\s>]", re.IGNORECASE)
#: A ``<link rel="next">`` of the head (Sphinx's themes write it so), which Firefox prefetches.
NEXT_LINK = re.compile(r"<link\s(?:[^>]*\s)?rel=[\"']?next(?=[\"'\s/>])[^>]*>[ \t]*\n?", re.I)

#: A gettext plural rule (``Plural-Forms``): only ``n``, numbers, comparisons, arithmetic, ``?:``.
PLURAL_RULE = re.compile(r"[n0-9\s()?:%!=<>&|+*/-]+")
#: Sphinx's ``Documentation.addTranslations`` without ``new Function`` (``%s``: the rule).
ADD_TRANSLATIONS = (
    "Documentation.addTranslations = (catalog) => {"
    " Object.assign(Documentation.TRANSLATIONS, catalog.messages);"
    " Documentation.PLURAL_EXPR = (n) => +(%s);"
    " Documentation.LOCALE = catalog.locale; };"
)


def sha256(text: str) -> str:
    """A CSP hash source of ``text`` as the browser hashes it (UTF-8)."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


class InlineCode(HTMLParser):
    """What a page runs or styles inline: script and style texts, style attributes, and what a
    policy never allows (event handler attributes, ``javascript:`` URLs)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.style_attributes: list[str] = []
        self.refused: list[str] = []
        self.sources: list[str] = []  # the scripts it loads (``src``)
        self._open: tuple[str, bool] | None = None  # (tag, counted) while inside <script>/<style>
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, attrs)
        if tag == "script":
            values = dict(attrs)
            kind = (values.get("type") or "").strip().lower()
            self._open = (tag, "src" not in values and kind in SCRIPT_TYPES)
            if values.get("src"):
                self.sources.append(values["src"] or "")
            self._text = []
        elif tag == "style":
            self._open = (tag, True)
            self._text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, attrs)

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "style" and value is not None:
                self.style_attributes.append(value)
            elif name.startswith("on"):
                self.refused.append(f"<{tag} {name}>")
            elif (
                name in URL_ATTRIBUTES
                and value
                and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith("javascript:")
            ):
                self.refused.append(f'<{tag} {name}="javascript:…">')

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open is None or tag != self._open[0]:
            return
        (kind, counted), text = self._open, "".join(self._text)
        self._open = None
        if not counted:
            return
        if kind == "script" and text:
            self.scripts.append(text)
        elif kind == "style":
            self.styles.append(text)


def _any_case(word: str) -> str:
    """``word`` in any ASCII case. Not ``re.IGNORECASE``: with it ``s``, ``k`` and ``i`` also match
    ``ſ``, ``K`` (Kelvin), ``ı`` and ``İ``, which no HTML parser takes for those letters."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


# The fast scan (see the module docstring). Every pattern below accepts only markup that
# html.parser (as InlineCode uses it, old and new versions) and the browser's tokenizer cut at the
# same places; anything else stops the scan and the page is parsed whole.
#: HTML's whitespace. Python's ``\s`` is wider (``\v``, ``\x1c``-``\x1f``, ``\xa0``…): where
#: html.parser splits on ``\s`` and the browser does not, neither pattern may match.
_WS = r"[ \t\n\r\f]"
_NAME_END = r"(?![-a-zA-Z0-9_:.])"
_TAG_NAME = r"[a-zA-Z][-a-zA-Z0-9_:.]*+"
#: A quoted value, or an unquoted one that stops only where both parsers stop it.
_VALUE = r"""(?:"[^"]*+"|'[^']*+'|[^\s"'=<>`]++)"""
#: What InlineCode reads as ``javascript:`` once it has dropped whitespace and control characters.
_JAVASCRIPT = r"[\s\x00-\x1f]*+".join(["", *(_any_case(c) for c in "javascript:")])
#: A URL that cannot be ``javascript:``: no character reference (``&``) to decode, no such prefix.
_URL_VALUE = (
    rf"""(?:"(?!{_JAVASCRIPT})[^"&]*+"|'(?!{_JAVASCRIPT})[^'&]*+'"""
    rf"""|(?!{_JAVASCRIPT})[^\s"'=<>`&]++)"""
)
_URL_NAME = "(?:" + "|".join(_any_case(name) for name in sorted(URL_ATTRIBUTES)) + ")" + _NAME_END
#: An attribute InlineCode ignores: ASCII name (``str.lower`` turns the Kelvin sign into ``k``),
#: not ``on…``, not ``style``, and a URL only with a value that cannot be ``javascript:``.
_PLAIN_ATTRIBUTE = (
    rf"(?:(?![oO][nN])(?!{_any_case('style')}{_NAME_END}|{_URL_NAME})[-a-zA-Z0-9_:.]++"
    rf"(?:{_WS}*+={_WS}*+{_VALUE})?"
    rf"|{_URL_NAME}(?:{_WS}*+={_WS}*+{_URL_VALUE})?)"
)
#: Raw text in html.parser (``script``, ``style``); raw text or RCDATA in the browser or in newer
#: html.parser (the others): their content is where the parsers part ways.
_RAW_TEXT = ("script", "style")
_ESCAPABLE = ("title", "textarea", "xmp", "iframe", "noembed", "noframes")
_SPECIAL = "(?:" + "|".join(_any_case(name) for name in (*_RAW_TEXT, *_ESCAPABLE, "plaintext"))
_SPECIAL += r")(?=[ \t\n\r\f/>])"
#: What the fast scan steps over at C speed: text, start tags with only plain attributes, plain
#: end tags, a ``<`` that opens nothing, comments without ``--`` inside, the doctype, and a title or
#: textarea (furo's SVG icons have titles) whose text has no ``<``.
_SKIP = re.compile(
    "(?:"
    r"[^<]++"
    rf"|<(?!{_SPECIAL}){_TAG_NAME}(?:{_WS}++{_PLAIN_ATTRIBUTE})*+{_WS}*+/?>"
    rf"|</{_TAG_NAME}{_WS}*+>"
    r"|<(?![a-zA-Z/!?])"
    r"|<!--(?!-?>)(?:[^-]++|-(?!-))*+-->"
    rf"|<!{_any_case('doctype')}[^>]*+>"
    rf"|<(?P<escapable>{'|'.join(_ESCAPABLE)})(?:{_WS}++{_PLAIN_ATTRIBUTE})*+{_WS}*+/?>"
    rf"[^<]*+</(?P=escapable){_WS}*+>"
    ")*+"
)
#: A start tag with any attributes, written so that both parsers read the same attributes: what
#: the scan stops at, handed to InlineCode on its own.
_START_TAG = re.compile(
    rf"<(?P<name>{_TAG_NAME})"
    rf"""(?:{_WS}++[^\s"'<>/=`\x00-\x1f\x7f]++(?:{_WS}*+={_WS}*+{_VALUE})?)*+{_WS}*+/?>"""
)
#: Where html.parser may end a raw text element: ``</script\s*>``, ``\s`` and the letters as
#: ``re.IGNORECASE`` takes them. The browser ends it at ``</script`` + whitespace, ``/`` or ``>``.
_RAW_TEXT_END = {name: re.compile(rf"</\s*{name}", re.IGNORECASE) for name in _RAW_TEXT}
_END_TAG_REST = re.compile(rf"{_WS}*+>")
#: Where foreign content (SVG, MathML) may begin: in it, the browser and newer html.parser read a
#: ``<style>`` or ``<script>`` as markup (character references decoded), older html.parser as raw
#: text. Any ``<svg`` or ``<math`` counts, even in a comment or a value: only caution is lost.
_FOREIGN = re.compile(r"<(?:[sS][vV][gG]|[mM][aA][tT][hH])")
_ESCAPABLE_END = {name: re.compile(rf"</{_any_case(name)}{_WS}*+>") for name in _ESCAPABLE}


def parse_exactly(html: str) -> InlineCode:
    """InlineCode fed the whole page: the reference, and the fallback of :func:`scan`."""
    found = InlineCode()
    found.feed(html)
    found.close()
    return found


def scan(html: str) -> InlineCode | None:
    """InlineCode fed only the parts of the page that can matter, or ``None`` when the page has
    markup that the fast scan does not read the way html.parser does (then parse it whole).

    A page carries the theme's whole navigation, hundreds of tags with nothing inline: ``_SKIP``
    steps over them. What it stops at (a ``<script>`` or ``<style>`` element, a tag with a style,
    an event handler or a URL that may be ``javascript:``) is fed, in page order, to one
    InlineCode, which therefore finds what it would find in the whole page: same texts, same
    attributes, same order. Before each, the scan checks that html.parser, the browser and this
    scan end that element at the same place; after each, that InlineCode read exactly that start
    tag and is back outside any element, as it would be in the page."""
    found = InlineCode()
    skip, size = _SKIP.match, len(html)
    foreign = _FOREIGN.search(html)
    foreign_from = foreign.start() if foreign else size
    position = skip(html).end()
    while position < size:
        tag = _START_TAG.match(html, position)
        if tag is None:
            return None
        name, end = tag["name"].lower(), tag.end()
        if name in _RAW_TEXT:
            if html.startswith("/>", end - 2):
                return None  # html.parser: no raw text after <script/>; the browser: raw text
            close = _RAW_TEXT_END[name].search(html, end)
            rest = _END_TAG_REST.match(html, close.end()) if close else None
            if (
                close is None
                or rest is None
                # "</ script>", "</ſcript>": html.parser ends there, the browser does not
                or close.end() - close.start() != 2 + len(name)
                or not close.group().isascii()
                # The browser's escaped script states ("<!--<script>") move its end further on.
                or html.find("<!--", end, close.start()) >= 0
            ):
                return None
            if position > foreign_from and (
                html.find("<", end, close.start()) >= 0 or html.find("&", end, close.start()) >= 0
            ):
                return None  # raw text or markup: the same text only without "<" and "&"
            end = rest.end()
        elif name in _ESCAPABLE:
            # Text without "<" up to its end tag: text for every parser. Fed whole, so that a
            # parser for which it is RCDATA is out of it again.
            following = html.find("<", end)
            closing = _ESCAPABLE_END[name].match(html, following) if following >= 0 else None
            if closing is None:
                return None
            end = closing.end()
        elif name == "plaintext":
            return None
        found.feed(html[position:end])
        if found.rawdata or found.cdata_elem is not None or found.get_starttag_text() != tag[0]:
            return None
        position = skip(html, end).end()
    return found


def inline_code(html: str) -> InlineCode:
    """What a page runs or styles inline: :func:`scan`, or the whole page parsed when it cannot."""
    found = scan(html)
    return parse_exactly(html) if found is None else found


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def policy_for(html: str, runtime: dict[str, list[str]] | None = None) -> tuple[str, list[str]]:
    """The policy of a page (without our meta) and what in it the policy refuses.

    ``runtime``: script file name → the styles that script inserts (``themes.runtime_styles``),
    allowed on the pages that load it."""
    found = inline_code(html)
    loaded = {src.split("?", 1)[0].rsplit("/", 1)[-1] for src in found.sources}
    inserted = [css for name, styles in (runtime or {}).items() if name in loaded for css in styles]
    scripts = " ".join(["'self'", *unique([sha256(s) for s in found.scripts])])
    styles = ["'self'", *unique([sha256(s) for s in [*found.styles, *inserted]])]
    if found.style_attributes:
        styles += ["'unsafe-hashes'", *unique([sha256(s) for s in found.style_attributes])]
    directives = [
        ("default-src", "'none'"),
        ("script-src", scripts),
        ("style-src", " ".join(unique(styles))),
        *FIXED_POLICY,
    ]
    return "; ".join(f"{name} {value}" for name, value in directives), unique(found.refused)


def with_policy(html: str, runtime: dict[str, list[str]] | None = None) -> tuple[str, list[str]]:
    """The page with its policy as the first thing of its ``<head>`` after ``<meta charset>``, and
    without the ``<link rel="next">`` that Firefox would prefetch against it."""
    html = OUR_META.sub("", html)
    head_end = html.find("</head>")
    if head_end > 0:
        html = NEXT_LINK.sub("", html[:head_end]) + html[head_end:]
    policy, refused = policy_for(html, runtime)
    meta = f'{META_START}{policy}">\n'
    governed = GOVERNED.search(html)
    limit = governed.start() if governed else len(html)
    for pattern in (META_CHARSET, HEAD_START):
        anchor = pattern.search(html, 0, limit)
        if anchor:
            return html[: anchor.end()] + meta + html[anchor.end() :], refused
    # No <head> to find (a bare redirect): the meta opens the document, in its implied head.
    return meta + html, refused


def applies(app: Sphinx) -> bool:
    builder = app.builder
    return (
        bool(app.config.cahier_csp)
        and builder.format == "html"
        # EPUB pages are XHTML for an e-reader, not pages served by a host.
        and not builder.name.startswith("epub")
    )


def pages(outdir: Path, suffix: str) -> list[Path]:
    return sorted(
        path
        for path in outdir.rglob(f"*{suffix}")
        if path.is_file() and path.relative_to(outdir).parts[0] not in NOT_PAGES
    )


def add_policies(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: every page of the output gets (or gets again) its policy."""
    if exception is not None or not applies(app):
        return
    outdir = Path(app.outdir)
    encoding = app.config.html_output_encoding or "utf-8"
    runtime = runtime_styles(outdir)
    for path in pages(outdir, app.builder.out_suffix or ".html"):
        try:
            html = path.read_text(encoding=encoding)
        except UnicodeDecodeError:
            logger.warning(
                "%s is not %s text: no Content-Security-Policy added",
                path.relative_to(outdir),
                encoding,
                type="cahier",
                subtype="csp",
            )
            continue
        new, refused = with_policy(html, runtime)
        for what in refused:
            logger.warning(
                "%s: %s is inline code that the Content-Security-Policy blocks "
                "(move it to a script file)",
                path.relative_to(outdir).as_posix(),
                what,
                type="cahier",
                subtype="csp",
            )
        if new != html:
            path.write_text(new, encoding=encoding)


def plural_rule(app: Sphinx) -> str | None:
    """The language's plural rule from the ``translations.js`` Sphinx publishes, if it is one."""
    find = getattr(app.builder, "_get_translations_js", None)
    source = find() if find else ""
    if not source:
        return None
    text = Path(source).read_text(encoding="utf-8")
    start, end = text.find("{"), text.rfind("}")
    try:
        rule = json.loads(text[start : end + 1]).get("plural_expr", "")
    except (ValueError, AttributeError):
        return None
    return rule if isinstance(rule, str) and PLURAL_RULE.fullmatch(rule) else None


def search_without_eval(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context`` (after ``assets.py``): the search page's translations load without
    ``new Function`` (see the module docstring)."""
    if not applies(app) or "script_files" not in context:
        return
    scripts = list(context["script_files"])
    names = [str(getattr(js, "filename", js) or "").rsplit("/", 1)[-1] for js in scripts]
    if "translations.js" not in names or "doctools.js" not in names:
        return
    rule = plural_rule(app)
    if rule is None:
        # Sphinx's default rule, the one doctools.js starts with.
        rule = "n === 1 ? 0 : 1"
    doctools = scripts[names.index("doctools.js")]
    patch = _JavaScript("", priority=doctools.priority, body=ADD_TRANSLATIONS % rule)
    scripts.insert(names.index("doctools.js") + 1, patch)
    context["script_files"] = scripts


def setup_csp(app: Sphinx) -> None:
    app.add_config_value("cahier_csp", True, "html", bool)
    app.connect("html-page-context", search_without_eval, priority=950)
    # After the pages, the root redirect (500) and before the service worker's hash (900).
    app.connect("build-finished", add_policies, priority=800)
