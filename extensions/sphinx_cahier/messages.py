"""What the extension and the ``cahier`` command say to organizers, in the book's language.

Organizers are course staff, not programmers: every finding names the file and the line, says what
is wrong in plain words and how to fix it. The messages are English in the code and translated
through the ``cahier-organizers`` message catalog (``locales/<lang>/LC_MESSAGES/``), apart from
the participants' interface (``strings.py``, catalog ``cahier``). Sphinx style: ``__`` translates
now, in the language Sphinx initialised (``language`` in ``_config.yml``).

Two Sphinx and MyST messages are reworded here, by a filter on Sphinx's warning stream:
an unknown setting (« unknown config value 'cahier_lieu' in override ») and an unknown directive
close to one of ours (« Unknown directive type: 'reflexion' »). Locations under the book's folder
are printed relative to it.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sphinx.locale
from sphinx.locale import get_translation

if TYPE_CHECKING:
    from sphinx.application import Sphinx

ORGANIZERS_CATALOG = "cahier-organizers"
LOCALES = Path(__file__).parent / "locales"

__ = get_translation(ORGANIZERS_CATALOG)

#: The directives of this extension, as organizers write them (``:::{prompt} id``).
DIRECTIVES = ("reflection", "level", "prompt", "sketch", "mon-cahier")


def use_language(language: str | None) -> None:
    """Outside a Sphinx run (the ``cahier`` command): speak ``language`` (``None``: English)."""
    sphinx.locale.translators.pop(("general", ORGANIZERS_CATALOG), None)
    sphinx.locale.init([str(LOCALES)], language or "en", ORGANIZERS_CATALOG)


def did_you_mean(given: str, known: Iterable[str], cutoff: float = 0.7) -> str | None:
    """The known name closest to ``given``, when it is close enough to be a typo."""
    matches = difflib.get_close_matches(given, list(known), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def directive_suggestion(name: str) -> str | None:
    """One of our directives that ``name`` is probably a typo of (``reflexion`` → reflection)."""
    if name in DIRECTIVES:
        return name
    return did_you_mean(name.lower(), DIRECTIVES, cutoff=0.75)


def relative_location(location: str, root: str) -> str:
    """``/abs/book/eveil.md:7`` → ``book/eveil.md:7`` when under ``root``."""
    path, sep, rest = location.partition(":")
    while sep and not os.path.exists(path) and ":" in rest:
        # A path may hold ':' (rare); extend until it names a file.
        more, sep, rest = rest.partition(":")
        path = f"{path}:{more}"
    try:
        relative = os.path.relpath(path, root)
    except ValueError:
        return location
    if relative.startswith(os.pardir):
        return location
    return relative.replace(os.sep, "/") + (f":{rest}" if sep else "")


# --- Sphinx's warning stream ----------------------------------------------------------------------

UNKNOWN_DIRECTIVE = re.compile(r"^Unknown directive type: '([^']+)'")
UNKNOWN_OPTION = re.compile(
    r"^'(?P<directive>[\w-]+)': Unknown option keys: \[(?P<given>[^\]]*)\] "
    r"\(allowed: \[(?P<allowed>[^\]]*)\]\)"
)
#: MyST reads every line starting with ':' right under a directive as an option, ``:::{level}``
#: included when no blank line separates it from ``:levels:``.
BAD_OPTIONS = re.compile(r"^'(?P<directive>[\w-]+)': Invalid options format")


class _Reword(logging.Filter):
    """Before Sphinx files a warning: our words for an unknown setting or a mistyped directive."""

    def __init__(self, app: Sphinx):
        super().__init__()
        self.app = app

    def filter(self, record: logging.LogRecord) -> bool:
        sphinx_console = sphinx.locale.__  # Sphinx's own message, as Sphinx translated it
        unknown_setting = sphinx_console("unknown config value %r in override, ignoring")
        if record.msg == unknown_setting and record.args:
            from .config import unknown_setting_reported

            name = record.args[0] if isinstance(record.args, tuple) else None
            # The extension reports it itself, at its line of _config.yml (config.py).
            return not (isinstance(name, str) and unknown_setting_reported(name))
        if isinstance(record.msg, str):
            match = UNKNOWN_DIRECTIVE.match(record.msg)
            if match:
                name = match[1]
                suggestion = directive_suggestion(name)
                if suggestion:
                    record.msg = __(
                        "{{{name}}} is not a block the workbook knows: did you mean {{{known}}}? "
                        "This block and the box in it are left out of the page."
                    ).format(name=name, known=suggestion)
                else:
                    record.msg = __(
                        "{{{name}}} is not a block the workbook knows (is it misspelled?): it is "
                        "left out of the page."
                    ).format(name=name)
                record.args = ()
                record.type, record.subtype = "cahier", "unknown_directive"  # type: ignore[attr-defined]
                return True
            match = BAD_OPTIONS.match(record.msg)
            if match and match["directive"] in DIRECTIVES:
                record.msg = __(
                    "{{{directive}}}: its options (:levels: …) end at the first blank line: leave "
                    "a blank line between them and what follows (its first {{level}})"
                ).format(directive=match["directive"])
                record.args = ()
                return True
            match = UNKNOWN_OPTION.match(record.msg)
            if match and match["directive"] in DIRECTIVES:
                given = re.findall(r"'([^']+)'", match["given"])
                allowed = re.findall(r"'([^']+)'", match["allowed"])
                parts = []
                for option in given:
                    guess = did_you_mean(option, allowed, cutoff=0.6)
                    parts.append(
                        __(":{option}: (did you mean :{known}:?)").format(
                            option=option, known=guess
                        )
                        if guess
                        else f":{option}:"
                    )
                record.msg = __(
                    "{{{directive}}}: unknown option {options}; this block knows {allowed}"
                ).format(
                    directive=match["directive"],
                    options=", ".join(parts),
                    allowed=", ".join(f":{name}:" for name in allowed),
                )
                record.args = ()
        return True


class _Relative(logging.Filter):
    """After Sphinx placed a warning: its file relative to the book (``book/eveil.md:7``)."""

    def __init__(self, app: Sphinx):
        super().__init__()
        self.app = app

    def filter(self, record: logging.LogRecord) -> bool:
        location = getattr(record, "location", None)
        if isinstance(location, str) and os.path.isabs(location.split(":", 1)[0]):
            record.location = relative_location(location, str(self.app.srcdir))  # type: ignore[attr-defined]
        return True


def install_warning_filters(app: Sphinx) -> None:
    """Add the two filters to Sphinx's warning handler (once per application)."""
    from sphinx.util.logging import NAMESPACE, WarningLogRecordTranslator, WarningStreamHandler

    for handler in logging.getLogger(NAMESPACE).handlers:
        if not isinstance(handler, WarningStreamHandler):
            continue
        if any(isinstance(f, _Reword) for f in handler.filters):
            continue
        handler.filters.insert(0, _Reword(app))
        translator = next(
            (i for i, f in enumerate(handler.filters) if isinstance(f, WarningLogRecordTranslator)),
            None,
        )
        if translator is not None:
            handler.filters.insert(translator + 1, _Relative(app))


def setup_messages(app: Sphinx) -> dict[str, Any]:
    app.add_message_catalog(ORGANIZERS_CATALOG, str(LOCALES))
    install_warning_filters(app)
    return {}
