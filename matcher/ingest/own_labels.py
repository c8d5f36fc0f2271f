"""A document's own section labels: words the vocabulary does not know, trusted because they repeat.

People name the parts of their stories in their own words ("Setup / My piece / Moves /
Landing", "Contexto / Tarea / Acción / Resultado", "📍 Where / 🎯 Goal / 🛠 Did / 📈 Got").
No word list holds them all, so they are recognised by how they are used. A candidate is
a short phrase (four words at most, no digit) at the start of a line, then a colon, a
dash set off by spaces, or bold. Candidates become labels when

- the same three to five of them start the parts of at least two stories, in the same
  order (each story starts with the first of them); or
- in a document of one story, three to five different ones label its body, starting
  right after its title.

They are mapped to STAR by position (three: Situation, Action, Result; four: Situation,
Task, Action, Result; five: those and Learning); a label of the vocabulary among them
("Mission", "What I did") keeps its meaning and fixes the positions of the others.

What only looks like such labels is left as text:

- "Step 1:", "Phase 2:", "Q3:": a digit marks a sub-step, not a part;
- lines shaped unlike the set's first label (a bullet or an indent under an Action);
- "Q:"/"A:" pairs and other sets of fewer than three labels;
- key: value metadata ("Role: SRE", "Date: 2023"): a label whose text is a word or two
  is no story part and is left out of the set;
- "Monday:" lines after a paragraph: a set's first label follows a heading or a title;
- parts not told in the first person, such as the pros and cons of options;
- stories that already carry vocabulary labels other than the set's, or whose set already
  holds Situation, Action and Result: the document has its labels, and a repeated
  "Monday:" is part of an Action.

Every pattern is linear in the line's length: no two adjacent quantifiers can match the
same characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import combinations

from matcher.ingest.labels import DASHES, SEPARATOR
from matcher.principles import normalise

_STAR = ("Situation", "Task", "Action", "Result", "Learning")
_BY_SIZE = {3: ("Situation", "Action", "Result"), 4: _STAR[:4], 5: _STAR}
# A word of letters, maybe with an inner apostrophe or hyphen ("What's", "Set-up").
_WORD = r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_])){0,30}"
_PHRASE = _WORD + r"(?:[ \t]" + _WORD + r"){0,3}"
# Setup: rest | Before - rest | So what — rest
_PLAIN = re.compile(r"(" + _PHRASE + r")[ \t]*" + SEPARATOR + r"[ \t]*(.*)")
# **Setup:** rest | **Setup**: rest | **Setup** rest | __Setup__ - rest
_BOLD = re.compile(
    r"(\*\*|__)(" + _PHRASE + r")[ \t]*[:：]?\1[ \t]*(?:[:：]|" + DASHES + r"(?=[ \t]|$))?[ \t]*(.*)"
)
_TRIES = 8  # label sets tried per document
_SHORT_TEXT = 4  # words on average: "Role: Senior SRE" is a value, not a part of a story
_STORY_TEXT = 6  # words on average over a set's parts


@dataclass(frozen=True)
class Candidate:
    """A line that may start a section, as the outline reader saw it.

    ``key`` is the label's words in ``normalise`` form, or the canonical name of a
    vocabulary label (``known``). ``shape`` is (quoted, bulleted, indented). ``words``
    counts the text the label heads, up to the next candidate or story opener;
    ``personal`` tells whether that text has a first-person word ("I", "my", "we"…);
    ``opens`` whether the line comes right after a heading, a title line or the start.
    """

    index: int
    key: str
    known: bool
    shape: tuple[bool, bool, bool]
    words: int
    personal: bool
    opens: bool


def match(content: str) -> tuple[str, str] | None:
    """``(label as written, text after it)`` when ``content`` starts like a label of any word."""
    found = _BOLD.match(content)
    label, rest = (found.group(2), found.group(3)) if found else (None, "")
    if found is None and (found := _PLAIN.match(content)):
        label, rest = found.group(1), found.group(2)
    if label is None or len(normalise(label)) < 2:  # "A:", "B:": options, not parts
        return None
    return label.strip(), rest.strip()


def assign(candidates: list[Candidate], single_story: bool) -> dict[int, str]:
    """The canonical name of each candidate line that is one of the document's own labels.

    ``single_story``: the candidates are the whole body of the document's only story, so
    they need not repeat.
    """
    names: dict[int, str] = {}
    claimed: set[str] = set()
    counts: dict[str, int] = {}
    for c in candidates:
        counts[c.key] = counts.get(c.key, 0) + 1
    # A document has a label set or two; trying a bounded number keeps this linear.
    firsts = list(dict.fromkeys(c.key for c in candidates if counts[c.key] >= 2))[:_TRIES]
    for first in firsts:
        if first not in claimed:
            found = _repeated_set(candidates, first)
            if found:
                claimed.update(c.key for c in found)
                names.update(_names(found) or {})
    if not names and single_story and max(counts.values(), default=0) == 1 and (
        len({c.shape for c in candidates}) == 1
    ):
        names = _names(candidates) or {}
    return names


def _repeated_set(candidates: list[Candidate], first: str) -> list[Candidate] | None:
    """The candidates of the label set whose stories each start with ``first``, if it is one."""
    starts = [i for i, c in enumerate(candidates) if c.key == first]
    shape = candidates[starts[0]].shape
    if (opening := sum(candidates[i].opens for i in starts)) < 2 or 2 * opening < len(starts):
        return None  # "Monday:" lines after a paragraph: the stories start elsewhere
    segments = [candidates[a:b] for a, b in zip(starts, [*starts[1:], len(candidates)])]
    seen: dict[str, int] = {}
    for segment in segments:
        for key in dict.fromkeys(c.key for c in segment if c.known or c.shape == shape):
            seen[key] = seen.get(key, 0) + 1
    keys = [key for key, n in seen.items() if n >= 2 and 2 * n >= len(segments)]
    if not 3 <= len(keys) <= 6:  # a set of five and one key: value line at most
        return None
    members: list[Candidate] = []
    complete = 0
    for segment in segments:
        if any(c.known and c.key not in keys for c in segment):
            return None  # the story already has labels of the vocabulary
        own: list[Candidate] = []
        for c in segment:
            if c.key in keys and (c.known or c.shape == shape):
                own.append(c)
            elif own:  # a sub-label ("Monday: …") is part of the text of the label above
                above = own[-1]
                own[-1] = replace(above, words=above.words + c.words, personal=above.personal or c.personal)
        order = [keys.index(c.key) for c in own]
        if order != sorted(set(order)):
            return None  # a label twice, or out of order: not a template
        complete += len(own) == len(keys)
        members += own
    return members if complete >= 2 else None


def _names(members: list[Candidate]) -> dict[int, str] | None:
    """STAR names by position for the members of one label set, or None if they are none.

    A label whose text is a word or two ("Date: 2023", "Role: SRE") is a key: value line
    before or after the story's parts: it stays text and the others are numbered without it.
    """
    lengths: dict[str, list[int]] = {}
    for c in members:
        lengths.setdefault(c.key, []).append(c.words)
    if len(lengths) > 6:
        return None
    short = {key for key, n in lengths.items() if sum(n) < _SHORT_TEXT * len(n)}
    members = [c for c in members if c.known or c.key not in short]
    keys = list(dict.fromkeys(c.key for c in members))
    known_keys = {c.key for c in members if c.known}
    known = [key if key in known_keys else None for key in keys]
    if not 3 <= len(keys) <= 5 or {"Situation", "Action", "Result"} <= known_keys:
        return None
    if sum(c.words for c in members) < _STORY_TEXT * len(members):
        return None  # short values
    if 3 * sum(c.personal for c in members) < len(members):
        return None  # not told in the first person: the pros and cons of options
    fits = [
        combo for combo in combinations(_STAR, len(keys))
        if all(name is None or name == part for name, part in zip(known, combo))
    ]
    if not fits:
        return None
    usual = _BY_SIZE[len(keys)]
    best = max(fits, key=lambda combo: sum(a == b for a, b in zip(combo, usual)))
    by_key = dict(zip(keys, best))
    return {c.index: by_key[c.key] for c in members if not c.known}
