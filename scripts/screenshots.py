"""The README's and the docs' screenshots, made again from the built site.

    .venv/bin/python scripts/screenshots.py [HTML_DIR]

Builds the book (``jupyter-book build . -W``) unless HTML_DIR (a built ``_build/html``) is given,
serves it on 127.0.0.1, writes a few answers as a participant would (typed in the boxes), then
takes, in Debian's Chromium, a theme page and « Mon cahier » on a phone (390 px) and a desktop
(1280 px), in light and dark: ``docs/screenshots/<page>-<device>-<scheme>.png``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from sphinx_cahier.localserver import CHROMIUM_ARGS, chromium_path, serve
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
DEVICES = {"phone": (390, 844, 3), "desktop": (1280, 860, 1)}
ANSWERS = {
    "eveil.en-moi": (
        "La co-production me demande de lâcher prise sur l'expertise : écouter d'abord, "
        "décider ensemble ensuite.\nJe retiens l'idée que le citoyen est un partenaire, pas un "
        "client."
    ),
    "eveil.dans-mes-contextes": "Dans mon équipe, les comités citoyens sont consultés trop tard.",
}


def build() -> Path:
    out = Path(tempfile.mkdtemp(prefix="cahier-shots-"))
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W"],
        check=True,
        capture_output=True,
    )
    return out / "_build" / "html"


def main() -> None:
    html = Path(sys.argv[1]) if len(sys.argv) > 1 else build()
    OUT.mkdir(parents=True, exist_ok=True)
    with serve(html) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for device, (width, height, scale) in DEVICES.items():
            for scheme in ("light", "dark"):
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    device_scale_factor=scale,
                    color_scheme=scheme,
                    service_workers="block",
                )
                page = context.new_page()
                page.goto(f"{base}/book/eveil.html")
                page.wait_for_selector("#cahier-script[data-cahier-ready]", state="attached")
                for box_id, text in ANSWERS.items():
                    field = page.locator(f'[data-cahier-box="{box_id}"] textarea')
                    field.click()
                    page.keyboard.type(text)
                page.locator("body").click(position={"x": 1, "y": 1})  # blur: saved
                page.wait_for_timeout(400)
                page.evaluate("() => window.scrollTo(0, 0)")
                page.screenshot(path=OUT / f"theme-{device}-{scheme}.png")
                page.goto(f"{base}/book/mon-cahier.html")
                page.wait_for_selector(".cahier-mc-count", state="visible")
                page.wait_for_timeout(300)
                page.screenshot(path=OUT / f"mon-cahier-{device}-{scheme}.png")
                context.close()
        browser.close()
    for path in sorted(OUT.glob("*.png")):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
