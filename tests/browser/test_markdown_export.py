"""The Markdown export shows every answer exactly as typed (issue 9, point 6).

The exported file is rendered by a real CommonMark renderer (markdown-it, raw HTML allowed, as
many viewers do) and the rendered page is read back in the browser: each answer must be one
paragraph holding only its text and line breaks, with the text typed (line breaks as typed;
CRLF and CR count as line breaks), and nothing of it may leak into the rest of the page.
The workbook's own titles and questions must come out as written too.
"""

from __future__ import annotations

from pathlib import Path

from cahier_helpers import dumps, open_book_page, open_mon_cahier, page_info, seed
from markdown_it import MarkdownIt

NASTY = [
    "# Titre\n## Sous-titre\n###### six #",
    "```\ncode jamais fermé\n\nqui avalerait la suite",
    "avant <!-- caché --> après\n<!--\nbloc caché\n-->\nvisible",
    "&lt;b&gt; &amp; &copy; &#35; &#x41; &nbsp; R&D &unknown;",
    '<script>window.__pwned = 1</script>\n<img src=x onerror="window.__pwned = 2">\n<b>gras</b>',
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "- un\n* deux\n+ trois\n  - imbriqué\n-\n*",
    "*étoiles* **gras** _souligné_ __gras__ snake_case_word 2*3*4 ***",
    "[a](b) ![image](x.png) <https://exemple.org> [ref]\n\n[ref]: https://exemple.org\n[x]: <y>",
    "chemin\\dossier \\* \\\\ \\n\\\nfin par une barre\\",
    "    indenté de quatre espaces\n\tune tabulation\n  deux espaces\n \t mêlés",
    "espaces en fin   \ndeux espaces  \ntabulation\t\nfin  ",
    "Titre\n---\nAutre titre\n===\n***\n___\n- - -\n=",
    "> citation\n>> double\n >un espace\n>",
    "1. premier\n2) deuxième\n10. dix\n2025. une année\n1.5 n'est pas une liste",
    "\n\nAprès deux lignes vides\n\n\nfin\n\n",
    "ligne 1\r\nligne 2\r\n\r\nligne 4\rligne 5\r\n",
    "`code` ``double`` ~~barré~~ ~~~\n~~~ clôture tilde\n`",
    "$x^2$, $$y$$ et 500 $ ; a | b ; {attr} ; :smile: ; « éèà » — points...\n[^1] une note\n\n"
    "[^1]: la note\n\u00a0insécable au début\net à la fin\u00a0\n<br>",
    "<div>\n\n*pas d'emphase*\n\n</div>\n<?php echo 1; ?>\n<![CDATA[ x ]]>\n</p>",
]

READ_BACK = """() => {
  const boxes = [];
  let page = null;
  for (const el of document.body.children) {
    if (el.localName === "h2") { page = el.textContent; continue; }
    if (el.localName === "h3") {
      boxes.push({page, title: el.textContent, questions: null, answer: null, tags: [], after: []});
      continue;
    }
    const box = boxes.at(-1);
    if (!box || box.page !== page) continue;
    if (el.localName === "ul" && box.answer === null && box.questions === null) {
      box.questions = [...el.children].map((li) => li.textContent);
    } else if (box.answer === null) {
      box.answer = el.textContent;
      box.tags = [el.localName, ...[...el.querySelectorAll("*")].map((e) => e.localName)];
    } else box.after.push(el.outerHTML.slice(0, 200));
  }
  return boxes;
}"""


def typed(text: str) -> str:
    """What the answer shows: the text typed, its line breaks (CRLF, CR) as line breaks."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def export_markdown(page, tmp_path: Path) -> str:
    with page.expect_download() as info:
        page.click("button.cahier-mc-export-md")
    target = tmp_path / "export.md"
    info.value.save_as(target)
    return target.read_text(encoding="utf-8")


def read_rendered(page, markdown: str) -> list[dict]:
    html = MarkdownIt("commonmark", {"html": True}).render(markdown)
    page.set_content(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{html}</body></html>"
    )
    assert page.evaluate("() => window.__pwned") is None, "an answer ran a script"
    return page.evaluate(READ_BACK)


def test_every_answer_renders_exactly_as_typed(context, url, tmp_path):
    page = context.new_page()
    open_book_page(page, url("index"))
    prefix = page_info(page)["prefix"]
    manifest = page.evaluate("() => fetch('../_static/cahier/manifest.json').then((r) => r.json())")
    text_boxes = [b for b in manifest["boxes"] if b["kind"] in ("reflection", "prompt")]
    assert len(text_boxes) >= len(NASTY)
    answers = {b["id"]: text for b, text in zip(text_boxes[: len(NASTY)], NASTY, strict=True)}
    seed(
        page,
        {
            prefix + bid: dumps({"v": 1, "text": t, "t": 1_760_000_000_000})
            for bid, t in answers.items()
        },
    )
    open_mon_cahier(page, url("mon-cahier"))
    markdown = export_markdown(page, tmp_path)

    reader = context.new_page()
    rendered = read_rendered(reader, markdown)
    by_place = {(r["page"], r["title"]): r for r in rendered}
    problems = []
    for b in text_boxes:
        title = b["levelName"] or b["label"]
        r = by_place.get((b["pageTitle"], title))
        if r is None:
            problems.append(f"{b['id']}: no heading {b['pageTitle']!r} / {title!r}")
            continue
        questions = [] if b["questions"] == [b["label"]] else b["questions"]
        if (r["questions"] or []) != questions:
            problems.append(f"{b['id']}: questions {r['questions']!r} != {questions!r}")
        if b["id"] not in answers:
            continue
        expected = typed(answers[b["id"]])
        if r["answer"] != expected:
            problems.append(f"{b['id']}: shows {r['answer']!r}, typed {expected!r}")
        if set(r["tags"]) - {"br"} != {"p"}:
            problems.append(f"{b['id']}: rendered as {r['tags']!r}")
        if r["after"]:
            problems.append(f"{b['id']}: leaks {r['after']!r}")
    assert not problems, "\n".join(problems) + "\n--- markdown ---\n" + markdown


def test_a_long_backtick_run_does_not_swallow_the_rest_of_the_file(context, url, tmp_path):
    page = context.new_page()
    open_book_page(page, url("index"))
    prefix = page_info(page)["prefix"]
    text = "``````\n`````` six accents graves\n~~~~~~~~"
    seed(page, {prefix + "attentes": dumps({"v": 1, "text": text, "t": 1_760_000_000_000})})
    open_mon_cahier(page, url("mon-cahier"))
    manifest = page.evaluate("() => fetch('../_static/cahier/manifest.json').then((r) => r.json())")
    rendered = read_rendered(context.new_page(), export_markdown(page, tmp_path))
    (r,) = [r for r in rendered if r["title"] == "Mes attentes et idées"]
    assert r["answer"] == text and set(r["tags"]) == {"p", "br"} and not r["after"]
    # Every box of the book (drawings included) still has its heading after that answer.
    assert len(rendered) == len(manifest["boxes"])
