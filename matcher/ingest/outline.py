"""The outline reader: numbered Markdown-like lines -> stories, planned questions, sections.

One reader serves every text layout (Markdown, MDX, plain text, Word), because people mix
them freely. Each line is classified first (:func:`classify`), then a small state machine
opens and closes stories. Rules, each learnt from real prep documents:

- **Story openers.** A heading; a ``<summary>``; a numbered question (``1. Tell me…``,
  ``2)``, ``1<TAB>``, ``Q1:``) or a bold question line; after a ``---`` separator, a short
  title line followed by STAR labels; a "Story 2:" / "Example 2" marker (a second story
  under the same heading, titled ``heading — marker``); a second ``Situation`` label in a
  story that has gone past its first (a story's opening ``Challenge``, as in Challenge-Action-
  Result notes, is its ``Situation``); a STAR label where no story is open, such as bullet
  groups written straight under a principle heading; and, outside other stories, a
  paragraph of prose led by a short bold title (``**Shipping early.** I…``); in plain
  text, a short line after a blank line with the story's lines straight beneath it; and
  a bullet whose sub-bullets tell the story (top-level, or under a grouping bullet
  such as an outliner's "- Stories"), where a document has two or more (a
  brag document's ``- **Win:** …``). A story with no title of its own is named by the
  start of its first sentence.
- **The document's own labels.** Words the vocabulary does not know ("Setup:", "My
  piece:", "**Contexto:**") are labels when the same short set of them starts the parts
  of two stories or more, or labels the whole body of a document's only story
  (:mod:`matcher.ingest.own_labels`). A "Q3:" inside a labelled answer is text, not a
  question.
- **Principle sections.** A heading (or, in plain text, a line, maybe numbered as in
  ``2 Frugality``) that names a principle opens a section: its own prose is the
  principle's definition, every story inside it carries the principle. A shallower
  heading closes it; so does a heading at its own
  level unless the section already had deeper headings (the seeds nest a ``###`` story in
  a ``###`` principle section whose stories are ``####``).
- **Principle tags** come from tag lines (``LP:``, ``Principles:``, ``Tags:``, ``This
  aligns with "…"``, a line of principle names, maybe after an emoji), from a trailing
  ``(Ownership, Bias for Action)`` or ``— Ownership`` on a title (stripped from it), from
  the front matter, and from enclosing sections and headings.
- **Not stories.** Text before the first story, tables of contents (of links, or a
  "Contents" line over short lines in plain text) and other link-only lines, sections
  titled like advice (Tips, How to…, the STAR method, Definition, Contents, Resources…),
  link-only headings, group words alone on a line ("Failures") before questions, and a
  heading or bold title whose unlabelled prose has no first-person word: a story is told
  in the first person, notes about interviews are not.
- A story without any text is a *planned question*, unless deeper openers follow it
  (then it was a container such as "## 2. Questions").
- **To-do lists.** An open item (``- [ ] …``, Logseq's ``TODO``) that asks a question or
  names a principle is a question to prepare, its short notes beneath left out; a ticked
  item is done with; a lone box between two paragraphs of an answer stays part of it.

Every pattern is linear in the line's length: an adversarial line (a heading followed
by thousands of spaces) must not make a regular expression backtrack.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from matcher.ingest import labels, own_labels, tables
from matcher.ingest.document import DocumentBuilder, clean_title, is_placeholder, unquote
from matcher.ingest.html import SUMMARY_LEVEL
from matcher.ingest.lines import Line
from matcher.principles import normalise
from matcher.stories import PrincipleSection, Section, Source

_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(\S.*)")
# List and quote markers: "- > text", "> > text", "-This relates…", "•\ttext", and the
# toggles of a Notion export ("▸ A title") and a Google Doc's bullets saved as text
# ("● ", "○ ", "■ "); "1. " is not one.
_MARKER = re.compile(r"(?:>|[-*+•▪◦▸▹►‣⁃●○■](?=[\s>]|[^\W\d_*]))[ \t]*")
# "- [ ] Tell me about…": a task list's box is no part of the item.
_CHECKBOX = re.compile(r"\[[ xX]?\][ \t]+")
# "*also good for Ownership*": a line in italics, whose first asterisk is no list marker.
_EMPHASIS = re.compile(r"([*_])(?![\s*_])([^*_\n]*[^\s*_])\1")
_RULE = re.compile(r"(?:[-*_=~][ \t]?){3,}")
_UNDERLINE = re.compile(r"=+|-+|~+")
_UNDERLINE_LEVEL = {"=": 1, "-": 2, "~": 3}
# ":Situation: Every year…": a reStructuredText field, read as "Situation: Every year…".
_FIELD = re.compile(r":([^\W\d_][\w '’&-]{0,38}):[ \t]+(?=\S)")
# Emoji, arrows or other symbols set off by a space; not a code span's backtick or a quote.
_LEADING_MARK = re.compile(r"[^\w\s`'\"“‘*_(\[{<]{1,4}[ \t]+")
_NUMBERED = re.compile(r"(\d{1,3})(?:[.)][ \t]+|\t[ \t]*)(\S.*)")
# "Q1: …", "Example question: …", and "Q1 (Ownership): …" whose bracket names the
# principle the question tests.
_Q_PREFIX = re.compile(
    r"(?:(?:example|sample|interview|likely|typical)[ \t]+)?Q(?:uestion)?[ \t]?#?\d{0,3}[ \t]?"
    r"(?:\(([^()\n]{1,60})\)[ \t]?)?[:.)\-–—][ \t]*(\S.*)",
    re.IGNORECASE,
)
_TAB_ANSWER = re.compile(r"a\t[ \t]*(.*)")
# "Story 2", "Example 1: Billing", and "STORY: The flaky checkout tests" (a name, no number).
_STORY_MARKER = re.compile(
    r"(?:story|example|scenario|historia|ejemplo)"
    r"(?:[ \t]?#?(?:\d{1,2}|[A-Za-z](?!\w))(?:[ \t]?[:.)\-–—·][ \t]*(.*)|[ \t]*)"
    r"|[ \t]?[:\-–—][ \t]*(\S.*))",
    re.IGNORECASE,
)
_LINK = re.compile(r"\[[^\]\n]{0,300}\]\([^)\s]{0,500}\)")
_TAG_PREFIX = re.compile(
    r"(?:对应|相关)?[ \t]?(?:amazon[ \t])?(?:leadership[ \t])?"
    r"(?:lps?|principles?|tags?|lp\(s\)|principle\(s\))[ \t]*(?:[:：]|"
    + labels.DASHES + r")[ \t]*(.*)",
    re.IGNORECASE,
)
# "#CustomerObsession #dive-deep": a line of hashtags, one per principle.
_HASHTAGS = re.compile(r"#[^\W\d_][\w-]*(?:[ \t,;]+#[^\W\d_][\w-]*)*[ \t]*")
_TITLE_HASHTAG = re.compile(r"(?<!\S)#[^\W\d_][\w-]*")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_TAG_SENTENCE = re.compile(r"This\b.{0,80}?\b(?:relat|align|demonstrat)", re.IGNORECASE)
# Lines an AI assistant left in when drafting the answer; they carry no content.
_BOILERPLATE = re.compile(
    r"(?:certainly|sure|of course|absolutely)\b.{0,80}?\b(?:STAR|response|answer)\b", re.IGNORECASE
)
_OPENERS = (
    "recall a", "provide an example", "provide a specific", "think of a time", "think about a time",
    "tell me", "tell us", "describe", "give me", "give an example", "give us", "walk me",
    "walk us", "share a", "share an", "talk about", "talk me", "have you", "can you",
    "could you", "a time", "time when", "time you", "an example", "example of",
)
# A bulleted line that starts like this is a question the candidate listed.
_OPENERS_CASED = (
    "Tell me", "Describe a", "Give me", "Give an example", "Walk me", "A time", "Have you ever",
    "Cuéntame", "Cuentame", "Háblame", "Describe una",
)
_WEAK_OPENERS = ("what", "how", "why", "when", "where", "which", "who", "did you", "do you")
_NOT_STORIES = re.compile(
    r"(?:table of contents|contents|toc|index|overview|reminders?|(?:(?:a few|some|my|last|final|quick|more) )*tips?(?: .*)?"
    r"|advice|general advice|how to\b.*|star|star (?:method|format|framework|technique|template)\b.*"
    r"|(?:the|using the|what is the|what is) star\b.*|definitions?|principle definition"
    r"|resources?|references?|links?|further reading|conclusion|cheat ?sheet|template"
    r"|story template|questions to ask\b.*|faq|notes?(?: (?:to|for) \w+)?)",
    re.IGNORECASE,
)
_CONTENTS = {"contents", "table of contents", "toc"}
# Prose about the document itself ("I wrote these notes…") introduces it; it is no answer.
_ABOUT_THE_NOTES = re.compile(
    r"\b(?:this|these|my)[ \t]"
    r"(?:doc|document|guide|notes|page|file|list|cheat ?sheet|prep|story bank|repo|repository)\b",
    re.IGNORECASE,
)
# Titles of the notes themselves, or of a part of them about method ("Day 1: STAR Method").
_NOTES_TITLE = re.compile(
    r"\b(?:question bank|worksheet|cheat ?sheet|study plan|interview prep|loop prep"
    r"|star (?:method|format|technique|framework))\b",
    re.IGNORECASE,
)
# The answers prepared besides stories: "Introduce yourself", "Why Amazon?", "Why leave…".
_PREPARED_TITLE = re.compile(
    r"(?:introduce yourself|tell me about yourself|about me|self[- ]introduction|why amazon"
    r"|why (?:this|the) (?:company|role|job|position|team)|why (?:are you )?leav)",
    re.IGNORECASE,
)
_LEGEND_SPLIT = re.compile(r"[·|;•]")
_LEGEND_PAIR = re.compile(r"(?:legend:[ \t]*)?([A-Za-z&]{1,6})[ \t]*[=:][ \t]*(.{3,60}?)[.,]?", re.IGNORECASE)
_GROUP_TITLE = re.compile(r"(?:my |the |all |star )?(?:stories|examples|answers|story bank)")
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|you're|you’re)\b", re.IGNORECASE)
# English, and the German, Spanish, French and Portuguese people also write their notes in.
_FIRST_PERSON = re.compile(
    r"\b(?:I|I'm|I’m|I've|I’ve|I'd|I’d|me|my|mine|we|we're|our|us"
    r"|ich|mein|meine|meinen|mir|mich|wir|unser|unsere|yo|mi|mis|nosotros|nuestro|nuestra"
    r"|je|j'ai|mon|ma|mes|nous|notre|eu|meu|minha|nós|nosso)\b(?![-‐])",  # not "Mis-sort rate"
    re.IGNORECASE,
)
_PRINCIPLE_PREFIX = re.compile(
    r"(?:amazon[ \t])?(?:leadership[ \t])?(?:principle|lp)s?[ \t]?#?\d{0,2}[ \t]?[:.\-–—]?[ \t]*",
    re.IGNORECASE,
)
# A note where the answer would be, in brackets or italics, a TODO, or a pointer to another
# story ("Use the conveyor-jam story (see Q3 below)"): the question is still to prepare.
_NOTE_TO_SELF = re.compile(
    r"[(\[][^()\[\]]{0,300}[)\]]|_[^_\n]{1,300}_|\*[^*\n]{1,300}\*|(?:todo|tbd)\b.{0,300}"
    r"|[*_]{0,2}(?:use|lead with|see|reuse|same as)\b[^.\n]{0,80}\bstor(?:y|ies)\b.{0,300}"
    r"|[*_]{0,2}(?:lead with|backup)[\W_]{0,8}(?:none|nothing|n/?a|tbd)\b.{0,300}"
    r"|(?:thinking|ideas?|options?|candidates?|note)[ \t]*:.{0,300}"
    r"|(?:i[ \t]+)?need[ \t]+(?:(?:a|an|another)[ \t]+(?:\w+[ \t]+)?(?:story|example)|one)\b.{0,300}",
    re.IGNORECASE | re.DOTALL,
)
# Not "TBD": "Result: TBD, but early numbers show…" is a result still coming in.
_STILL_TO_WRITE = re.compile(r"(?:to[ -]?do|fill in)\b", re.IGNORECASE)
_TASK_NOTES = 40  # words of unlabelled notes under an open to-do item that are not yet an answer
# A short answer saying it is still to write ("→ TODO: write this up after…").
_TODO = re.compile(r"\b(?:to[ -]?do|tbd|fill in)\b", re.IGNORECASE)
# "**Shipping the fix early.** Our vendor…": a paragraph whose bold start is its title.
_BOLD_LEAD = re.compile(r"\*\*([^*\n]{3,120}?)\*\*[ \t]*(\S.*)")
_SECTION_NUMBER = re.compile(r"\A\d{1,3}(?:\.\d{1,3})*[.)]?[ \t]+")
_TITLE_SPLIT = re.compile(r"(?<![ \t])[ \t]+(?:[-–—|]|--)[ \t]+")  # a run of spaces from its start: linear
_ASIDE = re.compile(r"[(（][^()（）]{0,200}[)）]")
_TRAILING_GROUP = re.compile(r"[(\[（]([^()\[\]（）]{1,200})[)\]）]$")
_OTHER_GROUP = re.compile(r"(?:other|others|misc|miscellaneous|general|extras?|bonus)(?: questions| stories)?")
_LETTER_A = re.compile(r"[>*_ \t-]*A\b")
_LATIN_WORD = re.compile(r"[A-Za-z]{2}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
# "Story: Rolling back the payments release" in a <summary>: the title is what follows.
_SUMMARY_PREFIX = re.compile(
    r"(?:story|example|scenario)[ \t]?#?(?:\d{1,2}|[A-Z](?![A-Za-z]))?[ \t]?[:\-–—·|][ \t]*", re.IGNORECASE
)

_OPENER_KINDS = ("heading", "question", "marker", "rule")
_MERGED = {"Task", "Action", "Result", "Learning"}  # a second Situation starts a story instead
_HEADING_LABELS = {"Situation", "Task", "Action", "Result", "Learning", "Answer"}
QUESTION_LEVEL = 7  # deeper than any heading
MARKER_LEVEL = 8  # a story inside a heading's story


@dataclass
class _Story:
    """A story being read: where it opened, its title, tags and sections so far."""

    title: str | None  # None: named after its first sentence when it closes
    line: int
    level: int
    origin: str  # heading, question, title line, marker, label
    tags: list[str]
    parent_title: str | None = None
    # Tag lines after its text ("*LPs: Ownership*" under the Result): they are its own, not
    # those of a story opened beneath it by a second Situation.
    trailing_tags: list[str] = field(default_factory=list)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    body_lines: int = 0  # non-blank lines under it, read or skipped
    children: int = 0  # stories opened beneath it
    qa: bool = False  # opened by "Q:", so an "A:" after it is the answer, not the Action
    lead_in: bool = False  # a heading ending in a colon ("## Strong:"): a title line may follow
    part_level: int = 0  # the heading level of its parts, when they are headings ("### Task:")
    quoted: bool = False  # its parts are in a block quote ("> **Situation:** …")
    listed: bool = False  # opened by a top-level bulleted question ("* Tell me about…")
    answered: bool = False  # its answer is marked as one ("A:"), however short

    def has_text(self) -> bool:
        return any(any(part.strip() for part in body) for _, body in self.sections)


@dataclass
class _PrincipleCtx:
    principle: str
    level: int
    line: int
    stories: int = 0
    deeper_headings: bool = False


@dataclass(frozen=True)
class _Kind:
    """A classified line: ``kind`` with its payload."""

    kind: str  # blank heading rule toc tags label inline question marker answer text
    text: str = ""
    level: int = 0
    label: str = ""
    parts: tuple[tuple[str, str], ...] = ()
    raw: str = ""
    quoted: bool = False
    indented: bool = False
    bulleted: bool = False
    task: str = ""  # a task list's item: "open" ("- [ ] …") or "done" ("- [x] …")


def classify(text: str, doc: DocumentBuilder) -> _Kind:
    """What one line is, without context (the reader decides what it means)."""
    if not text.strip():
        return _Kind("blank")
    if heading := _HEADING.match(text):
        return _Kind("heading", heading.group(2).strip().rstrip("#").strip(), len(heading.group(1)))
    stripped = text.strip()
    expanded = text.expandtabs(4)
    indented = len(expanded) - len(expanded.lstrip()) >= 2
    content, quoted, bulleted = stripped, False, False
    # "*also good for Ownership*" and "*Context* – …" open with emphasis, not a list marker.
    while (
        not _EMPHASIS.fullmatch(content) and not _italic_label(content) and (m := _MARKER.match(content)) and m.end()
    ):
        quoted = quoted or content.startswith(">")
        bulleted = bulleted or not content.startswith(">")
        content = content[m.end():]
    content = content.strip()
    task = ""
    if bulleted and (box := _CHECKBOX.match(content)):
        content = content[box.end():]
        task = "done" if "x" in box.group(0).casefold() else "open"
    if field := _FIELD.match(content):
        content = f"{field.group(1)}: {content[field.end():]}"
    if emphasis := _EMPHASIS.fullmatch(content):
        content = emphasis.group(2)
    common = {"raw": stripped, "quoted": quoted, "indented": indented, "bulleted": bulleted, "task": task}
    if not content:
        return _Kind("blank")
    # The whole line too: list markers strip "* * *", a rule, down to "*".
    if _RULE.fullmatch(content) or _RULE.fullmatch(stripped):
        return _Kind("rule", **common)
    # Links only: a table of contents, or a row of badge images ("![Python](…)").
    if _LINK.search(content) and not _LINK.sub("", content).strip(" |·•,;-–—*_!"):
        return _Kind("toc", content, **common)
    if content.startswith(tables.GRID_PREFIX):
        return _Kind("grid", content[len(tables.GRID_PREFIX):], **common)
    if _BOILERPLATE.match(content):
        return _Kind("boilerplate", content, **common)
    if tab := _TAB_ANSWER.match(stripped):
        return _Kind("label", label="Answer", parts=(("Answer", tab.group(1).strip()),), **common)
    unbold = content.replace("**", "").replace("__", "").strip()
    if tag := _TAG_PREFIX.match(unbold):
        # "**Leadership Principles:**" with the names on the next line: a lead-in, no title.
        return _Kind("tags", tag.group(1), **common)
    if not quoted and _TAG_SENTENCE.match(unbold):
        return _Kind("tags", unbold, **common)
    if _HASHTAGS.fullmatch(unbold):
        return _Kind("tags", _hashtag_words(unbold), **common)
    # "🔹 Situation: …", "1. Situation: …": a mark before a label is only a mark.
    if label := labels.match_label(content) or labels.match_label(_unnumbered(content)):
        # "**Situation:** **Task:** **Action:** **Result:**": an empty template on one line.
        # A template has a handful of labels; the bound keeps "(S)(S)(S)…" linear.
        chain = [label]
        while len(chain) < 8 and (more := labels.match_label(chain[-1][1])) is not None:
            chain[-1] = (chain[-1][0], "")
            chain.append(more)
        chain[-1:] = labels.split_sentences(*chain[-1])
        return _Kind("label", label=label[0], parts=tuple(chain), **common)
    if not quoted and (alone := labels.label_alone(unbold)):
        return _Kind("label", label=alone, parts=((alone, ""),), **common)
    if parts := labels.split_inline(content):
        return _Kind("inline", content, parts=tuple(parts), **common)
    if (marker := _STORY_MARKER.fullmatch(unbold)) and len(unbold) <= 160:
        return _Kind("marker", (marker.group(1) or marker.group(2) or "").strip() or unbold, **common)
    if not quoted and not indented:
        number = None if bulleted else _NUMBERED.match(content)
        if bulleted and unbold.startswith(_OPENERS_CASED):
            return _Kind("question", unbold, **common)
        if number:
            if _question_like(number.group(2)):
                return _Kind("question", number.group(2), **common)
        elif q := _Q_PREFIX.match(unbold):
            # The bracket moves to the end, where a title's principle tags are read.
            question = f"{q.group(2)} ({q.group(1)})" if q.group(1) else q.group(2)
            return _Kind("question", question, label="Q", **common)
        elif _is_bold_line(content) and _question_like(unbold):
            return _Kind("question", unbold, **common)
    bare = _after_symbols(unbold) or unbold
    if doc.catalogue.only_names(bare.strip("*_()[]（） ")):
        return _Kind("tags", bare.strip("*_()[]（） "), **common)
    return _Kind("text", content, **common)


def parse(lines: list[Line], doc: DocumentBuilder, doc_tags: list[str]) -> None:
    """Add the stories, planned questions and principle sections of ``lines`` to ``doc``."""
    _Reader(lines, doc, doc_tags).run()


class _Reader:
    def __init__(self, lines: list[Line], doc: DocumentBuilder, doc_tags: list[str]) -> None:
        self.lines = lines
        self.kinds = _own_labels(_setext_headings(lines, [classify(line.text, doc) for line in lines]))
        # The next line with content, and the next that is neither blank nor tags, of each
        # line: looked up for every text line, so found once rather than by scanning.
        self.next_content = _next_index(self.kinds, ("blank",))
        self.next_part = _next_index(self.kinds, ("blank", "tags"))
        self.doc = doc
        self.doc_tags = [p for tag in doc_tags if (p := doc.catalogue.resolve(tag))]
        self.sections: list[_PrincipleCtx] = []
        self.story: _Story | None = None
        self.grid: dict[str, list[str]] = {}  # story title -> principles marked in a grid
        self.container: _Story | None = None  # the heading whose stories are being read
        self.skipping: tuple[str, int] | None = None  # why, and from which heading level
        # A skipped heading with nothing under it ("### Questions to Ask") titles the
        # headings at its own level that follow ("### HR", "### Engineers"): skipped too.
        self.skip_group: int | None = None  # line index of such a heading while it has no body

    def run(self) -> None:
        for i, (line, kind) in enumerate(zip(self.lines, self.kinds)):
            if i in self.contents:
                self.doc.step(line.number, "skipped", "table of contents")
            elif self._is_task(i):
                self._on_task(i, line.number, kind)
            else:
                getattr(self, f"_on_{kind.kind}")(i, line.number, kind)
        self._close()
        self._close_sections(0)
        self._apply_grid()

    def _on_grid(self, i: int, number: int, kind: _Kind) -> None:
        """A row of a stories × principles grid: the principles of a story told elsewhere."""
        title, _, columns = kind.text.partition(" :: ")
        found = [
            p for c in columns.split(", ") if (p := self.doc.catalogue.resolve(c) or self.legend.get(c.casefold()))
        ]
        self.grid[normalise(clean_title(title))] = found
        self.doc.step(number, "tags", f"{clean_title(title)}: {', '.join(found) or 'no known principle'}")

    @functools.cached_property
    def legend(self) -> dict[str, str]:
        """The document's own abbreviations of principles (read once, when a grid needs them)."""
        return _legend(self.lines, self.doc.catalogue)

    def _apply_grid(self) -> None:
        for records in (self.doc.stories, self.doc.planned):
            for n, record in enumerate(records):
                if found := self.grid.get(normalise(record.title)):
                    principles = tuple(dict.fromkeys(record.principles + tuple(found)))
                    records[n] = dataclasses.replace(record, principles=principles)

    # -- openers ---------------------------------------------------------------

    def _on_heading(self, i: int, number: int, kind: _Kind) -> None:
        raw, level = kind.text, kind.level
        if self.skipping and level == self.skipping[1] and self.skip_group is not None and not self._asks(raw):
            if all(k.kind in ("blank", "heading") for k in self.kinds[self.skip_group + 1 : i]):
                return self.doc.step(number, "skipped", self.skipping[0])
        if self.skipping and level > self.skipping[1] and not self._asks(raw):
            return self.doc.step(number, "skipped", self.skipping[0])
        if not clean_title(raw):
            return self._on_rule(i, number, kind)  # "# #", a heading of symbols only
        label = _heading_label(raw)
        if label and not self.skipping:
            # "### Situation:" under a story heading is a section of that story.
            if self.story is None:
                self._open_untitled(number)
            self.story.part_level = level
            return self._add_section(number, label[0], label[1])
        story = self.story
        if story and story.part_level == level and not self.skipping and self._more_parts(raw, story):
            # "### 5 Whys:" among "### Situation:"… parts: one more part of the same story.
            return self._add_section(number, clean_title(raw), "")
        asked = self._asked_above(raw, level)
        self._close()
        self.container, self.skipping = None, None
        for ctx in self.sections:
            if level > ctx.level:
                ctx.deeper_headings = True
        self._close_sections(level, same_level_too=not _question_like(clean_title(raw)))
        if _LINK.fullmatch(raw.strip("*_ ")):
            text = _LINK.match(raw.strip("*_ ")).group(0)
            principle = self._principle(text[1 : text.index("]")])
            if principle:
                self._open_section(principle, level, number)
            else:
                self._skip(i, number, level, "link-only heading")
            return
        title, tags = self._title_and_tags(raw, number)
        if principle := self._principle(title):
            self._open_section(principle, level, number)
            return
        splits = _TITLE_SPLIT.split(title, maxsplit=1)
        if len(splits) == 2 and (principle := self.doc.catalogue.resolve(splits[0])):
            tags.append(principle)
        group = _TRAILING_GROUP.search(title)
        if group and (principle := self.doc.catalogue.resolve(title[: group.start()])):
            tags.append(principle)  # "Customer Obsession (the bulk-upload complaint)"
        if _NOT_STORIES.fullmatch(normalise(title)):
            self._skip(i, number, level, f'"{title}" is notes, not a story')
            return
        self.story = _Story(title, number, level, "heading", tags, lead_in=raw.rstrip("*_ ").endswith((":", "：")))
        self.container = self.story
        if asked:
            self.story.sections.append(("Questions", [asked]))

    def _on_question(self, i: int, number: int, kind: _Kind) -> None:
        if self.skipping:
            return self.doc.step(number, "skipped", self.skipping[0])
        story = self.story
        if kind.bulleted and story and story.has_text() and not (story.listed and not kind.indented):
            # A question listed inside an answer; but "* Tell me…" after another top-level
            # "* Tell me…" with its notes indented beneath is the next question.
            return self._on_text(i, number, _Kind("text", kind.raw.lstrip("-*+• "), bulleted=True))
        if kind.label == "Q" and story and not story.qa and story.has_text() and not (
            _question_like(kind.text) or kind.text.rstrip().endswith("?")
        ) and any(name != "Answer" for name, _ in story.sections):
            # "Q3: we made it part of the release tool": a quarter inside a labelled answer
            return self._on_text(i, number, _Kind("text", kind.raw, quoted=kind.quoted, indented=kind.indented))
        self._open_child(number, QUESTION_LEVEL, "question", *self._title_and_tags(kind.text, number))
        self.story.qa = kind.label == "Q"
        self.story.listed = kind.bulleted and not kind.indented

    def _on_task(self, i: int, number: int, kind: _Kind) -> None:
        """An item of a to-do list: one still open is a question to prepare (its notes
        beneath are not an answer), one ticked off is done with."""
        if self.skipping:
            return self.doc.step(number, "skipped", self.skipping[0])
        if kind.task == "done":
            return self.doc.step(number, "skipped", "ticked-off to-do item")
        title = kind.text or _CHECKBOX.sub("", _MARKER.sub("", kind.raw, count=1), count=1)
        if not (_question_like(title) or self.doc.catalogue.find_in(title)):
            # "- [ ] phone screen with hiring manager": a to-do of the job search itself
            return self.doc.step(number, "skipped", "to-do item that names no question or principle")
        self._open_child(number, QUESTION_LEVEL, "task", *self._title_and_tags(title, number))

    def _on_marker(self, i: int, number: int, kind: _Kind) -> None:
        if self.skipping:
            return self.doc.step(number, "skipped", self.skipping[0])
        parent = self.container
        plain = _STORY_MARKER.fullmatch(kind.text)  # "Story 2" with no name of its own
        named, tags = (None, []) if plain else self._title_and_tags(kind.text, number)
        # "Story 2: …" under a question is the question's second story; under "## Stories" the
        # heading only groups them.
        grouped = parent and parent.title and not _GROUP_TITLE.fullmatch(normalise(parent.title))
        title = f"{parent.title} — {named}" if grouped and named else named
        self._open_child(number, MARKER_LEVEL, "marker", title, tags)

    def _on_label(self, i: int, number: int, kind: _Kind) -> None:
        if self.skipping:
            return self.doc.step(number, "skipped", self.skipping[0])
        story = self.story
        if kind.label == "Questions" and not (story and story.has_text()):
            # "Questions:" outside an answer introduces a list, not a part of a story.
            return self._on_text(i, number, _Kind("text", kind.raw, bulleted=kind.bulleted))
        # A second situation after the story's task, action or result is the next story;
        # straight after the first ("Context: …", then "Background: …") it goes on.
        repeated = (
            story
            and kind.label == "Situation"
            and any(name == "Situation" and any(p.strip() for p in body) for name, body in story.sections)
            and story.sections[-1][0] != "Situation"
        )
        if story is None or repeated:
            self._open_untitled(number)
        parts = kind.parts
        if not self.story.sections:
            self.story.quoted = kind.quoted
        if self.story.qa and not self.story.sections and _LETTER_A.match(kind.raw):
            parts = (("Answer", parts[0][1]), *parts[1:])
        elif parts[0][0] == "Challenge" and not self.story.sections:
            # Challenge, Action, Result (CAR): the challenge a story opens with is its
            # situation; after the Result it is a follow-up question, as in the seeds.
            parts = (("Situation", parts[0][1]), *parts[1:])
        self.story.answered = self.story.answered or parts[0][0] == "Answer"
        for label, text in parts:
            self._add_section(number, label, text, kind.text)

    def _on_inline(self, i: int, number: int, kind: _Kind) -> None:
        if self.skipping:
            return self.doc.step(number, "skipped", self.skipping[0])
        if self.story is None or self.story.has_text():
            self._open_untitled(number)
        for label, text in kind.parts:
            self._add_section(number, label, text)

    # -- everything else ----------------------------------------------------------

    def _on_text(self, i: int, number: int, kind: _Kind) -> None:
        if self.skipping:
            return self.doc.step(number, "skipped", self.skipping[0])
        if principle := self._plain_principle(kind):
            return self._open_section(principle, QUESTION_LEVEL, number)
        if self._is_group(i, kind):
            self._close()
            self.container = None
            if _OTHER_GROUP.fullmatch(normalise(kind.text)):
                self._close_sections(QUESTION_LEVEL)  # "Other": the principle's stories are over
            return self.doc.step(number, "group", kind.text)
        if self._is_title_line(i):
            self._open_child(number, QUESTION_LEVEL, "title line", *self._title_and_tags(kind.text, number))
            return
        if tagged := self._tagged_paragraph(kind):
            # "1. Ownership - On Sunday night the coolroom compressor…": a story of its own.
            self._open_child(number, QUESTION_LEVEL, "label", None, [tagged[0]])
            self.story.body_lines += 1
            self.story.sections.append(("Answer", [tagged[1]]))
            return self.doc.step(number, "text", "Answer")
        if lead := self._bold_lead(kind):
            self._open_child(number, QUESTION_LEVEL, "bold lead", *self._title_and_tags(lead[0], number))
            self.story.body_lines += 1
            self.story.sections.append(("Answer", [lead[1]]))
            return self.doc.step(number, "text", "Answer")
        story = self.story
        if story and story.quoted and story.sections and not kind.quoted and self.kinds[i - 1].kind == "blank":
            # After an answer quoted part by part, a paragraph outside the quote is a note.
            self._close()
            story = None
        if story is None:
            where = "principle definition" if self.sections else "outside any story"
            return self.doc.step(number, "skipped", where)
        story.body_lines += 1
        if story.sections:
            story.sections[-1][1].append(kind.text)
        else:
            story.sections.append(("Answer", [kind.text]))
        self.doc.step(number, "text", story.sections[-1][0])

    def _on_tags(self, i: int, number: int, kind: _Kind) -> None:
        if self.skipping:
            return self.doc.step(number, "skipped", self.skipping[0])
        principle = self._plain_principle(kind)
        if principle and (self.story is None or self.story.has_text() and self.story.origin != "heading"):
            return self._open_section(principle, QUESTION_LEVEL, number)
        found = self.doc.tags(kind.text, number)
        target = self.story or self.container
        if target is not None and target.has_text():
            target.trailing_tags += found
        elif target is not None:
            target.tags += found
        elif not self.sections:
            self.doc_tags += found  # a tag line at the top applies to the whole document
        self.doc.step(number, "tags", ", ".join(found) or "no known principle")

    def _on_rule(self, i: int, number: int, kind: _Kind) -> None:
        # A separator ends a story that has no heading of its own; under a heading it
        # is only a paragraph break.
        if self.story and self.story.origin != "heading":
            self._close()
        self.doc.step(number, "separator")
        self._paragraph_break()

    def _on_blank(self, i: int, number: int, kind: _Kind) -> None:
        self._paragraph_break()

    def _on_toc(self, i: int, number: int, kind: _Kind) -> None:
        self.doc.step(number, "skipped", "links (table of contents)")
        if self.story:
            self.story.body_lines += 1

    def _on_boilerplate(self, i: int, number: int, kind: _Kind) -> None:
        self.doc.step(number, "skipped", "assistant boilerplate")

    # -- helpers ----------------------------------------------------------------

    def _open_child(
        self, number: int, level: int, origin: str, title: str | None, tags: list[str]
    ) -> None:
        """Open a story beneath the current heading, which then holds stories."""
        parent = self.container
        if parent is not None and self.story is parent:
            parent.children += 1
        self._close()
        if parent is not None and parent.level < level:
            tags = parent.tags + tags
        self.story = _Story(title, number, level, origin, tags, parent.title if parent else None)

    def _open_untitled(self, number: int) -> None:
        self._open_child(number, MARKER_LEVEL, "label", None, [])

    def _add_section(self, number: int, label: str, text: str, written: str = "") -> None:
        """Start a section; ``written`` is the document's own word for its label, if any."""
        assert self.story is not None
        sections = self.story.sections
        if label in _MERGED and sections and sections[-1][0] == label:
            # "A (analysis): …" then "A (fix): …": two paragraphs of one Action.
            sections[-1][1].extend(["", text] if text else [])
        else:
            sections.append((label, [text] if text else []))
        self.story.body_lines += 1
        self.doc.step(number, "section", f'{label} ("{written}")' if written else label)

    def _paragraph_break(self) -> None:
        if self.story and self.story.sections and self.story.sections[-1][1]:
            if self.story.sections[-1][1][-1]:
                self.story.sections[-1][1].append("")

    def _asked_above(self, raw: str, level: int) -> str | None:
        """The question written just above a collapsible story ("**Example Question**: …",
        then ``<details><summary>Story: …``): taken from the reader, so that it is the story's
        listed question rather than a question still to prepare; None otherwise."""
        story, title = self.story, clean_title(raw)
        if level != SUMMARY_LEVEL or story is None or story.origin != "question" or story.sections:
            return None
        if self._principle(title) or _NOT_STORIES.fullmatch(normalise(title)):
            return None
        self.story = None
        return story.title

    def _more_parts(self, raw: str, story: _Story) -> bool:
        """True for a heading at the level of a story's part headings that is one more part:
        it ends in a colon ("### 5 Whys:"), or is a name of three words or fewer after two
        parts at least ("** STAR Narrative" in an Org file), not a question."""
        title = clean_title(raw)
        if raw.rstrip("*_ ").endswith((":", "：")):
            return True
        return len(story.sections) >= 2 and len(title.split()) <= 3 and not self._asks(raw)

    def _asks(self, raw: str) -> bool:
        """True for a heading that is an interview question or a prepared answer's title, or
        carries principle tags: one written under "# STAR" (the method explained) is a
        story even though the notes section has not ended by heading level."""
        title, tags = self._split_tags(raw)
        return bool(tags) or _question_like(title) or bool(_PREPARED_TITLE.match(title))

    def _skip(self, i: int, number: int, level: int, why: str) -> None:
        self.skipping = (why, level)
        self.skip_group = i
        self.doc.step(number, "skipped", why)

    def _close(self) -> None:
        """Emit the open story (or planned question), or drop it if it was a container."""
        story, self.story = self.story, None
        if story is None:
            return
        sections = [
            Section(label, "\n".join(body).strip()) for label, body in story.sections
        ]
        # A part holding only "tbd", "-" or a blank "_____" was not written yet.
        # So is one that says so first ("A: TODO - don't know how to tell this yet").
        sections = [Section(s.label, "") if is_placeholder(s.text) or _STILL_TO_WRITE.match(s.text) else s for s in sections]
        filled = [s for s in sections if s.text]
        if len(filled) == 1 and (
            filled[0].label == "Answer" and _NOTE_TO_SELF.fullmatch(filled[0].text)
            or len(filled[0].text.split()) <= 40 and _TODO.search(filled[0].text)
        ) or story.origin == "question" and not story.answered and _is_keywords(filled) or (
            # "- TODO Dive Deep story" with "maybe the packet loss thing?" beneath: notes
            story.origin == "task" and all(s.label == "Answer" for s in filled)
            and sum(len(s.text.split()) for s in filled) <= _TASK_NOTES
        ):
            # "(need to pick between the culvert story and the other one)": no answer yet
            sections, filled = [], []
        title = story.title
        if title is None:
            summary = _summary(filled[0].text) if filled else "untitled"
            title = f"{story.parent_title} — {summary}" if story.parent_title else summary
        if story.children and all(s.label == "Answer" for s in filled):
            if filled:
                self.doc.step(story.line, "skipped", f'"{title}": introduction of the stories below')
            return  # a heading that holds stories beneath it
        if not filled and not story.sections and self._followed_by_deeper(story):
            return
        if filled and story.origin == "question" and all(s.label == "Answer" for s in filled):
            prose = " ".join(s.text for s in filled)
            if _SECOND_PERSON.search(prose) and not _FIRST_PERSON.search(prose):
                # "This one needs a real example from your own work": advice, no answer yet.
                sections, filled = [], []
        if filled and story.origin in ("heading", "bold lead") and all(s.label == "Answer" for s in filled):
            prose = " ".join(s.text for s in filled)
            why = None
            # Told in the first person: at least one "I/my/we…" in every 60 words.
            if not _question_like(title) and len(_FIRST_PERSON.findall(prose)) * 60 < len(prose.split()):
                why = "no STAR labels or first-person answer"
            elif (
                _ABOUT_THE_NOTES.search(f"{title}\n{prose}")
                or _NOTES_TITLE.search(title)
                or self._followed_by_deeper(story)
            ):
                why = "an introduction to the notes, not an answer"
            if why:
                self.doc.step(story.line, "skipped", f'"{title}": {why}')
                return
        if story.origin == "title line" and _NOT_STORIES.fullmatch(normalise(title)):
            # "- Reminders" over its bullets, as a heading "## Tips" would be
            self.doc.step(story.line, "skipped", f'"{title}" is notes, not a story')
            return
        named_marker = story.origin == "marker" and story.title  # "Story 3 – A time I…" left empty
        untitled = story.origin in ("title line", "label", "marker") and not named_marker
        if not filled and untitled and not story.sections:
            return
        if not filled and story.origin == "heading" and story.body_lines and not story.sections:
            return  # only links or skipped lines under it: not a question the author planned
        principles = story.tags + story.trailing_tags + self._tags_in_force()
        reason = "empty template" if story.sections else "no answer written"
        if self.doc.add(title, story.line, principles, sections, reason):
            for ctx in self.sections:
                ctx.stories += 1

    def _followed_by_deeper(self, story: _Story) -> bool:
        """True when the next opener after ``story`` sits beneath it (it was a container)."""
        start = next(i for i, line in enumerate(self.lines) if line.number >= story.line)
        for kind in self.kinds[start + 1 :]:
            if kind.kind == "heading" and not _heading_label(kind.text):
                return kind.level > story.level
            if kind.kind in ("question", "marker") and story.origin == "heading":
                return True
        return False

    def _open_section(self, principle: str, level: int, number: int) -> None:
        self._close()
        self.container = None
        self._close_sections(level, same_level_too=True)
        self.sections.append(_PrincipleCtx(principle, level, number))
        self.doc.step(number, "principle section", principle)

    def _close_sections(self, level: int, same_level_too: bool = False) -> None:
        """Close the principle sections a heading of ``level`` ends."""
        keep = []
        for ctx in self.sections:
            ends = level < ctx.level or (
                level == ctx.level and (same_level_too or not ctx.deeper_headings)
            ) or (ctx.level == QUESTION_LEVEL and level <= QUESTION_LEVEL)
            if ends:
                self.doc.sections.append(
                    PrincipleSection(ctx.principle, Source(self.doc.name, ctx.line), ctx.stories)
                )
            else:
                keep.append(ctx)
        self.sections = keep

    def _tags_in_force(self) -> list[str]:
        return list(self.doc_tags) + [ctx.principle for ctx in self.sections]

    def _principle(self, title: str) -> str | None:
        """The principle a heading names ("3.3 Ownership – 主人翁精神", "LP 2: Dive Deep")."""
        bare = _PRINCIPLE_PREFIX.sub("", title, count=1) if _PRINCIPLE_PREFIX.match(title) else title
        group = _TRAILING_GROUP.search(bare)
        if group and len(group.group(1).split()) > 2 and not self.doc.catalogue.only_names(group.group(1)):
            return None  # "Customer Obsession (the bulk-upload complaint)": a story's title
        bare = _TRAILING_GROUP.sub("", bare).strip()
        if principle := self.doc.catalogue.resolve(bare):
            return principle
        parts = _TITLE_SPLIT.split(bare, maxsplit=1)
        # "3.3 Ownership – 主人翁精神": a gloss after the name, not a story's title.
        if len(parts) == 2 and not _LATIN_WORD.search(parts[1]):
            return self.doc.catalogue.resolve(parts[0])
        return None

    def _plain_principle(self, kind: _Kind) -> str | None:
        """A principle named alone on an unformatted line (the plain-text layout's sections)."""
        if kind.quoted or kind.bulleted or kind.indented:
            return None
        # "2 Frugality", "3.1 Ownership": a Google Docs export keeps the heading's number.
        return self.doc.catalogue.resolve(_SECTION_NUMBER.sub("", kind.raw.replace("**", ""), count=1) or kind.text)

    def _title_and_tags(self, raw: str, number: int) -> tuple[str, list[str]]:
        """A title without its trailing principle tags, and those tags."""
        title, tags = self._split_tags(raw)
        if tags:
            self.doc.step(number, "tags", ", ".join(tags))
        return title, tags

    def _split_tags(self, raw: str) -> tuple[str, list[str]]:
        """``_title_and_tags`` without recording a step."""
        title = clean_title(raw)
        tags: list[str] = []
        while True:
            group = _TRAILING_GROUP.search(title)
            if group and (names := self.doc.catalogue.only_names(group.group(1))):
                tags += names
                title = title[: group.start()].rstrip(" -–—:|")
                continue
            splits = list(_TITLE_SPLIT.finditer(title))
            # "Launch night outage - earn trust, are right a lot (guessed the cause), deep dive"
            tail = _ASIDE.sub(" ", title[splits[-1].end() :]) if splits else ""
            if splits and (names := self.doc.catalogue.only_names(tail)):
                tags += names
                title = title[: splits[-1].start()]
                continue
            words = title.split(" ")
            if len(words) > 1 and words[-1].startswith("#") and _HASHTAGS.fullmatch(words[-1]) and (
                names := self.doc.catalogue.only_names(_hashtag_words(words[-1]))
            ):  # "Cut the release train #Ownership"
                tags += names
                title = " ".join(words[:-1]).rstrip()
                continue
            break
        if hashtags := _TITLE_HASHTAG.findall(title):
            # "Substitution complaints #Customer-Obsession (redone in March)": an outliner's
            # tags anywhere in the line, never part of the title
            tags += [name for tag in hashtags for name in self.doc.catalogue.only_names(_hashtag_words(tag))]
            title = " ".join(_TITLE_HASHTAG.sub("", title).split()) or title
        if (prefix := _SUMMARY_PREFIX.match(title)) and title[prefix.end() :].strip():
            title = title[prefix.end() :].strip()
        head, colon, rest = title.partition(": ")
        if colon and rest.strip() and (principle := self.doc.catalogue.resolve(head)):
            tags.append(principle)  # "Ownership: the broken release pipeline"
            title = rest.strip()
        return unquote(title) or clean_title(raw), tags

    @functools.cached_property
    def contents(self) -> set[int]:
        """The lines of a plain-text table of contents: a "Contents" line after a blank line
        and the short lines straight beneath it (a Google Doc saved as text repeats every
        heading there, principle names included, which would open empty sections)."""
        found: set[int] = set()
        for i, kind in enumerate(self.kinds):
            if kind.kind != "text" or (i and self.kinds[i - 1].kind != "blank"):
                continue
            if normalise(kind.text) not in _CONTENTS:
                continue
            block = list(itertools.takewhile(lambda k: k.kind != "blank", self.kinds[i + 1 :]))
            if len(block) >= 2 and all(len(k.raw.split()) <= 8 for k in block):
                found.update(range(i, i + 1 + len(block)))
        return found

    def _is_task(self, i: int) -> bool:
        """True for a top-level to-do item ("- [ ] Think Big story", Logseq's "- TODO …")
        that is not a note inside an answer, i.e. not followed by more of the answer's
        unbulleted text ("- [ ] find the error numbers" between two paragraphs)."""
        kind = self.kinds[i]
        if not kind.task or kind.indented and not self._in_task_list(i):
            return False
        story, following = self.story, self.next_content[i]
        if story is None or story.origin == "task" or not story.has_text() or following is None:
            return True
        after = self.kinds[following]
        return after.task != "" or after.indented or after.kind not in ("text", "label", "inline")

    def _in_task_list(self, i: int) -> bool:
        """True for a nested to-do item next to another ("- Still to write", then two
        "  - {{[[TODO]]}} …" beneath it): a list of them, not a note inside an answer."""
        before = next((j for j in range(i - 1, -1, -1) if self.kinds[j].kind != "blank"), None)
        after = self.next_content[i]
        return any(j is not None and self.kinds[j].task != "" and self.kinds[j].indented for j in (before, after))

    def _is_title_line(self, i: int) -> bool:
        """True when line ``i`` is a bare title line that starts a story.

        Plain-text notes title a story with a short line (maybe ending in a colon), then
        STAR labels follow, perhaps after a tag line; or, after a separator or a group
        word, a paragraph of prose. A title may carry a mark its parts do not (``>> A
        title``, a top bullet whose labelled parts are sub-bullets): the mark sets it
        apart, even inside a heading's story.
        """
        title = self.kinds[i]
        if title.indented and i not in self.sub_item_titles or self.skipping:
            return False
        text = title.text.replace("**", "").strip("*_ \t")
        if i and _question_like(text) and len(text.split()) <= 30 and self._plain_principle(self.kinds[i - 1]):
            return self.next_part[i] is not None  # "Dive Deep", then "Tell me about a time you used data…"
        if len(self._split_tags(text)[0].split()) > 14 or text.endswith((".", ",", ";")):
            return False
        if self.next_part[i] is None:
            return False
        following = self.kinds[self.next_part[i]]
        marked = title.quoted or title.bulleted
        if following.kind == "heading" and _heading_label(following.text):
            # "## Strong:" / "Orphaned alert cleanup" / "### Situation:": the line names the story.
            story = self.story
            return story is not None and story.lead_in and not story.sections
        if marked and not title.quoted and i in self.sub_item_titles:
            return True
        if title.bulleted and self.kinds[i + 1].kind == "tags" and following.indented:
            return True  # an outliner's block with its own tags and the story nested beneath
        story = self.story
        if marked and story is not None and story.sections and following.kind == "label" and (
            following.label in _MERGED and following.label not in {name for name, _ in story.sections}
        ):
            return False  # "A – I took it on myself:", bullets, then "R – …": the story goes on
        if following.kind in ("label", "inline"):
            if _is_bold_line(title.text) and not marked and not text.endswith((":", "：")):
                return True  # "**Pushing back on a layoff list**" then its labels, under any heading
            if marked:
                return following.indented or not (following.quoted or following.bulleted)
            inside_heading = self.story is not None and self.story.origin == "heading"
            # "1) Handheld scanner rollout slipping [LP: …]" under "STORIES - first batch":
            # a numbered title line with its parts is one of the heading's stories.
            return not inside_heading or self._after_boundary(i) or bool(_NUMBERED.match(title.raw))
        prose = following.kind == "text" and len(following.text.split()) > 14
        # "Tell me about yourself:" then its paragraph; a lead-in such as "Notes:" is no title.
        asks = _question_like(text) or bool(_PREPARED_TITLE.match(text))
        if marked or (text.endswith((":", "：")) and not asks):
            return False
        return prose and self._after_boundary(i, document_start=False) or self._heads_block(i)

    @functools.cached_property
    def sub_item_titles(self) -> set[int]:
        """Bullets that title a story told in the bullets nested beneath them, as in a brag
        document ("- **Win:** Culvert swap in nine days", then "  - what: …", "  - result:
        …") or an outliner page, where the stories may sit one level down under "- Stories":
        found where the document has two of them or more, so that one bullet with notes
        beneath it inside a story stays part of that story. The innermost bullet wins: a
        bullet whose nested bullets title stories of their own only groups them."""
        depth = [len(line.text.expandtabs(4)) - len(line.text.expandtabs(4).lstrip()) for line in self.lines]
        spans: dict[int, int] = {}
        for i, kind in enumerate(self.kinds):
            if kind.kind != "text" or not kind.bulleted or kind.task or not _title_like(kind.text):
                continue
            parent = next((j for j in range(i - 1, -1, -1) if self.kinds[j].kind != "blank" and depth[j] < depth[i]), None)
            if depth[i] and (parent is None or self.kinds[parent].kind != "text"):
                continue  # nested under a question or a part: the notes of that story
            end = i
            while end + 1 < len(self.kinds) and (
                self.kinds[end + 1].kind in ("blank", "tags") or depth[end + 1] > depth[i]
            ):
                end += 1
            items = [k for k in self.kinds[i + 1 : end + 1] if k.kind in ("text", "label", "inline") and k.bulleted and not k.task]
            if len(items) >= 2 and sum(len(k.raw.split()) for k in items) >= 20:
                spans[i] = end
        found = {i for i, end in spans.items() if not any(i < j <= end for j in spans)}
        return found if len(found) >= 2 else set()

    def _heads_block(self, i: int) -> bool:
        """True for a short line that opens a block of plain-text lines after a blank line,
        outside a heading's story: the plain-text way of writing stories one after another
        ("ADA ramps re-poured [Insist on the Highest Standards]", then unmarked lines of
        twenty words or more, then a blank line), or straight under a principle's name if
        told in the first person. In Markdown a line straight above a paragraph would join it."""
        under_principle = i > 0 and self._plain_principle(self.kinds[i - 1]) is not None
        if i == 0 or self.kinds[i - 1].kind != "blank" and not under_principle or self.next_content[i] != i + 1:
            return False
        block = list(itertools.takewhile(lambda k: k.kind != "blank", self.kinds[i + 1 :]))
        if any(k.bulleted or k.quoted or k.indented or k.kind not in ("text", "label") for k in block):
            return False
        prose = " ".join(k.raw for k in block)
        if under_principle and not _FIRST_PERSON.search(prose):
            return False  # the principle's definition, as written under its name
        if _SECOND_PERSON.search(prose) and not _FIRST_PERSON.search(prose):
            return False  # a reply under a forum post ("Story 2 is your best one"): advice
        return len(prose.split()) >= 20 and (self.story is None or self.story.origin != "heading")

    def _tagged_paragraph(self, kind: _Kind) -> tuple[str, str] | None:
        """(principle, prose) of a numbered paragraph led by a principle's name ("1. Dive
        Deep - Our shrinkage was 6%…"): a story told under that principle, untitled."""
        number = None if kind.indented or kind.quoted else _NUMBERED.match(kind.raw)
        if not number:
            return None
        text = number.group(2)
        head, _, prose = text.partition(" - ") if " - " in text else text.partition(": ")
        principle = self.doc.catalogue.resolve(head)
        return (principle, prose.strip()) if principle and len(prose.split()) >= 15 else None

    def _bold_lead(self, kind: _Kind) -> tuple[str, str] | None:
        """(title, prose) of a paragraph that is a whole story: "**A short title.** I did…".

        Only outside other stories (a bold phrase inside one is emphasis) and only with a
        paragraph of prose after the title; whether it is told in the first person is
        checked when the story closes, as for a heading's prose.
        """
        if kind.quoted or kind.bulleted or kind.indented:
            return None
        if self.story is not None and self.story.origin != "bold lead":
            return None
        lead = _BOLD_LEAD.fullmatch(kind.text)
        if not lead or len(lead.group(1).split()) > 14 or len(lead.group(2).split()) <= 14:
            return None
        return lead.group(1).strip().rstrip(".:：").strip(), lead.group(2).strip()

    def _after_boundary(self, i: int, document_start: bool = True) -> bool:
        """True when line ``i`` follows a separator or a group word (or starts the document).

        Short unbulleted lines (group words, a date) may stand between them. A loop, not
        recursion: a page of thousands of short lines must not exhaust the stack.
        """
        while True:
            j = next((j for j in range(i - 1, -1, -1) if self.kinds[j].kind != "blank"), None)
            if j is None or self.kinds[j].kind == "rule":
                return j is not None or document_start
            previous = self.kinds[j]
            if previous.kind != "text" or previous.bulleted or len(previous.text.split()) > 4:
                return False
            i = j

    def _is_group(self, i: int, kind: _Kind) -> bool:
        """A group word alone on a line ("Failures", "Second Source Questions:") before questions.

        A longer lead-in ending in a colon ("Questions I still need stories for:") is one too.
        """
        if kind.quoted or kind.bulleted or kind.indented:
            return False
        lead_in = kind.text.replace("**", "").rstrip()
        text = lead_in.rstrip(":： ")
        longest = 8 if lead_in.endswith((":", "：")) else 4
        if not text or len(text.split()) > longest or not text[-1].isalnum():
            return False
        following = self.next_content[i]
        if following is None:
            return False
        after = self.kinds[following]
        return after.kind == "question" or after.kind == "heading" and not _heading_label(after.text)


