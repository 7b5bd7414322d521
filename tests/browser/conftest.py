"""Browser tests for Cahier: build the real book once, serve it on 127.0.0.1, drive Chromium.

Environment:
- CAHIER_CHROMIUM: Chromium executable (default /usr/bin/chromium). Missing => the run fails.
- CAHIER_PREBUILT_HTML: serve this already-built `_build/html` directory instead of building
  (for quick local iterations only; CI must not set it). The build itself (``site_dir``) is in
  tests/conftest.py, shared with the cross-engine suite (tests/engines/).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sphinx_cahier.localserver import CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CAHIER_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).is_file():
        pytest.exit(f"Chromium not found at {CHROMIUM} (set CAHIER_CHROMIUM)", returncode=1)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def site_url(site_dir):
    with serve(site_dir) as url:
        yield url


class Guard:
    """Everything a test's pages requested, and every uncaught page error."""

    def __init__(self, site_url: str):
        self.site_url = site_url
        self.requests: list[str] = []
        self.errors: list[tuple[str, str, str]] = []  # (page url, message, stack)
        self.console_errors: list[str] = []

    def watch(self, page):
        page.on("request", lambda req: self.requests.append(req.url))
        page.on(
            "pageerror", lambda err: self.errors.append((page.url, err.message, err.stack or ""))
        )
        page.on("console", lambda msg: self._console(page, msg))

    def _console(self, page, msg):
        if msg.type == "error" and "/_static/cahier/" in (msg.location or {}).get("url", ""):
            self.console_errors.append(f"{page.url}: {msg.text}")

    @property
    def page_errors(self) -> list[str]:
        return [f"{url}: {stack or message}" for url, message, stack in self.errors]

    def foreign_requests(self) -> list[str]:
        local = self.site_url + "/"
        return [
            u
            for u in self.requests
            if not (u.startswith(local) or u.startswith(("data:", "blob:")))
        ]

    def check(self):
        assert self.foreign_requests() == [], "requests left the local server"
        assert self.page_errors == [], "uncaught errors in the page"
        assert self.console_errors == [], "errors logged by Cahier's scripts"


@pytest.fixture(autouse=True)
def guard(request, site_url):
    """Watch every page of the test's context; fail on a foreign request or an uncaught error."""
    g = Guard(site_url)
    if "context" in request.fixturenames:
        context = request.getfixturevalue("context")
        context.on("page", g.watch)
    yield g
    g.check()


@pytest.fixture
def url(site_url):
    return lambda name: f"{site_url}/book/{name}.html"
