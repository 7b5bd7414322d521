"""« Mon cahier » at scale: render time, layout shift and an export's cost with many filled boxes.

Not a test (timings depend on the machine; tests/browser/test_mon_cahier_scale.py checks what can
be checked without a clock). It serves a built site on 127.0.0.1 and, in Chromium:

- fills the storage with ``--boxes`` answers (default 620) of ``--chars`` characters (default
  4,000; French with accents and emoji): every box of the book, then ids this edition does not
  have, which « Mon cahier » lists under « other answers »;
- loads « Mon cahier » ``--runs`` times (fresh page each time), with and without answers, and prints
  the main thread's script, style and layout time until the filled page is drawn (Chromium's
  ``Performance.getMetrics`` counters; the difference between the two is the cost of rendering the
  answers) and the time from navigation to that frame;
- sums the Cumulative Layout Shift of each load (PerformanceObserver ``layout-shift``, buffered);
- exports the HTML file and prints its size, the main thread's time from the click to the file
  and how many boxes of the list the export drew again.

    .venv/bin/python benchmarks/mon_cahier.py [--site _build/html] [--boxes 620] [--chars 4000]

Without ``--site`` it builds the book (``jupyter-book build . -W``) in a temporary folder.
``benchmarks/run.py`` calls :func:`measure` for the baseline and the current version.
Environment: CAHIER_CHROMIUM (default /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "extensions"))

from sphinx_cahier.localserver import CHROMIUM_ARGS, chromium_path, serve  # noqa: E402

#: Counts the layout shifts of the page (as Lighthouse does: not those right after an input).
CLS_SCRIPT = """(() => {
  window.__cls = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
  }).observe({ type: "layout-shift", buffered: true });
})();"""

#: The storage of one participant: `n` answers of `chars` characters, the book's boxes first.
SEED_SCRIPT = """([prefix, ids, n, chars]) => {
  const words = ["réflexion", "co-production", "élève", "Québec", "✍️", "🌱", "pouvoir",
    "naïveté", "œuvre", "« citoyen »", "text", "and", "the", "public", "service"];
  const all = [...ids];
  for (let i = 0; all.length < n; i++) all.push(`autre.boite-${String(i).padStart(4, "0")}`);
  const t = Date.now() - 60_000;
  for (const [k, id] of all.slice(0, n).entries()) {
    let text = "";
    for (let j = k; text.length < chars; j++) {
      text += words[j % words.length] + (j % 17 ? " " : "\\n");
    }
    localStorage.setItem(prefix + id, JSON.stringify({ v: 1, text: text.slice(0, chars), t }));
  }
}"""

#: The storage prefix and the book's text boxes (every version's manifest lists them).
INFO_SCRIPT = """async () => {
  const d = document.getElementById("cahier-script").dataset;
  const m = await (await fetch("../_static/cahier/manifest.json")).json();
  return { prefix: `cahier:${d.cahierBook}:${d.cahierEdition}:`,
           ids: m.boxes.filter((b) => b.kind !== "sketch").map((b) => b.id) };
}"""

#: Marks every box of the list; REDRAWN counts those that are no longer the marked nodes.
MARK_SCRIPT = (
    """() => { for (const b of document.querySelectorAll(".cahier-mc-box")) b.__mark = 1; }"""
)
REDRAWN_SCRIPT = """() => [...document.querySelectorAll(".cahier-mc-box")]
  .filter((b) => !b.__mark).length"""

#: Resolves at the next frame after the current task (the page drawn).
NEXT_FRAME = (
    "() => new Promise((done) => requestAnimationFrame("
    "() => setTimeout(() => done(performance.now()))))"
)

#: Chromium's counters of main-thread time (Performance.getMetrics), in seconds.
PARTS = ("ScriptDuration", "RecalcStyleDuration", "LayoutDuration")


def build() -> Path:
    out = Path(tempfile.mkdtemp(prefix="cahier-bench-"))
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return out / "_build" / "html"


def ready(page, timeout: float = 60_000) -> None:
    """« Mon cahier » filled (data-cahier-mc-ready; older versions: their count shown)."""
    page.wait_for_function(
        """() => document.querySelector("[data-cahier-mc-ready]")
          || document.querySelector(".cahier-mc-count")?.textContent""",
        timeout=timeout,
    )


def main_thread_ms(cdp) -> dict[str, float]:
    """Chromium's script, style and layout time of the page so far, in milliseconds."""
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {k: metrics[k] * 1000 for k in PARTS}