def _setext_headings(lines: list[Line], kinds: list[_Kind]) -> list[_Kind]:
    """A short line underlined with ``===``, ``---`` or ``~~~`` is a heading (Markdown's
    other way, and reStructuredText's).

    A sentence right above a ``-----`` separator stays the end of its story.
    """
    for i in range(1, len(kinds)):
        underline = lines[i].text.strip()
        above = kinds[i - 1]
        if kinds[i].kind == "rule" and _UNDERLINE.fullmatch(underline) and above.kind == "text" and (
            _title_like(above.text) and not (above.quoted or above.bulleted or above.indented)
        ):
            kinds[i - 1] = _Kind("heading", above.text, _UNDERLINE_LEVEL[underline[0]])
            kinds[i] = _Kind("blank")
    return kinds


def _own_labels(kinds: list[_Kind]) -> list[_Kind]:
    """Lines led by the document's own label words ("Setup:", "**Contexto:**") become labels.

    :mod:`matcher.ingest.own_labels` decides which candidates are labels; this finds
    them, gathers the text each heads, and tells whether they all sit in the body of
    the document's only story: right after its title (and tags), with no opener after them.
    """
    found: dict[int, tuple[str, str]] = {}  # line index -> (label as written, text after it)
    texts: dict[int, list[str]] = {}
    opens: set[int] = set()  # candidates right after an opener or a title line
    current: int | None = None  # the candidate whose text the lines below continue
    previous: _Kind | None = None  # the last line with content
    lead = 0  # content lines since the last opener
    region = -1  # the last opener
    single, opened_after = True, False
    for i, kind in enumerate(kinds):
        if kind.kind in ("blank", "tags"):
            continue
        after, previous = previous, kind
        if kind.kind in _OPENER_KINDS:
            region, lead, current = i, 0, None
            opened_after = bool(found)
            continue
        single = single and not opened_after  # content after another opener: not one story
        label = None
        if kind.kind == "label":
            label = (kind.label, " ".join(text for _, text in kind.parts))
        elif kind.kind == "text":
            label = own_labels.match(kind.text) or own_labels.match(_unnumbered(kind.text))
        if label is None:
            if current is not None and kind.kind == "text":
                texts[current].append(kind.text)
            else:
                current = None
            lead += 1
            continue
        if not found and lead > (0 if region >= 0 else 1):
            single = False  # the labels do not start the story's body
        if after is None or after.kind in _OPENER_KINDS or (
            after.kind == "text" and _title_like(after.text)
        ):
            opens.add(i)
        current, found[i], texts[i] = i, label, [label[1]]
    candidates = []
    for i, (word, _) in found.items():
        kind, text = kinds[i], " ".join(texts[i])
        known = kind.kind == "label"
        candidates.append(own_labels.Candidate(
            i, word if known else normalise(word), known, (kind.quoted, kind.bulleted, kind.indented),
            len(text.split()), bool(_FIRST_PERSON.search(text)), i in opens,
        ))
    for i, name in own_labels.assign(candidates, single).items():
        kind, (word, rest) = kinds[i], found[i]
        kinds[i] = _Kind(
            "label", word, label=name, parts=((name, rest),), raw=kind.raw,
            quoted=kind.quoted, indented=kind.indented, bulleted=kind.bulleted,
        )
    return kinds


