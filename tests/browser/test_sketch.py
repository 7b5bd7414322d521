"""The drawing page: draw with a mouse, a finger or a pen; the drawing is kept, scaled, printed.

Strokes are checked twice: in storage (decoded by tests/stroke_codec.py, an independent reading
of the format documented in sketch-codec.js) and on screen (pixels of the canvas at the expected
places).
"""

from __future__ import annotations

import json
import re

import pytest
from cahier_helpers import dumps, open_book_page, page_info, seed, stored
from playwright.sync_api import expect
from stroke_codec import ALPHABET, compact, stroke_points

PAGE = "dessin"
SKETCH = "dessin"
WIDTH, HEIGHT = 1000, 750


# --- page helpers -----------------------------------------------------------------------------


def open_sketch(page, url):
    open_book_page(page, url(PAGE))
    page.locator(".cahier-sketch[data-cahier-ready]").wait_for(state="attached", timeout=5000)
    canvas = page.locator("canvas.cahier-sketch-canvas")
    canvas.scroll_into_view_if_needed()
    return page_info(page)


def key_of(info) -> str:
    return info["prefix"] + SKETCH


def stored_value(page, info):
    raw = stored(page, key_of(info))
    return None if raw is None else json.loads(raw)


def wait_strokes(page, info, count: int, timeout: float = 3000):
    page.wait_for_function(
        """([k, n]) => {
          const raw = localStorage.getItem(k);
          if (!raw) return n === 0;
          try { return JSON.parse(raw).strokes.length === n; } catch { return false; }
        }""",
        arg=[key_of(info), count],
        timeout=timeout,
    )
    value = stored_value(page, info)
    return value["strokes"] if value else []


def to_client(page, x: float, y: float) -> tuple[float, float]:
    """Drawing coordinates (0..1000, 0..750) -> client (viewport) coordinates."""
    box = page.locator("canvas.cahier-sketch-canvas").bounding_box()
    return box["x"] + x / WIDTH * box["width"], box["y"] + y / HEIGHT * box["height"]


def draw_mouse(page, pts: list[tuple[float, float]]):
    page.mouse.move(*to_client(page, *pts[0]))
    page.mouse.down()
    for p in pts[1:]:
        page.mouse.move(*to_client(page, *p))
    page.mouse.up()


DISPATCH = """([kind, id, pts, pressures]) => {
  const canvas = document.querySelector("canvas.cahier-sketch-canvas");
  const r = canvas.getBoundingClientRect();
  const at = ([x, y]) => ({clientX: r.left + x / 1000 * r.width,
                           clientY: r.top + y / 750 * r.height});
  const base = {pointerId: id, pointerType: kind, isPrimary: true, bubbles: true, cancelable: true,
                composed: true, width: 1, height: 1};
  const fire = (type, i, extra) => canvas.dispatchEvent(new PointerEvent(type,
    {...base, ...at(pts[i]), pressure: pressures ? pressures[i] : (type === "pointerup" ? 0 : 0.5),
     ...extra}));
  fire("pointerdown", 0, {button: 0, buttons: 1});
  for (let i = 1; i < pts.length; i++) fire("pointermove", i, {button: -1, buttons: 1});
  fire("pointerup", pts.length - 1, {button: 0, buttons: 0});
}"""


def dispatch_stroke(page, kind: str, pts, pressures=None, pointer_id: int = 7):
    page.evaluate(DISPATCH, [kind, pointer_id, [list(p) for p in pts], pressures])


def pixel(page, x: float, y: float) -> list[int]:
    """RGBA of the canvas' backing store at drawing coordinates (x, y)."""
    return page.evaluate(
        """([x, y]) => {
          const c = document.querySelector("canvas.cahier-sketch-canvas");
          const px = Math.min(c.width - 1, Math.round(x / 1000 * c.width));
          const py = Math.min(c.height - 1, Math.round(y / 750 * c.height));
          return [...c.getContext("2d").getImageData(px, py, 1, 1).data];
        }""",
        [x, y],
    )


def inked(rgba) -> bool:
    return sum(rgba[:3]) < 3 * 200


def white(rgba) -> bool:
    return rgba[:3] == [255, 255, 255]


def line(x0, y0, x1, y1, n=20):
    return [(x0 + (x1 - x0) * i / (n - 1), y0 + (y1 - y0) * i / (n - 1)) for i in range(n)]


def button(page, cls: str):
    return page.locator(f".cahier-sketch-toolbar button.{cls}")


# --- drawing, reload --------------------------------------------------------------------------