def load(context, url: str) -> dict:
    """One load of « Mon cahier » in a fresh page: the main thread's script, style and layout time
    until the filled page is drawn (Chromium's own counters), the time to that frame, the CLS."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(url)
    ready(page)
    frame = page.evaluate(NEXT_FRAME)
    parts = main_thread_ms(cdp)
    page.wait_for_timeout(500)
    cls = page.evaluate("() => window.__cls")
    page.close()
    return {"work": sum(parts.values()), **parts, "frame": frame, "cls": cls}


def export_once(context, url: str) -> dict:
    """An HTML export from a filled « Mon cahier »: the file's size, the main thread's time from
    the click to the next frame after the download, and the boxes of the list drawn again."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(url)
    ready(page)
    page.evaluate(NEXT_FRAME)
    page.evaluate(MARK_SCRIPT)
    boxes = page.locator(".cahier-mc-box").count()
    before = main_thread_ms(cdp)
    with page.expect_download(timeout=120_000) as download:
        page.click("button.cahier-mc-export-html")
    size = Path(download.value.path()).stat().st_size
    page.wait_for_timeout(300)  # whatever the export does after the file (the list, the notes)
    page.evaluate(NEXT_FRAME)
    after = main_thread_ms(cdp)
    redrawn = page.evaluate(REDRAWN_SCRIPT)
    page.close()
    work = sum(after.values()) - sum(before.values())
    return {"bytes": size, "work": work, "boxes": boxes, "redrawn": redrawn}


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def measure(browser, base: str, boxes: int = 620, chars: int = 4000, runs: int = 5) -> dict:
    """« Mon cahier » of the site at `base`: loads with an empty and a filled storage, medians of
    the main thread's work, the answers' share, the CLS, and one HTML export."""
    url = f"{base}/book/mon-cahier.html"
    results: dict = {"boxes": boxes, "chars": chars, "runs": runs}
    for label, n in (("empty", 0), ("filled", boxes)):
        context = browser.new_context(service_workers="block")
        context.add_init_script(CLS_SCRIPT)
        try:
            page = context.new_page()
            page.goto(url)
            ready(page)
            info = page.evaluate(INFO_SCRIPT)
            if n:
                page.evaluate(SEED_SCRIPT, [info["prefix"], info["ids"], n, chars])
                results["stored"] = page.evaluate(
                    "(prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix))"
                    ".reduce((n, k) => n + k.length + localStorage.getItem(k).length, 0)",
                    info["prefix"],
                )
            page.close()
            loads = [load(context, url) for _ in range(runs)]
            results[label] = {
                "work_ms": median(loads, "work"),
                **{k: median(loads, k) for k in PARTS},
                "frame_ms": median(loads, "frame"),
                "cls_max": max(r["cls"] for r in loads),
            }
            if n:
                results["export"] = export_once(context, url)
        finally:
            context.close()
    results["answers_share_ms"] = results["filled"]["work_ms"] - results["empty"]["work_ms"]
    return results


def print_figures(results: dict) -> None:
    print(f"stored: {results['stored']:,} UTF-16 characters (keys and values)")
    for label in ("empty", "filled"):
        r = results[label]
        name = "empty" if label == "empty" else f"{results['boxes']} filled boxes"
        print(f"« Mon cahier », {name} ({results['runs']} loads, medians):")
        print(f"  script + style + layout until drawn: {r['work_ms']:.0f} ms", end="")
        print(
            f" (the answers' share: {results['answers_share_ms']:.0f} ms)"
            if label != "empty"
            else ""
        )
        split = ", ".join(f"{k.removesuffix('Duration').lower()} {r[k]:.0f}" for k in PARTS)
        print(f"    ({split})")
        print(f"  navigation to the filled page's next frame: {r['frame_ms']:.0f} ms")
        print(f"  CLS: max {r['cls_max']:.4f}")
    e = results["export"]
    print(f"HTML export: {e['bytes']:,} bytes ({e['bytes'] / 1e6:.2f} MB)")
    print(f"  main thread from the click to the next frame: {e['work']:.0f} ms")
    print(f"  boxes of the list drawn again: {e['redrawn']} of {e['boxes']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="a built _build/html (default: build the book)")
    parser.add_argument("--boxes", type=int, default=620)
    parser.add_argument("--chars", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    site = args.site or build()
    from playwright.sync_api import sync_playwright

    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            results = measure(browser, base, args.boxes, args.chars, args.runs)
        finally:
            browser.close()
    print_figures(results)


if __name__ == "__main__":
    main()
