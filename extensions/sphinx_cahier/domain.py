"""The registry of every box in the book, kept in a Sphinx domain so parallel reads merge it.

From it come the duplicate-id check (across documents, after all are read) and the manifest that
the browser features and the organizers' tools read (``_static/cahier/manifest.json``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar, NotRequired, TypedDict

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .config import config_location, levels_of
from .messages import __

logger = logging.getLogger(__name__)

MANIFEST_FORMAT = "cahier-manifest"
MANIFEST_VERSION = 1
MANIFEST_PATH = "_static/cahier/manifest.json"


class _HTMLText(HTMLParser):
    """The text a reader sees of a piece of raw HTML: no tags, no comments, entities decoded."""

    #: Elements whose content is never shown as text.
    HIDDEN = frozenset({"script", "style", "template"})
    #: Elements that end a line or a block: a word boundary once flattened.
    # fmt: off
    BREAKS = frozenset({
        "br", "hr", "p", "div", "section", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd",
        "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
    })
    # fmt: on

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def is_html(node: nodes.raw) -> bool:
    return "html" in node.get("format", "").split()


def plain_text(node: nodes.Node) -> str:
    """What a reader sees of ``node``, as one line of plain text (for the manifest).

    ``astext()`` would keep the raw nodes' source: a MyST hard line break is two raw nodes,
    ``<br />`` for HTML and ``\\\\`` for LaTeX, and inline HTML keeps its tags. Here raw HTML
    is reduced to its text (``<br>`` and block tags become spaces; ``<b>x</b>`` gives ``x``,
    whose words the page shows), raw content for other builders (LaTeX, ...) is dropped, since
    the HTML page never shows it, and so are comments, targets and footnote marks. Emphasis,
    code and links keep their text. Whitespace, line breaks included, collapses to one space.
    """
    parts: list[str] = []

    def walk(current: nodes.Node) -> None:
        if isinstance(current, nodes.Text):
            parts.append(current.astext())
        elif isinstance(current, nodes.raw):
            text = html_text(current.astext()) if is_html(current) else ""
            # A block of raw HTML stands apart from its neighbours; inline HTML does not.
            block = not isinstance(current.parent, nodes.TextElement)
            parts.append(f" {text} " if block else text)
        elif isinstance(
            current,
            nodes.Invisible
            | nodes.system_message
            | nodes.footnote_reference
            | nodes.citation_reference,
        ):
            return
        elif isinstance(current, nodes.image):
            parts.append(current.get("alt", ""))
        else:
            block = not isinstance(current, nodes.Inline)
            if block:
                parts.append(" ")
            for child in current.children:
                walk(child)
            if block:
                parts.append(" ")

    walk(node)
    return " ".join("".join(parts).split())


class BoxRecord(TypedDict):
    id: str
    docname: str
    lineno: int
    kind: str  # "reflection" | "prompt" | "sketch"
    theme: str | None
    level: str | None
    label: str
    questions: list[str]
    description: NotRequired[str]  # a sketch: the id of the box that describes it in words
    optional: NotRequired[bool]  # a level participants may leave empty


class CahierDomain(Domain):
    """Every answer box of the book, by document, in document order."""

    name = "cahier"
    label = "Cahier"
    data_version = 1
    initial_data: ClassVar[dict[str, Any]] = {"boxes": {}}  # docname -> list[BoxRecord]

    @property
    def boxes_by_doc(self) -> dict[str, list[BoxRecord]]:
        return self.data["boxes"]

    def clear_doc(self, docname: str) -> None:
        self.boxes_by_doc.pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["boxes"]:
                self.boxes_by_doc[docname] = otherdata["boxes"][docname]

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list:
        return []

    def add_box(self, record: BoxRecord) -> BoxRecord | None:
        """Register a box; return the earlier box of the same document with that id, if any."""
        doc_boxes = self.boxes_by_doc.setdefault(record["docname"], [])
        earlier = next((box for box in doc_boxes if box["id"] == record["id"]), None)
        if earlier is None:
            doc_boxes.append(record)
        return earlier

    def ordered_boxes(self, env: BuildEnvironment) -> list[BoxRecord]:
        """All boxes in reading order: documents as the table of contents orders them."""
        return [box for docname in reading_order(env) for box in self.boxes_by_doc.get(docname, [])]


def reading_order(env: BuildEnvironment) -> list[str]:
    """Document names in the order a reader meets them (toctree, depth first), then the rest."""
    order: list[str] = []
    seen: set[str] = set()

    def walk(docname: str) -> None:
        if docname in seen:
            return
        seen.add(docname)
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    order.extend(sorted(set(env.all_docs) - seen))
    return order


def duplicate_ids(boxes: list[BoxRecord]) -> Iterator[tuple[BoxRecord, BoxRecord]]:
    """Pairs (first, later) of boxes that share an id, in reading order."""
    first_by_id: dict[str, BoxRecord] = {}
    for box in boxes:
        first = first_by_id.setdefault(box["id"], box)
        if first is not box:
            yield first, box


def check_boxes(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: what only the whole book tells (after parallel merge).

    Ids are unique; a drawing's ``:description:`` names a text box of the book; the deliberate
    changes (``cahier_retired``, ``cahier_renamed``) agree with the boxes.
    """
    domain: CahierDomain = env.get_domain("cahier")  # type: ignore[assignment]
    boxes = domain.ordered_boxes(env)
    for first, later in duplicate_ids(boxes):
        logger.warning(
            __(
                "the box id {id!r} is used twice: already at {place}; the answers would be mixed up"
            ).format(
                id=later["id"],
                place=f"{env.doc2path(first['docname'], base=False)}:{first['lineno']}",
            ),
            location=(later["docname"], later["lineno"]),
            type="cahier",
            subtype="duplicate_id",
        )
    by_id = {box["id"]: box for box in boxes}
    for box in boxes:
        description = box.get("description")
        if not description:
            continue
        target = by_id.get(description)
        if target is None or target["kind"] == "sketch":
            known = [b["id"] for b in boxes if b["kind"] != "sketch"]
            from .messages import did_you_mean

            guess = did_you_mean(description, known, cutoff=0.6)
            logger.error(
                __(
                    "sketch {id!r}: :description: {description!r} names no box of the book "
                    "where participants could describe their drawing{hint}"
                ).format(
                    id=box["id"],
                    description=description,
                    hint=__(" (did you mean {id!r}?)").format(id=guess) if guess else "",
                ),
                location=(box["docname"], box["lineno"]),
                type="cahier",
                subtype="sketch_description",
            )

    def where(box: BoxRecord) -> str:
        return f"{env.doc2path(box['docname'], base=False)}:{box['lineno']}"

    for box_id in app.config.cahier_retired:
        if box_id in by_id:
            logger.warning(
                __(
                    "cahier_retired lists {id!r}, but the book still has this box ({place}): "
                    "remove it from cahier_retired, or remove the box"
                ).format(id=box_id, place=where(by_id[box_id])),
                location=config_location(app, "cahier_retired", box_id),
                type="cahier",
                subtype="retired",
            )
    for old, new in app.config.cahier_renamed.items():
        if old in by_id:
            logger.warning(
                __(
                    "cahier_renamed: the book still has the old id {old!r} ({place}): a renamed "
                    "box keeps only its new id {new!r}"
                ).format(old=old, new=new, place=where(by_id[old])),
                location=config_location(app, "cahier_renamed", old),
                type="cahier",
                subtype="renamed",
            )
        if new not in by_id:
            logger.warning(
                __(
                    "cahier_renamed: {old!r} is renamed {new!r}, but the book has no box {new!r}"
                ).format(old=old, new=new),
                location=config_location(app, "cahier_renamed", old),
                type="cahier",
                subtype="renamed",
            )