def test_mouse_drawing_is_saved_and_the_same_ink_is_back_after_reload(page, url):
    info = open_sketch(page, url)
    assert stored_value(page, info) is None
    draw_mouse(page, line(100, 100, 900, 100))
    button(page, "cahier-sketch-colour[data-colour='2']").click()
    button(page, "cahier-sketch-width[data-width='16']").click()
    draw_mouse(page, line(500, 200, 500, 700))
    strokes = wait_strokes(page, info, 2)
    expect(page.locator(".cahier-sketch-status")).to_have_text(info["strings"]["saved"])

    value = stored_value(page, info)
    assert set(value) == {"v", "strokes", "t"} and value["v"] == 1
    assert isinstance(value["t"], int) and value["t"] > 1_600_000_000_000
    assert [(s["c"], s["w"]) for s in strokes] == [(0, 7), (2, 16)]
    first, second = stroke_points(strokes[0]), stroke_points(strokes[1])
    assert abs(first[0][0] - 100) <= 2 and abs(first[-1][0] - 900) <= 2
    assert all(abs(y - 100) <= 2 for _, y in first)
    assert all(abs(x - 500) <= 2 for x, _ in second) and abs(second[-1][1] - 700) <= 2
    assert "z" not in strokes[0], "a mouse has no pressure"

    def samples():
        return [pixel(page, x, y) for x, y in [(300, 100), (700, 100), (500, 400), (500, 650)]]

    before = samples()
    assert all(inked(p) for p in before)
    assert pixel(page, 500, 400)[0] > 150 > pixel(page, 500, 400)[2], "the red stroke is red"
    assert white(pixel(page, 200, 500)) and white(pixel(page, 900, 700))

    raw = stored(page, key_of(info))
    page.reload()
    info = open_sketch(page, url)
    assert samples() == before
    assert white(pixel(page, 200, 500))
    # Restoring writes nothing; only our key, under our prefix.
    assert stored(page, key_of(info)) == raw
    expect(page.locator(".cahier-sketch-status")).to_have_text("")
    keys = page.evaluate("() => Object.keys(localStorage)")
    assert [k for k in keys if not k.endswith(":_meta")] == [key_of(info)]


def test_touch_draws_and_never_scrolls_the_page(browser, site_url, guard):
    context = browser.new_context(has_touch=True, viewport={"width": 420, "height": 800})
    context.on("page", guard.watch)
    page = context.new_page()
    try:
        info = open_sketch(page, lambda name: f"{site_url}/book/{name}.html")
        cdp = context.new_cdp_session(page)

        def swipe(points_client):
            (x0, y0), rest = points_client[0], points_client[1:]
            cdp.send(
                "Input.dispatchTouchEvent",
                {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]},
            )
            for x, y in rest:
                cdp.send(
                    "Input.dispatchTouchEvent",
                    {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]},
                )
            cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

        # The same upward swipe, first on the page's text (it scrolls: the test can fail)...
        page.evaluate("() => window.scrollTo(0, 0)")
        heading = page.locator("h1").bounding_box()
        x = heading["x"] + 20
        swipe([(x, 700 - i * 20) for i in range(25)])
        page.wait_for_timeout(300)
        scrolled = page.evaluate("() => window.scrollY")
        assert scrolled > 50, "a swipe outside the drawing scrolls the page"

        # ...then on the drawing: it draws and the page does not move.
        page.locator("canvas.cahier-sketch-canvas").scroll_into_view_if_needed()
        top = page.evaluate("() => window.scrollY")
        pts = [to_client(page, 150 + i * 25, 650 - i * 20) for i in range(25)]
        swipe(pts)
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.scrollY") == top
        (stroke,) = wait_strokes(page, info, 1)
        drawn = stroke_points(stroke)
        assert len(drawn) >= 10 and "z" not in stroke
        assert abs(drawn[0][0] - 150) <= 3 and abs(drawn[-1][0] - 750) <= 3
        assert inked(pixel(page, 450, 410))
        touch_action = page.evaluate(
            "() => getComputedStyle(document.querySelector('canvas.cahier-sketch-canvas'))"
            ".touchAction"
        )
        assert touch_action == "none"
    finally:
        context.close()


def test_pen_pressure_is_kept_and_changes_the_width(page, url):
    info = open_sketch(page, url)
    pts = line(100, 375, 900, 375, 30)
    pressures = [0.1 + 0.85 * i / 29 for i in range(30)]
    dispatch_stroke(page, "pen", pts, pressures)
    (stroke,) = wait_strokes(page, info, 1)
    assert len(stroke_points(stroke)) == 30
    assert [ALPHABET.index(ch) for ch in stroke["z"]] == [max(1, round(p * 63)) for p in pressures]
    # Light pressure at the start draws thin, firm pressure at the end draws thick.
    thickness = page.evaluate(
        """([xs]) => {
          const c = document.querySelector("canvas.cahier-sketch-canvas");
          const g = c.getContext("2d");
          return xs.map((x) => {
            const px = Math.round(x / 1000 * c.width);
            const col = g.getImageData(px, 0, 1, c.height).data;
            let n = 0;
            for (let i = 0; i < col.length; i += 4) if (col[i] + col[i + 1] + col[i + 2] < 600) n++;
            return n;
          });
        }""",
        [[200, 800]],
    )
    assert thickness[0] > 0 and thickness[1] > 1.5 * thickness[0], thickness

    # A pen that reports no pressure (always 0.5) stores no pressures.
    dispatch_stroke(page, "pen", line(100, 600, 900, 600), [0.5] * 20, pointer_id=8)
    strokes = wait_strokes(page, info, 2)
    assert "z" not in strokes[1]