def _title_like(text: str) -> bool:
    """A short line that does not end like a sentence: a story's title."""
    return len(text.split()) <= 14 and not text.rstrip().endswith((".", ",", ";"))


def _unnumbered(content: str) -> str:
    """A line without its leading numbering ("1. ", "1. > ") or symbols and a space ("🔹 ", "→ ")."""
    if number := _NUMBERED.match(content):
        return re.sub(r"^(?:>[ \t]*)+", "", number.group(2))
    if mark := _LEADING_MARK.match(content):
        return content[mark.end():]
    return content


def _hashtag_words(text: str) -> str:
    """"#CustomerObsession #dive-deep" -> "Customer Obsession, dive deep"."""
    words = (_CAMEL.sub(" ", tag).replace("-", " ").replace("_", " ") for tag in text.split("#"))
    return ", ".join(w.strip(" \t,;") for w in words if w.strip(" \t,;"))


def _next_index(kinds: list[_Kind], skipped: tuple[str, ...]) -> list[int | None]:
    """For each line, the index of the next line whose kind is not in ``skipped``."""
    found: list[int | None] = [None] * len(kinds)
    following = None
    for i in range(len(kinds) - 1, -1, -1):
        found[i] = following
        if kinds[i].kind not in skipped:
            following = i
    return found


