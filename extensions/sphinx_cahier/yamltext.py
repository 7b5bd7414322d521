"""A YAML mistake in ``_config.yml`` or ``_toc.yml``, said in plain words at its line.

PyYAML's own messages (« mapping values are not allowed here », « expected <block end>, but found
'<block mapping start>' ») are for programmers; organizers get what to change.
"""

from __future__ import annotations

import re

import yaml

from .messages import __


def explain_yaml_error(error: yaml.YAMLError, text: str) -> tuple[int | None, str]:
    """``(line, message)`` for a YAML error in ``text`` (line numbers from 1)."""
    lines = text.splitlines()
    mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    problem = str(getattr(error, "problem", "") or error)
    line = mark.line + 1 if mark is not None else None

    def line_text(number: int | None) -> str:
        return lines[number - 1] if number and 0 < number <= len(lines) else ""

    # A tab anywhere from the start of the block to the problem: YAML indents with spaces only.
    first = (context_mark.line + 1) if context_mark is not None else line
    for number in range(first or 1, (line or 0) + 1):
        if "\t" in line_text(number):
            return number, __(
                "this line holds a tab character: indent with spaces only (and no tab after "
                "the ':')"
            )
    # `cahier_place: Québec: Université Laval`: a value holding ': '.
    if "mapping values are not allowed" in problem:
        key, _, value = line_text(line).partition(":")
        value = value.strip()
        if key.strip() and value:
            quoted = value.replace('"', '\\"')
            return line, __(
                "the value of {key} holds ': ': put it in quotes, {key}: \"{value}\""
            ).format(key=key.strip(), value=quoted)
        return line, __("this line holds ': ' where a value was expected: put the value in quotes")
    # A quote opened and never closed, or an apostrophe inside single quotes.
    for number in range(first or 1, (line or 0) + 1):
        value = line_text(number).partition(":")[2].strip()
        if not value:
            continue
        if value[0] == '"' and not re.match(r'^"(?:[^"\\]|\\.)*"\s*(#.*)?$', value):
            return number, __(
                'the quotes of this value are not closed: end it with ", e.g. key: "value"'
            )
        if value[0] == "'" and not re.match(r"^'(?:[^']|'')*'\s*(#.*)?$", value):
            return number, __(
                "this value in single quotes holds an apostrophe: put it in double quotes, "
                'e.g. key: "L\'Assomption"'
            )
    if "expected <block end>" in problem or "did not find expected" in problem:
        above = next(
            (n for n in range((line or 1) - 1, 0, -1) if line_text(n).strip()),
            None,
        )
        here_indent = len(line_text(line)) - len(line_text(line).lstrip(" "))
        if above is not None:
            above_indent = len(line_text(above)) - len(line_text(above).lstrip(" "))
            return line, __(
                "this line is not indented like the lines around it ({here} space(s) here, "
                "{above} on line {line}): settings of one group start at the same column, "
                "with spaces"
            ).format(here=here_indent, above=above_indent, line=above)
        return line, __("this line is not indented like the lines around it")
    if "could not find expected ':'" in problem:
        return (context_mark.line + 1 if context_mark else line), __(
            "this line is not a 'setting: value' line: a ':' is missing, or its indentation "
            "differs from the lines above"
        )
    return line, __("this file cannot be read from this line on: {problem}").format(problem=problem)