# --- tools --------------------------------------------------------------------------------------


def test_undo_redo_clear_with_confirmation_and_eraser(page, url):
    info = open_sketch(page, url)
    s = info["strings"]
    expect(button(page, "cahier-sketch-undo")).to_have_attribute("aria-disabled", "true")
    for y in (150, 375, 600):
        draw_mouse(page, line(100, y, 900, y))
    wait_strokes(page, info, 3)

    button(page, "cahier-sketch-undo").click()
    assert len(wait_strokes(page, info, 2)) == 2
    assert white(pixel(page, 500, 600)) and inked(pixel(page, 500, 375))
    # Keyboard: the redo button, focused with Tab, pressed with Enter.
    button(page, "cahier-sketch-undo").focus()
    page.keyboard.press("Tab")
    expect(button(page, "cahier-sketch-redo")).to_be_focused()
    page.keyboard.press("Enter")
    wait_strokes(page, info, 3)
    assert inked(pixel(page, 500, 600))
    expect(button(page, "cahier-sketch-redo")).to_have_attribute("aria-disabled", "true")

    # Clear asks first; "keep" keeps everything.
    confirm = page.locator(".cahier-sketch-confirm")
    expect(confirm).to_be_hidden()
    button(page, "cahier-sketch-clear").click()
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text(s["sketch_clear_confirm"])
    expect(confirm.locator("button.cahier-sketch-clear-yes")).to_be_focused()
    confirm.locator("button.cahier-sketch-clear-no").click()
    expect(confirm).to_be_hidden()
    page.wait_for_timeout(600)
    assert len(stored_value(page, info)["strokes"]) == 3
    # Escape closes it too.
    button(page, "cahier-sketch-clear").click()
    page.keyboard.press("Escape")
    expect(confirm).to_be_hidden()

    button(page, "cahier-sketch-clear").click()
    confirm.locator("button.cahier-sketch-clear-yes").click()
    assert wait_strokes(page, info, 0) == []
    assert all(white(pixel(page, 500, y)) for y in (150, 375, 600))
    # Clearing can be undone.
    button(page, "cahier-sketch-undo").click()
    wait_strokes(page, info, 3)
    assert inked(pixel(page, 500, 150))

    # The eraser removes the strokes it touches, whole; that is undoable too.
    eraser = button(page, "cahier-sketch-eraser")
    eraser.click()
    expect(eraser).to_have_attribute("aria-pressed", "true")
    expect(button(page, "cahier-sketch-pen")).to_have_attribute("aria-pressed", "false")
    draw_mouse(page, line(300, 100, 300, 400, 10))
    strokes = wait_strokes(page, info, 1)
    assert all(abs(y - 600) <= 2 for _, y in stroke_points(strokes[0]))
    assert white(pixel(page, 700, 150)) and white(pixel(page, 700, 375))
    assert inked(pixel(page, 700, 600))
    page.keyboard.press("Control+z")  # focus is still in the toolbar
    wait_strokes(page, info, 3)
    # Ctrl+Shift+Z redoes.
    page.keyboard.press("Control+Shift+z")
    wait_strokes(page, info, 1)


