"""Cahier benchmark: page weight, requests, Lighthouse scores and build times, against a stock book
and against an earlier version of Cahier (the baseline), in the same run.

Not a test: it prints figures (and writes them as JSON with --json). It builds this workbook, the
same workbook at the baseline commit (``git archive``, built with that commit's extension) and a
stock ``jupyter-book create`` book in a temporary folder, serves each on 127.0.0.1, loads every
page in Chromium (a fresh context per page: nothing cached) and counts every response, its
uncompressed body and its gzipped size (what a host that compresses sends); loads each page a
second time in the same context (the repeat visit: what still comes from the network once the
service worker, if any, holds the edition); adds up the files the service worker precaches;
gzips the workbook's own JS and CSS; runs Lighthouse (mobile, simulated throttling) on a theme
page and on the stock book's first page when ``node_modules/.bin/lighthouse`` is installed
(``npm ci``); and times a clean build and a no-change rebuild of each book.

    .venv/bin/python benchmarks/run.py [--baseline REF] [--no-stock] [--no-lighthouse] [--json FILE]

Environment: CAHIER_CHROMIUM (default /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cahier.localserver import CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parents[1]
OWN_STATIC = ROOT / "extensions" / "cahier" / "static" / "cahier"
CHROMIUM = os.environ.get("CAHIER_CHROMIUM", "/usr/bin/chromium")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
THEME_PAGE = "book/eveil.html"
#: The first release, before the issues of November 2026: what "today" meant when they were filed.
BASELINE = "ac3a680"


def jupyter_book() -> str:
    return str(Path(sys.executable).parent / "jupyter-book")


def build(source: Path, out: Path, strict: bool, env: dict | None = None) -> float:
    """Build `source` into `out`/_build/html; the wall time in seconds."""
    cmd = [jupyter_book(), "build", str(source), "--path-output", str(out)]
    if strict:
        cmd.append("-W")
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=source, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"build failed: {' '.join(cmd)}\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return elapsed


def site_pages(html: Path) -> list[str]:
    """Every HTML page of a built site, relative to its root (no _static, no _sources)."""
    return sorted(
        str(p.relative_to(html))
        for p in html.rglob("*.html")
        if not p.relative_to(html).parts[0].startswith("_")
    )


def measure_pages(base_url: str, pages: list[str]) -> dict[str, dict]:
    """For each page: every response it caused (fresh context), their uncompressed and gzipped
    bytes; then the repeat visit in the same context: what still came from the network."""
    from playwright.sync_api import sync_playwright

    results: dict[str, dict] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
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
                        }
                    )
                # The repeat visit: once a service worker controls the page (if the site has
                # one), every response it gives counts 0 bytes from the network.
                page.evaluate(
                    "() => navigator.serviceWorker && navigator.serviceWorker.getRegistration()"
                    ".then((r) => r && navigator.serviceWorker.ready)"
                )
                page.wait_for_timeout(300)
                responses.clear()
                # A participant comes back (a navigation, not a reload, which revalidates all).
                page.goto(f"{base_url}/{name}", wait_until="networkidle")
                page.wait_for_timeout(300)
                network = [r for r in responses if not r.from_service_worker]
                repeat = 0
                for resp in network:
                    with contextlib.suppress(Exception):  # the browser's HTTP cache: 0 bytes
                        repeat += resp.request.sizes()["responseBodySize"]
                results[name] = {
                    "requests": len(files),
                    "bytes": sum(f["bytes"] for f in files),
                    "gzip": sum(f["gzip"] for f in files),
                    "repeat_requests": len(network),
                    "repeat_bytes": repeat,
                    "files": files,
                }
                context.close()
        finally:
            browser.close()
    return results


def own_assets_gzipped() -> dict[str, int]:
    """Each of the workbook's own JS and CSS files, gzipped (level 9), in bytes."""
    return {
        p.name: len(gzip.compress(p.read_bytes(), compresslevel=9, mtime=0))
        for p in sorted(OWN_STATIC.iterdir())
        if p.suffix in {".js", ".css"}
    }


