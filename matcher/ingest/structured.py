"""The structured layout: a YAML or JSON file for users who prefer to write data.

    stories:
      - title: Tell me about a time you disagreed with your manager
        principles: [Have Backbone; Disagree and Commit]
        sections:
          Situation: …
          Task: …
          Action: …
          Result: …
          Learning: …        # any other label is kept as an extra section
      - title: Why this company?
        principles: Customer Obsession   # one principle may be written without a list
        sections:
          Answer: …          # a prepared answer that is not STAR
      - title: A time you made a decision without data
        principles: [Are Right, A Lot]   # no sections: a planned question

JSON with the same keys works too (JSON is read as YAML).

The schema
----------
The top level is a mapping with a ``stories`` list; other top-level keys are ignored.
Each story is a mapping with ``title`` (text, required), ``principles`` (text, or a list
of texts) and ``sections`` (a mapping of label to text); any other story key is ignored
with a warning, since it is most likely a misspelling that would lose data.

Every scalar is kept as the text written in the file. YAML 1.1, which PyYAML implements,
would read ``1:30`` as 90, ``yes`` as True, ``2019-05-01`` as a date and ``012`` as 10;
none of that is wanted in prose, so scalars are never converted. The only typing applied
is the one JSON and YAML 1.2 agree on: an empty value, ``~`` or ``null`` means "nothing
written", and an unquoted number or ``true``/``false`` is not a principle name
(``"principles": 1`` is an error, ``"principles": "1"`` is not).

What a malformed file costs
---------------------------
A problem inside one story skips that story with a warning naming its line; the rest of
the file is still read. These are: a story that is not a mapping, a story without a
title, a ``title`` that is not text, ``principles`` that are not text or a list of
texts, ``sections`` that are not a mapping of label to text, and a key repeated inside
the story or its sections (YAML would silently keep only the last one).

A problem that makes the list of stories itself uncertain rejects the whole file with a
:class:`StructureError`, which :func:`matcher.ingest.read_corpus` reports as one warning
``<file>: line N: <problem>, skipped``. These are: a YAML/JSON syntax error, a top level
that is not a mapping, no top-level ``stories`` key, a top-level key repeated (a second
``stories:`` would silently replace the first list), and ``stories`` that is not a list.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from matcher.ingest.document import DocumentBuilder, canonical_label
from matcher.stories import Section

if TYPE_CHECKING:  # PyYAML is imported only when a structured file is actually parsed.
    from yaml.nodes import MappingNode, Node

# No schema library: PyYAML has no schema support of its own, the schema is four keys,
# and pydantic or jsonschema would add an import that costs more than parsing a file.
# A hand-written check over PyYAML's node tree also keeps every value's line number.
STORY_KEYS = ("title", "principles", "sections")

# JSON: the first non-blank character opens an object that has a "stories" key somewhere.
_JSON_STORIES = re.compile(r'"stories"\s*:')
# YAML: a line that is blank, a comment, a directive or a document start, which may all
# come before the first key. None of these patterns nests quantifiers: each line is
# matched in time linear in its length.
_YAML_PREAMBLE = re.compile(r"[ \t]*(?:#.*)?|%.*|---(?:[ \t].*)?")
# A top-level mapping key at column 0, e.g. "stories:" or "name: Jane"; not a URL.
_YAML_KEY = re.compile(r"""[^\s#\-\[\]{}>|*&!%@`][^:]*:(?:[ \t]|$)""")
_YAML_STORIES = re.compile(r"""^["']?stories["']?[ \t]*:(?:[ \t]|$)""", re.MULTILINE)

# Plain scalars that JSON and the YAML 1.2 core schema read as null, booleans or numbers.
_NULL = re.compile(r"(?:~|null|Null|NULL)?")
_NOT_TEXT = re.compile(
    r"true|True|TRUE|false|False|FALSE"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)


class StructureError(ValueError):
    """The file is not valid YAML/JSON, or its top level does not follow the schema."""


class _Invalid(Exception):
    """A value that breaks the schema, with the node that holds it (for its line)."""

    def __init__(self, node: Node, message: str) -> None:
        super().__init__(message)
        self.line = node.start_mark.line + 1
        self.message = message


def looks_like(text: str) -> bool:
    """True when the text is laid out as a structured ``stories`` file.

    A cheap sniff, not a parse: JSON whose first non-blank character is ``{`` and that
    has a ``"stories"`` key, or YAML whose first line after blank lines, comments and
    ``---`` is a top-level ``key:`` and that has a top-level ``stories:`` line. Parsing
    every Markdown file as YAML just to ask would be slow and would read prose as data.
    """
    start = text.lstrip()
    if start.startswith("{"):
        return _JSON_STORIES.search(start) is not None
    for line in text.splitlines():
        if _YAML_PREAMBLE.fullmatch(line):
            continue
        return _YAML_KEY.match(line) is not None and _YAML_STORIES.search(text) is not None
    return False


def parse(text: str, doc: DocumentBuilder) -> None:
    """Add the stories and planned questions of a structured file to ``doc``.

    Raises :class:`StructureError` when the whole file must be skipped; a problem in
    one story is a warning on ``doc`` and only that story is skipped (module docstring).
    """
    from yaml.nodes import MappingNode, SequenceNode

    root = _compose(text)
    if root is None:  # only comments or "---": nothing to read, let alone stories
        raise StructureError("no top-level 'stories' key")
    try:
        if not isinstance(root, MappingNode):
            raise _Invalid(root, "the top level must be a mapping with a 'stories' list")
        top = _keys(root)
        if "stories" not in top:
            raise _Invalid(root, "no top-level 'stories' key")
        items = top["stories"]
        if _is_null(items):
            return  # "stories:" with nothing under it: read_corpus reports the empty file
        if not isinstance(items, SequenceNode):
            raise _Invalid(items, "'stories' must be a list")
    except _Invalid as exc:
        raise StructureError(f"line {exc.line}: {exc.message}") from None
    for node in items.value:
        try:
            _add_story(node, doc)
        except _Invalid as exc:
            doc.warn(exc.line, f"{exc.message}, story skipped")


def _compose(text: str) -> Node | None:
    """The YAML node tree of ``text``, or a one-line :class:`StructureError`."""
    import yaml

    class TextLoader(yaml.SafeLoader):
        """Tags every plain scalar as text: no YAML 1.1 guessing of ints, bools or dates."""

        yaml_implicit_resolvers: dict = {}

    if text.lstrip().startswith("{"):
        # JSON allows tabs between tokens, PyYAML does not; valid JSON has no raw tab
        # inside a string, so outside strings is the only place one can be.
        text = text.replace("\t", " ")
    try:
        return yaml.compose(text, Loader=TextLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}: " if mark else ""
        problem = " ".join(str(exc.problem or exc.context or "unreadable").split())
        raise StructureError(f"{where}not valid YAML/JSON ({problem})") from None
    except yaml.YAMLError as exc:  # e.g. a control character: a position, not a mark
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise StructureError(f"not valid YAML/JSON ({first})") from None
    except RecursionError:  # PyYAML's composer recurses once per level of nesting
        raise StructureError("nested too deeply to be a stories file") from None


def _add_story(node: Node, doc: DocumentBuilder) -> None:
    """Check one item of the ``stories`` list against the schema and add it to ``doc``."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    line = node.start_mark.line + 1
    if not isinstance(node, MappingNode):
        raise _Invalid(node, "a story must be a mapping with a 'title'")
    fields = _keys(node)
    for key, value in fields.items():
        if key not in STORY_KEYS:
            doc.warn(value.start_mark.line + 1, f"unknown story key '{key}' ignored")

    title_node = fields.get("title")
    if title_node is not None and not isinstance(title_node, ScalarNode):
        raise _Invalid(title_node, "'title' must be text")
    title = _text(title_node).strip()
    if not title:
        doc.warn(line, "story without a title, skipped")
        return

    principles: list[str] = []
    found = fields.get("principles")
    if isinstance(found, ScalarNode):
        names = [] if _is_null(found) else [_principle(found)]
    elif isinstance(found, SequenceNode):
        names = [_principle(item) for item in found.value if not _is_null(item)]
    elif found is None:
        names = []
    else:
        raise _Invalid(found, "'principles' must be a string or a list of strings")
    for name in names:
        # Quoted, so the catalogue reads it as one tag and keeps unknown names as written.
        principles += doc.tags(f'"{name}"', line)

    sections: list[Section] = []
    found = fields.get("sections")
    if found is not None and not _is_null(found):
        if not isinstance(found, MappingNode):
            raise _Invalid(found, "'sections' must be a mapping of label to text")
        for label, body in _keys(found).items():
            if not isinstance(body, ScalarNode):
                raise _Invalid(body, f"section '{label}' must be text")
            sections.append(Section(canonical_label(label), _text(body).strip()))

    reason = "empty template" if sections else "no answer written"
    doc.add(title, line, principles, sections, reason)


def _keys(mapping: MappingNode) -> dict[str, Node]:
    """A mapping node's values by key text; a repeated or non-text key is an error.

    PyYAML (and Python's json) keep the last of two equal keys without a word, which
    would drop a whole ``stories`` list or a section's text; here it is reported instead.
    """
    from yaml.nodes import ScalarNode

    found: dict[str, Node] = {}
    first_line: dict[str, int] = {}
    for key, value in mapping.value:
        if not isinstance(key, ScalarNode):
            raise _Invalid(key, "a key must be text, not a list or a mapping")
        if key.value in found:
            raise _Invalid(
                key, f"key '{key.value}' repeated (first at line {first_line[key.value]})"
            )
        found[key.value] = value
        first_line[key.value] = key.start_mark.line + 1
    return found


def _principle(node: Node) -> str:
    """One principle name: text, not a number, a boolean or a nested structure."""
    from yaml.nodes import ScalarNode

    if not isinstance(node, ScalarNode) or (node.style is None and _NOT_TEXT.fullmatch(node.value)):
        raise _Invalid(node, "'principles' must be a string or a list of strings")
    return node.value.strip()


def _is_null(node: Node) -> bool:
    """True for an unquoted empty value, ``~`` or ``null``: nothing written."""
    from yaml.nodes import ScalarNode

    return isinstance(node, ScalarNode) and node.style is None and bool(_NULL.fullmatch(node.value))


def _text(node: Node | None) -> str:
    """A scalar's text exactly as written (quotes and escapes resolved), "" for null."""
    if node is None or _is_null(node):
        return ""
    return node.value