def test_tools_are_labelled_buttons_and_the_drawing_has_a_text_alternative(page, url):
    info = open_sketch(page, url)
    s = info["strings"]
    toolbar = page.locator(".cahier-sketch-toolbar")
    expect(toolbar).to_have_attribute("aria-label", s["sketch_tools"])
    names = [s["sketch_pen"], s["sketch_eraser"], s["sketch_undo"], s["sketch_redo"]]
    names += [s["sketch_clear"], s["sketch_width_fine"], s["sketch_width_thick"]]
    names += [s[f"sketch_colour_{c}"] for c in ("black", "blue", "red", "green", "orange")]
    for name in names:
        expect(toolbar.get_by_role("button", name=name, exact=True)).to_have_count(1)
    assert page.locator(".cahier-sketch-toolbar :is(div, span)[onclick]").count() == 0
    colour = toolbar.get_by_role("button", name=s["sketch_colour_blue"])
    expect(colour).to_have_attribute("aria-pressed", "false")
    # Keyboard: Tab reaches the colours; Space picks one; the focus is visible.
    toolbar.get_by_role("button", name=s["sketch_colour_black"]).focus()
    page.keyboard.press("Tab")
    expect(colour).to_be_focused()
    outline = colour.evaluate("(b) => getComputedStyle(b).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Space")
    expect(colour).to_have_attribute("aria-pressed", "true")
    expect(toolbar.get_by_role("button", name=s["sketch_colour_black"])).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(toolbar.get_by_role("button", name=s["sketch_width_medium"])).to_have_attribute(
        "aria-pressed", "true"
    )
    # The canvas is an image named by the drawing's label, described by the « Décrivez » box.
    canvas = page.locator("canvas.cahier-sketch-canvas")
    expect(canvas).to_have_attribute("role", "img")
    expect(page.get_by_role("img", name="Mon dessin")).to_have_count(1)
    described = canvas.get_attribute("aria-describedby").split()
    assert "cahier-box-dessin.description" in described
    description = page.locator("textarea#cahier-box-dessin\\.description")
    expect(description).to_be_visible()
    expect(page.get_by_role("textbox", name="Décrivez votre dessin")).to_have_count(1)
    # The drawing's description is a box like any other: typed, saved.
    description.fill("Une maison, un arbre.")
    page.wait_for_function(
        "(k) => JSON.parse(localStorage.getItem(k) || '{}').text === 'Une maison, un arbre.'",
        arg=info["prefix"] + "dessin.description",
    )


# --- sizes ------------------------------------------------------------------------------------


MARKS = {
    # a thick horizontal stroke across the middle, a dot near the bottom right corner
    "strokes": [
        compact([(100, 375), (500, 375), (900, 375)], c=1, w=16),
        compact([(850, 650)], c=2, w=16),
    ],
}


@pytest.mark.parametrize("dpr", [1, 2])
def test_resize_and_rotate_keep_the_drawing_scaled_and_crisp(browser, site_url, guard, dpr):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=dpr)
    context.on("page", guard.watch)
    page = context.new_page()
    try:
        url = lambda name: f"{site_url}/book/{name}.html"  # noqa: E731
        info = open_sketch(page, url)
        value = {"v": 1, "strokes": MARKS["strokes"], "t": 1_700_000_000_000}
        seed(page, {key_of(info): dumps(value)})
        page.reload()
        open_sketch(page, url)
        sizes = []
        for width, height in [(1280, 900), (390, 844), (844, 390), (700, 900)]:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_function(
                """() => {
                  const c = document.querySelector("canvas.cahier-sketch-canvas");
                  const r = c.getBoundingClientRect();
                  return Math.abs(c.width - Math.round(r.width * devicePixelRatio)) <= 1;
                }"""
            )
            page.evaluate("() => new Promise(requestAnimationFrame)")
            size = page.evaluate(
                """() => { const c = document.querySelector("canvas.cahier-sketch-canvas");
                   const r = c.getBoundingClientRect();
                   return [c.width, c.height, r.width, r.height, devicePixelRatio]; }"""
            )
            sizes.append(size[2])
            # Backing store at the screen's resolution, the drawing's 4:3 kept.
            assert abs(size[0] - size[2] * dpr) <= 1 and abs(size[1] - size[3] * dpr) <= 1
            assert abs(size[2] / size[3] - 4 / 3) < 0.01
            for x in (150, 500, 850):
                assert pixel(page, x, 375)[2] > 150 > pixel(page, x, 375)[0], (width, x)
            assert inked(pixel(page, 850, 650))
            for x, y in [(500, 300), (500, 450), (850, 600), (50, 50), (950, 700)]:
                assert white(pixel(page, x, y)), (width, x, y)
        assert max(sizes) > 1.5 * min(sizes), f"the canvas was not resized: {sizes}"
        # Nothing was written: resizing changes nothing in the drawing.
        assert json.loads(stored(page, key_of(info))) == value
    finally:
        context.close()


STROKE_300 = """async ([seed]) => {
  // A typical drawing: 300 strokes of 50 points, drawn through the canvas with the mouse's
  // pointer events (each step 3 to 14 units in a wandering direction, as a hand writes).
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const canvas = document.querySelector("canvas.cahier-sketch-canvas");
  const r = canvas.getBoundingClientRect();
  const fire = (type, x, y, buttons) => canvas.dispatchEvent(new PointerEvent(type, {
    pointerId: 1, pointerType: "mouse", isPrimary: true, bubbles: true, cancelable: true,
    button: type === "pointermove" ? -1 : 0, buttons,
    clientX: r.left + x / 1000 * r.width, clientY: r.top + y / 750 * r.height}));
  for (let k = 0; k < 300; k++) {
    let x = 100 + rnd() * 800, y = 100 + rnd() * 550, a = rnd() * 2 * Math.PI;
    fire("pointerdown", x, y, 1);
    for (let i = 1; i < 50; i++) {
      a += (rnd() - 0.5) * 0.9;
      const step = 3 + rnd() * 11;
      x = Math.min(995, Math.max(5, x + Math.cos(a) * step));
      y = Math.min(745, Math.max(5, y + Math.sin(a) * step));
      fire("pointermove", x, y, 1);
    }
    fire("pointerup", x, y, 0);
  }
}"""


