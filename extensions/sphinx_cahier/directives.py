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

from .config import BOX_ID_RE, PART_ID_RE, Level, id_rule, levels_of, part_rule
from .domain import BoxRecord, CahierDomain, plain_text
from .messages import __
from .nodes import answer_box
from .strings import build_strings

logger = logging.getLogger(__name__)

REFLECTION_CONTEXT = "cahier:reflection"
#: The box whose content is being parsed: (directive, id, line). A box never holds another.
BOX_CONTEXT = "cahier:box"


@dataclass
class ReflectionContext:
    """What a ``reflection`` knows while its content (the levels) is parsed."""

    theme: str
    #: The levels this theme is read at: every level of the book, or its ``:levels:``.
    levels: list[Level] = field(default_factory=list)
    #: Given with ``:levels:`` (a subset of the book's levels).
    chosen: bool = False
    #: The reflection has options (myst-parser then numbers its levels' lines right).
    has_options: bool = False
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
        context = self.env.temp_data.get(REFLECTION_CONTEXT)
        nested = self.name == "level" and context is not None
        if isinstance(self.state, MockState) and nested and not context.has_options:
            # myst-parser 3 numbers a level in its reflection one line too far (unless the
            # reflection has options); organizers need the true line in their file.
            self.lineno -= 1
        try:
            self.refuse_nesting()
            return self.make_nodes()
        except DirectiveError as error:
            # Reported here rather than by the parser so that the line is self.lineno.
            return [self.reporter.system_message(error.level, error.msg, line=self.lineno)]

    def make_nodes(self) -> list[nodes.Node]:
        raise NotImplementedError

    def refuse_nesting(self) -> None:
        """A box inside a box: the fence of the outer one was not closed (issue: wrong boxes)."""
        outer = self.env.temp_data.get(BOX_CONTEXT)
        if outer is None:
            return
        if self.name == "level":
            context = self.env.temp_data.get(REFLECTION_CONTEXT)
            if context is not None and self.arguments:
                # Counted as present: the one message is this one, not "missing level" too.
                context.levels_seen.append(self.arguments[0])
        directive, box_id, line = outer
        raise self.error(
            __(
                "{{{name}}} {id} is inside {{{outer}}} {outer_id} (line {line}): close that "
                "one first, with its fence ':::' alone on a line after its questions"
            ).format(
                name=self.name,
                id=self.arguments[0] if self.arguments else "",
                outer=directive,
                outer_id=box_id,
                line=line,
            )
        )

    def parse_box_content(self, box_id: str) -> list[nodes.Node]:
        """The content of a box, parsed with the box as context (see :meth:`refuse_nesting`)."""
        shown = self.arguments[0] if self.arguments else box_id
        self.env.temp_data[BOX_CONTEXT] = (self.name, shown, self.lineno)
        try:
            return self.parse_content_to_nodes()
        finally:
            del self.env.temp_data[BOX_CONTEXT]

    def require_id(self, example: str, pattern=BOX_ID_RE, rule=None) -> str:
        if not self.arguments:
            raise self.error(
                __("{directive}: the id is missing, e.g. '{{{name}}} {example}'").format(
                    directive=self.directive_label, name=self.name, example=example
                )
            )
        given = self.arguments[0]
        if not pattern.match(given):
            raise self.error(
                __("{directive}: malformed id {id!r}: {rule}").format(
                    directive=self.directive_label, id=given, rule=rule or id_rule()
                )
            )
        return given

    def register_box(self, record_fields: dict) -> None:
        domain: CahierDomain = self.env.get_domain("cahier")  # type: ignore[assignment]
        record = BoxRecord(docname=self.env.docname, lineno=self.lineno, **record_fields)
        earlier = domain.add_box(record)
        if earlier is not None:
            raise self.error(
                __(
                    "the box id {id!r} is used twice: already on line {line}; the answers "
                    "would be mixed up"
                ).format(id=record["id"], line=earlier["lineno"])
            )


def level_list(argument: str | None) -> list[str]:
    """``:levels: en-moi, dans-mes-contextes`` (commas or spaces) as a list of ids."""
    ids = [part for part in (argument or "").replace(",", " ").split() if part]
    if not ids:
        raise ValueError(__("name at least one level, e.g. ':levels: en-moi'"))
    return ids


