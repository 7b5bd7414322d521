"""Cahier benchmark: page weight, layout shift, Lighthouse, « Mon cahier » at scale, the export and
import round trip and build times — now against the baseline (the first release) and a stock book,
in the same run on the same machine.

Not a test: it prints figures (Markdown tables, and every figure as JSON with --json). For each
version of the workbook — now (this tree, built with its own extension) and the baseline (``git
archive`` of BASELINE, built with that commit's extension first on PYTHONPATH) — it:

- builds the book (clean, then a no-change rebuild) in a temporary folder: wall time, CPU time of
  the build, CPU time of our extension's event handlers;
- serves it on 127.0.0.1 and loads every page in Chromium, a fresh context per page: every
  response, its uncompressed body and its gzipped size (level 6: what a compressing host sends);
  our own JS and CSS as served, gzipped (level 9); then the repeat visit in the same context once
  the service worker, if any, is active, and again with the browser's HTTP cache cleared (a visit
  days later: only the service worker's cache is left), both counted at the server (what the
  worker fetches included); adds up the files the service worker precaches;
- measures the Cumulative Layout Shift of the three kinds of page — theme page, « Mon cahier », the
  drawing page — on a phone-sized viewport, storage empty and filled, loaded without delay, with
  the scripts 300 ms late (held back by the server) and with 150 ms of latency on every request
  (CDP network emulation): PerformanceObserver ``layout-shift``, buffered, once the page settled;
- « Mon cahier » with 620 filled boxes (``mon_cahier.py``): main-thread time until drawn, and what
  an export costs (main-thread time, boxes drawn again);
- runs Lighthouse (mobile, simulated throttling: its defaults) on the three kinds of page;
- builds the 5-, 50- and 200-theme books (the real book, then with copies of a theme page, fresh
  ids, made from that version's own book), twice each, and measures their pages;
- on the largest of them, fills the storage with about 5 million UTF-16 code units across every
  box, exports JSON and HTML from « Mon cahier », imports each file into a fresh context: sizes,
  times, and whether the storage came back identical (a refused import is reported, not fatal).

And the same scaled books as plain Jupyter Books (without our extension: what its build overhead
is counted against); a stock ``jupyter-book create`` book: builds, its first page, Lighthouse.

    .venv/bin/python benchmarks/run.py [--quick] [--baseline REF] [--git-dir DIR] [--no-stock]
                                       [--no-lighthouse] [--now-ref TEXT] [--json FILE]
    .venv/bin/python benchmarks/run.py --report FILE     # the tables of a saved --json again

--quick skips Lighthouse and the 200-theme books (the round trip then runs on the 50-theme book).
The baseline is read from the git repository of this tree, or --git-dir / CAHIER_GIT_DIR (to run
from an exported copy). Environment: CAHIER_CHROMIUM (default /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import html as html_lib
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "extensions"))
sys.path.append(str(ROOT / "tests"))

import mon_cahier  # noqa: E402  (benchmarks/, next to this file)
import scaled_book  # noqa: E402  (tests/: the scaled books of tests/test_page_weight.py)
from sphinx_cahier.localserver import CHROMIUM_ARGS, SiteHandler, serve  # noqa: E402

CHROMIUM = os.environ.get("CAHIER_CHROMIUM", "/usr/bin/chromium")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
#: The first release, before the issues of November 2026: what "today" meant when they were filed.
BASELINE = "ac3a680"
THEME = "eveil"
#: The three kinds of page of issue 14.
KINDS = {
    "theme": f"book/{THEME}.html",
    "mon-cahier": "book/mon-cahier.html",
    "drawing": "book/dessin.html",
}
KIND_NAMES = {"theme": "theme page", "mon-cahier": "« Mon cahier »", "drawing": "drawing page"}
SCALES = (5, 50, 200)
#: A phone, and the latency each request waits for (CDP network emulation) while CLS is measured.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
LATENCY_MS = 150
#: What the round trip fills: localStorage holds 5 MiB of UTF-16 code units per origin.
ROUND_TRIP_UNITS = 5_000_000
#: « Mon cahier » at scale: 620 boxes of 1,000 characters (issue 14's figure), loads per storage.
MC_BOXES, MC_CHARS, MC_RUNS = 620, 1000, 5

#: Builds a book with jupyter-book in this process and writes, as JSON, the CPU seconds of each of
#: our extension's event handlers (modules named cahier… or, since the rename, sphinx_cahier…).
DRIVER = r"""
import collections, json, sys, time
from sphinx.events import EventManager

source, output, stats_file, strict = sys.argv[1:5]
stats = collections.defaultdict(float)
connect = EventManager.connect
def timed_connect(self, name, callback, priority):
    module = getattr(callback, "__module__", "") or ""
    if module.startswith(("cahier", "sphinx_cahier")):
        inner = callback
        def callback(*args, **kwargs):
            start = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                stats[f"{name} {module}.{inner.__name__}"] += time.process_time() - start
    return connect(self, name, callback, priority)
EventManager.connect = timed_connect

from jupyter_book.cli.main import main
sys.argv = ["jupyter-book", "build", source, "--path-output", output]
if strict == "1":
    sys.argv.append("-W")
try:
    main()
finally:
    with open(stats_file, "w") as f:
        json.dump(stats, f)