def test_a_300_stroke_drawing_stores_in_at_most_150_kb(page, url, capsys):
    info = open_sketch(page, url)
    page.evaluate(STROKE_300, [20251001])
    strokes = wait_strokes(page, info, 300, timeout=10000)
    counts = [len(stroke_points(s)) for s in strokes]
    assert sum(counts) >= 300 * 48, "the generated strokes keep their points"
    raw = stored(page, key_of(info))
    units = page.evaluate("(k) => localStorage.getItem(k).length", key_of(info))
    size = units * 2  # UTF-16 code units, 2 bytes each (Chromium counts keys + values so)
    with capsys.disabled():
        print(
            f"\n[sketch size] 300 strokes, {sum(counts)} points: {units} UTF-16 units = "
            f"{size / 1024:.1f} KiB ({size / sum(counts):.2f} bytes/point)"
        )
    assert size <= 150 * 1024
    assert raw.isascii()
    # And the page shows it again after a reload, quickly.
    page.reload()
    open_sketch(page, url)
    assert stored(page, key_of(info)) == raw
    assert (
        page.evaluate(
            """() => { const c = document.querySelector("canvas.cahier-sketch-canvas");
           const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
           let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 200) n++; return n; }"""
        )
        > 10000
    )


# --- saving safely ------------------------------------------------------------------------------


def test_a_quota_failure_is_visible_and_loses_nothing(context, url):
    page = context.new_page()
    info = open_sketch(page, url)
    s = info["strings"]
    draw_mouse(page, line(100, 150, 900, 150))
    wait_strokes(page, info, 1)
    before = stored(page, key_of(info))
    page.evaluate(
        """() => { const orig = Storage.prototype.setItem;
          window.__restoreSetItem = () => { Storage.prototype.setItem = orig; };
          Storage.prototype.setItem = function (k, v) {
            if (k.startsWith("cahier:")) throw new DOMException("full", "QuotaExceededError");
            return orig.call(this, k, v); }; }"""
    )
    draw_mouse(page, line(100, 400, 900, 400))
    expect(page.locator(".cahier-sketch-status")).to_have_text(s["not_saved"])
    alert = page.locator(".cahier-alerts .cahier-sketch-alert[role=alert]")
    expect(alert).to_have_text(s["sketch_storage_full"])
    expect(alert).to_be_visible()
    # The previous drawing is still stored, untouched; the new ink is still on the screen.
    assert stored(page, key_of(info)) == before
    assert inked(pixel(page, 500, 150)) and inked(pixel(page, 500, 400))
    # Leaving now would lose it: the page asks first.
    has_warning = page.evaluate(
        "() => { const e = new Event('beforeunload', {cancelable: true}); "
        "window.dispatchEvent(e); return e.defaultPrevented; }"
    )
    assert has_warning
    # Exporting is the way out: the file holds both strokes, the one storage refused included.
    with page.expect_download() as download:
        page.evaluate("() => document.querySelector('.cahier-nav-export').click()")
    exported = download.value.path().read_text(encoding="utf-8")
    (data,) = re.findall(
        r'<script type="application/json" id="cahier-data">(.*?)</script>', exported, re.S
    )
    exported_strokes = json.loads(data)["answers"][SKETCH]["strokes"]
    assert [stroke_points(st)[0][1] for st in exported_strokes] == [150, 400]
    # Space again: the next stroke saves everything, the alert goes.
    page.evaluate("() => window.__restoreSetItem()")
    draw_mouse(page, line(100, 600, 900, 600))
    strokes = wait_strokes(page, info, 3)
    assert [stroke_points(st)[0][1] for st in strokes] == [150, 400, 600]
    expect(alert).to_be_hidden()
    expect(page.locator(".cahier-sketch-status")).to_have_text(s["saved"])


@pytest.mark.parametrize(
    "value, state",
    [
        ({"v": 2, "strokes": "future", "t": 1}, "sketch_newer_version"),
        ({"v": 1, "text": "pas un dessin", "t": 1}, "sketch_unreadable"),
        ({"v": 1, "strokes": [{"c": 99, "w": 7, "p": "00"}], "t": 1}, "sketch_unreadable"),
    ],
)
def test_a_newer_or_unreadable_drawing_is_left_untouched(page, url, value, state):
    info = open_sketch(page, url)
    raw = dumps(value)
    seed(page, {key_of(info): raw})
    page.reload()
    open_sketch(page, url)
    expect(page.locator(".cahier-sketch-status")).to_have_text(info["strings"][state])
    expect(button(page, "cahier-sketch-pen")).to_have_attribute("aria-disabled", "true")
    draw_mouse(page, line(100, 375, 900, 375))
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_timeout(500)
    assert stored(page, key_of(info)) == raw
    assert white(pixel(page, 500, 375))


