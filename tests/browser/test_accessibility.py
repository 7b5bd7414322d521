"""WCAG 2.1 AA, checked by axe-core in Chromium on every built page, in light and dark mode.

axe-core comes from npm (``package.json``; ``scripts/setup.sh --test`` runs ``npm ci``). Without
it the tests fail: they never skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cahier_helpers import open_book_page

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0/2.1 A and AA, and axe's best practices (landmarks, headings, regions…).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
THEMES = ["light", "dark"]


def built_pages(site_dir: Path) -> list[str]:
    """Every page a participant can reach: the book's pages, the search page and the index."""
    pages = sorted(str(p.relative_to(site_dir)) for p in (site_dir / "book").glob("*.html"))
    return [*pages, "search.html", "genindex.html"]


def run_axe(page) -> list[dict]:
    assert AXE.is_file(), f"axe-core missing: {AXE} (run `npm ci`)"
    # Evaluated by the test, not as a page's inline <script>: the page's Content-Security-Policy
    # (cahier/csp.py) refuses inline scripts it does not list.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async (tags) => {
          const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
          return r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map((n) => ({target: n.target.join(" "),
                                                   summary: n.failureSummary})),
          }));
        }""",
        AXE_TAGS,
    )
    return result


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n['target']}: {n['summary']}" for n in v["nodes"]]
    return "\n".join(lines)


def open_in_theme(context, site_url: str, name: str, theme: str):
    # furo reads its theme from localStorage "theme" (body[data-theme]).
    context.add_init_script(f'try {{ localStorage.setItem("theme", "{theme}"); }} catch {{}}')
    page = context.new_page()
    if name.startswith("book/"):
        open_book_page(page, f"{site_url}/{name}")
    else:
        page.goto(f"{site_url}/{name}", wait_until="networkidle")
    assert page.evaluate("document.body.dataset.theme") == theme
    return page


def test_every_page_is_checked(site_dir):
    pages = built_pages(site_dir)
    assert "book/eveil.html" in pages and (site_dir / "search.html").is_file()
    assert (site_dir / "genindex.html").is_file()


@pytest.mark.parametrize("theme", THEMES)
def test_axe_finds_nothing_on_any_page(context, site_dir, site_url, theme):
    failures = {}
    for name in built_pages(site_dir):
        page = open_in_theme(context, site_url, name, theme)
        violations = run_axe(page)
        if violations:
            failures[name] = describe(violations)
        page.close()
    report = "\n".join(f"--- {name} [{theme}]\n{text}" for name, text in failures.items())
    assert not failures, report


@pytest.mark.parametrize("theme", THEMES)
def test_axe_finds_nothing_with_the_storage_alert_shown(context, site_url, theme):
    """The alert (storage blocked) and the 'not saved' status are readable in both themes."""
    context.add_init_script(
        'Object.defineProperty(window, "localStorage", { get() { return null; }, '
        "configurable: true });"
        f'document.addEventListener("DOMContentLoaded", () => {{ document.body.dataset.theme = '
        f'"{theme}"; }});'
    )
    page = context.new_page()
    open_book_page(page, f"{site_url}/book/eveil.html")
    page.get_by_role("alert").wait_for()
    field = page.locator("textarea.cahier-box-input").first
    field.fill("texte gardé à l'écran")
    field.blur()
    page.locator(".cahier-box-status:not(:empty)").first.wait_for()
    violations = run_axe(page)
    assert not violations, describe(violations)