"""

# --- Scripts run in the page ------------------------------------------------------------------

#: Fills the book's boxes: every text box of the manifest with `chars` characters (French with
#: accents, emoji and line breaks), and the drawing `dessin` with one stroke. Both versions' pages
#: declare the book and edition on #cahier-script and ship sketch-codec.js beside cahier.js.
FILL_BOOK = """async ([chars]) => {
  const script = document.getElementById("cahier-script");
  const prefix = `cahier:${script.dataset.cahierBook}:${script.dataset.cahierEdition}:`;
  const manifest = await (await fetch("../_static/cahier/manifest.json")).json();
  const codec = await import(new URL("sketch-codec.js", script.src).href);
  const words = ["Réflexion", "sur", "la", "co-production", "à", "Québec", "✍️", "naïveté", "«",
    "œuvre", "»", "élève", "🌱", "pouvoir", "and", "public", "service", "’", "ça"];
  const text = (seed, n) => {
    let out = "";
    for (let i = seed; out.length < n; i++) out += words[i % words.length] + (i % 23 ? " " : "\\n");
    return out.slice(0, n);
  };
  const t = Date.now() - 86_400_000;
  for (const [i, box] of manifest.boxes.entries()) {
    if (box.kind === "sketch") continue;
    localStorage.setItem(prefix + box.id, JSON.stringify({ v: 1, text: text(i, chars), t: t + i }));
  }
  const pts = [];
  for (let k = 0; k < 60; k++) pts.push(100 + 10 * k, 300 + (k % 7) * 9);
  const strokes = codec.encodeStrokes([{ c: 1, w: 7, pts, pr: null }]);
  localStorage.setItem(prefix + "dessin", JSON.stringify({ v: 1, strokes, t }));
  return prefix;
}"""

#: Grows every text answer until keys and values hold about `target` UTF-16 code units.
FILL_STORAGE = """([prefix, target]) => {
  const used = () => Object.keys(localStorage).reduce(
    (n, k) => n + k.length + localStorage.getItem(k).length, 0);
  const keys = Object.keys(localStorage).filter((k) => k.startsWith(prefix)
    && JSON.parse(localStorage.getItem(k)).text !== undefined);
  const piece = "Écrire, c'est « penser » deux fois 🌱 — l'œuvre de Québec\\n"
    + "plain ASCII text, and \\"quotes\\" too ✍️ ça naïveté ";
  const each = Math.floor((target - used()) / keys.length);
  const t = Date.now() - 3_600_000;
  for (const [i, key] of keys.entries()) {
    const text = (n) => piece.repeat(Math.ceil(n / piece.length)).slice(0, n)
      .replace(/[\\ud800-\\udbff]$/, "");
    const value = (n) => JSON.stringify({ v: 1, text: text(n), t: t + i });
    const old = localStorage.getItem(key).length;
    let n = each + old;
    while (value(n).length > each + old) n -= 64 + (value(n).length - each - old);
    localStorage.setItem(key, value(n));
  }
  return used();
}"""

#: Every localStorage key and value of the origin.
SNAPSHOT = (
    "() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)]))"
)

#: The layout shifts since the page started (buffered), as Lighthouse counts them (no recent
#: input), with the largest one's first source.
CLS = """() => new Promise((resolve) => {
  const shifts = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) shifts.push(e);
  });
  observer.observe({ type: "layout-shift", buffered: true });
  setTimeout(() => {
    observer.disconnect();
    const top = shifts.reduce((a, b) => (b.value > (a ? a.value : 0) ? b : a), null);
    const node = top && top.sources && top.sources[0] && top.sources[0].node;
    const name = (n) => n.nodeName.toLowerCase() + (n.id ? `#${n.id}` : "")
      + String(n.className || "").trim().split(/\\s+/).filter(Boolean).map((c) => `.${c}`).join("");
    resolve({ cls: shifts.reduce((n, e) => n + e.value, 0), count: shifts.length,
      largest: node ? name(node) : "" });
  }, 300);
})"""


# --- Building -----------------------------------------------------------------------------------


def build(source: Path, out: Path, strict: bool, env: dict | None = None) -> dict:
    """Build `source` into `out`/_build/html: wall seconds, CPU seconds of the build process, and
    CPU seconds of our extension's event handlers (0 for a book without it)."""
    out.mkdir(parents=True, exist_ok=True)
    stats_file = out / "handlers.json"
    cmd = [sys.executable, "-c", DRIVER, str(source), str(out), str(stats_file), str(int(strict))]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=source, env=env)
    wall = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"build failed: {source}\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    handlers = json.loads(stats_file.read_text(encoding="utf-8"))
    top = dict(sorted(handlers.items(), key=lambda kv: -kv[1])[:5])
    return {"wall_s": wall, "cpu_s": cpu, "ours_cpu_s": sum(handlers.values()), "handlers": top}


#: Clean builds of each scaled book: the one with the least CPU time counts (a shared machine).
BUILD_REPEATS = 2


def best_build(folder: Path, strict: bool, env: dict | None = None) -> tuple[dict, Path]:
    """BUILD_REPEATS clean builds of `folder`, each into its own output folder: the figures of
    the one with the least CPU time (all CPU times under "cpu_runs"), and the first one's site."""
    runs = [build(folder, folder / f"out-{i}", strict, env) for i in range(BUILD_REPEATS)]
    best = min(runs, key=lambda r: r["cpu_s"])
    return {**best, "cpu_runs": [r["cpu_s"] for r in runs]}, folder / "out-0" / "_build" / "html"