def build_manifest(app: Sphinx, env: BuildEnvironment) -> dict[str, Any]:
    """The manifest contract: every box, in reading order, with what a reader sees of it."""
    domain: CahierDomain = env.get_domain("cahier")  # type: ignore[assignment]
    level_names = {level.id: level.name for level in levels_of(app.config)}
    builder = app.builder
    boxes = []
    for order, box in enumerate(domain.ordered_boxes(env), start=1):
        title = env.titles.get(box["docname"])
        boxes.append(
            {
                "id": box["id"],
                "order": order,
                "kind": box["kind"],
                "page": box["docname"],
                "url": builder.get_target_uri(box["docname"]) + "#" + f"cahier-box-{box['id']}",
                "pageTitle": plain_text(title) if title is not None else "",
                "theme": box["theme"],
                "level": box["level"],
                "levelName": level_names.get(box["level"] or ""),
                "label": box["label"],
                "questions": box["questions"],
                "optional": bool(box.get("optional")),
                "source": f"{env.doc2path(box['docname'], base=False)}:{box['lineno']}",
            }
        )
    return {
        "format": MANIFEST_FORMAT,
        "v": MANIFEST_VERSION,
        "book": app.config.cahier_book,
        "edition": app.config.cahier_edition,
        "title": app.config.project,
        "school": app.config.cahier_school,
        "dates": app.config.cahier_dates,
        "place": app.config.cahier_place,
        "language": app.config.language,
        # Deliberate changes since earlier editions: the answers to an old id follow it to its
        # new id (carry-over.js, import.js); retired ids are gone on purpose (`cahier check`).
        "renamed": dict(app.config.cahier_renamed),
        "retired": list(app.config.cahier_retired),
        "boxes": boxes,
    }


def write_manifest(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write the manifest beside the HTML pages."""
    if exception is not None or app.builder.format != "html":
        return
    manifest = build_manifest(app, app.env)
    path = Path(app.outdir, MANIFEST_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def setup_domain(app: Sphinx) -> None:
    app.add_domain(CahierDomain)
    app.connect("env-check-consistency", check_boxes)
    app.connect("build-finished", write_manifest)