class ReflectionDirective(BoxDirective):
    """A theme read at every configured level, or at the levels its ``:levels:`` option names:
    ``{reflection} <theme-id>`` holding ``{level}``s."""

    directive_label = "reflection"
    optional_arguments = 1
    has_content = True
    option_spec: ClassVar = {"class": directives.class_option, "levels": level_list}

    def theme_levels(self, theme: str) -> list[Level]:
        """The book's levels, or the subset ``:levels:`` names (each once, known)."""
        levels = levels_of(self.config)
        chosen = self.options.get("levels")
        if chosen is None:
            return levels
        by_id = {level.id: level for level in levels}
        known = ", ".join(by_id)
        for level_id in chosen:
            if level_id not in by_id:
                raise self.error(
                    __(
                        "reflection {id!r}: :levels: names an unknown level {level!r}; one of: "
                        "{known}"
                    ).format(id=theme, level=level_id, known=known)
                )
            if chosen.count(level_id) > 1:
                raise self.error(
                    __("reflection {id!r}: :levels: names {level!r} twice").format(
                        id=theme, level=level_id
                    )
                )
        return [by_id[level_id] for level_id in chosen]

    def make_nodes(self) -> list[nodes.Node]:
        theme = self.require_id("eveil", PART_ID_RE, part_rule())
        outer = self.env.temp_data.get(REFLECTION_CONTEXT)
        if outer is not None:
            raise self.error(
                __(
                    "{{reflection}} {id} is inside {{reflection}} {outer}: close that one first, "
                    "with its fence '::::' alone on a line after its levels"
                ).format(id=theme, outer=outer.theme)
            )
        if not self.content and self.options:
            raise self.error(
                __(
                    "reflection {id!r}: no levels; leave a blank line between its options "
                    "(:levels: …) and its first {{level}}"
                ).format(id=theme)
            )
        if not self.content:
            raise self.error(
                __("reflection {id!r}: no levels; add a {{level}} for each level").format(id=theme)
            )
        context = ReflectionContext(
            theme,
            self.theme_levels(theme),
            chosen="levels" in self.options,
            has_options=bool(self.options),
        )
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

        # An optional level may be left out; a theme read at some levels only says which.
        missing = [
            level.id
            for level in context.levels
            if level.id not in context.levels_seen and not level.optional
        ]
        if missing and context.chosen:
            logger.warning(
                __("reflection {id!r}: missing level(s) {levels}, named in its :levels:").format(
                    id=theme, levels=", ".join(missing)
                ),
                location=self.get_location(),
                type="cahier",
                subtype="missing_level",
            )
        elif missing:
            logger.warning(
                __(
                    "reflection {id!r}: missing level(s) {levels}; every theme is read at every "
                    "level, unless its :levels: option names the ones it uses"
                ).format(id=theme, levels=", ".join(missing)),
                location=self.get_location(),
                type="cahier",
                subtype="missing_level",
            )
        return [container]

    def warn_stray_content(self, theme: str, child: nodes.Node) -> None:
        line = getattr(child, "line", None) or self.lineno
        logger.warning(
            __(
                "reflection {id!r}: only {{level}} blocks belong inside a reflection; this text "
                "is left out of the page"
            ).format(id=theme),
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
            raise self.error(
                __(
                    "level: a level belongs inside a {{reflection}}; if it is written inside one, "
                    "the reflection's fence needs more colons ('::::') than its levels' (':::')"
                ).format()
            )
        level = self.known_level()
        if level.id not in {theme_level.id for theme_level in context.levels}:
            # Counted as present: the one message is this one, not "missing level" too.
            context.levels_seen.append(level.id)
            raise self.error(
                __(
                    "level {level!r} is not among the levels of reflection {theme!r} (:levels: "
                    "{levels}): add it there, or remove this level"
                ).format(
                    level=level.id,
                    theme=context.theme,
                    levels=", ".join(lv.id for lv in context.levels),
                )
            )
        if level.id in context.levels_seen:
            raise self.error(
                __("level {level!r} appears twice in reflection {theme!r}").format(
                    level=level.id, theme=context.theme
                )
            )
        context.levels_seen.append(level.id)
        if not self.content:
            raise self.error(
                __("level {level!r} of {theme!r} has no questions").format(
                    level=level.id, theme=context.theme
                )
            )
        box_id = f"{context.theme}.{level.id}"

        questions = self.parse_box_content(box_id)
        questions_block = nodes.container(
            "", *questions, classes=["cahier-questions"], ids=[f"cahier-q-{box_id}"]
        )
        label = label_node(box_id, nodes.Text(level.name))
        if level.optional:
            label += nodes.inline(
                "", f" ({build_strings()['level_optional']})", classes=["cahier-optional-mark"]
            )
        heading = nodes.rubric("", "", label, classes=["cahier-level-title"])
        # An h2 in HTML: Sphinx reads "heading-level", myst-parser's override reads "level".
        heading["heading-level"] = heading["level"] = 2
        describedby = [f"cahier-q-{box_id}"]
        # The level's place in the book's levels gives it the same identity (accent, icon) on
        # every theme, whatever subset of levels a theme uses.
        position = [lv.id for lv in levels_of(self.config)].index(level.id) + 1
        section = nodes.container(
            "",
            heading,
            classes=[
                "cahier-level",
                f"cahier-level--{position}",
                *(["cahier-level-optional"] if level.optional else []),
                *self.options.get("class", []),
            ],
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
                "optional": level.optional,
            }
        )
        return [section]

    def known_level(self) -> Level:
        levels = levels_of(self.config)
        known = ", ".join(level.id for level in levels)
        if not self.arguments:
            raise self.error(
                __("level: the level id is missing; one of: {known}").format(known=known)
            )
        for level in levels:
            if level.id == self.arguments[0]:
                return level
        raise self.error(
            __("level: unknown level {id!r}; one of: {known}").format(
                id=self.arguments[0], known=known
            )
        )


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
        label_text = self.options.get("label", "").strip()
        parsed = self.parse_box_content(box_id) if self.content else []
        # A mistake inside (a box whose fence was left open): reported once, not counted as text.
        messages = [node for node in parsed if isinstance(node, nodes.system_message)]
        content = [node for node in parsed if not isinstance(node, nodes.system_message)]
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
            raise self.error(
                __("prompt {id!r}: write the question, or give a :label:").format(id=box_id)
            )
        else:
            raise self.error(
                __("prompt {id!r}: a question of several paragraphs needs a short :label:").format(
                    id=box_id
                )
            )

        container += answer_box("", box_id=box_id, kind="prompt", describedby=describedby)
        container.extend(messages)
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
