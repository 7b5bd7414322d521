"""The table of contents, ``_toc.yml``: its mistakes at their line, and the pages it leaves out.

Jupyter Book reads ``_toc.yml`` with ``sphinx-external-toc``, whose errors name no line (and, from
``cahier check``, were reported against ``_config.yml``); a page missing from it is silently left
out of the book (``only_build_toc_files``). Here:

- :func:`toc_problems`: YAML mistakes, unknown keys (``chapter:`` for ``chapters:``), entries
  without a page, pages listed twice, pages that do not exist; each at its line of ``_toc.yml``.
  The build stops on them (``config-inited``), and ``cahier check`` lists them all.
- a page of the book's folder that ``_toc.yml`` does not list (and ``exclude_patterns`` does not
  exclude) is a warning of the build, naming the file: participants would never see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from .config import SettingError
from .messages import __, did_you_mean
from .yamltext import explain_yaml_error

logger = logging.getLogger(__name__)

#: Files a toc entry may name without its suffix.
SOURCE_SUFFIXES = (".md", ".ipynb", ".rst", ".myst")


@dataclass
class TocProblem:
    line: int | None
    message: str
    code: str = "sphinx_cahier.toc"


def page_exists(root: Path, entry: str) -> bool:
    path = root / entry
    return path.is_file() or any(path.with_name(path.name + s).is_file() for s in SOURCE_SUFFIXES)


def book_pages(root: Path) -> list[str]:
    """Every page of the book's folder, without its suffix (``book/eveil``), for suggestions."""
    pages = []
    for suffix in SOURCE_SUFFIXES:
        for path in root.rglob(f"*{suffix}"):
            relative = path.relative_to(root)
            if any(part.startswith((".", "_")) for part in relative.parts):
                continue
            pages.append(relative.as_posix()[: -len(suffix)])
    return sorted(pages)


def _node_at(tree: yaml.Node | None, path: str) -> yaml.Node | None:
    """The YAML node at a sphinx-external-toc path such as ``/chapters/0``."""
    node = tree
    for part in (p for p in path.split("/") if p):
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and part.isdigit():
            index = int(part)
            node = node.value[index] if index < len(node.value) else None
        else:
            return node
        if node is None:
            return None
    return node


