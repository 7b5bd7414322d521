"""Lighter files for participants' phones: our JS and CSS without their comments.

The sources in ``static/cahier/`` are written to be read — JSDoc types, ``// @ts-check``, comments
that say why — and about a third of their bytes are comments. The published copies
(``_static/cahier/<version>/``) leave them out, and blank lines and trailing spaces with them.
Nothing else changes: no renaming, no reordering, no joined lines, so an error in the browser
points at the same line of code as in the source, minus the comments.

The scanner knows what a comment is not: text inside a string, a template literal (with nested
``${…}``) or a regular expression literal. ``tests/test_minify.py`` checks every file with
``node --check`` and that every literal survives.
"""

from __future__ import annotations

import re
from pathlib import Path

#: After one of these, a ``/`` starts a regular expression, not a division.
REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^")
REGEX_AFTER_WORDS = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void"}
CODE_BREAK = "\x00"


def strip_js(source: str) -> str:
    """The module without its comments, blank lines and trailing spaces."""
    out: list[str] = []
    i, n = 0, len(source)
    # Template literal nesting: each entry is the brace depth at which a `${` opened.
    templates: list[int] = []
    depth = 0
    last = ""  # the last significant character or word outside comments, for the regex rule

    def regex_allowed() -> bool:
        if not last:
            return True
        if last in REGEX_AFTER:
            return True
        return last in REGEX_AFTER_WORDS

    while i < n:
        c = source[i]
        nxt = source[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "/":
            end = source.find("\n", i)
            i = n if end < 0 else end
            continue
        if c == "/" and nxt == "*":
            end = source.find("*/", i + 2)
            if end < 0:
                raise ValueError("unclosed comment")
            i = end + 2
            continue
        if c in "'\"":
            j = i + 1
            while j < n and source[j] != c:
                if source[j] == "\\":
                    j += 1
                elif source[j] == "\n":
                    raise ValueError(f"unclosed string at {i}")
                j += 1
            out.append(source[i : j + 1])
            i = j + 1
            last = c
            continue
        if c == "`" or (c == "}" and templates and templates[-1] == depth):
            if c == "}":
                templates.pop()
            # The literal text of a template, up to its end or the next `${`.
            j = i + 1
            while j < n:
                if source[j] == "\\":
                    j += 2
                    continue
                if source[j] == "`":
                    break
                if source[j] == "$" and j + 1 < n and source[j + 1] == "{":
                    templates.append(depth)
                    j += 1
                    break
                j += 1
            out.append(source[i : j + 1])
            i = j + 1
            last = "`" if source[j] == "`" else "{"
            continue
        if c == "/" and regex_allowed():
            j = i + 1
            in_class = False
            while j < n:
                ch = source[j]
                if ch == "\\":
                    j += 2
                    continue
                if ch == "\n":
                    raise ValueError(f"unclosed regular expression at {i}")
                if ch == "[":
                    in_class = True
                elif ch == "]":
                    in_class = False
                elif ch == "/" and not in_class:
                    break
                j += 1
            j += 1
            while j < n and (source[j].isalnum() or source[j] == "_"):
                j += 1  # flags
            out.append(source[i:j])
            i = j
            last = "/"
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        if c.isalnum() or c in "_$":
            j = i
            while j < n and (source[j].isalnum() or source[j] in "_$"):
                j += 1
            word = source[i:j]
            out.append(word)
            last = word if word in REGEX_AFTER_WORDS else "a"
            i = j
            continue
        # A line break of the code (not one inside a template literal, which is text) is marked,
        # so that blank lines and trailing spaces are dropped only where they are not text.
        out.append(CODE_BREAK if c == "\n" else c)
        if not c.isspace():
            last = c
        i += 1
    lines = (line.rstrip() for line in "".join(out).split(CODE_BREAK))
    return "\n".join(line for line in lines if line) + "\n"


CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def strip_css(source: str) -> str:
    """The stylesheet without its comments, blank lines and trailing spaces (our CSS has no
    ``/*`` inside a string or a URL)."""
    lines = (line.rstrip() for line in CSS_COMMENT.sub("", source).split("\n"))
    return "\n".join(line for line in lines if line) + "\n"


def strip_folder(folder: Path) -> None:
    """Strip every JS and CSS file of a staged copy of ``static/cahier`` in place."""
    for path in folder.iterdir():
        if path.suffix == ".js":
            path.write_text(strip_js(path.read_text(encoding="utf-8")), encoding="utf-8")
        elif path.suffix == ".css":
            path.write_text(strip_css(path.read_text(encoding="utf-8")), encoding="utf-8")
