"""STAR section labels as people write them, and their canonical names.

A label starts a section of a story: a word or short phrase of the vocabulary below at
the start of a line, followed by any separator people type (``Situation:``, ``S -``,
``context -- …``, ``Situation => …``, ``S | …``, ``Result ~ …``), in bold
(``**Situation:**``, ``**S**:``, ``**Context**`` alone on its line) or in brackets
(``[S] …``, ``(Task) …``); a heading used as a label (``### Situation:``); or inline
markers inside one paragraph (``(S) … (T) … (A) … (R) …``). Only words of the
vocabulary count here, so a bold sub-label such as ``**Phase 2:**`` stays text inside its
section, whatever the separator; words of the document's own that repeat as a set
("Setup / Moves / Landing") are found by :mod:`matcher.ingest.own_labels`.

Every pattern here is linear in the line's length: no two adjacent unbounded
quantifiers can match the same characters, so a line of spaces cannot make them
backtrack.
"""

from __future__ import annotations

import re

from matcher.principles import normalise

# Synonym -> canonical label. Keys are in `normalise` form (lowercase, no punctuation).
_VOCABULARY = {
    "Situation": (
        "s", "situation", "context", "background", "problem", "setting", "scenario", "situation and task", "s t",
        "the situation", "the problem", "what was going on", "what happened",
        "describe the situation", "what was the situation",
        # Spanish, Portuguese, French and German, for notes written in them or mixed in.
        "situación", "situacion", "contexto", "situação", "situacao", "contexte", "ausgangslage",
    ),
    "Task": (
        "t", "task", "tasks", "goal", "goals", "objective", "objectives", "mission",
        "my task", "my role", "my goal", "what i had to do", "what i needed to do",
        "my job", "my part", "my responsibility", "obstacle", "obstacles", "what was your task",
        "what was your task or responsibility", "what was your role",
        "tarea", "tarefa", "tâche", "tache", "aufgabe",
    ),
    "Action": (
        "a", "t a", "action", "actions", "approach", "solution", "what i did", "steps", "steps taken",
        "my actions", "how i did it", "actions taken", "what we did", "my approach",
        "what action did you take", "what actions did you take", "what did you do",
        "acción", "accion", "acciones", "ação", "acao", "ações", "handlung", "massnahmen",
    ),
    "Result": (
        "r", "result", "results", "outcome", "outcomes", "impact",
        "the result", "the outcome", "how it ended", "how it turned out", "what was the result",
        "what was the outcome",
        "resultado", "resultados", "résultat", "resultat", "ergebnis",
    ),
    "Learning": (
        "l", "learn", "learning", "learnings", "lesson", "lessons", "lessons learned", "lesson learned",
        "lessons learnt", "reflection", "reflections", "takeaway", "takeaways", "what i learned",
        "learned", "learnt", "what i learnt", "what id do differently", "what i would do differently",
        "do differently", "what did you learn",
        "aprendizaje", "aprendizajes", "lección", "leccion", "aprendizado", "leçon", "lecon",
    ),
    "Follow-up": ("follow up", "followup", "follow ups", "followups"),
    # The questions a story answers, listed with it: matched as questions, not as answer text.
    "Questions": (
        "sample questions", "example questions", "related questions", "similar questions",
        "possible questions", "likely questions", "questions this answers", "questions it answers",
        "use it for", "use this for", "works for",
    ),
    # Follow-up questions the seed documents answer after the Result.
    "Challenge": ("challenge", "challenges"),
    "Conflict": ("conflict",),
    "Ambiguity": ("ambiguity",),
    "Answer": ("answer",),
}
CANONICAL = {alias: name for name, aliases in _VOCABULARY.items() for alias in aliases}
# Single letters are labels only with explicit punctuation ("S:", "**S**", "(S)"),
# never as a bare word: "A time you…" is not an Action.
_LETTERS = {"s", "t", "a", "r", "l"}

# "(模糊不清)" and other glosses after a label are dropped before looking it up.
_GLOSS = re.compile(r"[(（][^()（）]{0,40}[)）]")
# What people type between a label and its text: a colon, or a short run of dashes,
# arrows, bars or tildes set off by a space ("--", "=>", "->", "|", "~"), so "Follow-up"
# and "e-mail" are never split.
DASHES = r"[-–—=~|>→»]{1,3}"
SEPARATOR = r"(?:[:：]|" + DASHES + r"(?=[ \t]|$))"
# **Label:** rest | **Label**: rest | **Label** rest | __Label:__ rest
_BOLD = re.compile(r"(\*\*|__)([^*_\n]{1,40}?)(\*\*|__)[ \t]*((?:[:：]|" + DASHES + r")?)(.*)")
# Label: rest | Label - rest | label -- rest | Label => rest | S | rest | T/A: rest  (at most five words)
_PLAIN = re.compile(r"([^\W\d_][\w'’()（）/]*(?:[ \t][\w'’()（）/]+){0,4})[ \t]*" + SEPARATOR + r"(.*)")
# [S] rest | (Task) rest | 【Result】 rest: the brackets are the separator.
_BRACKETED = re.compile(r"[(\[【{]([^()\[\]【】{}\n]{1,30})[)\]】}][ \t]*(?:" + SEPARATOR + r")?(.*)")
_INLINE = re.compile(r"\(([STARL])\)")
# *Context* – …: a label in italics, read as a bold one is.
_ITALIC = re.compile(r"([*_])([^*_\n]{2,40}?)([*_])[ \t]*((?:[:：]|" + DASHES + r")?)(.*)")
_STAR_PARTS = {"Situation", "Task", "Action", "Result", "Learning"}
# "… signed off. Approach: I set up…": a label word opening a sentence inside a paragraph.
_SENTENCE_LABEL = re.compile(r"(?<=[.!?])[ \t]+([A-Z][a-z]+(?:[ \t][a-z]+){0,3})[ \t]*[:：][ \t]+")
# S) rest: a capital STAR letter closed like a list marker. Capital only, so a lettered
# list ("a) first, b) second") stays text.
_LETTER_PAREN = re.compile(r"([STARL])\)[ \t]+(\S.*)")


