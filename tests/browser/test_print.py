"""On paper (issue 9): a box's heading and questions stay with its lines; the drawing is framed.

The pages are printed to PDF by Chromium, as ``cahier pdf`` and the print dialog do, and read back
with ``pdftotext`` (poppler-utils): a box's heading, its questions and the start of its answer (or
of its ruled lines) must be on the same sheet, with many answers of every length seeded so that
sheets break everywhere. A long answer may run over several sheets; it must never be cut.

Ruled lines have no text: a test style writes a marker at the top of each box of a page
(``::before``: inside the fixed height of an empty box, so nothing moves) and shows the « no
answer » text of « Mon cahier », printed transparent over its ruled lines.

The same checks, run by hand in Firefox ESR 153 (printing through WebDriver BiDi), failed on
« Mon cahier » before the fix and pass after it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cahier_helpers import THEME_PAGES, dumps, open_book_page, open_mon_cahier, page_info, seed

TEXT_KINDS = {"reflection", "prompt"}
# Lines per answer, box after box: short, empty, long (several sheets), in an order that puts
# headings at every height of a sheet.
PATTERNS = [
    [3, 12, 1, 25, 6, 0, 9, 2, 70, 4],
    [0, 7, 18, 0, 2, 40, 5, 11, 0, 1, 30],
    [15, 0, 4, 9, 0, 22, 3, 0, 13],
]
LINE = "Ligne {} ({}) de ma réponse, assez longue pour occuper une ligne."


def flat(text: str) -> str:
    """Text without its spaces: a browser may wrap a line anywhere (Firefox after "et/")."""
    return "".join(text.split())


def start_of(box_id: str) -> str:
    return f"DEBUT {box_id} ;"


def answer_text(box_id: str, lines: int) -> str:
    return "\n".join([start_of(box_id), *(LINE.format(n, box_id) for n in range(1, lines))])


def add_style(page, css: str):
    """A style sheet for the test, built through the CSSOM: the page's Content-Security-Policy
    (cahier/csp.py) refuses an inline <style> it does not list."""
    page.evaluate(
        """(css) => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);
                      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }""",
        css,
    )


def print_pdf(page, path: Path) -> list[str]:
    """Print the page as `cahier pdf` does; the flattened text of each sheet."""
    assert shutil.which("pdftotext"), "pdftotext missing: install poppler-utils"
    page.pdf(path=str(path), format="A4", print_background=True, prefer_css_page_size=True)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sheets = [flat(sheet) for sheet in out.split("\f")]
    while sheets and not sheets[-1]:
        sheets.pop()
    return sheets


def sheet_of(sheets: list[str], text: str) -> int:
    text = flat(text)
    found = [n for n, sheet in enumerate(sheets) if text in sheet]
    assert found, f"not found whole on any sheet (cut by a page break?): {text!r}"
    return found[0]


def questions_shown(box: dict) -> list[str]:
    """The questions listed under a box's heading (a prompt named by its question has none)."""
    return [] if box["questions"] == [box["label"]] else box["questions"]


def check_together(sheets: list[str], heading: str, questions: list[str], start: str, where: str):
    """``heading``, ``questions`` and ``start`` follow each other on one sheet.

    Between the heading and the first question only a short text may stand (a level's
    description)."""
    heading, questions, start = flat(heading), [flat(q) for q in questions], flat(start)
    anchor = questions[0] if questions else heading
    number = sheet_of(sheets, anchor)
    sheet = sheets[number]
    at = sheet.index(anchor)
    if questions:
        heading_at = sheet.rfind(heading, 0, at)
        assert heading_at >= 0 and at - heading_at - len(heading) <= 200, (
            f"{where}: heading {heading!r} is not on the sheet of its first question "
            f"(sheet {number + 1}: {sheet[max(0, at - 300) : at + 80]!r})"
        )
        end = at
        for question in questions:
            assert question in sheet[end:], (
                f"{where}: question {question!r} not on the sheet of its heading ({number + 1})"
            )
            end = sheet.index(question, end) + len(question)
    else:
        end = at + len(heading)
    following = sheet[end:]
    assert following.startswith(start), (
        f"{where}: {heading!r} and its questions end sheet {number + 1}; "
        f"its answer or lines ({start!r}) start on the next one: {sheet[-200:]!r}"
    )


def manifest_of(page) -> dict:
    return page.evaluate(
        "async () => (await fetch(JSON.parse(document.querySelector('meta[name=cahier-book]')"
        ".content).manifest)).json()"
    )


def seed_answers(page, manifest: dict, pattern: list[int]) -> dict[str, str]:
    prefix = page_info(page)["prefix"]
    texts = {}
    boxes = [box for box in manifest["boxes"] if box["kind"] in TEXT_KINDS]
    for number, box in enumerate(boxes):
        lines = pattern[number % len(pattern)]
        if lines:
            texts[box["id"]] = answer_text(box["id"], lines)
    seed(page, {prefix + bid: dumps({"v": 1, "text": t, "t": 1}) for bid, t in texts.items()})
    return texts


# --- « Mon cahier » printed -------------------------------------------------------------------


