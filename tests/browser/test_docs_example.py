"""The organizer's guide's live example (docs/example.md): its boxes save in the browser and come
back, « My answers » gathers them, with no console error and no policy violation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cahier_helpers import box_input, open_book_page, open_mon_cahier, page_info, wait_stored_text
from sphinx_cahier.localserver import serve
from test_csp import Violations, record

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def docs_url(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs") / "html"
    command = [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(DOCS), str(out)]
    subprocess.run(command, check=True, capture_output=True)
    with serve(out) as url:
        yield url


@pytest.fixture(autouse=True)
def guard():
    """The checks below replace conftest's guard (which watches the real book's site)."""
    yield None


def test_the_example_s_boxes_save_and_come_back(context, docs_url):
    violations = Violations()
    record(context, violations)
    problems: list[str] = []
    context.on(
        "page",
        lambda p: (
            p.on("console", lambda m: m.type == "error" and problems.append(m.text)),
            p.on("pageerror", lambda e: problems.append(str(e))),
        ),
    )
    page = context.new_page()
    open_book_page(page, f"{docs_url}/example.html")
    info = page_info(page)
    assert info["prefix"] == "cahier:cahier-guide:guide:"
    assert "first-placement.further" in info["boxes"]
    box_input(page, "first-placement.what").fill("Une première réponse")
    wait_stored_text(page, info["prefix"] + "first-placement.what", "Une première réponse")
    open_book_page(page, f"{docs_url}/example.html")
    assert box_input(page, "first-placement.what").input_value() == "Une première réponse"
    open_mon_cahier(page, f"{docs_url}/answers.html")
    item = page.locator('[data-cahier-mc-box="first-placement.what"]')
    assert "Une première réponse" in item.inner_text()
    page.wait_for_load_state("networkidle")
    assert problems == []
    assert violations.all() == []
