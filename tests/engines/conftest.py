"""Fixtures of the cross-engine suite: every test runs in Firefox ESR and in WebKitGTK.

- ``engine``: "firefox" or "webkit" (session-scoped, so pytest runs every Firefox test, closes
  Firefox, then every WebKit test). A missing browser, driver or Xvfb fails each test with the
  package to install: never a skip.
- ``web``: the engine's one shared session, reset for the test (blank page of the site's origin,
  its storage cleared, its downloads folder emptied, nothing extra injected).
- ``fresh``: ``fresh()`` starts another session of the engine with a new profile (empty storage);
  ``fresh(storage=False)`` with the browser's own switch that turns web storage off.
- every test fails if a page it visited, in any session, reported an error (uncaught error,
  unhandled rejection, failed resource, ``console.error``) or requested a missing file.

The site is the one build of the run (``site_dir``, tests/conftest.py), served on 127.0.0.1 by
sphinx_cahier.localserver with the test preload script (engine_kit.py).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from engine_kit import (
    BLANK_PATH,
    ENGINES,
    STORAGE_SECURITY_ERROR,
    Browser,
    MissingEngine,
    ServerState,
    Xvfb,
    check_engine,
    dismiss_alerts,
    engine_server,
    launch,
)


class Web:
    """A browser session and the site it is pointed at."""

    def __init__(self, browser: Browser, base: str, state: ServerState):
        self.browser = browser
        self.base = base
        self.state = state

    @property
    def driver(self):
        return self.browser.driver

    @property
    def engine(self) -> str:
        return self.browser.engine

    def url(self, name: str) -> str:
        return f"{self.base}/book/{name}.html"

    def block_storage(self) -> None:
        """From the next page load on, reading `localStorage` throws a SecurityError."""
        with self.state.lock:
            self.state.extra_preload = STORAGE_SECURITY_ERROR

    def hold_scripts(self) -> None:
        """Until `release_scripts`, the server keeps the entry script (cahier.js) waiting."""
        self.state.scripts_released.clear()

    def release_scripts(self) -> None:
        self.state.scripts_released.set()

    def reset(self) -> None:
        self.state.scripts_released.set()
        with self.state.lock:
            self.state.extra_preload = ""
        driver = self.driver
        for _ in range(3):
            dismiss_alerts(driver)  # a page left with unsaved text may ask before unloading
            driver.get(self.base + BLANK_PATH)
            dismiss_alerts(driver)
            if driver.execute_script("return location.pathname;") == BLANK_PATH:
                break
        else:
            raise AssertionError(f"{self.engine}: could not leave {driver.current_url}")
        driver.execute_script("localStorage.clear(); sessionStorage.clear();")
        self.browser.clear_downloads()


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> str:
    try:
        check_engine(request.param)
    except MissingEngine as e:
        pytest.fail(f"{request.param}: {e}", pytrace=False)
    return request.param


@pytest.fixture(scope="session")
def engines_tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("engines")


@pytest.fixture(scope="session")
def display(engines_tmp):
    """A function returning the X display for WebKitGTK; Xvfb starts on first use only."""
    xvfb = Xvfb(engines_tmp / "xvfb.log")

    def get() -> str:
        if not xvfb.display:
            try:
                xvfb.start()
            except MissingEngine as e:
                pytest.fail(str(e), pytrace=False)
        return xvfb.display

    yield get
    xvfb.stop()


@pytest.fixture(scope="session")
def engine_site(site_dir):
    with engine_server(site_dir) as (url, state):
        yield url, state


_counter = iter(range(1_000_000))


def _start(engine: str, engines_tmp: Path, display, **kwargs) -> Browser:
    workdir = engines_tmp / f"{engine}-{next(_counter)}"
    try:
        return launch(engine, workdir, display, **kwargs)
    except MissingEngine as e:
        pytest.fail(f"{engine}: {e}", pytrace=False)
    except Exception as e:
        logs = "\n".join(
            f"--- {p.name} ---\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(workdir.glob("*.log"))
        )
        pytest.fail(f"{engine}: the browser did not start: {e}\n{logs}", pytrace=False)


@pytest.fixture(scope="session")
def session_browser(engine, engines_tmp, display):
    browser = _start(engine, engines_tmp, display)
    yield browser
    browser.quit()


@pytest.fixture
def web(session_browser, engine_site) -> Web:
    url, state = engine_site
    w = Web(session_browser, url, state)
    w.reset()
    yield w
    with state.lock:
        state.extra_preload = ""


@pytest.fixture
def fresh(engine, engines_tmp, display, engine_site):
    """fresh(storage=True, page_load="normal") -> Web: another session of this engine, with a new,
    empty profile."""
    url, state = engine_site
    started: list[Browser] = []

    def start(storage: bool = True, page_load: str = "normal") -> Web:
        browser = _start(engine, engines_tmp, display, storage=storage, page_load=page_load)
        started.append(browser)
        return Web(browser, url, state)

    yield start
    for browser in started:
        with contextlib.suppress(Exception):
            browser.quit()


@pytest.fixture(autouse=True)
def engine_guard(engine, engine_site):
    """Fail the test on any error a page reported, or any request the server could not serve."""
    _, state = engine_site
    state.take()
    yield
    reports, failures = state.take()
    assert failures == [], f"{engine}: requests that failed"
    assert reports == [], f"{engine}: errors reported by the pages"