def test_another_tab_sees_the_drawing_and_an_old_tab_never_overwrites_it(context, url):
    a = context.new_page()
    info = open_sketch(a, url)
    b = context.new_page()
    open_sketch(b, url)
    draw_mouse(a, line(100, 150, 900, 150))
    wait_strokes(a, info, 1)
    # The other tab shows it (storage event)...
    b.wait_for_function(
        """() => { const c = document.querySelector("canvas.cahier-sketch-canvas");
          const d = c.getContext("2d").getImageData(Math.round(c.width / 2),
            Math.round(150 / 750 * c.height), 1, 1).data; return d[0] < 200; }"""
    )
    # ...and adds to it rather than replacing it.
    draw_mouse(b, line(100, 375, 900, 375))
    assert len(wait_strokes(b, info, 2)) == 2
    a.wait_for_function(
        """() => { const c = document.querySelector("canvas.cahier-sketch-canvas");
          const d = c.getContext("2d").getImageData(Math.round(c.width / 2),
            Math.round(375 / 750 * c.height), 1, 1).data; return d[0] < 200; }"""
    )
    # Tab B changes (undo, saved after a pause) while tab A draws: B must not overwrite A.
    b.evaluate("() => document.querySelector('.cahier-sketch-undo').click()")
    dispatch_stroke(a, "mouse", line(100, 600, 900, 600))
    wait_strokes(a, info, 3)
    conflict = b.locator(".cahier-sketch-conflict")
    expect(conflict).to_be_visible()
    b.wait_for_timeout(600)
    assert len(stored_value(a, info)["strokes"]) == 3
    expect(b.locator(".cahier-sketch-status")).to_have_text(info["strings"]["not_saved"])
    # Taking the other tab's drawing shows it.
    conflict.locator("button.cahier-sketch-take-theirs").click()
    expect(conflict).to_have_count(0)
    assert inked(pixel(b, 500, 600))
    assert len(stored_value(b, info)["strokes"]) == 3


# --- print ------------------------------------------------------------------------------------


def test_print_shows_the_drawing_as_an_image_or_a_blank_frame(page, url):
    info = open_sketch(page, url)
    page.emulate_media(media="print")
    frame = page.locator(".cahier-sketch-frame")
    expect(frame).to_be_visible()
    expect(page.locator("canvas.cahier-sketch-canvas")).to_be_hidden()
    expect(page.locator(".cahier-sketch-toolbar")).to_be_hidden()
    svg = page.locator(".cahier-sketch-print svg")
    expect(svg).to_be_visible()
    assert svg.locator("path, circle").count() == 0, "an empty drawing prints blank"
    border = frame.evaluate("(f) => getComputedStyle(f).borderTopStyle")
    assert border == "solid"
    page.emulate_media(media="screen")

    seed(page, {key_of(info): dumps({"v": 1, "strokes": MARKS["strokes"], "t": 1})})
    page.reload()
    open_sketch(page, url)
    page.emulate_media(media="print")
    expect(svg).to_be_visible()
    assert svg.get_attribute("viewBox") == "0 0 1000 750"
    assert svg.locator("path").count() >= 1 and svg.locator("circle").count() == 1
    assert svg.locator("path").first.get_attribute("stroke") == "#1f5fbf"
    box = svg.bounding_box()
    assert abs(box["width"] / box["height"] - 4 / 3) < 0.02
    # A stroke drawn now is in the printed image too.
    page.emulate_media(media="screen")
    dispatch_stroke(page, "mouse", line(100, 600, 900, 600))
    wait_strokes(page, info, 3)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert svg.locator("path").count() >= 2


# --- the store API, for export/import ---------------------------------------------------------