def extension_env(source: Path) -> dict:
    """The environment that builds `source` with its own extension (first on the path)."""
    path = os.pathsep.join(filter(None, [str(source / "extensions"), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def export_baseline(ref: str, git_dir: Path, into: Path) -> Path:
    """The tree of `ref` (its book and its extension), from `git archive`."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(git_dir), "archive", ref], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def make_book(source: Path, folder: Path, themes: int) -> Path:
    """`source`'s book with ``themes - 5`` copies of its theme page (fresh ids, own titles) before
    the closing page: tests/scaled_book.py, tests/test_page_weight.py's recipe, for any version's
    book."""
    try:
        return scaled_book.make_book(source, folder, themes)
    except ValueError as error:
        sys.exit(f"make_book: {error}")


#: Our blocks' fences (every colon fence: the admonition's too) and their option lines.
FENCES = re.compile(r"^(:{3,}.*|:[a-z-]+:.*)\n", re.M)


def make_plain_book(source: Path, folder: Path, themes: int) -> Path:
    """The scaled book without our extension: the same pages, as plain text."""
    make_book(source, folder, themes)
    for page in (folder / "book").glob("*.md"):
        page.write_text(FENCES.sub("", page.read_text(encoding="utf-8")), encoding="utf-8")
    config = folder / "_config.yml"
    text = config.read_text(encoding="utf-8")
    plain = re.sub(r",\s*(?:sphinx_)?cahier\s*\]", "]", text)
    if plain == text:
        sys.exit(f"make_plain_book: no ', cahier]' in {source}/_config.yml")
    config.write_text(plain, encoding="utf-8")
    return folder


# --- What the built pages carry -----------------------------------------------------------------


def site_pages(html: Path) -> list[str]:
    """Every HTML page of a built site, relative to its root (no _static, no _sources)."""
    return sorted(
        str(p.relative_to(html))
        for p in html.rglob("*.html")
        if not p.relative_to(html).parts[0].startswith("_")
    )


def page_parts(page: Path) -> dict[str, int]:
    """Bytes of a built page, gzipped too, and of what our extension writes into it that could
    grow with the book: the meta tag naming the list of pages (the baseline's cahier-pages; now
    cahier-book and the preload of the book file), the UI strings on #cahier-script (as written
    in the HTML, entities included) — and, now, the strings of the book file the page names
    (fetched once per build, not part of the page)."""
    text = page.read_text(encoding="utf-8")
    raw = text.encode()
    meta = re.search(r'<meta name="cahier-(?:pages|book)"[^>]*>', text)
    preload = re.search(r'<link rel="preload"[^>]*as="fetch"[^>]*>', text)
    script = re.search(r'<script[^>]*id="cahier-script"[^>]*>', text)
    strings = re.search(r'data-cahier-strings="([^"]*)"', text)
    book = {"bytes": 0, "gzip": 0, "keys": 0}
    if meta and 'name="cahier-book"' in meta.group(0):
        content = re.search(r'content="([^"]*)"', meta.group(0))
        url = json.loads(html_lib.unescape(content.group(1)))["book"] if content else ""
        file = page.parent / url
        if url and file.is_file():
            data = file.read_bytes()
            book = {
                "bytes": len(data),
                "gzip": len(gzip.compress(data, compresslevel=6, mtime=0)),
                "keys": len(json.loads(data).get("strings", {})),
            }
    return {
        "bytes": len(raw),
        "gzip": len(gzip.compress(raw, compresslevel=6, mtime=0)),
        "meta": sum(len(m.group(0).encode()) for m in (meta, preload) if m),
        "strings": len(strings.group(1).encode()) if strings else 0,
        "script": len(script.group(0).encode()) if script else 0,
        "strings_keys": len(json.loads(html_lib.unescape(strings.group(1)))) if strings else 0,
        "book_file": book["bytes"],
        "book_file_gzip": book["gzip"],
        "book_strings_keys": book["keys"],
    }


def precache(html: Path) -> dict[str, int]:
    """What the edition's service worker downloads after the first page: files, bytes, gzipped."""
    worker = html / "sw.js"
    if not worker.is_file():
        return {"files": 0, "bytes": 0, "gzip": 0}
    header = worker.read_text(encoding="utf-8").split("\n", 1)[0]
    config = json.loads(header[len("self.CAHIER_SW = ") :].rstrip(";"))
    files = [html / p for p in config["precache"] if p != "./"]
    return {
        "files": len(config["precache"]),
        "bytes": sum(p.stat().st_size for p in files),
        "gzip": sum(len(gzip.compress(p.read_bytes(), compresslevel=6, mtime=0)) for p in files),
    }


# --- Serving --------------------------------------------------------------------------------------


class CountingHandler(SiteHandler):
    """Serves the site and writes down each request it answers: path, status, body bytes. Answers
    the paths that end with one of `delays`' keys that many seconds late."""

    served: ClassVar[list[dict]] = []
    delays: ClassVar[dict[str, float]] = {}

    def send_head(self):
        path = self.path.split("?")[0]
        for suffix, seconds in self.delays.items():
            if path.endswith(suffix):
                time.sleep(seconds)
        return super().send_head()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self._entry = {"path": self.path, "status": int(code), "bytes": 0}
        self.served.append(self._entry)

    def copyfile(self, source, outputfile) -> None:
        data = source.read()
        self._entry["bytes"] = len(data)
        outputfile.write(data)


@contextlib.contextmanager
def serve_counting(html: Path) -> Iterator[tuple[str, type[CountingHandler]]]:
    """Serve a built site on 127.0.0.1; yield its URL and its handler class (what the server sent:
    `.served`; the delays it answers with: `.delays`)."""
    handler = type("Counting", (CountingHandler,), {"served": [], "delays": {}})
    with serve(html, handler) as base:
        yield base, handler


# --- In Chromium --------------------------------------------------------------------------------


@contextlib.contextmanager
def chromium() -> Iterator:
    """Debian's Chromium, driven by Playwright, for the length of the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def is_ours(url: str) -> bool:
    """One of our own JS or CSS files (_static/cahier/<version>/…)."""
    path = url.split("?")[0]
    return "/_static/cahier/" in path and path.endswith((".js", ".css"))


def measure_pages(
    browser, base_url: str, served: list[dict], pages: list[str], offline: bool
) -> dict[str, dict]:
    """For each page: every response it caused (fresh context), their uncompressed and gzipped
    bytes, our JS and CSS gzipped; then the repeat visit in the same context (`offline`: the site
    has a service worker, waited for until it is active): everything the server sent meanwhile
    (`served`: what the service worker fetched included); then a third visit with the browser's
    HTTP cache cleared."""
    results: dict[str, dict] = {}
    for name in pages:
        context = browser.new_context()
        page = context.new_page()
        responses = []
        page.on("response", lambda r, into=responses: into.append(r))
        page.goto(f"{base_url}/{name}", wait_until="networkidle")
        page.wait_for_timeout(300)
        files = []
        for resp in responses:
            try:
                body = resp.body()
            except Exception:
                body = b""
            files.append(
                {
                    "url": resp.url[len(base_url) :],
                    "bytes": len(body),
                    "gzip": len(gzip.compress(body, compresslevel=6, mtime=0)),
                    "gzip9": len(gzip.compress(body, compresslevel=9, mtime=0)),
                }
            )
        if offline:
            page.evaluate(
                "() => Promise.race([navigator.serviceWorker.ready,"
                " new Promise((done) => setTimeout(done, 20000))])"
            )
        # A participant comes back (a navigation, not a reload, which revalidates everything).
        mark = len(served)
        page.goto(f"{base_url}/{name}", wait_until="networkidle")
        page.wait_for_timeout(300)
        server = served[mark:]
        # The same, once the browser's HTTP cache is gone (expired or evicted: days later): what
        # only the service worker keeps.
        cdp = context.new_cdp_session(page)
        cdp.send("Network.clearBrowserCache")
        mark = len(served)
        page.goto(f"{base_url}/{name}", wait_until="networkidle")
        page.wait_for_timeout(300)
        uncached = served[mark:]
        ours = [f for f in files if is_ours(f["url"])]
        results[name] = {
            "requests": len(files),
            "bytes": sum(f["bytes"] for f in files),
            "gzip": sum(f["gzip"] for f in files),
            "ours_gzip9": sum(f["gzip9"] for f in ours),
            "ours_bytes": sum(f["bytes"] for f in ours),
            "repeat_server": [f"{e['path']} {e['status']} {e['bytes']}" for e in server],
            "repeat_server_bytes": sum(e["bytes"] for e in server),
            "uncached_server": [f"{e['path']} {e['status']} {e['bytes']}" for e in uncached],
            "uncached_server_bytes": sum(e["bytes"] for e in uncached),
            "files": files,
        }
        context.close()
    return results


def filled_storage(browser, base_url: str, chars: int = 1500) -> dict[str, str]:
    """A participant's storage: every box of the book written (`chars` characters), a drawing."""
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.goto(f"{base_url}/book/index.html")
        page.locator("#cahier-script[data-cahier-ready]").wait_for(state="attached")
        page.evaluate(FILL_BOOK, [chars])
        return page.evaluate(SNAPSHOT)
    finally:
        context.close()


#: How each page is loaded while its layout shifts are counted: as Lighthouse observes it (no
#: delay), with the scripts arriving after the first paint (a slow phone or network: what our
#: scripts add must not move what is drawn), and with every request late (CDP latency).
CLS_CONDITIONS = {
    "no delay": {},
    "scripts 300 ms late": {"delays": {".js": 0.3}},
    f"every request {LATENCY_MS} ms late": {"latency": LATENCY_MS},
}


def cls_once(browser, url: str, storage: dict[str, str], latency: int = 0) -> dict:
    """One load on a phone: the layout shifts until the page settled (load, network idle, 0.5 s)."""
    context = browser.new_context(**PHONE, service_workers="block")
    try:
        if storage:
            context.add_init_script(
                "(items => { if (!localStorage.length) for (const [k, v] of Object.entries(items))"
                f" localStorage.setItem(k, v); }})({json.dumps(storage)});"
            )
        page = context.new_page()
        if latency:
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            conditions = {"offline": False, "latency": latency}
            cdp.send(
                "Network.emulateNetworkConditions",
                {**conditions, "downloadThroughput": -1, "uploadThroughput": -1},
            )
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        return page.evaluate(CLS)
    finally:
        context.close()


def measure_cls(browser, base_url: str, server: type[CountingHandler], runs: int = 2) -> dict:
    """CLS of each kind of page, storage empty and filled, under each of CLS_CONDITIONS: the
    largest of `runs` loads each, and the largest of all (with its condition)."""
    storage = filled_storage(browser, base_url)
    results: dict[str, dict] = {}
    for kind, page in KINDS.items():
        for state, items in (("empty", {}), ("filled", storage)):
            per_condition = {}
            for condition, how in CLS_CONDITIONS.items():
                server.delays = how.get("delays", {})
                try:
                    loads = [
                        cls_once(browser, f"{base_url}/{page}", items, how.get("latency", 0))
                        for _ in range(runs)
                    ]
                finally:
                    server.delays = {}
                per_condition[condition] = max(loads, key=lambda r: r["cls"])
            worst = max(per_condition, key=lambda c: per_condition[c]["cls"])
            results[f"{kind} {state}"] = {
                **per_condition[worst],
                "condition": worst,
                "conditions": {c: r["cls"] for c, r in per_condition.items()},
            }
    return results


def import_file(browser, base_url: str, file: Path, prefix: str) -> dict:
    """Import `file` into a fresh context from « Mon cahier »: the time until the confirmation
    dialog (read and parsed), the time to write, what the page said, and the stored values."""
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.goto(f"{base_url}/book/mon-cahier.html")
        mon_cahier.ready(page)
        start = time.perf_counter()
        page.set_input_files("input.cahier-mc-import-file", str(file))
        outcome = page.wait_for_function(
            """() => document.querySelector("dialog.cahier-dialog[open]") ? "dialog"
              : (document.querySelector(".cahier-mc-error")?.textContent.trim()
                 || document.querySelector(".cahier-mc-status")?.textContent.trim() || null)""",
            timeout=180_000,
        ).json_value()
        parsed = time.perf_counter() - start
        if outcome != "dialog":
            return {"ok": False, "said": outcome, "parse_s": parsed}
        page.evaluate(
            "() => document.querySelectorAll('.cahier-mc-status, .cahier-mc-error')"
            ".forEach((p) => { p.textContent = ''; })"
        )
        start = time.perf_counter()
        page.click("dialog.cahier-dialog button.cahier-import-confirm")
        said = page.wait_for_function(
            """() => document.querySelector(".cahier-mc-error")?.textContent.trim()
              || document.querySelector(".cahier-mc-status")?.textContent.trim() || null""",
            timeout=180_000,
        ).json_value()
        written = time.perf_counter() - start
        stored = {k: v for k, v in page.evaluate(SNAPSHOT).items() if k.startswith(prefix)}
        stored.pop(prefix + "_meta", None)
        return {"ok": True, "said": said, "parse_s": parsed, "write_s": written, "stored": stored}
    finally:
        context.close()


def round_trip(browser, base_url: str, tmp: Path, units: int = ROUND_TRIP_UNITS) -> dict:
    """A full storage (about `units` UTF-16 code units across every box of the book): « Mon
    cahier » drawn, each export (HTML, JSON) made and imported into a fresh context."""
    context = browser.new_context(service_workers="block")
    results: dict = {}
    try:
        page = context.new_page()
        page.goto(f"{base_url}/book/index.html")
        page.locator("#cahier-script[data-cahier-ready]").wait_for(state="attached")
        prefix = page.evaluate(FILL_BOOK, [1000])
        results["stored_units"] = page.evaluate(FILL_STORAGE, [prefix, units])
        ours = {k: v for k, v in page.evaluate(SNAPSHOT).items() if k.startswith(prefix)}
        ours.pop(prefix + "_meta", None)
        results["boxes"] = len(ours)
        results["answer_chars"] = sum(
            len(json.loads(v).get("text", "")) for v in ours.values() if '"text"' in v
        )
        start = time.perf_counter()
        page.goto(f"{base_url}/book/mon-cahier.html")
        mon_cahier.ready(page, timeout=180_000)
        page.evaluate(mon_cahier.NEXT_FRAME)
        results["mon_cahier_ready_s"] = time.perf_counter() - start
        for kind in ("html", "json"):
            start = time.perf_counter()
            with page.expect_download(timeout=180_000) as download:
                page.click(f"button.cahier-mc-export-{kind}")
            file = tmp / f"export.{kind}"
            download.value.save_as(file)
            exported = time.perf_counter() - start
            back = import_file(browser, base_url, file, prefix)
            stored = back.pop("stored", None)
            if stored is not None:
                differ = {k for k in ours.keys() | stored.keys() if ours.get(k) != stored.get(k)}
                back["identical"] = not differ
                back["differ"] = len(differ)
            results[kind] = {"bytes": file.stat().st_size, "export_s": exported, **back}
    finally:
        context.close()
    return results


def lighthouse(url: str) -> dict | None:
    """Lighthouse (mobile, simulated throttling): category scores out of 100, CLS and paints."""
    if not LIGHTHOUSE.exists():
        return None
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        "--only-categories=performance,accessibility,best-practices",
        f"--chrome-flags={flags}",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    except subprocess.TimeoutExpired:
        print(f"lighthouse timed out on {url}", file=sys.stderr)
        return None
    if proc.returncode != 0:
        print(f"lighthouse failed on {url}:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    report = json.loads(proc.stdout)
    scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
    audits = report["audits"]
    scores["cls"] = audits["cumulative-layout-shift"]["numericValue"]
    for audit in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time"):
        scores[audit] = audits[audit]["numericValue"]
    return scores


# --- One version, from its source to its figures ------------------------------------------------


def version_figures(source: Path, tmp: Path, scales: tuple[int, ...], run_lh: bool) -> dict:
    """Every figure of one version of the workbook (its source tree, its own extension)."""
    env = extension_env(source)
    out = tmp / "book"
    figures: dict = {
        "builds": {"clean": build(source, out, True, env), "rebuild": build(source, out, True, env)}
    }
    html = out / "_build" / "html"
    offline = (html / "sw.js").is_file()
    figures["parts"] = {kind: page_parts(html / page) for kind, page in KINDS.items()}
    figures["precache"] = precache(html)
    with serve_counting(html) as (base, server):
        with chromium() as browser:
            print(f"  pages of {source}", file=sys.stderr)
            figures["pages"] = measure_pages(
                browser, base, server.served, site_pages(html), offline
            )
            print("  layout shift", file=sys.stderr)
            figures["cls"] = measure_cls(browser, base, server)
            print("  « Mon cahier » with 620 boxes", file=sys.stderr)
            figures["mon_cahier"] = mon_cahier.measure(browser, base, MC_BOXES, MC_CHARS, MC_RUNS)
        if run_lh:
            print("  Lighthouse", file=sys.stderr)
            figures["lighthouse"] = {kind: lighthouse(f"{base}/{p}") for kind, p in KINDS.items()}
    figures["scaled"] = {}
    for themes in scales:
        print(f"  the {themes}-theme book", file=sys.stderr)
        folder = make_book(source, tmp / f"book-{themes}", themes)
        built, html = best_build(folder, True, env)
        scaled = {"build": built}
        scaled["parts"] = {kind: page_parts(html / page) for kind, page in KINDS.items()}
        scaled["precache"] = precache(html)
        if themes == 5:  # the real book, measured above
            scaled["pages"] = {p: figures["pages"][p] for p in KINDS.values()}
            figures["scaled"][themes] = scaled
            continue
        with serve_counting(html) as (base, server), chromium() as browser:
            kinds = list(KINDS.values())
            scaled["pages"] = measure_pages(browser, base, server.served, kinds, offline)
            if themes == scales[-1]:
                print(f"  export and import, {themes} themes, full storage", file=sys.stderr)
                figures["round_trip"] = {"themes": themes, **round_trip(browser, base, tmp)}
        figures["scaled"][themes] = scaled
    return figures


def stock_figures(tmp: Path, run_lh: bool) -> dict:
    """A stock `jupyter-book create` book (sphinx-book-theme): builds, its first page."""
    source = tmp / "stock-src"
    subprocess.run([jupyter_book(), "create", str(source)], check=True, capture_output=True)
    shutil.rmtree(source / "_build", ignore_errors=True)
    out = tmp / "stock"
    figures = {"builds": {"clean": build(source, out, False), "rebuild": build(source, out, False)}}
    with serve_counting(out / "_build" / "html") as (base, server):
        with chromium() as browser:
            figures["pages"] = measure_pages(browser, base, server.served, ["intro.html"], False)
        figures["lighthouse"] = lighthouse(f"{base}/intro.html") if run_lh else None
    return figures


def plain_builds(source: Path, tmp: Path, scales: tuple[int, ...]) -> dict[int, dict]:
    """The books of each scale as plain Jupyter Books (furo, no cahier extension, our blocks'
    fences and options dropped, their text kept): what our extension's build cost is counted
    against."""
    builds = {}
    for themes in scales:
        print(f"  the plain {themes}-theme book", file=sys.stderr)
        folder = make_plain_book(source, tmp / f"plain-{themes}", themes)
        figures, html = best_build(folder, False)
        builds[themes] = {**figures, "theme_html": (html / KINDS["theme"]).stat().st_size}
    return builds


def jupyter_book() -> str:
    return str(Path(sys.executable).parent / "jupyter-book")


# --- Report -------------------------------------------------------------------------------------


def kb(n: float) -> str:
    return f"{n / 1000:.1f} kB"


def pct(new: float, old: float) -> str:
    return f"{(new - old) / old * 100:+.1f} %" if old else "–"


def table(header: list[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("| --- |" + " ---: |" * (len(header) - 1))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


def lh(figures: dict, kind: str, key: str) -> str:
    scores = (figures.get("lighthouse") or {}).get(kind)
    if not scores:
        return "–"
    value = scores[key]
    if key == "cls":
        return f"{value:.3f}"
    if key in ("first-contentful-paint", "largest-contentful-paint"):
        return f"{value / 1000:.1f} s"
    if key == "total-blocking-time":
        return f"{value:.0f} ms"
    return str(value)


#: Issue 14's goals (and issue 10's budget) per kind of page.
GOALS = {
    "requests": "≤ +5 % (issue 10)",
    "bytes": "≤ +5 % (issue 10)",
    "repeat": "0 B (issue 10)",
    "ours": "≤ 20 KB (issue 10)",
    "cls": "≤ 0.01",
    "performance": "≥ 98",
}


def report_kind(base: dict, now: dict, kind: str) -> None:
    """One kind of page: baseline, now, the change, the goal."""
    page = KINDS[kind]

    def pg(f: dict) -> dict:
        return f["pages"][page]

    def parts(f: dict) -> dict:
        return f["parts"][kind]

    def change(of, key: str) -> str:
        return pct(of(now)[key], of(base)[key])

    def cls(state: str):
        return lambda f: f"{f['cls'][f'{kind} {state}']['cls']:.3f}"

    def score(*keys: str):
        return lambda f: " / ".join(lh(f, kind, k) for k in keys)

    rows = [
        (
            "first visit: bytes, uncompressed",
            lambda f: kb(pg(f)["bytes"]),
            change(pg, "bytes"),
            GOALS["bytes"],
        ),
        (
            "first visit: bytes, gzipped (what a compressing host sends)",
            lambda f: kb(pg(f)["gzip"]),
            change(pg, "gzip"),
            GOALS["bytes"],
        ),
        (
            "first visit: requests",
            lambda f: str(pg(f)["requests"]),
            change(pg, "requests"),
            GOALS["requests"],
        ),
        (
            "the page's HTML (gzipped)",
            lambda f: f"{kb(parts(f)['bytes'])} ({kb(parts(f)['gzip'])})",
            change(parts, "bytes"),
            "",
        ),
        (
            "our meta tag naming the list of pages (now: and its preload)",
            lambda f: kb(parts(f)["meta"]),
            change(parts, "meta"),
            "O(1)",
        ),
        (
            "UI strings on the page: bytes, keys (the whole entry script tag)",
            lambda f: (
                f"{kb(parts(f)['strings'])}, {parts(f)['strings_keys']} ({kb(parts(f)['script'])})"
            ),
            change(parts, "strings"),
            "fetched once, cached",
        ),
        (
            "the book file (UI strings and list of pages; fetched once per build): bytes "
            "(gzipped), strings",
            lambda f: (
                f"{kb(parts(f)['book_file'])} ({kb(parts(f)['book_file_gzip'])}), "
                f"{parts(f)['book_strings_keys']}"
                if parts(f).get("book_file")
                else "–"
            ),
            "",
            "",
        ),
        (
            "our JS + CSS, gzipped (level 9)",
            lambda f: kb(pg(f)["ours_gzip9"]),
            change(pg, "ours_gzip9"),
            GOALS["ours"] if kind == "theme" else "",
        ),
        (
            "repeat visit: what the server sent (body bytes, requests)",
            lambda f: f"{kb(pg(f)['repeat_server_bytes'])}, {len(pg(f)['repeat_server'])}",
            "",
            GOALS["repeat"],
        ),
        (
            "repeat visit, HTTP cache cleared: what the server sent",
            lambda f: f"{kb(pg(f)['uncached_server_bytes'])}, {len(pg(f)['uncached_server'])}",
            "",
            GOALS["repeat"],
        ),
        ("CLS, phone, empty storage (the worst condition)", cls("empty"), "", GOALS["cls"]),
        ("CLS, phone, filled storage (the worst condition)", cls("filled"), "", GOALS["cls"]),
        ("Lighthouse performance (mobile)", score("performance"), "", GOALS["performance"]),
        ("Lighthouse CLS", score("cls"), "", GOALS["cls"]),
        (
            "Lighthouse FCP / LCP (simulated)",
            score("first-contentful-paint", "largest-contentful-paint"),
            "",
            "",
        ),
        ("Lighthouse TBT", score("total-blocking-time"), "", ""),
        (
            "Lighthouse accessibility / best practices",
            score("accessibility", "best-practices"),
            "",
            "100 / 100",
        ),
    ]
    print(f"### {KIND_NAMES[kind]} (`{page}`)\n")
    table(
        ["", "baseline", "now", "change", "goal"],
        [[label, fmt(base), fmt(now), ch, goal] for label, fmt, ch, goal in rows],
    )
    for label, figures in (("baseline", base), ("now", now)):
        for state in ("empty", "filled"):
            r = figures["cls"][f"{kind} {state}"]
            each = ", ".join(f"{c} {v:.3f}" for c, v in r["conditions"].items())
            source = f"; largest shift: `{r['largest']}`" if r["cls"] > 0 else ""
            print(f"CLS {label}, {state}: {each}{source}  ")
    print()


def report_files(base: dict, now: dict) -> None:
    """The theme page file by file, and our files gzipped on each kind of page."""
    print(f"### The theme page file by file (`{KINDS['theme']}`)\n")
    strip = re.compile(r"_static/cahier/[0-9a-f]{12}/|\?v=[0-9a-f]+$|^/")
    rows = {}
    for label, figures in (("baseline", base), ("now", now)):
        for f in figures["pages"][KINDS["theme"]]["files"]:
            name = strip.sub("", f["url"])
            rows.setdefault(name, {})[label] = f
    out = []
    for name, sides in rows.items():
        cells = [f"`{name}`"]
        for label in ("baseline", "now"):
            f = sides.get(label)
            cells.append(f"{kb(f['bytes'])} / {kb(f['gzip9'])}" if f else "–")
        out.append(cells)
    table(["file (uncompressed / gzipped -9)", "baseline", "now"], out)
    print("### Our JS and CSS per page, as served, gzipped (level 9)\n")
    out = []
    for kind, page in KINDS.items():
        b, n = base["pages"][page], now["pages"][page]
        files = ", ".join(
            f"{strip.sub('', f['url']).removeprefix('_static/cahier/')} {f['gzip9']}"
            for f in n["files"]
            if is_ours(f["url"])
        )
        out.append([KIND_NAMES[kind], kb(b["ours_gzip9"]), kb(n["ours_gzip9"]), files])
    table(["page", "baseline", "now", "now, file by file (bytes)"], out)


def report_scaled(base: dict, now: dict, plain: dict) -> None:
    print("### The 5-, 50- and 200-theme books\n")
    rows = []
    for themes in sorted(now["scaled"], key=int):
        p = plain.get(themes) or plain.get(str(themes)) or {}
        rows.append(
            [f"{themes} themes, plain book (no extension)", kb(p.get("theme_html", 0))] + ["–"] * 5
        )
        for label, figures in (("baseline", base), ("now", now)):
            s = figures["scaled"].get(themes)
            if not s:
                continue
            theme, mc = s["parts"]["theme"], s["parts"]["mon-cahier"]
            page, mc_page = s["pages"][KINDS["theme"]], s["pages"][KINDS["mon-cahier"]]
            rows.append(
                [
                    f"{themes} themes, {label}",
                    f"{kb(theme['bytes'])} ({kb(theme['gzip'])})",
                    kb(theme["meta"]),
                    f"{kb(page['bytes'])} ({kb(page['gzip'])}), {page['requests']}",
                    kb(mc["bytes"]),
                    f"{kb(mc_page['bytes'])} ({kb(mc_page['gzip'])}), {mc_page['requests']}",
                    kb(s["precache"]["gzip"]),
                ]
            )
    table(
        [
            "book",
            "theme page HTML (gzipped)",
            "meta tag naming the list (+ preload)",
            "theme page, all it loads (gzipped), requests",
            "« Mon cahier » HTML",
            "« Mon cahier », all it loads (gzipped), requests",
            "precache, gzipped",
        ],
        rows,
    )
    print(
        f"Clean builds of the scaled books (the least CPU of {BUILD_REPEATS} builds each; CPU: the"
        " build process's user + system time; the plain book: the same pages, our blocks as plain"
        " text, without our extension):\n"
    )
    rows = []
    for themes in sorted(now["scaled"], key=int):
        p = plain.get(themes) or plain.get(str(themes))
        for label, figures in (("baseline", base), ("now", now)):
            s = figures["scaled"].get(themes)
            if not s:
                continue
            b = s["build"]
            over = b["cpu_s"] - p["cpu_s"] if p else float("nan")
            rows.append(
                [
                    f"{themes} themes, {label}",
                    f"{b['wall_s']:.1f} s",
                    " / ".join(f"{c:.2f}" for c in b["cpu_runs"]) + " s",
                    f"{p['cpu_s']:.2f} s" if p else "–",
                    f"{over:.2f} s",
                    f"{over / p['cpu_s']:.2f}" if p else "–",
                    f"{over / (int(themes) + 4) * 1000:.1f} ms",
                    f"{b['ours_cpu_s']:.2f} s",
                ]
            )
    table(
        [
            "book",
            "wall",
            "CPU (each build)",
            "plain book CPU",
            "overhead (least CPU − plain)",
            "overhead / plain",
            "overhead per book page",
            "our event handlers' CPU",
        ],
        rows,
    )
    largest = max(now["scaled"], key=int)
    for label, figures in (("baseline", base), ("now", now)):
        top = figures["scaled"][largest]["build"]["handlers"]
        listed = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in top.items())
        print(f"Our costliest event handlers, {largest} themes, {label}: {listed}  ")
    print()


def report_mon_cahier(base: dict, now: dict) -> None:
    b, n = base["mon_cahier"], now["mon_cahier"]
    print(
        f"### « Mon cahier » with {n['boxes']} filled boxes of {n['chars']:,} characters "
        f"({n['runs']} loads each, medians)\n"
    )

    def ms(value: float) -> str:
        return f"{value:.0f} ms"

    def split(r: dict) -> str:
        return f"{ms(r['work_ms'])} ({' / '.join(f'{r[k]:.0f}' for k in mon_cahier.PARTS)})"

    def cls(r: dict) -> str:
        return f"{r['empty']['cls_max']:.3f} / {r['filled']['cls_max']:.3f}"

    def redrawn(r: dict) -> str:
        return f"{r['export']['redrawn']} of {r['export']['boxes']}"

    rows = [
        ["main thread until drawn, empty storage", ms(b["empty"]["work_ms"]),
         ms(n["empty"]["work_ms"]), ""],
        ["main thread until drawn, filled (script / style / layout)", split(b["filled"]),
         split(n["filled"]), "≤ 250 ms"],
        ["the answers' share (filled − empty)", ms(b["answers_share_ms"]),
         ms(n["answers_share_ms"]), ""],
        ["navigation to the filled page's next frame", ms(b["filled"]["frame_ms"]),
         ms(n["filled"]["frame_ms"]), ""],
        ["CLS, empty / filled (desktop, no latency)", cls(b), cls(n), "≤ 0.01"],
        ["an HTML export: main thread, click to next frame", ms(b["export"]["work"]),
         ms(n["export"]["work"]), "no freeze"],
        ["an HTML export: boxes of the list drawn again", redrawn(b), redrawn(n), "none"],
        ["HTML export size", kb(b["export"]["bytes"]), kb(n["export"]["bytes"]), ""],
    ]  # fmt: skip
    table(["", "baseline", "now", "goal"], rows)


def outcome(r: dict) -> str:
    """What became of an import: refused (with what the page said), identical, or not."""
    if not r:
        return "–"
    if not r["ok"]:
        return f"refused: « {r['said']} »"
    return "identical" if r["identical"] else f"{r['differ']} values differ"


def report_round_trip(base: dict, now: dict) -> None:
    n = now.get("round_trip")
    if not n:
        return
    b = base.get("round_trip") or {}
    print(
        f"### Export and import, full storage ({n['themes']}-theme book, {n['boxes']} values, "
        f"{n['stored_units']:,} UTF-16 code units stored)\n"
    )

    def seconds(side: dict, kind: str, key: str) -> str:
        r = side.get(kind) or {}
        return f"{r[key]:.1f} s" if key in r else "–"

    def size(side: dict, kind: str) -> str:
        r = side.get(kind)
        return f"{kb(r['bytes'])} ({r['bytes'] / side['answer_chars']:.2f})" if r else "–"

    rows = [
        ["« Mon cahier » drawn with the full storage", f"{b['mon_cahier_ready_s']:.1f} s",
         f"{n['mon_cahier_ready_s']:.1f} s", ""],
    ]  # fmt: skip
    for kind in ("html", "json"):
        name = kind.upper()
        rows += [
            [f"{name} export: size (bytes per answer character)", size(b, kind), size(n, kind), ""],
            [f"{name} export: click to file", seconds(b, kind, "export_s"),
             seconds(n, kind, "export_s"), ""],
            [f"{name} import: file to dialog", seconds(b, kind, "parse_s"),
             seconds(n, kind, "parse_s"), ""],
            [f"{name} import: confirm to written", seconds(b, kind, "write_s"),
             seconds(n, kind, "write_s"), ""],
            [f"{name} import: the storage back", outcome(b.get(kind, {})),
             outcome(n.get(kind, {})), "identical"],
        ]  # fmt: skip
    table(["", "baseline", "now", "goal"], rows)


def report_offline(base: dict, now: dict) -> None:
    page = KINDS["theme"]
    b, n = base["pages"][page], now["pages"][page]
    bc, nc = base["precache"], now["precache"]
    print("### Offline (issue 10): the theme page\n")
    rows = [
        ["first visit: bytes (gzipped)", f"{kb(b['bytes'])} ({kb(b['gzip'])})",
         f"{kb(n['bytes'])} ({kb(n['gzip'])})", pct(n["bytes"], b["bytes"]), "≤ +5 %"],
        ["first visit: requests", str(b["requests"]), str(n["requests"]),
         pct(n["requests"], b["requests"]), "≤ +5 %"],
        ["repeat visit: what the server sent (body bytes, requests)",
         f"{kb(b['repeat_server_bytes'])}, {len(b['repeat_server'])}",
         f"{kb(n['repeat_server_bytes'])}, {len(n['repeat_server'])}", "", "0"],
        ["repeat visit, HTTP cache cleared: what the server sent (body bytes, requests)",
         f"{kb(b['uncached_server_bytes'])}, {len(b['uncached_server'])}",
         f"{kb(n['uncached_server_bytes'])}, {len(n['uncached_server'])}", "", "0"],
        ["precache after the first visit: files, bytes (gzipped)",
         f"{bc['files']}, {kb(bc['bytes'])} ({kb(bc['gzip'])})",
         f"{nc['files']}, {kb(nc['bytes'])} ({kb(nc['gzip'])})", "", "reported"],
        ["our JS + CSS, gzipped", kb(b["ours_gzip9"]), kb(n["ours_gzip9"]),
         pct(n["ours_gzip9"], b["ours_gzip9"]), "≤ 20 KB"],
    ]  # fmt: skip
    table(["", "baseline", "now", "change", "budget"], rows)
    for label, p in (("baseline", b), ("now", n)):
        for key, when in (("repeat_server", ""), ("uncached_server", ", HTTP cache cleared")):
            sent = ", ".join(p[key]) or "nothing"
            print(f"Repeat visit{when}, {label}, the server sent (path status bytes): {sent}  ")
    print()


def report_pages(base: dict, now: dict) -> None:
    print(
        "### Every page (first visit: uncompressed / gzipped, requests; repeat visit with the HTTP"
        " cache cleared: what the server sent)\n"
    )

    def cell(p: dict | None) -> str:
        return f"{kb(p['bytes'])} / {kb(p['gzip'])}, {p['requests']}" if p else "(new)"

    def again(p: dict | None) -> str:
        return f"{kb(p['uncached_server_bytes'])}, {len(p['uncached_server'])}" if p else "–"

    rows = [
        [
            f"`{name}`",
            cell(base["pages"].get(name)),
            cell(p),
            again(base["pages"].get(name)),
            again(p),
        ]
        for name, p in now["pages"].items()
    ]
    table(["page", "baseline", "now", "baseline, again", "now, again"], rows)


def report_builds(base: dict, now: dict, stock: dict | None) -> None:
    print("### Builds (the real book)\n")
    rows = []
    for label, figures in (("baseline", base), ("now", now), ("stock book", stock)):
        if not figures:
            continue
        c, r = figures["builds"]["clean"], figures["builds"]["rebuild"]
        rows.append(
            [
                label,
                f"{c['wall_s']:.2f} s",
                f"{c['cpu_s']:.2f} s",
                f"{c['ours_cpu_s']:.2f} s",
                f"{r['wall_s']:.2f} s",
                f"{r['cpu_s']:.2f} s",
            ]
        )
    table(
        [
            "",
            "clean (wall)",
            "clean (CPU)",
            "our handlers (CPU)",
            "no-change rebuild (wall)",
            "no-change rebuild (CPU)",
        ],
        rows,
    )


def report_stock(now: dict, stock: dict) -> None:
    page = stock["pages"]["intro.html"]
    theme = now["pages"][KINDS["theme"]]
    scores = stock.get("lighthouse") or {}
    categories = ("performance", "accessibility", "best-practices")
    print("### A stock `jupyter-book create` book (`intro.html`, sphinx-book-theme)\n")
    rows = [
        ["bytes (gzipped)", f"{kb(page['bytes'])} ({kb(page['gzip'])})",
         f"{theme['bytes'] / page['bytes']:.3f}"],
        ["requests", str(page["requests"]), f"{theme['requests'] / page['requests']:.3f}"],
        ["Lighthouse performance / accessibility / best practices",
         " / ".join(str(scores.get(k, "–")) for k in categories), ""],
        ["Lighthouse CLS", f"{scores['cls']:.3f}" if scores else "–", ""],
    ]  # fmt: skip
    table(["", "stock", "now's theme page / stock"], rows)


def report(figures: dict) -> None:
    print(f"# Cahier benchmark — {figures['date']}\n\n{figures['machine']}  ")
    print(f"now: {figures['now_ref']}; baseline: {figures.get('baseline_ref', '–')}\n")
    now, base = figures["now"], figures.get("baseline")
    if not base:
        print(json.dumps({k: now[k] for k in ("parts", "precache", "builds")}, indent=1))
        return
    for kind in KINDS:
        report_kind(base, now, kind)
    report_offline(base, now)
    report_files(base, now)
    report_scaled(base, now, figures.get("plain", {}))
    report_mon_cahier(base, now)
    report_round_trip(base, now)
    report_builds(base, now, figures.get("stock"))
    report_pages(base, now)
    if figures.get("stock"):
        report_stock(now, figures["stock"])
    if "duration_s" in figures:
        print(f"(the whole run: {figures['duration_s'] / 60:.1f} min)")


# --- Main ---------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    chromium_version = subprocess.run(
        [CHROMIUM, "--version"], capture_output=True, text=True
    ).stdout.strip()
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} at the start, "
        f"Python {platform.python_version()}, {chromium_version}"
    )


def describe(git_dir: Path, ref: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(git_dir), "log", "-1", "--format=%h %s", ref],
        capture_output=True,
        text=True,
    )
    return proc.stdout.strip()[:100] or ref