def _question_like(text: str) -> bool:
    """True for the way interview questions are worded ("Tell me about…", "…?")."""
    folded = text.casefold().lstrip("*_ \"'“")
    if folded.startswith(_OPENERS):
        return True
    return "?" in folded and folded.startswith(_WEAK_OPENERS + _OPENERS)


def _legend(lines: list[Line], catalogue) -> dict[str, str]:
    """Abbreviations a document defines for principles ("CO = Customer Obsession · OWN =
    Ownership · …"), from lines that define three or more."""
    found: dict[str, str] = {}
    for line in lines:
        pairs = [_LEGEND_PAIR.fullmatch(part.strip()) for part in _LEGEND_SPLIT.split(line.text)]
        named = {m.group(1).casefold(): p for m in pairs if m and (p := catalogue.resolve(m.group(2)))}
        if len(named) >= 3:
            found.update(named)
    return found


def _italic_label(content: str) -> bool:
    return content[:1] in "*_" and content[1:2] not in "*_ " and labels.match_label(content) is not None


def _is_keywords(sections: list[Section]) -> bool:
    """A dozen words or fewer, none in the first person ("Talk about the holiday capacity
    spreadsheet", "flaky CI on mobile / R: own the boring stuff"): a pointer to a story not
    written yet, not an answer."""
    text = " ".join(s.text for s in sections)
    return len(text.split()) <= 12 and not _FIRST_PERSON.search(text)


