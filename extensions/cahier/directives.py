"""The directives organizers write in MyST pages.

``reflection`` holds a theme's levels; each ``level`` inside it gives its questions and gets a box.
``prompt`` is a single question with one box. Output is builder-neutral: standard docutils nodes
plus ``answer_box``; the HTML-only ``<label>`` is made by a post-transform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import DirectiveError, directives
from myst_parser.mocking import MockState
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .config import BOX_ID_RE, ID_RULE, PART_ID_RE, Level, levels_of
from .domain import BoxRecord, CahierDomain, plain_text
from .nodes import answer_box

logger = logging.getLogger(__name__)

REFLECTION_CONTEXT = "cahier:reflection"


@dataclass
class ReflectionContext:
    """What a ``reflection`` knows while its content (the levels) is parsed."""

    theme: str
    levels_seen: list[str] = field(default_factory=list)


def label_node(box_id: str, *children: nodes.Node) -> nodes.inline:
    """The text that names a box (an HTML ``<label>`` after the post-transform)."""
    return nodes.inline("", "", *children, classes=["cahier-box-label"], cahier_box=box_id)


def question_texts(content: list[nodes.Node]) -> list[str]:
    """The questions as plain text: the items of the lists, else the paragraphs.

    Plain text as a reader sees it (:func:`plain_text`): no ``<br />`` or ``\\\\`` from a hard
    line break, no HTML tags, no markup.
    """
    items = [plain_text(item) for node in content for item in node.findall(nodes.list_item)]
    if items:
        return items
    return [text for text in map(plain_text, content) if text]


class BoxDirective(SphinxDirective):
    """What ``reflection``, ``level`` and ``prompt`` share: ids and the box registry."""

    directive_label: ClassVar[str]

    def run(self) -> list[nodes.Node]:
        try:
            return self.make_nodes()
        except DirectiveError as error:
            # Reported here rather than by the parser so that the line is self.lineno (see level).
            return [self.reporter.system_message(error.level, error.msg, line=self.lineno)]

    def make_nodes(self) -> list[nodes.Node]:
        raise NotImplementedError

    def require_id(self, example: str, pattern=BOX_ID_RE, rule=ID_RULE) -> str:
        if not self.arguments:
            raise self.error(
                f"{self.directive_label}: missing id, e.g. '{{{self.name}}} {example}'"
            )
        given = self.arguments[0]
        if not pattern.match(given):
            raise self.error(f"{self.directive_label}: malformed id {given!r}: use {rule}")
        return given

    def register_box(self, record_fields: dict) -> None:
        domain: CahierDomain = self.env.get_domain("cahier")  # type: ignore[assignment]
        record = BoxRecord(docname=self.env.docname, lineno=self.lineno, **record_fields)
        earlier = domain.add_box(record)
        if earlier is not None:
            raise self.error(
                f"duplicate box id {record['id']!r}: already used on line {earlier['lineno']}; "
                "answers would be mixed up"
            )


class ReflectionDirective(BoxDirective):
    """A theme read at every configured level: ``{reflection} <theme-id>`` holding ``{level}``s."""

    directive_label = "reflection"
    optional_arguments = 1
    has_content = True
    option_spec: ClassVar = {"class": directives.class_option}

    def make_nodes(self) -> list[nodes.Node]:
        theme = self.require_id("eveil", PART_ID_RE, "lowercase ASCII letters, digits and '-'")
        if REFLECTION_CONTEXT in self.env.temp_data:
            raise self.error("reflection: a reflection cannot contain another reflection")
        if not self.content:
            raise self.error(f"reflection {theme!r}: no levels; add a {{level}} for each level")
        context = ReflectionContext(theme)
        self.env.temp_data[REFLECTION_CONTEXT] = context
        try:
            children = self.parse_content_to_nodes()
        finally:
            del self.env.temp_data[REFLECTION_CONTEXT]

        container = nodes.container(
            "", classes=["cahier-reflection", *self.options.get("class", [])], cahier_theme=theme
        )
        self.set_source_info(container)
        for child in children:
            if isinstance(child, nodes.container) and "cahier-level" in child["classes"]:
                container += child
            elif not isinstance(child, nodes.system_message | nodes.comment):
                self.warn_stray_content(theme, child)
            else:
                container += child

        missing = [lvl.id for lvl in levels_of(self.config) if lvl.id not in context.levels_seen]
        if missing:
            logger.warning(
                "reflection %r: missing level(s) %s; every theme is read at every level",
                theme,
                ", ".join(missing),
                location=self.get_location(),
                type="cahier",
                subtype="missing_level",
            )
        return [container]

    def warn_stray_content(self, theme: str, child: nodes.Node) -> None:
        line = getattr(child, "line", None) or self.lineno
        logger.warning(
            "reflection %r: only {level} directives belong inside a reflection; "
            "this content is dropped",
            theme,
            location=(self.env.docname, line),
            type="cahier",
            subtype="stray_content",
        )


class LevelDirective(BoxDirective):
    """One level of a reflection: ``{level} <level-id>`` with its questions; gets one box."""

    directive_label = "level"
    optional_arguments = 1
    has_content = True
    option_spec: ClassVar = {"class": directives.class_option}

    def make_nodes(self) -> list[nodes.Node]:
        context: ReflectionContext | None = self.env.temp_data.get(REFLECTION_CONTEXT)
        if context is None:
            raise self.error("level: a level belongs inside a {reflection} directive")
        if isinstance(self.state, MockState):
            # myst-parser 3 numbers a directive nested in another one line too far; organizers
            # need the true line of the {level} in their file.
            self.lineno -= 1
        level = self.known_level()
        if level.id in context.levels_seen:
            raise self.error(f"level {level.id!r} appears twice in reflection {context.theme!r}")
        context.levels_seen.append(level.id)
        if not self.content:
            raise self.error(f"level {level.id!r} of {context.theme!r} has no questions")
        box_id = f"{context.theme}.{level.id}"

        questions = self.parse_content_to_nodes()
        questions_block = nodes.container(
            "", *questions, classes=["cahier-questions"], ids=[f"cahier-q-{box_id}"]
        )
        heading = nodes.rubric(
            "", "", label_node(box_id, nodes.Text(level.name)), classes=["cahier-level-title"]
        )
        # An h2 in HTML: Sphinx reads "heading-level", myst-parser's override reads "level".
        heading["heading-level"] = heading["level"] = 2
        describedby = [f"cahier-q-{box_id}"]
        section = nodes.container(
            "", heading, classes=["cahier-level", *self.options.get("class", [])]
        )
        if level.description:
            section += nodes.paragraph(
                "",
                level.description,
                classes=["cahier-level-description"],
                ids=[f"cahier-desc-{box_id}"],
            )
            describedby.insert(0, f"cahier-desc-{box_id}")
        section += questions_block
        section += answer_box("", box_id=box_id, kind="reflection", describedby=describedby)
        self.set_source_info(section)

        self.register_box(
            {
                "id": box_id,
                "kind": "reflection",
                "theme": context.theme,
                "level": level.id,
                "label": level.name,
                "questions": question_texts(questions),
            }
        )
        return [section]

    def known_level(self) -> Level:
        levels = levels_of(self.config)
        known = ", ".join(level.id for level in levels)
        if not self.arguments:
            raise self.error(f"level: missing level id; one of: {known}")
        for level in levels:
            if level.id == self.arguments[0]:
                return level
        raise self.error(f"level: unknown level {self.arguments[0]!r}; one of: {known}")


class PromptDirective(BoxDirective):
    """A single question with one box: ``{prompt} <box-id>``.

    The content is the question. Without ``:label:``, the question (one paragraph) names the box;
    with ``:label:``, the label names it and the content, if any, describes it.
    """

    directive_label = "prompt"
    optional_arguments = 1
    has_content = True
    option_spec: ClassVar = {
        "label": directives.unchanged_required,
        "class": directives.class_option,
    }

    def make_nodes(self) -> list[nodes.Node]:
        box_id = self.require_id("cloture.apprentissage")
        if box_id.startswith("_"):
            raise self.error("prompt: box ids never start with '_' (reserved)")
        label_text = self.options.get("label", "").strip()
        content = self.parse_content_to_nodes() if self.content else []
        container = nodes.container(
            "", classes=["cahier-prompt", *self.options.get("class", [])], cahier_prompt=box_id
        )
        self.set_source_info(container)
        describedby: list[str] = []

        if label_text:
            container += nodes.paragraph(
                "", "", label_node(box_id, nodes.Text(label_text)), classes=["cahier-prompt-label"]
            )
            if content:
                container += nodes.container(
                    "", *content, classes=["cahier-prompt-text"], ids=[f"cahier-q-{box_id}"]
                )
                describedby.append(f"cahier-q-{box_id}")
            label = label_text
        elif len(content) == 1 and isinstance(content[0], nodes.paragraph):
            question = content[0]
            container += nodes.paragraph(
                "", "", label_node(box_id, *question.children), classes=["cahier-prompt-label"]
            )
            label = plain_text(question)
        elif not content:
            raise self.error(f"prompt {box_id!r}: write the question, or give a :label:")
        else:
            raise self.error(
                f"prompt {box_id!r}: a question of several paragraphs needs a short :label:"
            )

        container += answer_box("", box_id=box_id, kind="prompt", describedby=describedby)
        self.register_box(
            {
                "id": box_id,
                "kind": "prompt",
                "theme": None,
                "level": None,
                "label": label,
                "questions": question_texts(content) if label_text else [label],
            }
        )
        return [container]


def setup_directives(app) -> None:
    app.add_directive("reflection", ReflectionDirective)
    app.add_directive("level", LevelDirective)
    app.add_directive("prompt", PromptDirective)