def canonical_label(raw: str) -> str | None:
    """The canonical name of a label ("Context" -> "Situation"), or None if it is no label.

    "Situation/Problem", "Result/Impact": two names for one part, the first one known counts.
    """
    bare = _GLOSS.sub(" ", raw)
    parts = [normalise(part) for part in bare.split("/")]
    if len(parts) > 1 and all(len(p) > 1 and len(p.split()) <= 3 for p in parts):  # not "A/B test…"
        return next((CANONICAL[p] for p in parts if p in CANONICAL), None)
    return CANONICAL.get(normalise(bare))


def match_label(content: str) -> tuple[str, str] | None:
    """``(canonical label, text after it)`` when ``content`` starts with a STAR label."""
    bold = _BOLD.match(content) or _ITALIC.match(content)
    if bold:
        inner = bold.group(2).strip()
        colon_inside = inner.endswith((":", "："))
        name = canonical_label(inner.rstrip(":： "))
        if name is None:
            return None
        rest = bold.group(5).strip()
        if normalise(inner) in _LETTERS and content[bold.end(3) : bold.end(3) + 1].isalpha():
            return None  # "**S**ituation": a word with its initial in bold, not a label
        bare_letter = not (colon_inside or bold.group(4) or not rest)
        if normalise(inner) == "a" and bare_letter and not rest[0].isupper():
            return None  # "**A** quick fix…": the article, where "**A** I stopped…" is the Action
        return name, rest
    letter = _LETTER_PAREN.match(content)
    if letter:
        return CANONICAL[letter.group(1).lower()], letter.group(2).strip()
    plain = _PLAIN.match(content)
    if plain:
        name = canonical_label(plain.group(1))
        if name:
            return name, plain.group(2).strip()
    bracketed = _BRACKETED.match(content)
    if bracketed and split_inline(content) is None:  # "(S) … (T) …" is one inline paragraph
        name = CANONICAL.get(normalise(bracketed.group(1)))
        if name:
            return name, bracketed.group(2).strip()
    return None


def label_alone(line: str) -> str | None:
    """The canonical label a whole line names ("Situation", "What I did:"), or None.

    A label on a line of its own heads the paragraph below it, as in notes exported
    from Word. A single letter alone ("A") is no label.
    """
    bare = line.replace("**", "").replace("__", "").strip().rstrip(":：").strip()
    if normalise(bare) in _LETTERS or bare.rstrip("*_ ").endswith("?"):
        return None  # "A", or "What did you learn?" asked alone: a worksheet prompt needs its answer beside it
    return canonical_label(bare)


def split_inline(text: str) -> list[tuple[str, str]] | None:
    """``(S) … (T) … (A) … (R) …`` inside one paragraph, as (label, text) pairs.

    Two markers at least, so a stray "(A)" in a sentence is left alone; text before
    the first marker is returned under "Answer".
    """
    markers = list(_INLINE.finditer(text))
    if len({m.group(1) for m in markers}) < 2:
        return None
    bodies = [text[m.end() : n.start() if n else len(text)].strip() for m, n in zip(markers, [*markers[1:], None])]
    if sum(1 for body in bodies if len(body.split()) >= 3) < 2:
        return None  # "(S)(T)(A)(R) markers" mentioned in a sentence
    parts: list[tuple[str, str]] = []
    if text[: markers[0].start()].strip():
        parts.append(("Answer", text[: markers[0].start()].strip()))
    for m, body in zip(markers, bodies):
        parts.append((CANONICAL[m.group(1).lower()], body))
    return parts


def split_sentences(label: str, text: str) -> list[tuple[str, str]]:
    """``Problem: … Approach: … Outcome: …`` written as one paragraph, as (label, text)
    pairs: a label word of the vocabulary that opens a sentence starts the next part.
    ``label`` is the paragraph's own first label. Only the STAR parts and Learning count:
    "… what they would allow. Answer: a proxy" is a sentence, not an answer section."""
    parts: list[tuple[str, str]] = []
    start = 0
    for found in _SENTENCE_LABEL.finditer(text):
        name = canonical_label(found.group(1))
        if name not in _STAR_PARTS or name == label:
            continue
        parts.append((label, text[start : found.start()].strip()))
        label, start = name, found.end()
    return [*parts, (label, text[start:].strip())]