def lighthouse(url: str) -> dict[str, float] | None:
    """Lighthouse (mobile, simulated throttling) category scores out of 100, or None."""
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
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    if proc.returncode != 0:
        print(f"lighthouse failed on {url}:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    report = json.loads(proc.stdout)
    scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
    audits = report["audits"]
    for audit in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time"):
        scores[audit] = audits[audit]["displayValue"]
    return scores


def precache_bytes(html: Path) -> tuple[int, int]:
    """What the edition's service worker downloads after the first page: files and bytes."""
    worker = html / "sw.js"
    if not worker.is_file():
        return 0, 0
    header = worker.read_text(encoding="utf-8").split("\n", 1)[0]
    config = json.loads(header[len("self.CAHIER_SW = ") :].rstrip(";"))
    files = [p for p in config["precache"] if p != "./"]
    return len(config["precache"]), sum((html / p).stat().st_size for p in files)


def book_figures(
    source: Path,
    out: Path,
    strict: bool,
    theme_page: str,
    run_lh: bool,
    env: dict | None = None,
) -> dict:
    clean = build(source, out, strict, env)
    rebuild = build(source, out, strict, env)
    html = out / "_build" / "html"
    pages = site_pages(html)
    with serve(html) as base:
        measured = measure_pages(base, pages)
        scores = lighthouse(f"{base}/{theme_page}") if run_lh else None
    precache_files, precache_total = precache_bytes(html)
    return {
        "clean_build_s": round(clean, 2),
        "rebuild_s": round(rebuild, 2),
        "pages": measured,
        "theme_page": theme_page,
        "lighthouse": scores,
        "precache_files": precache_files,
        "precache_bytes": precache_total,
    }


def baseline_figures(ref: str, tmp: Path, run_lh: bool) -> dict:
    """The workbook as it was at `ref` (its book and its extension), built and measured alike."""
    source = tmp / "baseline-src"
    source.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    # That commit's extension comes first on the path (the current one is installed editable).
    env = {**os.environ, "PYTHONPATH": str(source / "extensions")}
    figures = book_figures(source, tmp / "baseline", True, THEME_PAGE, run_lh, env)
    figures["ref"] = ref
    return figures


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def compare(ours: dict, base: dict) -> None:
    """The theme page and every page, now against the baseline (same run, same machine)."""
    print(f"\n## Now against the baseline ({base['ref']}), same run")
    now_t, base_t = ours["pages"][ours["theme_page"]], base["pages"][base["theme_page"]]
    rows = [
        ("bytes, uncompressed", "bytes", kb),
        ("bytes, gzipped", "gzip", kb),
        ("requests", "requests", str),
        ("repeat visit: bytes from the network", "repeat_bytes", kb),
        ("repeat visit: requests to the network", "repeat_requests", str),
    ]
    print(f"  {'theme page ' + ours['theme_page']:42} {'baseline':>10} {'now':>10} {'now/base':>9}")
    for label, key, fmt in rows:
        b, n = base_t[key], now_t[key]
        ratio = f"{n / b:.3f}" if b else "-"
        print(f"  {label:42} {fmt(b):>10} {fmt(n):>10} {ratio:>9}")
    print(
        f"  {'precache after the first visit':42} {kb(base['precache_bytes']):>10}"
        f" {kb(ours['precache_bytes']):>10}   ({ours['precache_files']} files)"
    )
    print(f"  builds: clean {base['clean_build_s']} -> {ours['clean_build_s']} s")
    if base["lighthouse"] and ours["lighthouse"]:
        print(f"  Lighthouse: {base['lighthouse']} -> {ours['lighthouse']}")
    print("\n  every page (bytes / requests, baseline -> now):")
    for name, page in ours["pages"].items():
        old = base["pages"].get(name)
        before = f"{kb(old['bytes'])} / {old['requests']}" if old else "(new)"
        print(f"    {name:28} {before:>16} -> {kb(page['bytes'])} / {page['requests']}")


def report(figures: dict) -> None:
    ours = figures["cahier"]
    print(f"# Cahier benchmark — {figures['date']} — {figures['machine']}")
    print("\n## Cahier: per page (uncompressed bytes, requests)")
    for name, page in ours["pages"].items():
        print(f"  {name:28} {kb(page['bytes']):>10}  {page['requests']:>3} requests")
    theme = ours["pages"][ours["theme_page"]]
    print(f"\n  theme page {ours['theme_page']}:")
    for f in theme["files"]:
        print(f"    {f['bytes']:>8}  {f['url']}")
    gz = figures["own_gzipped"]
    print("\n## Cahier's own JS and CSS, gzipped")
    for name, size in gz.items():
        print(f"  {name:28} {size:>6} B")
    print(f"  {'total':28} {sum(gz.values()):>6} B ({kb(sum(gz.values()))})")
    print(f"\n## Builds: clean {ours['clean_build_s']} s, no-change rebuild {ours['rebuild_s']} s")
    print(f"## Lighthouse ({ours['theme_page']}): {ours['lighthouse']}")
    if figures.get("baseline"):
        compare(ours, figures["baseline"])
    stock = figures.get("stock")
    if stock:
        spage = stock["pages"][stock["theme_page"]]
        print(f"\n## Stock `jupyter-book create` book ({stock['theme_page']})")
        print(f"  {kb(spage['bytes'])} in {spage['requests']} requests")
        print(f"  builds: clean {stock['clean_build_s']} s, rebuild {stock['rebuild_s']} s")
        print(f"  Lighthouse: {stock['lighthouse']}")
        print("\n## Ratios (Cahier theme page / stock first page)")
        print(f"  bytes    {theme['bytes'] / spage['bytes']:.3f}")
        print(f"  requests {theme['requests'] / spage['requests']:.3f}")
        print(f"  clean build {ours['clean_build_s'] / stock['clean_build_s']:.2f}")
        print(f"  rebuild     {ours['rebuild_s'] / stock['rebuild_s']:.2f}")
        if ours["lighthouse"] and stock["lighthouse"]:
            for cat in ("performance", "accessibility", "best-practices"):
                ours_score, stock_score = ours["lighthouse"][cat], stock["lighthouse"][cat]
                print(f"  Lighthouse {cat}: {ours_score} vs {stock_score}")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{system}, {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--baseline",
        default=BASELINE,
        help=f"the commit to compare with (default {BASELINE}); 'none' to skip",
    )
    parser.add_argument("--no-stock", action="store_true", help="skip the stock book")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()
    run_lh = not args.no_lighthouse
    if run_lh and not LIGHTHOUSE.exists():
        print("Lighthouse not installed (npm ci): scores skipped", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="cahier-bench-") as tmp:
        tmp = Path(tmp)
        figures = {
            "date": time.strftime("%Y-%m-%d %H:%M %Z"),
            "machine": machine(),
            "cahier": book_figures(ROOT, tmp / "cahier", True, THEME_PAGE, run_lh),
            "own_gzipped": own_assets_gzipped(),
        }
        if args.baseline != "none":
            figures["baseline"] = baseline_figures(args.baseline, tmp, run_lh)
        if not args.no_stock:
            stock_src = tmp / "stock-src"
            subprocess.run(
                [jupyter_book(), "create", str(stock_src)], check=True, capture_output=True
            )
            shutil.rmtree(stock_src / "_build", ignore_errors=True)
            figures["stock"] = book_figures(stock_src, tmp / "stock", False, "intro.html", run_lh)
    report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
