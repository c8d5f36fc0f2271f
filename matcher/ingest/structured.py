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
        sections:
          Answer: …          # a prepared answer that is not STAR
      - title: A time you made a decision without data
        principles: [Are Right, A Lot]   # no sections: a planned question

JSON with the same keys works too (JSON is read as YAML).
"""

from __future__ import annotations

from matcher.ingest.document import DocumentBuilder, canonical_label
from matcher.stories import Section


class StructureError(ValueError):
    """The file parses but does not follow the documented schema."""


def looks_like(text: str) -> bool:
    """True when the text is a YAML/JSON mapping with a ``stories`` list."""
    import yaml  # here, not at the top: asking a question never reads YAML

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    return isinstance(data, dict) and "stories" in data


def parse(text: str, doc: DocumentBuilder) -> None:
    """Add the stories and planned questions of a structured file to ``doc``."""
    import yaml

    root = yaml.compose(text)
    data = yaml.safe_load(text)
    items = data["stories"]
    if not isinstance(items, list):
        raise StructureError("'stories' must be a list")
    nodes = _value_node(root, "stories").value
    for node, item in zip(nodes, items):
        line = node.start_mark.line + 1
        if not isinstance(item, dict) or not str(item.get("title", "")).strip():
            doc.warn(line, "story without a title, skipped")
            continue
        principles: list[str] = []
        for tag in item.get("principles") or []:
            principles += doc.tags(f'"{tag}"', line)
        raw_sections = item.get("sections") or {}
        if not isinstance(raw_sections, dict):
            doc.warn(line, "'sections' must be a mapping of label to text, skipped")
            continue
        sections = [
            Section(canonical_label(str(label)), str(body or "").strip())
            for label, body in raw_sections.items()
        ]
        reason = "empty template" if sections else "no answer written"
        doc.add(str(item["title"]).strip(), line, principles, sections, reason)


def _value_node(mapping, key: str):
    return next(v for k, v in mapping.value if k.value == key)
