"""Shared test setup: Sphinx's own testing fixtures, with our test roots under tests/roots/, and
the real book built once per pytest run for every browser suite (tests/browser/, tests/engines/).

Environment:
- CAHIER_PREBUILT_HTML: serve this already-built `_build/html` directory instead of building
  (for quick local iterations only; CI must not set it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"


def build_book(out: Path) -> Path:
    """Build the real book with `jupyter-book build -W` into ``out``; return its `_build/html`."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    html = out / "_build" / "html"
    if proc.returncode != 0 or not (html / "book" / "eveil.html").is_file():
        raise RuntimeError(
            f"book build failed ({proc.returncode}): {' '.join(cmd)}\n"
            f"--- stdout ---\n{proc.stdout[-6000:]}\n--- stderr ---\n{proc.stderr[-6000:]}"
        )
    return html


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The built book (one build per run, shared by the Chromium and the cross-engine suites)."""
    prebuilt = os.environ.get("CAHIER_PREBUILT_HTML")
    if prebuilt:
        return Path(prebuilt)
    return build_book(tmp_path_factory.mktemp("cahier-site"))