def _heading_label(raw: str) -> tuple[str, str] | None:
    """(label, text) when a heading is a STAR label ("### Situation:"), else None; with a
    description in brackets ("### Challenge (take over a project mid-flight)") it is a title."""
    if (aside := _ASIDE.search(raw)) and len(aside.group(0).split()) > 2:
        return None
    whole = labels.canonical_label(raw.strip("*_ ").rstrip(":：").strip())
    label = (whole, "") if whole else labels.match_label(raw)
    # "### Challenges" is a story's title: the follow-up words are labels only in its text.
    return label if label and label[0] in _HEADING_LABELS else None


def _is_bold_line(content: str) -> bool:
    return len(content) > 4 and content.startswith("**") and content.rstrip(" ?:").endswith("**")


def _after_symbols(text: str) -> str | None:
    """The text after a leading emoji or symbol ("🏷️ Dive Deep"), or None if there is none."""
    i = 0
    while i < len(text) and (unicodedata.category(text[i])[0] == "S" or text[i] in "\ufe0f\u200d "):
        i += 1
    return text[i:].strip() if i else None


def _summary(text: str, words: int = 10) -> str:
    """The start of the first sentence, for a story its author gave no title."""
    first = _SENTENCE_END.split(text.replace("**", "").strip(), maxsplit=1)[0]
    cut = first.split()
    summary = " ".join(cut[:words]).rstrip(".,;:")
    return summary + ("…" if len(cut) > words else "") if summary else "untitled"
