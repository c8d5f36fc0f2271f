"""Stories -> views: the short texts that are embedded for each story.

A STAR story runs 300–900 words but the models read at most 256 word pieces, so a story
is never embedded whole (that would silently drop its end). Each story is embedded as:

- ``question``: its heading, the question the candidate prepared it for, with interviewer
  boilerplate ("Tell me about a time…") stripped;
- ``passage``: each section, cut into chunks of at most ``CHUNK_WORDS`` words at sentence
  ends, prefixed with the stripped heading so a chunk keeps its context;
- ``gist``: the heading and the first two sentences of every section, at most
  ``CHUNK_WORDS`` words: the whole arc of the story in one view.

Questions the candidate listed with a story ("Sample questions:" below its Result) are
question views too, one per line, like its heading.

Chunks are sized so heading + chunk stays under 256 word pieces even for typo-heavy text
(typos split into many pieces); a test checks every view of the seed corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matcher.stories import Story

CHUNK_WORDS = 120
QUESTIONS = "Questions"  # the section label of questions listed with a story (ingest.labels)
_LIST_MARK = re.compile(r"^[-*+•]\s+|^\d{1,2}[.)]\s+|^[\"“']|[\"”']$")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|\n+")

# Interviewer openers that carry no meaning of their own. Stripping them lets a short
# question be compared on what it asks about, not on "Tell me about a time when".
_BOILERPLATE = re.compile(
    r"^\s*(?:"
    r"(?:can|could|would) you (?:please )?(?:tell|give|share|describe|walk)\w*(?: me| us)?"
    r"(?: (?:about|through|with))?|"
    r"(?:please )?(?:tell|walk) (?:me|us)(?: about| through)?|"
    r"(?:please )?(?:give|share with|share)(?: me| us)?(?: an?)?(?: example| instance| story)?"
    r"(?: of| about| where| when)?|"
    r"(?:please )?describe|"
    r"(?:what|which) (?:is|was|would be) (?:a|an|the)? ?(?:time|example|situation|occasion)"
    r"(?: when| where| that| in which)?|"
    r"have you ever|"
    r"talk (?:to me |to us )?about|"
    r"(?=(?:a|an|one) (?:time|situation|occasion|example|instance)\b)"
    r")\s*"
    r"(?:(?:a|an|the|one) )?"
    r"(?:(?:specific|particular|recent) )?"
    r"(?:(?:time|example|situation|occasion|instance|experience|story)s? )?"
    r"(?:(?:when|where|that|in which|of when|of a time when|of a time) )?",
    re.IGNORECASE,
)


def strip_boilerplate(text: str) -> str:
    """``text`` without a leading interviewer opener; unchanged if under two words would remain.

    "Tell me about yourself" stays whole: "Yourself." alone is closer to small talk
    ("hello") than to the prepared introduction it asks for.
    """
    stripped = _BOILERPLATE.sub("", text, count=1).strip()
    return stripped[:1].upper() + stripped[1:] if len(stripped.split()) >= 2 else text.strip()


@dataclass(frozen=True)
class View:
    """One embedded text of a story: its prepared question or a passage of its answer."""

    story_id: str
    kind: str  # "question", "passage" or "gist"
    label: str  # the section a passage comes from ("" for the question)
    text: str  # what is embedded
    passage: str  # what is shown to the user as the matching part


def chunks(text: str, limit: int = CHUNK_WORDS) -> list[str]:
    """``text`` cut at sentence ends into pieces of at most ``limit`` words.

    A single sentence longer than the limit is cut at word boundaries.
    """
    pieces: list[str] = []
    current: list[str] = []
    for sentence in _sentences(text):
        words = sentence.split()
        while len(words) > limit:
            if current:
                pieces.append(" ".join(current))
                current = []
            pieces.append(" ".join(words[:limit]))
            words = words[limit:]
        if current and len(current) + len(words) > limit:
            pieces.append(" ".join(current))
            current = []
        current += words
    if current:
        pieces.append(" ".join(current))
    return pieces


def story_views(story: Story) -> list[View]:
    """The question, gist and passage views of ``story``."""
    heading = strip_boilerplate(story.title)
    views = [View(story.id, "question", "", heading, story.title)]
    answer = [s for s in story.sections if s.label != QUESTIONS]
    for section in story.sections:
        if section.label == QUESTIONS:
            for line in filter(None, (_LIST_MARK.sub("", x).strip() for x in section.text.splitlines())):
                views.append(View(story.id, "question", QUESTIONS, strip_boilerplate(line), line))
    openings = [" ".join(_sentences(s.text)[:2]) for s in answer]
    gist = chunks(" ".join(openings))[0] if openings else ""
    views.append(View(story.id, "gist", "", f"{heading}\n{gist}", gist))
    for section in answer:
        for piece in chunks(section.text):
            views.append(View(story.id, "passage", section.label, f"{heading}\n{piece}", piece))
    return views


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