def now_ref() -> str:
    """This tree's commit, marked when it has uncommitted changes; or that it is a copy."""
    if not (ROOT / ".git").exists():
        return f"the copy in {ROOT} (--now-ref names it)"
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return describe(ROOT, "HEAD") + (" (with uncommitted changes)" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--baseline",
        default=BASELINE,
        help=f"the commit to compare with (default {BASELINE}); 'none' to skip",
    )
    parser.add_argument(
        "--git-dir",
        type=Path,
        default=Path(os.environ.get("CAHIER_GIT_DIR", ROOT)),
        help="the repository that holds the baseline (default: CAHIER_GIT_DIR, else this tree)",
    )
    parser.add_argument(
        "--now-ref", help="what 'now' is, for the report (default: the repository's HEAD)"
    )
    parser.add_argument("--quick", action="store_true", help="no Lighthouse, no 200-theme books")
    parser.add_argument("--no-stock", action="store_true", help="skip the stock book")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--report", type=Path, help="measure nothing: print the tables of a --json file again"
    )
    args = parser.parse_args()
    if args.report:
        report(json.loads(args.report.read_text(encoding="utf-8")))
        return
    run_lh = not (args.no_lighthouse or args.quick)
    if run_lh and not LIGHTHOUSE.exists():
        print("Lighthouse not installed (npm ci): scores skipped", file=sys.stderr)
    scales = SCALES[:2] if args.quick else SCALES
    started = time.perf_counter()
    figures: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine(),
        "now_ref": args.now_ref or now_ref(),
    }
    with tempfile.TemporaryDirectory(prefix="cahier-bench-") as tmp:
        tmp = Path(tmp)
        print("now:", file=sys.stderr)
        (tmp / "now").mkdir()
        figures["now"] = version_figures(ROOT, tmp / "now", scales, run_lh)
        if args.baseline != "none":
            print(f"baseline {args.baseline}:", file=sys.stderr)
            source = export_baseline(args.baseline, args.git_dir, tmp / "baseline-src")
            (tmp / "baseline").mkdir()
            figures["baseline"] = version_figures(source, tmp / "baseline", scales, run_lh)
            figures["baseline_ref"] = describe(args.git_dir, args.baseline)
        print("plain books:", file=sys.stderr)
        (tmp / "plain").mkdir()
        figures["plain"] = plain_builds(ROOT, tmp / "plain", scales)
        if not args.no_stock:
            print("stock book:", file=sys.stderr)
            figures["stock"] = stock_figures(tmp, run_lh)
    figures["duration_s"] = time.perf_counter() - started
    report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
