"""What the ``cahier`` commands report: findings at ``file:line``, as text or JSON.

A finding is one line, ``book/eveil.md:7: erreur : …`` (in the book's language; a message of
several lines goes on, indented, below it), or, with ``--format json``, one object of the report
(``{level, message, file, line, code}``; ``level`` is ``error``, ``warning`` or ``note``).
The exit status is 1 when there is at least one error, else 0.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..messages import __

ERROR, WARNING, NOTE = "error", "warning", "note"


def level_word(level: str) -> str:
    return {ERROR: __("error"), WARNING: __("warning"), NOTE: __("note")}.get(level, level)


@dataclass
class Finding:
    """One finding of the report: ``file:line: level: message``."""

    level: str
    message: str
    file: str | None = None
    line: int | None = None
    code: str = "cahier"

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        first, *more = self.message.splitlines() or [""]
        text = __("{where}{level}: {message}").format(
            where=where, level=level_word(self.level), message=first
        )
        return "\n".join([text, *(f"    {line}" for line in more)])


class CahierError(Exception):
    """A fault of the command line or of the book that stops the command (exit status 1)."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        super().__init__(message)
        self.finding = Finding(ERROR, message, file, line, "cahier.command")


class Stop(Exception):
    """The command stops on these findings (reported in the requested format)."""

    def __init__(self, findings: Sequence[Finding], extra: dict[str, Any] | None = None):
        super().__init__("; ".join(str(f) for f in findings))
        self.findings = list(findings)
        self.extra = extra or {}


def failed(findings: Sequence[Finding]) -> bool:
    return any(f.level == ERROR for f in findings)


def report(findings: Sequence[Finding], fmt: str, extra: dict[str, Any] | None = None) -> int:
    """Print the findings (stdout) and a summary (stderr); the exit status."""
    is_failed = failed(findings)
    if fmt == "json":
        document = {"ok": not is_failed, **(extra or {}), "findings": [asdict(f) for f in findings]}
        print(json.dumps(document, ensure_ascii=False, indent=1))
    else:
        for finding in findings:
            print(finding)
        counts = {level: sum(f.level == level for f in findings) for level in (ERROR, WARNING)}
        sys.stdout.flush()
        summary = __("FAILED") if is_failed else __("ok")
        print(
            __("cahier: {verdict}: {errors} error(s), {warnings} warning(s)").format(
                verdict=summary, errors=counts[ERROR], warnings=counts[WARNING]
            ),
            file=sys.stderr,
        )
    return 1 if is_failed else 0


# --- Sphinx's warnings as findings ----------------------------------------------------------------

WARNING_LINE = re.compile(
    r"^(?:(?P<file>.+?):(?:(?P<line>\d+):)? )?(?P<level>WARNING|ERROR|SEVERE|CRITICAL): "
    r"(?P<message>.*?)(?: \[(?P<code>[\w.-]+)\])?$"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def parse_warnings(text: str, display) -> list[Finding]:
    """Sphinx's warning stream as findings; continuation lines join their message.

    Every Sphinx warning is an error here: the workbook is published with ``-W``. ``display``
    turns a file of the warning into the name the report gives (relative to the book).
    """
    findings: list[Finding] = []
    for raw in ANSI.sub("", text).splitlines():
        match = WARNING_LINE.match(raw)
        if match is None:
            if findings and raw.strip():
                findings[-1].message += " " + raw.strip()
            continue
        file = match["file"]
        if file:
            file = file.split(":docstring of ")[0]
            file = display(file) if os.path.isabs(file) else file
        findings.append(
            Finding(
                ERROR,
                match["message"].strip(),
                file,
                int(match["line"]) if match["line"] else None,
                match["code"] or "sphinx",
            )
        )
    return findings
