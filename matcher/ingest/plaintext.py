"""The plain-text layout: a principle name, its description, then numbered questions.

    Ownership
    Leaders are owners…
    1<TAB>Tell me about a time when you failed at work?
    S: …  T: …  A: …  R: …  Learning: …
    2<TAB>A question followed by another question has no answer.
    a<TAB>A short free-form answer.
    Second Source Questions:
    1<TAB>Questions here have no answers.

The principle on the document's first line applies to every question in it.
"""

from __future__ import annotations

import re

from matcher.ingest.document import DocumentBuilder, canonical_label
from matcher.stories import Section

QUESTION = re.compile(r"^\s*\d{1,3}(?:\t|[.)]\s+)\s*(\S.*)$")
_ANSWER = re.compile(
    r"^\s*(S|T|A|R|Situation|Task|Action|Result|Learnings?|Lessons?|Answer)\s*:\s*(.*)$"
    r"|^\s*(a)\t\s*(.*)$",
    re.IGNORECASE,
)


def looks_like(text: str) -> bool:
    """True when the text has numbered questions."""
    return any(QUESTION.match(line) for line in text.splitlines())


def parse(text: str, doc: DocumentBuilder) -> None:
    """Add the stories and planned questions of a plain-text document to ``doc``."""
    lines = text.splitlines()
    first = next((line.strip() for line in lines if line.strip()), "")
    principle = doc.catalogue.resolve(first)
    principles = [principle] if principle else []
    question: tuple[str, int] | None = None
    sections: list[tuple[str, list[str]]] = []

    def flush() -> None:
        if question:
            body = [Section(label, "\n".join(parts).strip()) for label, parts in sections]
            doc.add(question[0], question[1], principles, body, "no answer written")

    for i, line in enumerate(lines):
        if q := QUESTION.match(line):
            flush()
            question, sections = (q.group(1).strip(), i + 1), []
        elif question and (a := _ANSWER.match(line)):
            label = a.group(1) or "Answer"
            sections.append((canonical_label(label), [(a.group(2) or a.group(4) or "").strip()]))
        elif question and sections and line.strip():
            sections[-1][1].append(line.strip())
        elif question and line.strip():
            # A line that is neither a question nor an answer ends the current question
            # ("Second Source Questions:", a new heading): it has no answer.
            flush()
            question = None
    flush()
