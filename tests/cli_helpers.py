"""Helpers of the tests that run the organizers' command ``cahier`` on a copy of a book: run it
in-process, edit a file of the copy, find a line. Shared by tests/test_cli.py, tests/test_hosts.py,
tests/test_init.py and tests/browser/test_renamed.py (tests/ is on ``sys.path``, see
stroke_codec.py)."""

from __future__ import annotations

from pathlib import Path

from sphinx_cahier import cli


def run(capsys, monkeypatch, book: Path, *args: str) -> tuple[int, str, str]:
    """``cahier <args>`` run inside ``book``; returns (exit status, stdout, stderr)."""
    monkeypatch.chdir(book)
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` of the file by ``new`` (``old`` must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    """The number of the file's first line that holds ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)