def test_store_sketch_api_round_trip_and_protection(page, url):
    info = open_sketch(page, url)
    prefix = info["prefix"]
    book, edition = prefix.split(":")[1:3]
    seed(
        page,
        {
            prefix + "zz.newer": dumps({"v": 2, "strokes": [], "t": 1}),
            prefix + "zz.text": dumps({"v": 1, "text": "un texte", "t": 1}),
        },
    )
    out = page.evaluate(
        """async ([book, edition]) => {
          const base = document.getElementById("cahier-script").src;
          const store = (await import(new URL("store.js", base).href)).openStore({book, edition});
          const codec = await import(new URL("sketch-codec.js", base).href);
          const strokes = [{c: 1, w: 7, pts: [10, 20, 30, 25, 1000, 750], pr: null},
                           {c: 3, w: 16, pts: [500, 500], pr: [40]}];
          const compact = codec.encodeStrokes(strokes);
          const out = {compact};
          out.write = store.writeSketch("zz.sketch", compact, 1700000000000);
          out.read = store.readSketch("zz.sketch");
          out.decoded = codec.decodeStrokes(out.read.strokes);
          out.empty = store.readSketch("zz.none");
          out.newer = store.readSketch("zz.newer");
          out.text = store.readSketch("zz.text");
          out.asBox = store.readBox("zz.sketch");
          out.protectedNewer = store.writeSketch("zz.newer", compact, 5);
          out.protectedText = store.writeSketch("zz.text", compact, 5);
          out.ids = store.listBoxIds();
          out.invalid = [
            [], [{c: 0, w: 7, p: ""}], [{c: 6, w: 7, p: "00"}], [{c: 0, w: 0, p: "00"}],
            [{c: 0, w: 7, p: "0"}], [{c: 0, w: 7, p: "0!"}], [{c: 0, w: 7, p: "00", x: 1}],
            [{c: 0, w: 7, p: "00", z: "ab"}], [{c: 0, w: 7.5, p: "00"}], [{c: "0", w: 7, p: "00"}],
            [{c: 0, w: 7, p: "-_-00"}], [{c: 0, w: 7, p: "1000"}], "[]", null, [null],
            [{c: 0, w: 7, p: "WWWW00"}],
          ].map((x) => codec.validateStrokes(x));
          return out;
        }""",
        [book, edition],
    )
    assert out["write"] == {"ok": True}
    assert out["read"] == {"state": "ok", "strokes": out["compact"], "t": 1700000000000}
    assert out["decoded"]["ok"] is True
    assert [s["pts"] for s in out["decoded"]["strokes"]] == [
        [10, 20, 30, 25, 1000, 750],
        [500, 500],
    ]
    assert out["decoded"]["strokes"][1]["pr"] == [40]
    assert stroke_points(out["compact"][0]) == [(10, 20), (30, 25), (1000, 750)]
    assert out["empty"] == {"state": "empty"}
    assert out["newer"] == {"state": "newer", "v": 2}
    assert out["text"] == {"state": "unreadable"}
    assert out["asBox"] == {"state": "unreadable"}
    assert out["protectedNewer"] == out["protectedText"] == {"ok": False, "reason": "protected"}
    assert json.loads(stored(page, prefix + "zz.newer"))["v"] == 2
    assert "zz.sketch" in out["ids"]
    # Only the empty drawing is valid; every other one breaks a rule (type, range, length).
    assert out["invalid"] == [True] + [False] * 15


def test_svg_of_strokes_is_built_without_markup(page, url):
    open_sketch(page, url)
    out = page.evaluate(
        """async () => {
          const base = document.getElementById("cahier-script").src;
          const { strokesToSvg } = await import(new URL("sketch-svg.js", base).href);
          const svg = strokesToSvg([{c: 2, w: 7, p: "k8k8"}], {title: "<b>Mon</b> dessin"});
          const bad = strokesToSvg([{c: 2, w: 7, p: "<script>"}]);
          return {xml: new XMLSerializer().serializeToString(svg),
                  title: svg.querySelector("title").textContent,
                  paths: svg.querySelectorAll("path, circle").length,
                  bad: bad.querySelectorAll("path, circle").length,
                  role: svg.getAttribute("role")};
        }"""
    )
    assert out["title"] == "<b>Mon</b> dessin"
    assert "&lt;b&gt;Mon&lt;/b&gt;" in out["xml"] and "<b>" not in out["xml"]
    assert out["paths"] == 1 and out["bad"] == 0 and out["role"] == "img"


# --- « Mon cahier », export, import, erase (issue 3's features) ----------------------------------


def test_export_shows_the_drawing_and_import_brings_the_strokes_back(
    browser, page, url, tmp_path, guard
):
    from cahier_helpers import open_mon_cahier
    from test_keep import download, embedded_json

    info = open_sketch(page, url)
    draw_mouse(page, line(100, 150, 900, 150))
    dispatch_stroke(page, "pen", line(100, 500, 900, 500, 20), [0.3 + i / 40 for i in range(20)])
    strokes = wait_strokes(page, info, 2)
    t = stored_value(page, info)["t"]

    open_mon_cahier(page, url("mon-cahier"))
    drawing = page.locator('.cahier-mc-drawing[data-cahier-mc-box="dessin"]')
    expect(drawing.locator("svg path")).not_to_have_count(0)
    expect(drawing.get_by_role("img", name="Mon dessin")).to_have_count(1)

    _, text = download(page, "button.cahier-mc-export-json", tmp_path)
    assert json.loads(text)["answers"]["dessin"] == {"strokes": strokes, "t": t}
    name, html = download(page, "button.cahier-mc-export-html", tmp_path)
    assert embedded_json(html)["answers"]["dessin"] == {"strokes": strokes, "t": t}
    (figure,) = __import__("re").findall(r'<figure class="drawing">(<svg.*?</svg>)</figure>', html)
    assert figure.count("<path") >= 2 and 'viewBox="0 0 1000 750"' in figure
    assert "<title>Mon dessin</title>" in figure
    _, md = download(page, "button.cahier-mc-export-md", tmp_path)
    assert "### Mon dessin" in md and "](data:image/svg+xml," in md

    fresh = browser.new_context()
    try:
        other = fresh.new_page()
        guard.watch(other)
        open_mon_cahier(other, url("mon-cahier"))
        other.set_input_files("input.cahier-mc-import-file", str(tmp_path / name))
        dialog = other.locator("dialog.cahier-dialog")
        expect(dialog).to_be_visible()
        dialog.locator("button.cahier-import-confirm").click()
        expect(dialog).to_have_count(0)
        assert json.loads(stored(other, key_of(info))) == {"v": 1, "strokes": strokes, "t": t}
        open_sketch(other, url)
        assert inked(pixel(other, 500, 150)) and inked(pixel(other, 500, 500))
        assert white(pixel(other, 500, 300))
    finally:
        fresh.close()