@pytest.mark.parametrize("pattern", PATTERNS, ids=["a", "b", "c"])
def test_mon_cahier_keeps_each_heading_with_its_answer(page, url, tmp_path, pattern):
    open_book_page(page, url("mon-cahier"))
    manifest = manifest_of(page)
    texts = seed_answers(page, manifest, pattern)
    open_mon_cahier(page, url("mon-cahier"))
    no_answer = page_info(page)["strings"]["no_answer"]
    add_style(page, ".cahier-mc-box .cahier-mc-empty { color: #000 !important; }")
    sheets = print_pdf(page, tmp_path / "mon-cahier.pdf")
    assert len(sheets) > 10
    for box in manifest["boxes"]:
        if box["kind"] not in TEXT_KINDS:
            continue
        start = start_of(box["id"]) if box["id"] in texts else no_answer
        heading = box["levelName"] or box["label"]
        check_together(sheets, heading, questions_shown(box), start, box["id"])
    # Every line of every answer is printed: a long one runs over several sheets, never cut.
    printed = "".join(sheets)
    for box_id, text in texts.items():
        for line in text.splitlines():
            assert flat(line) in printed, f"{box_id}: line lost on paper: {line!r}"
        if len(text.splitlines()) > 40:
            last = text.splitlines()[-1]
            assert sheet_of(sheets, last) > sheet_of(sheets, start_of(box_id))


# --- the theme pages printed: blank (ruled lines) and with typed answers ----------------------

BOX_MARKER = (
    ".cahier-box::before { content: 'LIGNES ' attr(data-cahier-box); display: block;"
    " color: #000; font-size: 10pt; line-height: 1.2; }"
)


@pytest.mark.parametrize("written", [False, True], ids=["blank", "written"])
def test_theme_pages_keep_each_level_with_its_lines(page, url, tmp_path, written):
    open_book_page(page, url(THEME_PAGES[0]))
    manifest = manifest_of(page)
    texts = seed_answers(page, manifest, PATTERNS[0]) if written else {}
    for name in ["index", "dessin", *THEME_PAGES, "cloture"]:
        open_book_page(page, url(name))
        add_style(page, BOX_MARKER)
        sheets = print_pdf(page, tmp_path / f"{name}.pdf")
        page_boxes = [
            box
            for box in manifest["boxes"]
            if box["page"] == f"book/{name}" and box["kind"] in TEXT_KINDS
        ]
        assert page_boxes
        for box in page_boxes:
            heading = box["levelName"] or box["label"]
            check_together(
                sheets, heading, questions_shown(box), f"LIGNES {box['id']}", f"{name}: {box['id']}"
            )
            # A typed answer prints whole, over several sheets if need be.
            printed = "".join(sheets)
            for line in texts.get(box["id"], "").splitlines():
                assert flat(line) in printed, f"{name}: {box['id']}: line lost on paper: {line!r}"


# --- the drawing's frame on paper --------------------------------------------------------------


def gray_pixels(pdf: Path, folder: Path) -> tuple[int, int, bytes]:
    """The first sheet of ``pdf`` at 200 dpi, in grey levels: width, height, one byte a pixel."""
    subprocess.run(
        ["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-gray", str(pdf), str(folder / "sheet")],
        check=True,
    )
    (image,) = folder.glob("sheet*.pgm")
    magic, width, height, _depth, pixels = image.read_bytes().split(maxsplit=4)
    assert magic == b"P5"
    return int(width), int(height), pixels


def test_the_drawing_frame_prints_whole(page, url, tmp_path):
    open_book_page(page, url("dessin"))
    page.locator(".cahier-sketch-frame canvas").wait_for(state="attached")
    page.emulate_media(media="print")
    geometry = page.evaluate(
        """() => {
          const frame = document.querySelector('.cahier-sketch-frame');
          const style = getComputedStyle(frame);
          const f = frame.getBoundingClientRect();
          const c = frame.parentElement.getBoundingClientRect();
          const a = document.querySelector('article').getBoundingClientRect();
          return {right: parseFloat(style.borderRightWidth),
                  left: parseFloat(style.borderLeftWidth), frameLeft: f.left,
                  frameRight: f.right, parentLeft: c.left, parentRight: c.right,
                  articleRight: a.right, width: f.width, height: f.height};
        }"""
    )
    assert geometry["right"] > 0 and geometry["left"] > 0
    assert geometry["frameLeft"] >= geometry["parentLeft"] - 0.5
    assert geometry["frameRight"] <= geometry["parentRight"] + 0.5, geometry
    assert geometry["frameRight"] <= geometry["articleRight"] + 0.5, geometry
    assert abs(geometry["width"] / geometry["height"] - 4 / 3) < 0.02

    # On the printed sheet, the frame is closed: each of its sides is drawn.
    pdf = tmp_path / "dessin.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    page.emulate_media(media="screen")
    width, height, pixels = gray_pixels(pdf, tmp_path)

    def dark(x: int, y: int) -> bool:
        return pixels[y * width + x] < 200

    rows = [y for y in range(height) if sum(dark(x, y) for x in range(width)) > width * 0.5]
    assert rows, "no frame on the first sheet"
    top, bottom = rows[0], rows[-1]
    assert bottom - top > height * 0.2, "the frame's top and bottom edges"
    # The top edge and its corners (rounded or not): how wide the frame is drawn.
    edge = [x for x in range(width) if any(dark(x, y) for y in range(top, top + 20))]
    left, right = min(edge), max(edge)
    middle = (top + bottom) // 2
    sides = [x for x in range(width) if dark(x, middle)]
    assert right - left > width * 0.5, "the frame's top edge"
    assert any(abs(x - left) <= 3 for x in sides), "the frame's left side is not printed"
    assert any(abs(x - right) <= 3 for x in sides), "the frame's right side is not printed"
