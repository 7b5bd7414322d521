"""Cahier benchmark: page weight, requests, Lighthouse scores and build times, against a stock book.

Not a test: it prints figures (and writes them as JSON with --json). It builds this workbook and a
stock ``jupyter-book create`` book in a temporary folder, serves each on 127.0.0.1, loads every
page in Chromium (a fresh context per page: nothing cached) and counts every response and its
uncompressed body; gzips the workbook's own JS and CSS; runs Lighthouse (mobile, simulated
throttling) on a theme page and on the stock book's first page when ``node_modules/.bin/lighthouse``
is installed (``npm ci``); and times a clean build and a no-change rebuild of each book.

    /work/venv/bin/python benchmarks/run.py [--no-stock] [--no-lighthouse] [--json FILE]

Environment: CAHIER_CHROMIUM (default /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
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


def jupyter_book() -> str:
    return str(Path(sys.executable).parent / "jupyter-book")


def build(source: Path, out: Path, strict: bool) -> float:
    """Build `source` into `out`/_build/html; the wall time in seconds."""
    cmd = [jupyter_book(), "build", str(source), "--path-output", str(out)]
    if strict:
        cmd.append("-W")
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=source)
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
    """For each page: every response it caused (fresh context) and their uncompressed bytes."""
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
                        size = len(resp.body())
                    except Exception:
                        size = resp.request.sizes().get("responseBodySize", 0)
                    files.append({"url": resp.url[len(base_url) :], "bytes": size})
                results[name] = {
                    "requests": len(files),
                    "bytes": sum(f["bytes"] for f in files),
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


def book_figures(source: Path, out: Path, strict: bool, theme_page: str, run_lh: bool) -> dict:
    clean = build(source, out, strict)
    rebuild = build(source, out, strict)
    html = out / "_build" / "html"
    pages = site_pages(html)
    with serve(html) as base:
        measured = measure_pages(base, pages)
        scores = lighthouse(f"{base}/{theme_page}") if run_lh else None
    return {
        "clean_build_s": round(clean, 2),
        "rebuild_s": round(rebuild, 2),
        "pages": measured,
        "theme_page": theme_page,
        "lighthouse": scores,
    }


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


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