@pytest.mark.parametrize(
    "strokes",
    [
        [{"c": 0, "w": 7, "p": "00", "x": "<img src=x onerror=alert(1)>"}],
        [{"c": 0, "w": 7, "p": "zz"}],  # outside the page
        [{"c": 0, "w": 999, "p": "00"}],
        "pas une liste",
        [{"c": 0, "w": 7, "p": "0" * 30002}],  # too long
    ],
)
def test_import_refuses_damaged_strokes_and_writes_nothing(page, url, tmp_path, strokes):
    from cahier_helpers import open_mon_cahier

    info = open_sketch(page, url)
    draw_mouse(page, line(100, 150, 900, 150))
    before = wait_strokes(page, info, 1) and stored(page, key_of(info))
    book, edition = info["prefix"].split(":")[1:3]
    data = {
        "format": "cahier-export",
        "v": 1,
        "book": book,
        "edition": edition,
        "exported": "2025-10-20T10:00:00.000Z",
        "answers": {
            "dessin": {"strokes": strokes, "t": 1},
            "eveil.en-moi": {"text": "importé ?", "t": 1},
        },
    }
    path = tmp_path / "cahier.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    open_mon_cahier(page, url("mon-cahier"))
    page.set_input_files("input.cahier-mc-import-file", str(path))
    damaged = page_info(page)["strings"]["import_damaged"]  # « Mon cahier »'s strings
    expect(page.locator(".cahier-mc-error")).to_have_text(damaged)
    expect(page.locator("dialog.cahier-dialog")).to_have_count(0)
    assert stored(page, key_of(info)) == before
    assert stored(page, info["prefix"] + "eveil.en-moi") is None


def test_erase_removes_the_drawing_here_and_in_an_open_tab(context, url):
    from cahier_helpers import open_mon_cahier

    drawing = context.new_page()
    info = open_sketch(drawing, url)
    draw_mouse(drawing, line(100, 375, 900, 375))
    wait_strokes(drawing, info, 1)
    page = context.new_page()
    open_mon_cahier(page, url("mon-cahier"))
    page.click("button.cahier-mc-erase")
    page.locator("dialog.cahier-dialog button.cahier-erase-confirm").click()
    expect(page.locator(".cahier-mc-status")).to_have_text(
        "Vos réponses ont été effacées de ce navigateur."
    )
    assert stored(page, key_of(info)) is None
    # The open drawing tab empties itself (storage event) and does not write it back.
    drawing.wait_for_function(
        """() => { const c = document.querySelector("canvas.cahier-sketch-canvas");
          const d = c.getContext("2d").getImageData(Math.round(c.width / 2),
            Math.round(c.height / 2), 1, 1).data; return d[0] === 255 && d[2] === 255; }"""
    )
    drawing.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    drawing.wait_for_timeout(500)
    assert stored(page, key_of(info)) is None
    drawing.reload()
    open_sketch(drawing, url)
    assert white(pixel(drawing, 500, 375))


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_frame_stays_inside_its_column_on_screen(page, url, width):
    page.set_viewport_size({"width": width, "height": 800})
    open_sketch(page, url)
    inside = page.evaluate(
        """() => { const f = document.querySelector('.cahier-sketch-frame');
          const a = f.getBoundingClientRect(), b = f.parentElement.getBoundingClientRect();
          const c = f.querySelector('canvas').getBoundingClientRect();
          return {right: a.right - b.right, left: b.left - a.left,
                  ratio: Math.round(c.width / c.height * 1000) / 1000}; }"""
    )
    assert inside["right"] <= 0.5 and inside["left"] <= 0.5, inside
    assert abs(inside["ratio"] - 4 / 3) < 0.01, inside