def _line(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def _key_node(mapping: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(mapping, yaml.MappingNode):
        return next((k for k, _ in mapping.value if k.value == key), None)
    return None


def _structure_problem(error: Exception, tree: yaml.Node | None) -> TocProblem:
    """sphinx-external-toc's MalformedError, at its line and in plain words."""
    text = str(error)
    where = re.search(r" @ '([^']*)'$", text)
    node = _node_at(tree, where[1]) if where else None
    unknown = re.match(r"Unknown keys found: \{(.*?)\}, allowed: \{(.*?)\}", text)
    if unknown:
        keys = re.findall(r"'([^']+)'", unknown[1])
        allowed = re.findall(r"'([^']+)'", unknown[2])
        key = keys[0] if keys else "?"
        guess = did_you_mean(key, allowed, cutoff=0.6)
        hint = __(" (did you mean {key!r}?)").format(key=guess + ":") if guess else ""
        return TocProblem(
            _line(_key_node(node, key)) or _line(node),
            __("unknown key {key!r}{hint}; here _toc.yml knows: {allowed}").format(
                key=key + ":", hint=hint, allowed=", ".join(sorted(allowed))
            ),
        )
    if text.startswith("entry does not contain one of"):
        return TocProblem(
            _line(node),
            __("this entry names no page: write '- file: book/page' (the page without .md)"),
        )
    if text.startswith("'root' key not found"):
        return TocProblem(
            1, __("_toc.yml needs 'root:' with the first page of the book, e.g. 'root: book/index'")
        )
    value = re.match(r"'format' key value not recognised: '(.*)'", text)
    if value:
        return TocProblem(
            _line(_node_at(tree, "/format")),
            __("format {value!r}: write 'format: jb-book'").format(value=value[1]),
        )
    twice = re.match(r"document file used multiple times: '(.*)'", text)
    if twice:
        lines = [
            _line(v)
            for v in _all_entries(tree)
            if isinstance(v, yaml.ScalarNode) and v.value in {twice[1], twice[1] + ".md"}
        ]
        return TocProblem(
            lines[-1] if lines else None,
            __("the page {page!r} is listed twice in _toc.yml").format(page=twice[1]),
        )
    part = re.match(r"entry not a mapping containing '(\w+)' key", text)
    if part:
        return TocProblem(
            _line(node),
            __("this entry needs '{key}:' with its list of pages").format(key=part[1]),
        )
    return TocProblem(_line(node), __("_toc.yml cannot be read here: {error}").format(error=text))


def _all_entries(tree: yaml.Node | None) -> list[yaml.Node]:
    """The values of every ``file:``/``root:`` key, in order."""
    found: list[yaml.Node] = []

    def walk(node: yaml.Node | None) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value in {"file", "root"} and isinstance(value, yaml.ScalarNode):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    walk(tree)
    return found


def toc_problems(root: Path, toc_path: Path) -> list[TocProblem]:
    """Every mistake of ``_toc.yml`` at its line: YAML, structure, then pages that do not exist."""
    text = toc_path.read_text(encoding="utf-8")
    try:
        tree = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        line, message = explain_yaml_error(error, text)
        return [TocProblem(line, message, "cahier.yaml")]
    try:
        from sphinx_external_toc.parsing import MalformedError, parse_toc_data
    except ImportError:  # pragma: no cover - Jupyter Book always has it
        MalformedError, parse_toc_data = Exception, None
    if parse_toc_data is not None:
        try:
            parse_toc_data(data if isinstance(data, dict) else {})
        except MalformedError as error:
            return [_structure_problem(error, tree)]
    problems = []
    pages = None
    for value in _all_entries(tree):
        entry = str(value.value)
        if page_exists(root, entry):
            continue
        pages = pages if pages is not None else book_pages(root)
        guess = did_you_mean(entry.removesuffix(".md"), pages, cutoff=0.6)
        problems.append(
            TocProblem(
                _line(value),
                __("_toc.yml names the page {entry!r}, but there is no file {file}{hint}").format(
                    entry=entry,
                    file=entry if Path(entry).suffix in SOURCE_SUFFIXES else entry + ".md",
                    hint=__(" (did you mean {page!r}?)").format(page=guess) if guess else "",
                ),
            )
        )
    return problems


class TocError(SettingError):
    """``_toc.yml`` cannot make a book: the build stops, naming the line."""


_EXCLUDED_BEFORE = "_cahier_excluded_before"


def check_toc(app: Sphinx, config: Config) -> None:
    """``config-inited``, before sphinx-external-toc reads ``_toc.yml``: its mistakes, by line."""
    toc = config["external_toc_path"] if "external_toc_path" in config.values else None
    if not toc:
        return
    path = Path(toc) if Path(toc).is_absolute() else Path(app.srcdir, toc)
    if not path.is_file():
        return
    app._cahier_toc_path = path  # type: ignore[attr-defined]
    problems = toc_problems(Path(app.srcdir), path)
    if problems:
        first = problems[0]
        name = path.name
        locations = "\n".join(
            f"{name}:{p.line}: {p.message}" if p.line else f"{name}: {p.message}"
            for p in problems[1:]
        )
        raise TocError(
            "_toc.yml",
            first.message + (f"\n{locations}" if locations else ""),
            f"{name}:{first.line}" if first.line else name,
        )
    setattr(app, _EXCLUDED_BEFORE, len(config.exclude_patterns))


def report_left_out_pages(app: Sphinx, config: Config) -> None:
    """``config-inited``, after sphinx-external-toc: the pages it excluded for not being listed."""
    before = getattr(app, _EXCLUDED_BEFORE, None)
    if before is None or not config["external_toc_exclude_missing"]:
        return
    toc_name = Path(getattr(app, "_cahier_toc_path", "_toc.yml")).name
    for pattern in list(config.exclude_patterns)[before:]:
        entry = re.sub(r"\.(md|ipynb|rst|myst)$", "", pattern)
        logger.warning(
            __(
                "this page is not in {toc}: participants will never see it. Add it to {toc} "
                "('- file: {entry}'), or, if it is not a page of the workbook, to "
                "exclude_patterns in _config.yml"
            ).format(toc=toc_name, entry=entry),
            # A location without ':' would be read as a document name.
            location=f"{Path(app.srcdir, pattern)}:1",
            type="cahier",
            subtype="not_in_toc",
        )


def setup_toc(app: Sphinx) -> None:
    app.connect("config-inited", check_toc, priority=899)
    app.connect("config-inited", report_left_out_pages, priority=901)
